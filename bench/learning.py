"""Does learning from use help? Agents pick the right answer for dev questions the engine ranked 2nd-5th;
then both splits are ranked again with the resulting nudges. Also: one voter's spam must change nothing."""

from collections.abc import Callable
from typing import Any

from antwoord.answers.engine.decide import Engine
from antwoord.answers.engine.learning import Vote, signature
from antwoord.answers.engine.places import Place

from .questions import Question, rank_metrics

AGENTS = ("agent-1", "agent-2", "agent-3")


def top1(
    engine: Engine, questions: list[Question], place_of: Callable[[str], Place | None], votes: list[Vote]
) -> float:
    right = 0.0
    for question in questions:
        if not question.answerable:
            continue
        response = engine.ask(
            question.text, place=place_of(question.postcode), votes=votes, audience=question.audience
        )
        ranked = [a.source_id for a in ([response.answer] if response.answer else []) + response.alternatives]
        right += rank_metrics(question, ranked)[0]
    return round(right / max(1, sum(q.answerable for q in questions)), 4)


def measure(
    engine: Engine, questions: dict[str, list[Question]], place_of: Callable[[str], Place | None]
) -> dict[str, Any]:
    key_of = {d.payload.get("source_id"): d.key for d in engine.index.documents}
    votes = []
    for question in questions["dev"]:
        if not question.answerable:
            continue
        ranked = engine.ranked(question.text, place=place_of(question.postcode), audience=question.audience)
        ids = [a.source_id for a in ranked[:5]]
        hit = next((i for i in ids if i in question.correct_ids), None)
        if hit is not None and ids[0] != hit:
            votes += [
                Vote(signature(engine.index.query(question.text)), key_of[hit], a, True, True) for a in AGENTS
            ]
    spam = [Vote(v.signature, v.document_key, "one-spammer", False) for v in votes] * 10
    return {
        "agent_votes": len(votes),
        "dev_top1_before": top1(engine, questions["dev"], place_of, []),
        "dev_top1_after": top1(engine, questions["dev"], place_of, votes),
        "test_top1_before": top1(engine, questions["test"], place_of, []),
        "test_top1_after": top1(engine, questions["test"], place_of, votes),
        "test_top1_after_one_spammer": top1(engine, questions["test"], place_of, votes + spam),
    }
