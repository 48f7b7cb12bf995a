"""Concepts: words that keep the same company in the catalogue bring a question close to a text that uses
other words for the same subject."""

from antwoord.answers.engine.index import SearchIndex

from .test_engine import article

DOCUMENTS = [
    article("vogels-1", "Overlast van kraaien en roeken", "Kraaien en roeken in bomen maken lawaai."),
    article(
        "vogels-2", "Roeken in de stad", "Roeken broeden in kolonies. Roeken maken lawaai in de ochtend."
    ),
    article("vogels-3", "Kraaien bij de vuilniszakken", "Kraaien pikken vuilniszakken open."),
    article("afval-1", "Wanneer wordt het afval opgehaald?", "Het afval wordt op dinsdag opgehaald."),
    article("afval-2", "Grofvuil laten ophalen", "Grofvuil wordt op afspraak opgehaald."),
    article("paspoort", "Hoe vraag ik een paspoort aan?", "Een paspoort vraagt u aan bij de gemeente."),
]


def similarity(index: SearchIndex, question: str, key: str) -> float:
    doc = next(i for i, d in enumerate(index.documents) if d.payload["source_id"] == key)
    return index.concepts.similarity(index.question_concept(index.query(question)), doc)


def test_a_text_about_the_subject_is_close_even_without_the_questions_word() -> None:
    index = SearchIndex(DOCUMENTS)
    # "roeken in de stad" never says "kraaien", but kraaien and roeken keep the same company
    assert (
        similarity(index, "kraaien lawaai", "vogels-2") > similarity(index, "kraaien lawaai", "afval-1") + 0.3
    )
    assert (
        similarity(index, "kraaien lawaai", "vogels-2")
        > similarity(index, "kraaien lawaai", "paspoort") + 0.3
    )


def test_the_same_catalogue_gives_the_same_concepts() -> None:
    first, second = SearchIndex(DOCUMENTS), SearchIndex(DOCUMENTS)
    assert (first.concepts.documents == second.concepts.documents).all()


def test_a_catalogue_of_one_text_has_no_concepts_and_no_error() -> None:
    index = SearchIndex(DOCUMENTS[:1])
    assert similarity(index, "kraaien", "vogels-1") == 0.0
