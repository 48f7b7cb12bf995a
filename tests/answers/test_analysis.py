"""Dutch analysis: the same words in documents and questions meet each other."""

import pytest

from antwoord.answers.engine.analysis import Analyzer, fold, osa_distance, stem, words

VOCABULARY = {
    "parkeren": 5, "vergunning": 10, "afval": 3, "container": 4, "paspoort": 20, "rijbewijs": 9,
    "huur": 3, "toeslag": 8, "kinderopvang": 2, "opvang": 3, "gemeente": 30, "belasting": 9,
    "subsidie": 4, "minicontainer": 2, "identiteitskaart": 6, "woz": 3, "idkaart": 4, "minimumloon": 3,
}  # fmt: skip
SYNONYMS = {"kliko": ["minicontainer"], "huursubsidie": ["huurtoeslag"], "id-kaart": ["identiteitskaart"]}


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(VOCABULARY, SYNONYMS)


def test_normalisation_keeps_codes_and_numbers() -> None:
    assert words("WOZ-beschikking 2026, BSN en postcode 3511!") == [
        "wozbeschikking", "woz", "beschikking", "2026", "bsn", "en", "postcode", "3511",
    ]  # fmt: skip
    assert fold("Één café in Fryslân") == "een cafe in fryslan"


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("parkeervergunning", ["parkeren", "vergunning"]),  # a verb stem as first part: its infinitive
        ("afvalcontainer", ["afval", "container"]),
        ("kinderopvangtoeslag", ["kinderopvang", "toeslag"]),
        ("gemeentebelasting", ["gemeente", "belasting"]),
        ("paspoort", []),
        ("aanvragen", []),
    ],
)
def test_compounds_keep_the_whole_word_and_add_the_parts(
    analyzer: Analyzer, compound: str, parts: list[str]
) -> None:
    assert analyzer.compound_parts(compound) == parts
    if parts:
        terms = analyzer.document_terms(compound)
        assert terms[0] == stem(compound) and {stem(p) for p in parts} <= set(terms)


def test_a_split_needs_common_words_on_both_sides() -> None:
    """An ending is no part (vergun|ning), and a garbled word of a scraped page (hondenbel|asting, in two
    documents) loses to the split into common words."""
    analyzer = Analyzer(
        {"vergunning": 50, "ning": 8, "honden": 20, "belasting": 40, "hondenbel": 2, "asting": 2}
    )
    assert analyzer.compound_parts("vergunning") == []
    assert analyzer.compound_parts("hondenbelasting") == ["honden", "belasting"]


def test_a_fragment_of_a_broken_page_does_not_split_a_common_word() -> None:
    """One scraped page broke "geboorte" and "belasting" in two, so "gebo", "orte", "belas" and "ting" are in
    the vocabulary; a word used far more often than such parts stays whole. Of two heads the common one wins."""
    analyzer = Analyzer(
        {"geboorte": 900, "gebo": 1, "orte": 1, "belasting": 400, "belas": 1, "ting": 2, "honden": 150,
         "waterschap": 130, "waterschaps": 1}
    )  # fmt: skip
    assert analyzer.compound_parts("geboorte") == []
    assert analyzer.compound_parts("belasting") == []
    assert analyzer.compound_parts("hondenbelasting") == ["honden", "belasting"]
    assert analyzer.compound_parts("waterschapsbelasting") == ["waterschap", "belasting"]


def test_plural_and_spelling_alternations_share_a_stem() -> None:
    assert stem("rijbewijzen") == stem("rijbewijs")
    assert stem("parkeervergunningen") == stem("parkeervergunning")
    assert stem("toeslagen") == stem("toeslag")
    assert stem("klussenbussen") == stem("klussenbus")  # a doubled consonant is undone
    assert stem("zwemmen") == stem("zwem")


@pytest.mark.parametrize(
    ("diminutive", "noun"),
    [("moestuintje", "moestuin"), ("volkstuintjes", "volkstuin"), ("huisje", "huis"), ("boompje", "boom")],
)
def test_a_diminutive_shares_the_stem_of_its_noun(diminutive: str, noun: str) -> None:
    assert stem(diminutive) == stem(noun)
    assert stem("balletje") == stem("bal")  # -etje after a doubled consonant


@pytest.mark.parametrize(
    ("form", "verb"),
    [
        ("mishandeld", "mishandeling"),  # no infinitive in the corpus: the stem of its noun
        ("aangevraagd", "aanvragen"),  # a separable particle before ge-
        ("gestopt", "stoppen"),  # a doubled consonant in the infinitive
        ("verhuisd", "verhuizen"),  # s/z
        ("gebruikt", "gebruiken"),  # ge- belongs to the verb itself
    ],
)
def test_a_rare_participle_also_looks_for_its_verb(form: str, verb: str) -> None:
    analyzer = Analyzer(
        {form: 3, verb: 20, "stoppen": 20, "stopen": 0, "bruiken": 0, "gebruik": 5, "mishandeling": 4}
    )
    forms = {t.term: t for t in analyzer.query_terms(f"{form} wat nu")}
    assert forms[stem(verb)].how == "form" and forms[stem(verb)].word == form
    assert forms[stem(form)].how == "exact"  # the participle itself still counts most


def test_a_common_participle_is_a_word_of_its_own() -> None:
    """gezond is no form of "zonden"; a word this common in the catalogue is left as it is."""
    analyzer = Analyzer({"gezond": 500, "zonden": 30, "zond": 2})
    assert analyzer.verb_form("gezond") is None
    assert analyzer.verb_form("gemeente") is None  # no d/t at the end


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("paspoord", "paspoort"),
        ("rijbewjis", "rijbewijs"),
        ("vergunnig", "vergunning"),
        ("paspord", "paspoort"),  # a double letter written single and a d for a t: two edits
        ("rijbewijss", "rijbewijs"),
    ],
)
def test_typos_are_corrected_to_corpus_words(analyzer: Analyzer, typed: str, meant: str) -> None:
    terms = analyzer.query_terms(f"{typed} aanvragen")
    found = [t for t in terms if t.term == stem(meant)]
    assert found and found[0].word == typed


def test_unknown_words_far_from_the_vocabulary_stay_as_they_are(analyzer: Analyzer) -> None:
    assert analyzer.correct("xyzzyplop") is None
    assert analyzer.correct("paspoort") is None


def test_synonyms_expand_queries_both_for_words_and_hyphenated_forms(analyzer: Analyzer) -> None:
    kliko = {t.term: t.how for t in analyzer.query_terms("kliko kapot")}
    assert kliko.get(stem("minicontainer")) == "synonym"
    assert {t.term for t in analyzer.query_terms("ID-kaart kwijt")} >= {stem("identiteitskaart")}
    assert stem("huurtoeslag") in {t.term for t in analyzer.query_terms("huursubsidie")}


def test_a_word_the_synonyms_table_knows_is_not_read_as_a_typo() -> None:
    """No text writes "baas", one writes "baan": "mijn baas betaalt niet" is about the employer."""
    analyzer = Analyzer({"baan": 4, "werkgever": 9}, {"baas": ["werkgever"]})
    terms = {t.term: t.how for t in analyzer.query_terms("mijn baas betaalt niet")}
    assert terms.get(stem("werkgever")) == "synonym" and stem("baan") not in terms


def test_a_compound_written_as_two_words_is_joined_when_the_corpus_uses_it(analyzer: Analyzer) -> None:
    terms = {t.term: t for t in analyzer.query_terms("kan ik met mijn id kaart naar het buitenland")}
    assert terms[stem("idkaart")].how == "exact"
    # "kaart" is one of the words the person typed, not a fragment found inside a longer word.
    assert terms[stem("kaart")].how == "apart" and terms[stem("kaart")].word == "idkaart"
    assert terms[stem("identiteitskaart")].how == "synonym"
    loon = {t.term: t for t in analyzer.query_terms("minimum loon 18 jaar")}
    assert loon[stem("minimumloon")].weight == 1.0 and loon[stem("loon")].how == "apart"
    assert {t.how for t in analyzer.query_terms("parkeervergunning")} == {"exact", "part"}
    # Numbers and words the corpus never writes together stay apart.
    assert {t.word for t in analyzer.query_terms("afval container 2026")} == {"afval", "container", "2026"}


def test_stopwords_are_dropped_from_spoken_questions(analyzer: Analyzer) -> None:
    terms = [
        t.word
        for t in analyzer.query_terms("Ja hallo, ik wil eh graag weten hoe ik mijn paspoort kan aanvragen")
    ]
    assert terms == ["paspoort", "aanvragen"]


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert osa_distance("rijbewjis", "rijbewijs", 2) == 1
    assert osa_distance("paspoord", "paspoort", 2) == 1
    assert osa_distance("kat", "hond", 2) == 3
