"""A place named in the question: "parkeervergunning aanvragen in rotterdam" needs no postcode."""

from pathlib import Path

import pytest

from antwoord.answers.engine.decide import Engine
from antwoord.answers.engine.index import NATIONAL, Document, SearchIndex
from antwoord.answers.engine.places import Place, PlaceNames

from .test_engine import CALIBRATION, CATALOGUE, DEN_HAAG, KEY, ROTTERDAM, article, offering

BUREN = Place("gm0214", "Buren", {"gemeente": [("gm0214", "Buren")], "provincie": [], "waterschap": []})
UTRECHT = Place("gm0344", "Utrecht", {"gemeente": [("gm0344", "Utrecht")], "provincie": [], "waterschap": []})
NAMES = [
    ("Den Haag", DEN_HAAG),
    ("'s-Gravenhage", DEN_HAAG),
    ("Loosduinen", DEN_HAAG),  # a former municipality, part of Den Haag today
    ("Rotterdam", ROTTERDAM),
    ("Buren", BUREN),
    ("Utrecht", UTRECHT),
]
# Texts that write "buren" as a word (neighbours), and others that write place names only in addresses.
TEXTS = [
    ["Overlast van uw buren? Praat eerst met de buren zelf."],
    ["Bij een verbouwing informeert u de buren."],
    ["Buren die klagen over geluid: bel de wijkagent. Uw buren hebben ook rechten."],
    ["Mail ons via info@rotterdam.nl of kijk op www.rotterdam.nl/parkeren"],
    ["Zie rotterdam.nl en rotterdam.nl/afval, ook http://www.rotterdam.nl"],
    ["Kijk op https://rotterdam.nl/paspoort."],
    ["Rotterdam en Den Haag werken samen."],
]
VOCABULARY = {"buren": 3, "rotterdam": 4}


@pytest.fixture(scope="module")
def names() -> PlaceNames:
    return PlaceNames(NAMES, TEXTS, VOCABULARY)


@pytest.mark.parametrize(
    ("question", "code", "named"),
    [
        ("parkeervergunning aanvragen in Rotterdam", "gm0599", "Rotterdam"),
        ("parkeervergunning rotterdam", "gm0599", "Rotterdam"),
        ("grofvuil den haag", "gm0518", "Den Haag"),
        ("grofvuil laten ophalen 's-Gravenhage", "gm0518", "'s-Gravenhage"),
        ("s-gravenhage grofvuil", "gm0518", "'s-Gravenhage"),
        ("ik woon in loosduinen, hoe krijg ik een parkeervergunning", "gm0518", "Loosduinen"),
        ("ik woon in buren en wil een parkeervergunning", "gm0214", "Buren"),
        ("bij de gemeente Buren een vergunning aanvragen", "gm0214", "Buren"),
        ("grofvuil in Den Haag en nog eens in den haag", "gm0518", "Den Haag"),
    ],
)
def test_a_municipality_named_in_the_question_is_the_place(
    names: PlaceNames, question: str, code: str, named: str
) -> None:
    found = names.named_in(question)
    assert found is not None and found.place.municipality_code == code and found.name == named


@pytest.mark.parametrize(
    "question",
    [
        "mijn buren maken veel lawaai",  # an everyday word: only "gemeente buren" or "ik woon in buren"
        "overlast van de buren in buren",
        "subsidie van de provincie Utrecht",  # the province, not the municipality
        "verhuizen van rotterdam naar den haag",  # two places: which one is meant is unclear
        "parkeervergunning aanvragen",
        "rotterdammer zoekt parkeervergunning",  # a longer word is not the name
        "",
    ],
)
def test_no_place_when_the_name_is_a_word_a_province_or_one_of_two(names: PlaceNames, question: str) -> None:
    assert names.named_in(question) is None


def test_everyday_words_are_learnt_from_the_texts_not_from_addresses(names: PlaceNames) -> None:
    """'buren' is written in lower case in three texts; 'rotterdam' in lower case only in web addresses."""
    assert names.everyday == {("buren",)}


def test_names_typed_in_lower_case_as_search_phrasings_are_no_everyday_words() -> None:
    """Editors type keywords and alternative phrasings as people search: "parkeervergunning rotterdam"."""
    phrasings = [
        Document(
            f"article:{n}",
            "article",
            NATIONAL,
            {"question": "Parkeren", "alternatives": "parkeren rotterdam", "keywords": "rotterdam parkeren"},
        )
        for n in range(5)
    ]
    index = SearchIndex(phrasings, place_names=NAMES)
    assert index.places.everyday == frozenset()
    named = index.places.named_in("parkeren rotterdam")
    assert named is not None and named.place == ROTTERDAM


def test_a_name_two_municipalities_share_names_neither() -> None:
    bergen = [("Bergen", DEN_HAAG), ("Bergen", ROTTERDAM), ("Rotterdam", ROTTERDAM)]
    shared = PlaceNames(bergen, [], {})
    assert shared.named_in("paspoort bergen") is None
    rotterdam = shared.named_in("paspoort rotterdam")
    assert rotterdam is not None and rotterdam.place == ROTTERDAM


NEIGHBOURS = [
    article(f"vac-buren-{n}", f"Overlast van buren, deel {n}", "Praat eerst met uw buren.") for n in range(3)
]
MARKET = offering("dh-markt", "gm0518", "Weekmarkt Loosduinen", "De markt in Loosduinen is op donderdag.")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(SearchIndex([*CATALOGUE, *NEIGHBOURS, MARKET], version="7", place_names=NAMES), CALIBRATION)


def test_the_engine_answers_for_the_place_the_question_names(engine: Engine) -> None:
    rotterdam = engine.ask("parkeervergunning aanvragen in rotterdam")
    den_haag = engine.ask("ik woon in loosduinen, hoe vraag ik een parkeervergunning aan")
    assert rotterdam.status == "answered" and rotterdam.answer is not None
    assert rotterdam.answer.source_id == "rd-parkeren"
    assert rotterdam.place == {"municipality": "Rotterdam", "code": "gm0599", "named": "Rotterdam"}
    assert den_haag.answer is not None and den_haag.answer.source_id == "dh-parkeren"
    assert den_haag.place == {"municipality": "Den Haag", "code": "gm0518", "named": "Loosduinen"}
    assert engine.ranked("parkeervergunning den haag")[0].source_id == "dh-parkeren"


def test_the_name_the_question_used_counts_for_where_not_what(engine: Engine) -> None:
    """'Loosduinen' is no word of Den Haag's name, yet it says only where, as 'den haag' does."""
    response = engine.ask("ik woon in loosduinen, hoe vraag ik een parkeervergunning aan")
    weights = {t["word"]: t["weight"] for t in response.explanation["terms"]}
    assert weights["loosduinen"] == pytest.approx(0.2 * weights["parkeervergunning"], abs=0.01)
    assert response.answer is not None and response.answer.source_id == "dh-parkeren"


def test_a_place_name_no_text_contains_is_no_unknown_word(engine: Engine) -> None:
    """No text contains 'Utrecht': the name says where, so it does not make the question less covered by a
    text, as a word no text contains does (it weighs as the rarest word)."""
    named, _ = engine.candidates("grofvuil laten ophalen in utrecht")
    unnamed, _ = engine.candidates("grofvuil laten ophalen")
    assert named.unknown_share == 0.0 and named.weight == pytest.approx(unnamed.weight)


def test_a_two_word_name_the_texts_write_as_one_says_where_not_what() -> None:
    """Den Haag's pages write 'denhaag.nl', so the analysis joins 'den haag' into one term; that term says only
    where, or a page that mentions Den Haag often outranks the one about the question's topic."""
    costs = offering(
        "dh-kosten",
        "gm0518",
        "Wat kost een paspoort in Den Haag?",
        "In Den Haag betaalt u 87 euro. Kijk op denhaag.nl/paspoort of mail naar info@denhaag.nl.",
    )
    applying = offering(
        "dh-paspoort", "gm0518", "Paspoort aanvragen", "U vraagt uw paspoort aan bij de balie."
    )
    more = [offering(f"dh-{n}", "gm0518", f"Afval {n}", "Meld het op denhaag.nl.") for n in range(3)]
    engine = Engine(SearchIndex([costs, applying, *more], place_names=NAMES), CALIBRATION)
    response = engine.ask("paspoort aanvragen in den haag")
    den_haag = [t["weight"] for t in response.explanation["terms"] if t["word"] == "denhaag"]
    assert den_haag and max(den_haag) <= 0.2
    assert response.answer is not None and response.answer.source_id == "dh-paspoort"


def test_a_given_place_wins_over_a_named_one(engine: Engine) -> None:
    """The postcode the resident gave says where they live; a name in the question may be anything."""
    response = engine.ask("parkeervergunning aanvragen in rotterdam", place=DEN_HAAG)
    assert response.answer is not None and response.answer.source_id == "dh-parkeren"
    assert response.place == {"municipality": "Den Haag", "code": "gm0518"}


def test_an_everyday_word_in_the_question_leaves_the_place_open(engine: Engine) -> None:
    response = engine.ask("parkeervergunning aanvragen voor bezoek van de buren")
    assert response.place is None and response.status == "clarify" and response.clarify is not None
    assert response.clarify["reason"] == "place"


def test_the_place_names_travel_with_the_saved_index(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "index.pickle"
    engine.index.save(path, KEY)
    loaded = Engine(SearchIndex.load(path, KEY), CALIBRATION)
    response = loaded.ask("parkeervergunning aanvragen in rotterdam")
    assert response.answer is not None and response.answer.source_id == "rd-parkeren"
