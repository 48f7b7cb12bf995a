"""The re-ranker orders BM25's best candidates by how well their titles fit the question."""

from pathlib import Path

import numpy as np
import pytest
from bench.calibrate import CandidateSet, fit_reranker, reranked_accuracy

from antwoord.answers.engine.analysis import stem
from antwoord.answers.engine.decide import Calibration, Engine
from antwoord.answers.engine.index import FORMAT, NATIONAL, SearchIndex
from antwoord.answers.engine.rerank import (
    DEFAULT_WEIGHTS,
    FEATURE_NAMES,
    Asked,
    candidate_features,
    coverage,
)

from .test_engine import KEY, article

# The general text repeats the question's words everywhere; the specific one says in its title what is asked.
DOCUMENTS = [
    article(
        "vac-alles",
        "Identiteitskaart aanvragen, uitlenen, verlengen, kwijt of gestolen: wat moet ik weten?",
        "Een identiteitskaart vraagt u aan bij de gemeente. Uitlenen van een identiteitskaart mag niet. "
        "Een identiteitskaart verlengen kan vanaf 6 maanden voor het einde. Identiteitskaart kwijt: meld het.",
    ),
    article(
        "vac-uitlenen",
        "Is het uitlenen van een identiteitsbewijs of identiteitskaart toegestaan?",
        "Nee, het bewijs is persoonlijk.",
    ),
    article("vac-rijbewijs", "Hoe verleng ik mijn rijbewijs?", "Bij de gemeente of online."),
]
TITLE_MINDED = (1.0, 0.0, 2.0, 6.0, 0.0, 0.0)  # weights over FEATURE_NAMES that favour a fitting title


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(DOCUMENTS)


def ranked(index: SearchIndex, weights: tuple[float, ...], question: str) -> list[str]:
    engine = Engine(index, Calibration(rerank_weights=weights))
    return [a.source_id for a in engine.ranked(question)]


def test_the_default_weights_keep_the_bm25_order(index: SearchIndex) -> None:
    terms = index.query("identiteitskaart uitlenen")
    bm25 = [index.documents[h.doc].payload["source_id"] for h in index.search(terms, [NATIONAL])]
    assert ranked(index, DEFAULT_WEIGHTS, "identiteitskaart uitlenen") == bm25


def test_a_title_that_says_what_was_asked_beats_a_text_that_repeats_the_main_word(index: SearchIndex) -> None:
    question = "mag ik mijn identiteitskaart aan mijn broer uitlenen"
    terms = index.query(question)
    features = {
        index.documents[h.doc].payload["source_id"]: dict(
            zip(
                FEATURE_NAMES,
                candidate_features(index, Asked.of(index, question, terms), h, 1.0),
                strict=True,
            )
        )
        for h in index.search(terms, [NATIONAL])
    }
    general, specific = features["vac-alles"], features["vac-uitlenen"]
    assert specific["question_precision"] > general["question_precision"]
    assert ranked(index, DEFAULT_WEIGHTS, question)[0] == "vac-alles"
    assert ranked(index, TITLE_MINDED, question)[0] == "vac-uitlenen"


def test_a_compound_met_only_by_its_parts_is_no_whole_match() -> None:
    """A text about 'vergunning' and 'evenementen' covers "evenementenvergunning" by its parts, not as a word:
    the difference marks a question about a product the catalogue may not have."""
    index = SearchIndex(
        [
            article("vac-vergunning", "Wanneer heb ik een vergunning nodig?", "Voor evenementen of bouwen."),
            article("vac-evenement", "Hoe vraag ik een evenementenvergunning aan?", "Bij de gemeente."),
        ]
    )
    terms = index.query("evenementenvergunning")
    asked = Asked.of(index, "evenementenvergunning", terms)
    parts = {t.term for t in terms if t.how == "part"}
    whole = {t.term for t in terms if t.how == "exact"}
    assert len(parts) == 2 and len(whole) == 1
    assert coverage(asked, parts) == 1.0
    assert coverage(asked, parts, whole=True) == 0.0
    assert coverage(asked, whole, whole=True) == 1.0


def test_two_words_the_corpus_writes_as_one_are_whole_words_the_person_typed() -> None:
    """The question "rijbewijs verlengen" is read as the corpus's "rijbewijsverlengen"; a text with both words
    covers what the person typed, as whole words."""
    index = SearchIndex(
        [
            article("vac-verlengen", "Wanneer moet ik mijn rijbewijs verlengen?", "Op tijd verlengen."),
            article("url-1", "Rijbewijs", "Zie gemeente.nl/rijbewijsverlengen voor de afspraak."),
            article("url-2", "Afspraak", "Kies rijbewijsverlengen in de lijst."),
        ]
    )
    terms = index.query("rijbewijs verlengen")
    assert {t.how for t in terms} == {"exact", "apart"}
    asked = Asked.of(index, "rijbewijs verlengen", terms)
    typed = {t.term for t in terms if t.how == "apart"}
    assert coverage(asked, typed, whole=True) == 1.0
    assert coverage(asked, {stem("rijbewijs")}, whole=True) == 0.0


def test_the_runner_ups_preference_feeds_the_lead(index: SearchIndex) -> None:
    engine = Engine(index, Calibration(rerank_weights=TITLE_MINDED, threshold=0.0, ambiguity=2.0))
    response = engine.ask("mag ik mijn identiteitskaart uitlenen")
    assert response.answer is not None and response.answer.source_id == "vac-uitlenen"
    assert 0.0 < response.explanation["features"]["lead"] < 1.0


def test_the_fit_learns_which_feature_marks_the_right_candidate() -> None:
    """Synthetic candidate sets: the right candidate has the highest third feature, not the highest score."""
    rng = np.random.default_rng(7)
    sets = []
    for _ in range(60):
        features = rng.uniform(0, 1, size=(5, len(FEATURE_NAMES)))
        right = np.zeros(5)
        right[int(np.argmax(features[:, 2]))] = 1.0
        sets.append(CandidateSet(features, right))
    weights = fit_reranker(sets)
    assert reranked_accuracy(sets, weights) > 0.9 > reranked_accuracy(sets, DEFAULT_WEIGHTS)
    assert max(range(len(weights)), key=lambda i: weights[i]) == 2


def test_an_index_file_of_an_older_format_is_refused(index: SearchIndex, tmp_path: Path) -> None:
    path = tmp_path / "index.pickle"
    index.format = FORMAT - 1
    try:
        index.save(path, KEY)
    finally:
        index.format = FORMAT
    with pytest.raises(TypeError, match="no search index of this version"):
        SearchIndex.load(path, KEY)


def test_a_word_no_text_contains_counts_as_not_covered() -> None:
    """ "beste pizzeria": a text that matches "beste" covers at most the rarer half of the question."""
    index = SearchIndex([article("vac-best", "Wat is de beste manier om te sparen?", "Sparen.")])
    question = "beste pizzeria"
    asked = Asked.of(index, question, index.query(question))
    assert asked.unknown_share == 0.5
    assert coverage(asked, {stem("beste")}) < 0.5
    known = Asked.of(index, "beste manier", index.query("beste manier"))
    assert known.unknown_share == 0.0 and coverage(known, {stem("beste"), stem("manier")}) == 1.0
