"""The engine behind every channel: Python API, CLI and HTTP, on the demo catalogue."""

import json
import pickle
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from antwoord.answers import services
from antwoord.answers.models import Synonym
from antwoord.catalogue.models import Article, Status
from antwoord.demo.loader import load_demo
from antwoord.organisations.models import Organisation, PlaceName

from .test_engine import Planted

PASSPORT = "http://standaarden.overheid.nl/owms/terms/paspoort"


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.mark.django_db
def test_place_decides_between_municipal_offerings(demo: None) -> None:
    den_haag = services.ask("parkeervergunning aanvragen", postcode="2511")
    assert den_haag.status == "answered" and den_haag.answer is not None
    assert den_haag.answer.kind == "offering" and den_haag.answer.organisation["code"] == "gm0518"
    assert den_haag.place == {"municipality": "Den Haag", "code": "gm0518"}

    nowhere = services.ask("parkeervergunning aanvragen")
    assert (
        nowhere.status == "clarify" and nowhere.clarify is not None and nowhere.clarify["reason"] == "place"
    )


@pytest.mark.django_db
def test_a_passport_is_the_municipalitys_unless_the_resident_lives_abroad(demo: None) -> None:
    """The national offering for those abroad is not the answer to a bare "paspoort" (the first question many
    type), and a passport cannot be extended: the place's own offering says so."""
    for question in ("paspoort", "paspoort aanvragen", "paspoort verlengen"):
        asked_back = services.ask(question)
        assert asked_back.clarify == {"reason": "place", "upl_uri": PASSPORT}, question
        groningen = services.ask(question, postcode="9711")
        assert groningen.answer is not None and groningen.answer.kind == "offering", question
        assert groningen.answer.organisation["code"] == "gm0014" and groningen.answer.upl_uri == PASSPORT
    abroad = services.ask("paspoort aanvragen buitenland")
    assert abroad.answer is not None and abroad.answer.title.endswith("in het buitenland woont")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("question", "postcode", "status", "title"),
    [
        ("overlast van de buren", "", "answered", "Wat kan ik doen bij overlast van mijn buren?"),
        (
            "iemand is overleden wat moet ik regelen",
            "",
            "answered",
            "Wat moet ik regelen als iemand overleden is?",
        ),
        ("rijbewijs kwijt", "", "answered", "Wat moet ik doen als mijn rijbewijs kwijt of gestolen is?"),
        ("ik heb mijn baan verloren", "", "answered", "Hoe vraag ik een WW-uitkering aan?"),
        ("kapotte lantaarnpaal melden", "", "clarify", ""),
        ("kapotte lantaarnpaal melden", "3511", "answered", "Kapotte straatverlichting melden"),
        ("straatlamp doet het niet", "3511", "answered", "Kapotte straatverlichting melden"),
        ("digid kwijt", "", "answered", "Hoe vraag ik DigiD aan en wat doe ik als ik mijn DigiD kwijt ben?"),
        ("geregistreerd partnerschap", "9711", "answered", "Trouwen of geregistreerd partnerschap"),
        # Only a municipal article (no offering) speaks of it: known through the product, so the place is asked.
        ("kliko gestolen", "", "clarify", ""),
        ("kliko gestolen", "9711", "answered", "Mijn minicontainer is kapot of gestolen. Wat nu?"),
        # ... and by how it is asked (an alternative phrasing of Den Haag's article on dog tax).
        ("hond aanmelden", "", "clarify", ""),
        ("hond aanmelden", "2511", "answered", "Moet ik hondenbelasting betalen in Den Haag?"),
        # Taxes, civil affairs and waste collection: each demo municipality has its own offering.
        ("ozb", "", "clarify", ""),
        ("ozb", "2511", "answered", "Onroerendezaakbelasting (ozb)"),
        ("onroerendezaakbelasting", "1012", "answered", "Onroerendezaakbelasting (ozb)"),
        ("geboorteaangifte", "5611", "answered", "Geboorte aangeven"),
        ("uittreksel BRP", "2511", "answered", "Uittreksel BRP aanvragen"),
        ("wat kost een uittreksel BRP", "2511", "answered", "Uittreksel BRP aanvragen"),
        ("afvalkalender", "", "clarify", ""),
        (
            "afvalkalender",
            "9711",
            "answered",
            "Afvalkalender en ophaaldagen: wanneer wordt uw afval opgehaald?",
        ),
        (
            "wanneer wordt mijn afval opgehaald",  # the schedule, not the person's own case
            "9711",
            "answered",
            "Afvalkalender en ophaaldagen: wanneer wordt uw afval opgehaald?",
        ),
        (
            "wanneer wordt het afval opgehaald",
            "9711",
            "answered",
            "Afvalkalender en ophaaldagen: wanneer wordt uw afval opgehaald?",
        ),
        # Who cannot pay learns of remission, not of the property tax (both are municipal taxes).
        (
            "gemeentebelasting kan niet betalen",
            "2511",
            "answered",
            "Kan ik kwijtschelding krijgen voor gemeentelijke belastingen?",
        ),
        # Not the BRP extract, whose alternatives speak of a rental home too.
        ("sociale huurwoning aanvragen", "", "answered", "Hoe kom ik aan een sociale huurwoning?"),
    ],
)
def test_the_demo_answers_questions_people_often_ask_first(
    demo: None, question: str, postcode: str, status: str, title: str
) -> None:
    response = services.ask(question, postcode=postcode)
    assert response.status == status
    assert (response.answer.title if response.answer else "") == title


@pytest.mark.django_db
def test_a_place_named_in_the_question_or_added_by_an_administrator_is_used(
    demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "CHECK_INTERVAL_SECONDS", 0.0)
    named = services.ask("parkeervergunning aanvragen in Den Haag")
    assert named.status == "answered" and named.answer is not None
    assert named.answer.organisation["code"] == "gm0518"
    assert named.place == {"municipality": "Den Haag", "code": "gm0518", "named": "Den Haag"}

    assert services.ask("parkeervergunning scheveningen").place is None
    PlaceName.objects.create(name="Scheveningen", municipality=Organisation.objects.get(code="gm0518"))
    village = services.ask("parkeervergunning scheveningen")
    assert village.answer is not None and village.answer.organisation["code"] == "gm0518"
    assert village.place is not None and village.place["named"] == "Scheveningen"
    asked_back = services.ask("parkeervergunning aanvragen", municipality="scheveningen")
    assert asked_back.answer is not None and asked_back.answer.organisation["code"] == "gm0518"
    assert asked_back.place == {"municipality": "Den Haag", "code": "gm0518", "named": "Scheveningen"}
    by_own_name = services.ask("parkeervergunning aanvragen", municipality="den haag")
    assert by_own_name.place == {"municipality": "Den Haag", "code": "gm0518"}


@pytest.mark.django_db
def test_naming_the_place_answers_as_the_postcode_does(demo: None) -> None:
    """Den Haag's demo pages write 'den haag' and 'denhaag.nl' often; the name says where, not what."""
    engine = services.current_engine()
    with_postcode = engine.ranked("paspoort aanvragen", place=services.resolve_place("2511"))
    named = engine.ranked("paspoort aanvragen in den haag")
    assert (
        with_postcode[0].title == "Paspoort aanvragen" and with_postcode[0].organisation["code"] == "gm0518"
    )
    assert named[0].key == with_postcode[0].key


@pytest.mark.django_db
def test_an_unknown_or_malformed_postcode_asks_for_the_place_again(demo: None) -> None:
    for postcode, fragment in (("12", "geen geldige postcode"), ("9999", "9999")):
        response = services.ask("paspoort aanvragen", postcode=postcode)
        assert response.status == "clarify" and fragment in response.message


@pytest.mark.django_db
def test_a_content_change_is_visible_without_a_restart(demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "CHECK_INTERVAL_SECONDS", 0.0)
    question = "Mag ik een eenhoorn houden in mijn achtertuin?"
    assert services.ask(question).status != "answered"
    owner = Organisation.objects.get(code="rijksoverheid")
    Article.objects.create(
        owner=owner, question=question, answer="Nee, een eenhoorn is een fabeldier.", status=Status.PUBLISHED
    )
    response = services.ask("eenhoorn houden achtertuin")
    assert response.status == "answered" and response.answer is not None and response.answer.title == question


@pytest.mark.django_db
def test_an_index_file_written_by_someone_else_is_rebuilt_not_read(demo: None, tmp_path: Path) -> None:
    """Whoever can write var/ but lacks the SECRET_KEY cannot make a process unpickle a file of theirs."""
    services.forget_loaded_engine()
    services.ask("paspoort")  # builds and publishes the index
    marker = tmp_path / "planted"
    planted = pickle.dumps(Planted(marker))  # what an older ANTWOORD would have unpickled
    services.index_path().write_bytes(planted)
    services.forget_loaded_engine()
    assert services.ask("paspoort aanvragen").status in ("answered", "clarify")
    assert not marker.exists() and services.index_path().read_bytes() != planted


@pytest.mark.django_db
def test_a_new_synonym_works_after_the_next_rebuild(demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "CHECK_INTERVAL_SECONDS", 0.0)
    before = {t["term"] for t in services.ask("stempas kwijt").explanation.get("terms", [])}
    Synonym.objects.create(term="stempas", synonyms=["paspoort"], both_ways=False)
    after = {t["term"] for t in services.ask("stempas kwijt").explanation["terms"]}
    assert "paspoort" in after - before


@pytest.mark.django_db
def test_everyday_words_reach_the_official_ones_out_of_the_box(demo: None) -> None:
    """The synonyms table ships with everyday words (migrations 0004, 0006) and country names (0005)."""
    terms = {t["term"]: t["how"] for t in services.ask("mijn baas betaalt niet").explanation["terms"]}
    assert terms.get("werkgever") == "synonym"
    assert Synonym.objects.get(term="huisbaas").synonyms == ["verhuurder"]
    # Migration 0005: a country named is "abroad" in the national texts.
    terms = {t["term"]: t["how"] for t in services.ask("trouwen in turkije").explanation["terms"]}
    assert terms.get("buitenland") == "synonym"
    terms = {t["term"]: t["how"] for t in services.ask("straatlamp doet het niet").explanation["terms"]}
    assert terms.get("straatverlicht") == "synonym"


@pytest.mark.django_db
def test_cli_ask_prints_the_documented_json(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("ask", "parkeervergunning aanvragen", "--postcode", "2511", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "answered" and 0 <= result["confidence"] <= 1
    answer = result["answer"]
    assert {"kind", "source_id", "upl_uri", "title", "organisation"} <= answer.keys()
    assert answer["organisation"]["tooi_code"] == "gm0518" and answer["organisation"]["name"] == "Den Haag"
    assert isinstance(result["alternatives"], list) and result["handover_to"] is None


@pytest.mark.django_db
def test_cli_batch_answers_every_line_and_reports_bad_lines(
    demo: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "vragen.jsonl"
    batch.write_text(
        '{"id": "a", "question": "parkeervergunning aanvragen", "postcode": "2511"}\n'
        "niet json\n"
        '{"id": "c", "question": "huurtoeslag aanvragen", "audience": "burger"}\n'
        + "[" * 5000
        + "]" * 5000
        + "\n",
        encoding="utf-8",
    )
    call_command("ask", "--batch", str(batch))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, "c", None]
    assert lines[0]["status"] == "answered" and "line 2" in lines[1]["error"]
    assert lines[3]["error"] == "line 4: the JSON is nested too deeply"


@pytest.mark.django_db
def test_http_api_answers_and_refuses_bad_input_clearly(demo: None, client: Client) -> None:
    got = client.get("/api/v1/ask", {"q": "parkeervergunning aanvragen", "postcode": "2511"})
    assert got.status_code == 200 and got.json()["answer"]["organisation"]["code"] == "gm0518"

    posted = client.post(
        "/api/v1/ask", {"question": "huurtoeslag", "audience": "burger"}, content_type="application/json"
    )
    assert posted.status_code == 200 and posted.json()["status"] in ("answered", "clarify", "handover")

    too_long = client.post("/api/v1/ask", {"question": "paspoort " * 200}, content_type="application/json")
    assert too_long.status_code == 200 and "te lang" in too_long.json()["message"]

    wrong_audience = client.get("/api/v1/ask", {"q": "paspoort", "audience": "martian"})
    assert wrong_audience.status_code == 400 and "burger of ondernemer" in json.dumps(wrong_audience.json())

    # Only a product matches (no text): the engine asks for the place, with a ratio JSON can hold.
    product_only = client.get("/api/v1/ask", {"q": "grofvuil"})
    assert product_only.status_code == 200 and product_only.json()["status"] == "clarify"
    assert product_only.json()["explanation"]["place_ratio"] is None

    assert client.get("/api/v1/ask").status_code == 400
    assert client.post("/api/v1/ask", "{kapot", content_type="application/json").status_code == 400
    assert client.post("/api/v1/ask", "[1, 2]", content_type="application/json").status_code == 400
    hostile = client.get("/api/v1/ask", {"q": "<script>alert(1)</script>\x00 😀"})
    assert hostile.status_code == 200 and "<script>" not in hostile.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["question", "postcode", "municipality"])
@pytest.mark.parametrize("value", [123, 1.5, True, ["paspoort"], {"vraag": "paspoort"}])
def test_http_api_takes_only_text_as_text(client: Client, field: str, value: object) -> None:
    body = {"question": "paspoort aanvragen", field: value}
    response = client.post("/api/v1/ask", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "De invoer klopt niet.", "errors": {field: ["Dit moet tekst zijn."]}}


@pytest.mark.django_db
def test_http_api_errors_carry_a_dutch_detail(client: Client) -> None:
    no_question = client.get("/api/v1/ask")
    assert no_question.status_code == 400
    assert no_question.json() == {
        "detail": "De invoer klopt niet.",
        "errors": {"question": ["Stel een vraag."]},
    }

    for body in ("{kapot", "[" * 5000 + "]" * 5000):  # the second: nested deeper than Python follows
        broken = client.post("/api/v1/ask", body, content_type="application/json")
        assert broken.status_code == 400
        assert broken.json() == {"detail": "De inhoud van het verzoek is geen geldige JSON."}

    form = client.post("/api/v1/ask", {"question": "paspoort"})
    assert form.status_code == 415
    assert form.json() == {"detail": "Stuur de gegevens als JSON, met Content-Type: application/json."}

    deleted = client.delete("/api/v1/ask")
    assert deleted.status_code == 405 and deleted.json() == {"detail": "Dit adres werkt niet met DELETE."}

    huge = client.post("/api/v1/ask", {"question": "a" * 3_000_000}, content_type="application/json")
    assert huge.status_code == 413 and huge.json() == {"detail": "Het verzoek is te groot."}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/bestaatniet", "/api/v1/", "/api/v1/ask/", "/api/v1/ask/extra"])
def test_an_unknown_api_path_is_a_json_404_in_dutch(client: Client, path: str) -> None:
    for response in (client.get(path), client.post(path, "{}", content_type="application/json")):
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json()["detail"].startswith("Dit adres bestaat niet in de API.")
    assert not client.get("/bestaatniet")["Content-Type"].startswith("application/json")  # pages stay pages


@pytest.mark.django_db
def test_too_many_questions_get_429_in_dutch(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)  # read from settings otherwise
    assert [client.get("/api/v1/ask").status_code for _ in range(2)] == [400, 400]
    refused = client.get("/api/v1/ask", {"q": "paspoort"})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert (
        refused.json()["detail"]
        == f"Te veel verzoeken. Probeer het over {refused['Retry-After']} seconden opnieuw."
    )
