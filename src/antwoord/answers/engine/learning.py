"""Learning from use: residents' "was this helpful?" and the answers agents pick nudge the ranking for
similar questions afterwards.

Guarded against poisoning: a vote counts once per voter, nothing changes before several distinct voters
agree, a nudge is bounded, it only reorders answers that already match the question, and every vote can be
withdrawn (the boosts are recomputed from the votes that stand).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .analysis import QueryTerm

MIN_VOTERS = 3  # distinct voters before a document's ranking for a question moves at all
STEP = 0.05  # boost per net vote
MAX_BOOST = 0.3  # a nudge never changes a score by more than 30%
MIN_SIMILARITY = 0.5  # share of key terms two questions must have in common
AGENT_WEIGHT = 2  # an agent's deliberate pick counts double


@dataclass(frozen=True)
class Vote:
    signature: str  # the question's key terms, sorted, space-separated
    document_key: str
    voter: str
    helpful: bool
    by_agent: bool = False


def signature(terms: Iterable[QueryTerm]) -> str:
    """Key terms of a question (what the person typed, stemmed; not the expansions)."""
    return " ".join(sorted({t.term for t in terms if t.how in ("exact", "form", "typo")}))


def similarity(a: str, b: str) -> float:
    first, second = set(a.split()), set(b.split())
    return len(first & second) / len(first | second) if first and second else 0.0


def boosts(question_signature: str, votes: Iterable[Vote]) -> dict[str, float]:
    """document key -> score multiplier minus one, from the votes on similar questions."""
    per_document: dict[str, dict[str, int]] = defaultdict(dict)
    weight_of: dict[str, float] = {}
    for vote in votes:
        weight = similarity(question_signature, vote.signature)
        if weight < MIN_SIMILARITY:
            continue
        value = (AGENT_WEIGHT if vote.by_agent else 1) * (1 if vote.helpful else -1)
        per_document[vote.document_key][vote.voter] = value  # one vote per voter: the last one counts
        weight_of[vote.document_key] = max(weight_of.get(vote.document_key, 0.0), weight)
    result = {}
    for key, by_voter in per_document.items():
        if len(by_voter) >= MIN_VOTERS:
            nudge = STEP * sum(by_voter.values()) * weight_of[key]
            result[key] = max(-MAX_BOOST, min(MAX_BOOST, nudge))
    return result
