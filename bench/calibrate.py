"""Choose the engine's re-ranker, confidence model and thresholds on the development questions only.

The engine is asked once per question with every threshold switched off; the decisions for any choice of
model and thresholds are then replayed from those observations, so a grid search and a cross-validation
(an honest estimate of what the fit does on questions it has not seen) are cheap.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import product

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from antwoord.answers.engine.decide import CASE_STATUS, FEATURE_NAMES, Calibration, Engine
from antwoord.answers.engine.places import Place
from antwoord.answers.engine.rerank import DEFAULT_WEIGHTS, DEPTH, candidate_features

from .questions import Question

# How close the runner-up must come for the engine to ask which of the two is meant. The labels know no such
# question (every labelled clarify asks for the place), so the data alone would switch it off (1.0) to gain
# an answer or two; the engine keeps asking when two texts are all but tied, and the data choose how close.
AMBIGUITY_GRID = (0.95, 0.98)
PLACE_MARGIN_GRID = (0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0)
UNCERTAIN_PLACE_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0)
TOPIC_FIT_GRID = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
THRESHOLD_GRID = tuple(round(float(t), 3) for t in np.linspace(0.05, 0.95, 91))
LEAD = FEATURE_NAMES.index("lead")
FOLDS = 5
RERANK_L2 = 0.1
# A wrong answer costs two contacts: this one, and the one that puts it right. A needless handover or question
# back costs one: the person gets a right answer, only later. The thresholds are chosen for the least cost.
WRONG_ANSWER_COST = 2.0

Array = npt.NDArray[np.float64]


@dataclass
class Observation:
    question: Question
    status: str  # the decision without confidence threshold and without asking for the place
    reason: str
    features: tuple[float, ...] | None
    top_right: bool
    place_ratio: float | None
    topic_fit: float | None


def observe(
    engine: Engine, questions: list[Question], place_of: Callable[[str], Place | None]
) -> list[Observation]:
    permissive = Engine(
        engine.index,
        replace(engine.calibration, threshold=0.0, ambiguity=2.0, place_margin=math.inf, topic_fit=0.0),
    )
    result = []
    for question in questions:
        response = permissive.ask(
            question.text, place=place_of(question.postcode), audience=question.audience
        )
        measured = response.explanation.get("features")
        place_ratio, topic_fit = (
            response.explanation.get("place_ratio"),
            response.explanation.get("topic_fit"),
        )
        if place_ratio is None and topic_fit is not None:
            place_ratio = math.inf  # the product was asked about and no text matched at all
        result.append(
            Observation(
                question,
                response.status,
                (response.clarify or {}).get("reason", ""),
                tuple(measured.values()) if measured and response.status == "answered" else None,
                response.explanation.get("top_candidate", "") in question.correct_ids,
                place_ratio,
                topic_fit,
            )
        )
    return result


@dataclass
class _Replay:
    """The observations as arrays, with what each possible decision would score per question."""

    features: Array  # rows without features hold zeros
    has_features: npt.NDArray[np.bool_]
    place_ratio: Array  # -inf when no place-dependent product was seen (or a place was given)
    topic_fit: Array  # 0.0 when no place-dependent product was seen (or a place was given)
    lead: Array
    fallback_right: Array  # whether the permissive decision was right, for rows without features
    answered_right: Array
    place_right: Array
    handover_right: Array

    @staticmethod
    def of(observations: Sequence[Observation]) -> "_Replay":
        width = len(FEATURE_NAMES)
        features = np.array([o.features or (0.0,) * width for o in observations], dtype=float)
        expected = [o.question.expected for o in observations]
        return _Replay(
            features=features.reshape(len(observations), width),
            has_features=np.array([o.features is not None for o in observations]),
            place_ratio=np.array(
                [-math.inf if o.place_ratio is None else o.place_ratio for o in observations], dtype=float
            ),
            topic_fit=np.array([o.topic_fit or 0.0 for o in observations], dtype=float),
            lead=features.reshape(len(observations), width)[:, LEAD],
            fallback_right=np.array([_right(o, o.status, o.reason) for o in observations], dtype=float),
            answered_right=np.array([_right(o, "answered", "") for o in observations], dtype=float),
            place_right=np.array(
                [e["status"] == "clarify" and e.get("reason", "place") == "place" for e in expected],
                dtype=float,
            ),
            handover_right=np.array([e["status"] == "handover" for e in expected], dtype=float),
        )

    def outcomes(
        self,
        confidence: Array,
        threshold: float,
        ambiguity: float,
        margin: float,
        uncertain_margin: float,
        topic_fit: float,
    ) -> tuple[Array, Array]:
        """Per question, with these settings (in the order of `Engine.ask`'s rules): whether the decision is
        the labelled one, and whether it is an answer that is wrong."""
        fitting = self.topic_fit >= topic_fit
        ask_place = fitting & (self.place_ratio >= margin)
        # No text matched at all (place_ratio is infinite): without the place question, a handover.
        no_text = ~self.has_features & np.isposinf(self.place_ratio) & ~ask_place
        own_case = self.features[:, CASE_STATUS] == 1
        unsure = self.has_features & ~ask_place & ((confidence < threshold) | own_case)
        unsure_place = unsure & fitting & (self.place_ratio >= uncertain_margin) & ~own_case
        ambiguous = self.has_features & ~ask_place & ~unsure & (1 - self.lead >= ambiguity)
        answered = self.has_features & ~ask_place & ~unsure & ~ambiguous
        right = np.where(
            ask_place | unsure_place,
            self.place_right,
            np.where(
                unsure | no_text,
                self.handover_right,
                np.where(answered, self.answered_right, np.where(ambiguous, 0.0, self.fallback_right)),
            ),
        )
        return right, (answered & (self.answered_right == 0)).astype(float)

    def accuracy(self, confidence: Array, *settings: float) -> float:
        right, _ = self.outcomes(confidence, *settings)
        return float(right.mean()) if len(right) else 0.0

    def cost(self, confidence: Array, *settings: float) -> float:
        right, wrong_answers = self.outcomes(confidence, *settings)
        return float((1 - right).sum() + (WRONG_ANSWER_COST - 1) * wrong_answers.sum())


def _right(observation: Observation, status: str, reason: str) -> bool:
    expected = observation.question.expected
    if expected["status"] == "answered":
        return status == "answered" and observation.top_right
    if expected["status"] == "clarify":
        return status == "clarify" and reason == expected.get("reason", "place")
    return status == "handover"


def fit_observations(observations: Sequence[Observation]) -> Calibration:
    """Logistic confidence (is the best candidate the right answer?), then the thresholds whose decisions cost
    least on these questions; among equally good ones the lowest threshold and margins. A question about the
    person's own case is handed over whatever its confidence, so it does not teach the model."""
    rows = [o for o in observations if o.features is not None and not o.features[CASE_STATUS]]
    x = np.array([o.features for o in rows], dtype=float).reshape(len(rows), len(FEATURE_NAMES))
    y = np.array([1.0 if o.top_right and o.question.answerable else 0.0 for o in rows])
    weights, bias = _logistic(x, y)
    model = Calibration(weights=tuple(round(float(w), 4) for w in weights), bias=round(float(bias), 4))
    replay = _Replay.of(observations)
    confidence = 1 / (1 + np.exp(-(replay.features @ np.array(model.weights) + model.bias)))
    grid = [
        (t, a, m, u, f)
        for t, a, m, u, f in product(
            THRESHOLD_GRID, AMBIGUITY_GRID, PLACE_MARGIN_GRID, UNCERTAIN_PLACE_GRID, TOPIC_FIT_GRID
        )
        if u <= m
    ]
    threshold, ambiguity, margin, uncertain, topic_fit = max(
        grid, key=lambda g: (-replay.cost(confidence, *g), -g[0], -g[2], -g[3], -g[4])
    )
    return replace(
        model,
        threshold=threshold,
        ambiguity=ambiguity,
        place_margin=margin,
        uncertain_place_margin=uncertain,
        topic_fit=topic_fit,
    )


def accuracy(observations: Sequence[Observation], model: Calibration) -> float:
    replay = _Replay.of(observations)
    confidence = 1 / (1 + np.exp(-(replay.features @ np.array(model.weights) + model.bias)))
    return replay.accuracy(
        confidence,
        model.threshold,
        model.ambiguity,
        model.place_margin,
        model.uncertain_place_margin,
        model.topic_fit,
    )


def cross_validated(observations: Sequence[Observation], folds: int = FOLDS) -> float:
    """Decision accuracy on held-out folds (stratified by category): what to expect on new questions."""
    ordered = sorted(observations, key=lambda o: (o.question.category, o.question.id))
    right = 0.0
    for fold in range(folds):
        held_out = ordered[fold::folds]
        model = fit_observations([o for i, o in enumerate(ordered) if i % folds != fold])
        right += accuracy(held_out, model) * len(held_out)
    return right / max(1, len(ordered))


def _logistic(x: Array, y: Array, steps: int = 50, l2: float = 1.0) -> tuple[Array, float]:
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


@dataclass
class CandidateSet:
    """One answerable question's candidates as the re-ranker sees them."""

    features: Array  # one row per candidate, over rerank.FEATURE_NAMES
    right: Array  # 1.0 where the candidate is a correct answer


def candidate_sets(
    engine: Engine, questions: list[Question], place_of: Callable[[str], Place | None]
) -> list[CandidateSet]:
    """The candidates the re-ranker orders (the same set whatever its weights: BM25's best)."""
    result = []
    for question in questions:
        if not question.answerable:
            continue
        asked, hits = engine.candidates(
            question.text, place=place_of(question.postcode), audience=question.audience
        )
        hits = hits[:DEPTH]
        best = max((h.score for h in hits), default=1.0)
        payloads = [engine.index.documents[h.doc].payload for h in hits]
        result.append(
            CandidateSet(
                np.array([candidate_features(engine.index, asked, h, best) for h in hits], dtype=float),
                np.array([p.get("source_id", "") in question.correct_ids for p in payloads], dtype=float),
            )
        )
    return result


def fit_reranker(sets: Sequence[CandidateSet], l2: float = RERANK_L2) -> tuple[float, ...]:
    """Weights that make a correct candidate most likely under a softmax over each question's candidates."""
    trainable = [s for s in sets if s.right.any()]
    start = np.array(DEFAULT_WEIGHTS, dtype=float)

    def loss(weights: Array) -> tuple[float, Array]:
        value, gradient = l2 * float(weights @ weights), 2 * l2 * weights
        for s in trainable:
            utility = s.features @ weights
            p = np.exp(utility - utility.max())
            p /= p.sum()
            p_right = float(p @ s.right)
            value -= math.log(p_right)
            gradient -= s.features.T @ (p * s.right / p_right - p)
        return value, gradient

    fitted = minimize(loss, start, jac=True, method="L-BFGS-B").x
    return tuple(round(float(w), 4) for w in fitted)


def reranked_accuracy(sets: Sequence[CandidateSet], weights: Sequence[float]) -> float:
    """accuracy@1 of the re-ranked candidates (a question without a correct candidate counts as wrong)."""
    w = np.array(weights, dtype=float)
    return float(np.mean([s.right[np.argmax(s.features @ w)] if len(s.right) else 0.0 for s in sets]))


def reranker_cross_validated(sets: Sequence[CandidateSet], folds: int = FOLDS) -> float:
    right = 0.0
    for fold in range(folds):
        held_out = sets[fold::folds]
        weights = fit_reranker([s for i, s in enumerate(sets) if i % folds != fold])
        right += reranked_accuracy(held_out, weights) * len(held_out)
    return right / max(1, len(sets))
