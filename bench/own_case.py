"""How well the own-case cue (answers/engine/cues.py) tells a question about the person's own file from a
general question on the same topic, on bench/questions/own-case.jsonl: 120 of each kind over the eleven
national agencies and the municipality. Such a question is handed over by rule, so a miss may be answered
with a general text, and a false alarm hands over a question the knowledge base can answer."""

import json
from typing import Any

from antwoord.answers.engine.analysis import fold
from antwoord.answers.engine.cues import OWN_CASE

from .questions import QUESTIONS_DIR


def measure() -> dict[str, Any]:
    lines = (QUESTIONS_DIR / "own-case.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    flagged = {"own": 0, "general": 0}
    totals = {"own": 0, "general": 0}
    for item in items:
        totals[item["kind"]] += 1
        flagged[item["kind"]] += bool(OWN_CASE.search(fold(item["question"])))
    return {
        "own_case_recognised": round(flagged["own"] / max(1, totals["own"]), 3),
        "general_flagged": round(flagged["general"] / max(1, totals["general"]), 3),
        "questions": totals,
    }
