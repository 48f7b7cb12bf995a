"""Choose the engine's confidence model and thresholds on the development questions only."""

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from antwoord.answers.engine.decide import Calibration, Engine, Place

from .questions import Question, decision_correct

AMBIGUITY_GRID = (0.95, 0.98, 1.0)
PLACE_MARGIN_GRID = (0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0)
UNCERTAIN_PLACE_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0)


@dataclass
class Observation:
    question: Question
    status: str  # the decision without confidence threshold and without asking for the place
    reason: str
    features: tuple[float, ...] | None
    top_right: bool
    place_ratio: float | None


def _observations(
    engine: Engine, questions: list[Question], place_of: Callable[[str], Place | None]
) -> list[Observation]:
    permissive = Engine(engine.index, Calibration(threshold=0.0, ambiguity=2.0, place_margin=math.inf))
    result = []
    for question in questions:
        response = permissive.ask(
            question.text, place=place_of(question.postcode), audience=question.audience
        )
        measured = response.explanation.get("features")
        result.append(
            Observation(
                question,
                response.status,
                (response.clarify or {}).get("reason", ""),
                tuple(measured.values()) if measured and response.status == "answered" else None,
                response.explanation.get("top_candidate", "") in question.correct_ids,
                response.explanation.get("place_ratio"),
            )
        )
    return result


def fit(engine: Engine, questions: list[Question], place_of: Callable[[str], Place | None]) -> Calibration:
    observations = _observations(engine, questions, place_of)
    rows = [o for o in observations if o.features is not None]
    x = np.array([o.features for o in rows], dtype=float)
    y = np.array([1.0 if o.top_right and o.question.answerable else 0.0 for o in rows])
    weights, bias = _logistic(x, y)
    model = Calibration(weights=tuple(round(float(w), 4) for w in weights), bias=round(float(bias), 4))
    grid = [
        (round(float(t), 3), a, m, u)
        for t in np.linspace(0.05, 0.95, 91)
        for a in AMBIGUITY_GRID
        for m in PLACE_MARGIN_GRID
        for u in UNCERTAIN_PLACE_GRID
        if u <= m
    ]
    threshold, ambiguity, margin, uncertain = max(
        grid, key=lambda g: (_accuracy(observations, model, *g), -g[0])
    )
    return replace(
        model, threshold=threshold, ambiguity=ambiguity, place_margin=margin, uncertain_place_margin=uncertain
    )


def _accuracy(
    observations: list[Observation],
    model: Calibration,
    threshold: float,
    ambiguity: float,
    margin: float,
    uncertain_margin: float,
) -> float:
    """Replays the decisions of `ask` from the observations: cheap enough to search a grid."""
    right = 0
    for o in observations:
        status, reason = o.status, o.reason
        if o.place_ratio is not None and o.place_ratio >= margin:
            status, reason = "clarify", "place"
        elif o.features is not None:
            if model.confidence(o.features) < threshold:
                uncertain_place = o.place_ratio is not None and o.place_ratio >= uncertain_margin
                status, reason = ("clarify", "place") if uncertain_place else ("handover", "")
            elif 1 - o.features[2] >= ambiguity:
                status, reason = "clarify", "ambiguous"
        answer_id = next(iter(o.question.correct_ids)) if o.top_right and status == "answered" else ""
        right += decision_correct(o.question, status, answer_id, reason, "")
    return right / max(1, len(observations))


def _logistic(x: np.ndarray, y: np.ndarray, steps: int = 50, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; returns weights and bias on raw features."""
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        beta -= np.linalg.solve(hessian, gradient)
    return beta[:-1], float(beta[-1])
