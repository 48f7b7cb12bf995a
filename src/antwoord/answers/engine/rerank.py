"""Re-ranking the best candidates: BM25 finds them, a small learned model orders them.

BM25 alone lets a general text that repeats the question's main word ("Wat is het verschil tussen een
paspoort en een identiteitskaart?") beat the specific one whose title says what was asked ("Mag ik een
identiteitsbewijs uitlenen?"). The model weighs how much of the question a candidate's title covers and how
much of its title the question covers. Its weights are fitted on the development questions with
cross-validation (bench/calibrate.py) and stored in calibration.json.
"""

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from .analysis import STOPWORDS, QueryTerm, words
from .concepts import Vector
from .index import NATIONAL, Hit, SearchIndex

DEPTH = 10  # candidates the model orders; the rest keep their BM25 order behind them
FEATURE_NAMES = (
    "score",  # BM25 score / the best candidate's
    "word_coverage",  # share (by idf) of the typed words the candidate matches
    "title_coverage",  # the same for its official question and alternative phrasings only
    "question_precision",  # share of its official question's terms that the question has
    "local",  # a text of the place's own organisations
    "concept_similarity",  # how close its subject is to the question's (concepts.py)
)
DEFAULT_WEIGHTS = (5.0, 0.0, 0.0, 0.0, 0.0, 0.0)  # BM25 order: for tests and a missing calibration


@dataclass(frozen=True)
class TypedWord:
    """One typed word as `coverage` checks it, prepared once per question (it is checked per candidate)."""

    weight: float  # its rarity and query weight: the idf x weight of its best term
    direct: frozenset[
        str
    ]  # terms that match it alone: its stem, another form, a typo's correction, a synonym
    parts: tuple[str, ...]  # a compound's parts, or the words it was typed as, which match it all together
    written_apart: bool  # the parts are the words the person typed ("rijbewijs verlengen")

    def matched_by(self, present: AbstractSet[str], whole: bool = False) -> bool:
        if not self.direct.isdisjoint(present):
            return True
        return (
            (self.written_apart or not whole) and bool(self.parts) and all(p in present for p in self.parts)
        )


@dataclass(frozen=True)
class Asked:
    """What the question asks, in the shapes the features compare candidates with."""

    groups: dict[str, list[QueryTerm]]  # the query terms per typed word
    terms: frozenset[str]
    concept: Vector
    words: tuple[TypedWord, ...]
    weight: float  # of all typed words together: what coverage divides by, for every candidate alike
    unknown_share: float  # share of the typed words that no text contains

    @staticmethod
    def of(index: SearchIndex, question: str, terms: Sequence[QueryTerm]) -> "Asked":
        groups = word_groups(terms)
        words = tuple(_typed_word(index, word_terms) for word_terms in groups.values())
        typed = typed_words(index, question)
        unknown = len(typed - set(groups))
        # A typed word no text contains weighs as the rarest word: a question about a "pizzeria" is not covered
        # by a text that matches only "beste".
        weight = sum(word.weight for word in words) + unknown * index.unseen_idf or 1.0
        return Asked(
            groups,
            frozenset(t.term for t in terms),
            index.question_concept(terms),
            words,
            weight,
            unknown / len(typed) if typed else 0.0,
        )


def typed_words(index: SearchIndex, question: str) -> set[str]:
    """The content words the person typed (a compound written apart read as one: "rijbewijs verlengen"); a
    place name says where, not what."""
    read, _ = index.analyzer.joined(words(question))
    return {
        w
        for w in read
        if len(w) > 2 and w not in STOPWORDS and not w.isdigit() and w not in index.places.name_words
    }


def _typed_word(index: SearchIndex, word_terms: list[QueryTerm]) -> TypedWord:
    return TypedWord(
        weight=max(index.idf[t.term] * t.weight for t in word_terms),
        direct=frozenset(t.term for t in word_terms if t.how in ("exact", "form", "typo", "synonym")),
        parts=tuple(t.term for t in word_terms if t.how in ("part", "apart")),
        written_apart=any(t.how == "apart" for t in word_terms),
    )


def word_groups(terms: Sequence[QueryTerm]) -> dict[str, list[QueryTerm]]:
    """The query terms per typed word (a word, its compound parts, its synonyms, its typo correction)."""
    groups: dict[str, list[QueryTerm]] = {}
    for term in terms:
        groups.setdefault(term.word, []).append(term)
    return groups


def coverage(asked: Asked, present: AbstractSet[str], *, whole: bool = False) -> float:
    """Share of the typed words, weighed by their rarity and query weight, that the terms in `present` match
    (a place name, weighed down, says little about what is asked). A typed word is matched by its own stem,
    by all parts of the compound, or by one of its synonyms. With `whole`, a compound counts only when it is
    there as one word: "vergunning" alone does not cover "evenementenvergunning"."""
    return sum(word.weight for word in asked.words if word.matched_by(present, whole)) / asked.weight


def candidate_features(index: SearchIndex, asked: Asked, hit: Hit, best_score: float) -> tuple[float, ...]:
    question = index.title_terms(hit.doc, "question")
    return (
        hit.score / best_score,
        coverage(asked, {t.term for t in hit.matched}),
        coverage(asked, index.title_terms(hit.doc)),
        len(question & asked.terms) / len(question) if question else 0.0,
        0.0 if index.documents[hit.doc].partition == NATIONAL else 1.0,
        index.concepts.similarity(asked.concept, hit.doc),
    )


def rerank(index: SearchIndex, asked: Asked, hits: list[Hit], weights: Sequence[float]) -> list[Hit]:
    """The best candidates in the model's order; each gets its `preference` (relative to the first's: 1.0)."""
    if not hits:
        return hits
    best_score = max(h.score for h in hits) or 1.0
    head, tail = hits[:DEPTH], hits[DEPTH:]
    utility = {
        id(h): sum(
            w * x for w, x in zip(weights, candidate_features(index, asked, h, best_score), strict=True)
        )
        for h in head
    }
    head.sort(key=lambda h: -utility[id(h)])
    top = utility[id(head[0])]
    for hit in head:
        hit.preference = math.exp(utility[id(hit)] - top)
    for hit in tail:
        hit.preference = 0.0
    return head + tail
