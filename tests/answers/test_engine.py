"""The engine core on a small hand-made catalogue: ranking, place, audience and decisions."""

import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from antwoord.answers.engine.decide import MAX_QUESTION_LENGTH, Calibration, Engine
from antwoord.answers.engine.index import NATIONAL, PRODUCTS, SIGNATURE_BYTES, Document, SearchIndex
from antwoord.answers.engine.places import Place

DEN_HAAG = Place(
    "gm0518",
    "Den Haag",
    {
        "gemeente": [("gm0518", "Den Haag")],
        "provincie": [("pv28", "Zuid-Holland")],
        "waterschap": [("ws0372", "Delfland")],
    },
)
ROTTERDAM = Place(
    "gm0599",
    "Rotterdam",
    {"gemeente": [("gm0599", "Rotterdam")], "provincie": [("pv28", "Zuid-Holland")], "waterschap": []},
)


def article(key: str, question: str, body: str, **payload: object) -> Document:
    return Document(
        f"article:{key}",
        "article",
        NATIONAL,
        {"question": question, "body": body},
        payload={"title": question, "source_id": key, **payload},
    )


def offering(key: str, partition: str, title: str, body: str, upl: str = "", **extra: object) -> Document:
    return Document(
        f"offering:{key}",
        "offering",
        partition,
        {"question": title, "body": body},
        payload={
            "title": title,
            "source_id": key,
            "upl_uri": upl,
            "layers": ["gemeente"],
            "organisation": {"code": partition},
        },
        **extra,  # type: ignore[arg-type]
    )


def product(key: str, name: str, layers: list[str], alternatives: str = "", share: float = 0.9) -> Document:
    return Document(
        f"product:{key}",
        "product",
        PRODUCTS,
        {"question": name, "alternatives": alternatives},
        payload={"title": name, "source_id": key, "upl_uri": key, "layers": layers, "local_share": share},
    )


CATALOGUE = [
    article(
        "vac-paspoort-kosten",
        "Wat kost een paspoort?",
        "Een paspoort voor volwassenen kost ongeveer 85 euro.",
    ),
    article(
        "vac-huurtoeslag", "Hoe vraag ik huurtoeslag aan?", "U vraagt huurtoeslag aan bij Dienst Toeslagen."
    ),
    article(
        "vac-woo",
        "Hoe dien ik een Woo-verzoek in?",
        "Stuur uw Woo-verzoek naar de organisatie die de informatie heeft.",
    ),
    article("vac-ondernemer", "Hoe schrijf ik mijn bedrijf in?", "Inschrijven bij de KVK."),
    article(
        "vac-paspoort-buitenland",
        "Paspoort aanvragen in het buitenland",
        "Vraag uw paspoort aan bij een ambassade.",
    ),
    offering(
        "dh-parkeren",
        "gm0518",
        "Parkeervergunning voor bewoners aanvragen",
        "Vraag een parkeervergunning aan in Den Haag.",
        "upl:parkeervergunning",
    ),
    offering(
        "dh-grofvuil",
        "gm0518",
        "Grofvuil laten ophalen",
        "Maak een afspraak om grofvuil te laten ophalen.",
        "upl:grofvuil",
    ),
    offering(
        "rd-parkeren",
        "gm0599",
        "Parkeervergunning bewoners Rotterdam",
        "Rotterdammers vragen een parkeervergunning online aan.",
        "upl:parkeervergunning",
    ),
    product(
        "upl:parkeervergunning",
        "parkeervergunning",
        ["gemeente"],
        "parkeervergunning aanvragen\nparkeervergunning bewoners",
    ),
    product("upl:grofvuil", "afvalinzameling grofvuil", ["gemeente"], "grofvuil laten ophalen"),
    product("upl:toeslag", "huurtoeslag", ["rijk"], share=0.0),
]
KEY = b"this installation's key"
CALIBRATION = Calibration(bias=-4.0, threshold=0.35, ambiguity=0.97)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(SearchIndex(CATALOGUE, {"kliko": ["minicontainer"]}, version="7"), CALIBRATION)


def test_a_national_question_is_answered_with_its_article(engine: Engine) -> None:
    response = engine.ask("wat kost een paspoord")
    assert response.status == "answered" and response.answer is not None
    assert response.answer.source_id == "vac-paspoort-kosten"
    assert "paspoord" in response.answer.matched_terms
    assert {"word": "paspoord", "term": "paspoort", "how": "typo", "weight": 0.8} in response.explanation[
        "terms"
    ]
    assert response.explanation["index_version"] == "7"


def test_a_place_dependent_question_without_place_asks_for_it(engine: Engine) -> None:
    response = engine.ask("parkeervergunning aanvragen")
    assert response.status == "clarify" and response.clarify == {
        "reason": "place",
        "upl_uri": "upl:parkeervergunning",
    }
    assert "postcode" in response.message


def test_many_texts_never_crowd_out_the_product_a_question_is_about() -> None:
    """A large catalogue has many texts that mention a product; the product is searched apart from them, so
    the engine still sees that the answer depends on the place."""
    texts = [
        article(f"vac-{n}", f"Parkeervergunning aanvragen en parkeren, vraag {n}", "Over parkeervergunning.")
        for n in range(30)
    ]
    products = [product("upl:parkeervergunning", "parkeervergunning", ["gemeente"])]
    engine = Engine(SearchIndex(texts + products), replace(CALIBRATION, place_margin=0.25))
    response = engine.ask("parkeervergunning aanvragen")
    assert response.status == "clarify" and response.clarify == {
        "reason": "place",
        "upl_uri": "upl:parkeervergunning",
    }


def test_with_a_place_the_answer_is_that_municipalitys_own_offering(engine: Engine) -> None:
    den_haag = engine.ask("parkeervergunning aanvragen", place=DEN_HAAG)
    rotterdam = engine.ask("parkeervergunning aanvragen", place=ROTTERDAM)
    assert den_haag.answer is not None and den_haag.answer.source_id == "dh-parkeren"
    assert rotterdam.answer is not None and rotterdam.answer.source_id == "rd-parkeren"
    assert all(a.organisation.get("code") != "gm0599" for a in den_haag.alternatives)


def test_a_municipality_without_the_product_hands_over_to_that_municipality(engine: Engine) -> None:
    response = engine.ask("grofvuil laten ophalen", place=ROTTERDAM)
    assert response.status == "handover"
    assert response.handover_to == {"code": "gm0599", "name": "Rotterdam", "layer": "gemeente"}


def test_nothing_relevant_is_a_handover(engine: Engine) -> None:
    response = engine.ask("wanneer wordt mijn zorgverzekering terugbetaald door de verzekeraar")
    assert response.status == "handover" and response.answer is None


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   ",
        "?!?!...",
        "x" * 10_000,
        "<script>alert('x')</script>",
        "\x00\x1b[31mpaspoort\x07",
        "😀🙈",
        "What is the weather in Paris?",
        "Где мой паспорт",
    ],
)
def test_bad_input_gets_a_safe_clear_response(engine: Engine, question: str) -> None:
    response = engine.ask(question)
    assert response.status in ("clarify", "handover", "answered")
    assert response.message or response.answer
    if len(question) > MAX_QUESTION_LENGTH:
        assert response.status == "clarify" and "te lang" in response.message
    if not question.strip(" ?!."):
        assert response.status == "clarify"


def test_audience_shifts_the_ranking_without_hiding_answers() -> None:
    documents = [
        Document(
            "article:a",
            "article",
            NATIONAL,
            {"question": "Subsidie voor zonnepanelen"},
            True,
            False,
            payload={"source_id": "a"},
        ),
        Document(
            "article:b",
            "article",
            NATIONAL,
            {"question": "Subsidie voor zonnepanelen op bedrijfspanden"},
            False,
            True,
            payload={"source_id": "b"},
        ),
    ]
    index = SearchIndex(documents)
    terms = index.query("subsidie zonnepanelen")
    burger = [documents[h.doc].key for h in index.search(terms, [NATIONAL], audience="burger")]
    ondernemer = [index.documents[h.doc].key for h in index.search(terms, [NATIONAL], audience="ondernemer")]
    assert burger[0] == "article:a" and ondernemer[0] == "article:b" and len(ondernemer) == 2


def test_the_index_survives_a_round_trip_to_disk(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "index.pickle"
    engine.index.save(path, KEY)
    loaded = Engine(SearchIndex.load(path, KEY), CALIBRATION)
    assert (
        loaded.ask("rijbewjis paspoord kosten").as_dict() == engine.ask("rijbewjis paspoord kosten").as_dict()
    )


class Planted:
    """What an attacker with write access to var/ would plant: unpickling it creates a file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_only_an_index_file_signed_with_the_installations_key_is_unpickled(
    engine: Engine, tmp_path: Path
) -> None:
    path, marker = tmp_path / "index.pickle", tmp_path / "planted"
    engine.index.save(path, KEY)
    with pytest.raises(TypeError, match="not signed"):
        SearchIndex.load(path, b"another installation's key")
    data = bytearray(path.read_bytes())
    data[-1] ^= 1  # one bit changed in the index itself
    path.write_bytes(bytes(data))
    with pytest.raises(TypeError, match="not signed"):
        SearchIndex.load(path, KEY)
    for signature in (b"", bytes(SIGNATURE_BYTES)):  # unsigned, or a signature made up
        path.write_bytes(signature + pickle.dumps(Planted(marker)))
        with pytest.raises(TypeError, match="not signed"):
            SearchIndex.load(path, KEY)
    assert not marker.exists()


def test_a_national_text_with_local_variants_asks_for_the_place() -> None:
    documents = [
        article("vac-afval", "Wanneer wordt het afval opgehaald?", "Dat verschilt per gemeente.", has_local_variants=True),
        Document("article:dh-afval", "article", "gm0518", {"question": "Wanneer wordt het afval opgehaald in Den Haag?"},
                 payload={"title": "Afval Den Haag", "source_id": "dh-afval", "overrides": "article:vac-afval"}),
        Document("article:dh-bestuur", "article", "gm0518", {"question": "Wie is de burgemeester?"},
                 payload={"title": "Bestuur", "source_id": "dh-bestuur"}),
    ]  # fmt: skip
    engine = Engine(SearchIndex(documents), CALIBRATION)
    assert engine.ask("wanneer wordt het afval opgehaald").clarify == {"reason": "place", "upl_uri": ""}
    local = engine.ask("wanneer wordt het afval opgehaald", place=DEN_HAAG)
    assert local.answer is not None and local.answer.source_id == "dh-afval"
    # A question the text does not answer (it shares only "gemeente") gets no question back about the place.
    unrelated = engine.ask("wie is de burgemeester van de gemeente")
    assert unrelated.status == "handover" and unrelated.clarify is None


def test_an_answer_is_found_by_its_document_key(engine: Engine) -> None:
    answer = engine.answer_for("article:vac-paspoort-kosten")
    assert answer is not None and answer.source_id == "vac-paspoort-kosten" and answer.kind == "article"
    assert engine.answer_for("article:onbekend") is None
