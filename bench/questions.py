"""The labelled questions (bench/questions/*.jsonl) and how a result is judged against them."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUESTIONS_DIR = Path(__file__).with_name("questions")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    postcode: str
    audience: str
    category: str  # article | offering | clarify | handover
    expected: dict[str, Any]

    @property
    def answerable(self) -> bool:
        return bool(self.expected["status"] == "answered")

    @property
    def correct_ids(self) -> set[str]:
        return {self.expected.get("source_id", ""), *self.expected.get("alternatives", [])} - {""}


def load(split: str) -> list[Question]:
    lines = (QUESTIONS_DIR / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [
        Question(
            d["id"], d["question"], d.get("postcode", ""), d.get("audience", ""), d["category"], d["expected"]
        )
        for d in map(json.loads, filter(None, lines))
    ]


def decision_correct(
    question: Question, status: str, answer_id: str, clarify_reason: str, handover_code: str
) -> bool:
    """Was the engine's decision the labelled one? (The organisation of a handover is judged separately.)"""
    expected = question.expected
    if expected["status"] == "answered":
        return status == "answered" and answer_id in question.correct_ids
    if expected["status"] == "clarify":
        return status == "clarify" and clarify_reason == expected.get("reason", "place")
    return status == "handover"


def rank_metrics(question: Question, ranked_ids: list[str]) -> tuple[float, float, float]:
    """accuracy@1, recall@5, reciprocal rank within 10."""
    correct = question.correct_ids
    first = next((i for i, doc in enumerate(ranked_ids[:10]) if doc in correct), None)
    return (
        1.0 if first == 0 else 0.0,
        1.0 if first is not None and first < 5 else 0.0,
        1.0 / (first + 1) if first is not None else 0.0,
    )
