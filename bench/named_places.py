"""Places named in the question instead of a postcode (answers/engine/places.py), on
bench/questions/named-places.jsonl: municipal questions naming the municipality (also a former one, or Den
Bosch), national questions that mention where the person lives, questions whose only place-like word is an
everyday word, a province or one of two municipalities, and topics outside the data that name a town. Measured
with the place names and, for comparison, without them (the engine asks for the place instead)."""

import copy
import json
from typing import Any

from antwoord.answers.engine.decide import Engine
from antwoord.answers.engine.places import PlaceNames

from .questions import QUESTIONS_DIR, Question, decision_correct, load

SPLIT = "named-places"


def measure(engine: Engine) -> dict[str, Any]:
    questions = load(SPLIT)
    meant = _meant_municipalities()
    nameless = copy.copy(engine.index)
    nameless.places = PlaceNames((), (), {})
    return {
        "questions": len(questions),
        "with_place_names": _evaluate(engine, questions, meant),
        "without_place_names": _evaluate(Engine(nameless, engine.calibration), questions, meant),
    }


def _meant_municipalities() -> dict[str, str]:
    """Question id -> the municipality the question names ("" when it names no usable place)."""
    lines = (QUESTIONS_DIR / f"{SPLIT}.jsonl").read_text(encoding="utf-8").splitlines()
    return {item["id"]: item["municipality"] for item in map(json.loads, filter(None, lines))}


def _evaluate(engine: Engine, questions: list[Question], meant: dict[str, str]) -> dict[str, Any]:
    right: dict[str, list[bool]] = {}
    places = []
    for question in questions:
        response = engine.ask(question.text, audience=question.audience)
        answer_id = response.answer.source_id if response.answer else ""
        reason = (response.clarify or {}).get("reason", "")
        right.setdefault(question.category, []).append(
            decision_correct(question, response.status, answer_id, reason, "")
        )
        places.append((response.place or {}).get("code", "") == meant[question.id])
    every = [r for rs in right.values() for r in rs]
    return {
        "decision_accuracy": _share(every),
        "place_right": _share(places),
        "by_category": {category: _share(rs) for category, rs in sorted(right.items())},
    }


def _share(values: list[bool]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0
