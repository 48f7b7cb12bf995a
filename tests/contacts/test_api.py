"""The contacts API: who sees what, registering and closing contacts, and hostile input (handovers:
test_api_handovers.py)."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from antwoord.accounts.models import Role, User
from antwoord.answers.services import forget_loaded_engine
from antwoord.api import CSRF_FAILED
from antwoord.catalogue.models import Product, Status
from antwoord.contacts.api.common import AccountRateThrottle
from antwoord.contacts.models import (
    Contact,
    Handover,
    HandoverStatus,
    Outcome,
)
from antwoord.contacts.services import MAX_QUESTION_LENGTH
from antwoord.organisations.models import Organisation
from tests.conftest import make_article, make_user

from .conftest import client_for, register

pytestmark = pytest.mark.django_db


# --- authentication -------------------------------------------------------------------------------------


def test_anonymous_requests_get_401_with_a_dutch_message() -> None:
    response = APIClient().get("/api/v1/contacts")
    assert response.status_code == 401
    assert response.json()["detail"] == "Authenticatiegegevens zijn niet opgegeven."
    assert APIClient().post("/api/v1/handovers", {}, format="json").status_code == 401


def test_a_wrong_token_is_refused(agent: User) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get("/api/v1/contacts")
    assert response.status_code == 401
    assert "token" in response.json()["detail"].lower()


def test_a_token_authenticates_a_system(agent: User) -> None:
    response = register(client_for(agent))
    assert response.status_code == 201, response.json()
    assert response.json()["agent"] == "kcc"


# --- contacts -------------------------------------------------------------------------------------------


def test_an_agent_registers_an_answered_contact(agent: User, den_haag: Organisation) -> None:
    Product.objects.create(
        upl_uri="http://standaarden.overheid.nl/owms/terms/parkeervergunning", name="Parkeervergunning"
    )
    response = register(
        client_for(agent),
        audience="burger",
        municipality="gm0518",
        upl_uri="http://standaarden.overheid.nl/owms/terms/parkeervergunning",
        outcome="beantwoord",
        note="Uitgelegd hoe het online kan.",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    contact = Contact.objects.get(uuid=data["uuid"])
    assert contact.outcome == Outcome.ANSWERED
    assert contact.ended_at is not None
    assert contact.taken_by == den_haag
    assert contact.municipality == den_haag
    assert contact.upl_uri.endswith("parkeervergunning")
    assert contact.answer_title == "Parkeervergunning"
    assert data["municipality"] == "gm0518"
    assert data["automated"] is False


def test_a_contact_is_placed_by_postcode(agent: User, den_haag: Organisation) -> None:
    den_haag.postcodes.create(pc4="2511")
    response = register(client_for(agent), postcode="2511 AB")
    assert response.status_code == 201, response.json()
    assert response.json()["municipality"] == "gm0518"
    assert response.json()["outcome"] == "open"


@pytest.fixture
def own_index(settings: Any, tmp_path: Path) -> Iterator[None]:
    """The engine builds its index in this test's own folder, not in the shared var/."""
    settings.DATA_DIR = tmp_path
    forget_loaded_engine()
    yield
    forget_loaded_engine()


def test_an_answer_key_the_engine_knows_is_recorded(
    agent: User, den_haag: Organisation, own_index: None
) -> None:
    article = make_article(den_haag, status=Status.PUBLISHED)
    response = register(client_for(agent), answer_key=f"article:{article.uuid}", outcome="beantwoord")
    assert response.status_code == 201, response.json()
    assert response.json()["answer_title"] == article.question
    assert response.json()["answer_kind"] == "article"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"outcome": "overgedragen"}, "outcome"),
        ({"audience": "toerist"}, "audience"),
        ({"municipality": "gm9999"}, "municipality"),
        ({"postcode": "abc"}, "postcode"),
        ({"answer_key": "article:onbekend", "outcome": "beantwoord"}, "answer_key"),
        ({"upl_uri": "http://example.org/geen-product", "outcome": "beantwoord"}, "upl_uri"),
        ({"started_at": "morgen"}, "started_at"),
        ({"started_at": (timezone.now() + timedelta(days=1)).isoformat()}, "started_at"),
        ({"question": ["geen", "tekst"]}, "question"),
        ({"question": "Hallo\x00daar"}, "question"),
        ({"question": "\u200b\u200b"}, "question"),  # invisible
        ({"question": "\ufeff\x01\x02"}, "question"),
        ({"started_at": "1900-01-01T00:00:00Z"}, "started_at"),  # older than the retention time
        ({"channel": None}, "channel"),
        ({"caller_emial": "fatima@example.org"}, "caller_emial"),  # a typing error is not lost silently
        ({"klantnummer": "123"}, "klantnummer"),
        ({"page": 2}, "page"),  # paging belongs in the query
    ],
)
def test_wrong_contact_fields_get_400_and_nothing_is_written(
    agent: User, den_haag: Organisation, fields: dict[str, Any], field: str
) -> None:
    response = register(client_for(agent), **fields)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert Contact.objects.count() == 0


def test_a_far_too_long_question_is_refused_in_dutch(agent: User) -> None:
    response = register(client_for(agent), question="Waarom? " * 1250)
    assert response.status_code == 400
    assert response.json()["errors"] == {"question": ["De vraag is te lang. Gebruik hoogstens 2000 tekens."]}
    assert Contact.objects.count() == 0


def test_a_length_limit_is_said_in_the_words_of_the_rest_of_antwoord(agent: User) -> None:
    response = register(client_for(agent), postcode="1" * 21)
    assert response.json()["errors"] == {"postcode": ["Gebruik hoogstens 20 tekens."]}


def test_the_question_limit_counts_the_text_as_kept(agent: User) -> None:
    """Line ends sent as CRLF count once and invisible characters not at all, as in the register."""
    lines = "\r\n".join(["Hoe vraag ik een parkeervergunning aan? \u200b"] * 47)
    assert len(lines) > MAX_QUESTION_LENGTH
    response = register(client_for(agent), question=lines)
    assert response.status_code == 201, response.json()
    assert len(Contact.objects.get().question) <= MAX_QUESTION_LENGTH


def test_an_answer_on_an_open_contact_is_refused_and_rolled_back(agent: User, den_haag: Organisation) -> None:
    response = register(client_for(agent), note="Alvast een notitie")
    assert response.status_code == 400
    assert "afgerond contact" in response.json()["detail"]
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    "body", ['{"channel": "telefoon", "question": ', "[1, 2, 3]", '"alleen tekst"', "null"]
)
def test_malformed_json_gets_400_in_dutch(agent: User, body: str) -> None:
    response = client_for(agent).post("/api/v1/contacts", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] in (
        "De inhoud van het verzoek is geen geldige JSON.",
        "Stuur een JSON-object met de gegevens.",
    )
    assert Contact.objects.count() == 0


def test_common_mistakes_get_a_dutch_detail_and_write_nothing(agent: User) -> None:
    client = client_for(agent)
    form = client.post("/api/v1/contacts", {"channel": "telefoon", "question": "Vraag"}, format="multipart")
    assert form.status_code == 415
    assert form.json() == {"detail": "Stuur de gegevens als JSON, met Content-Type: application/json."}
    put = client.put("/api/v1/contacts", {"channel": "telefoon", "question": "Vraag"}, format="json")
    assert put.status_code == 405 and put.json() == {"detail": "Dit adres werkt niet met PUT."}
    slash = client.post("/api/v1/contacts/", {"channel": "telefoon", "question": "Vraag"}, format="json")
    assert slash.status_code == 404 and slash.json()["detail"].startswith("Dit adres bestaat niet in de API.")
    assert Contact.objects.count() == 0


def test_an_unknown_handover_action_is_a_json_404_and_changes_nothing(
    handover: Handover, worker: User
) -> None:
    response = client_for(worker).post(f"/api/v1/handovers/{handover.reference}/sluiten", {}, format="json")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Dit adres bestaat niet in de API.")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW and handover.assigned_to is None


def test_a_huge_body_gets_413_in_dutch(agent: User) -> None:
    body = '{"channel": "telefoon", "question": "' + "a" * 3_000_000 + '"}'
    response = client_for(agent).post("/api/v1/contacts", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == "Het verzoek is te groot."
    assert Contact.objects.count() == 0


def test_html_in_a_question_is_kept_as_plain_text_and_served_as_json(agent: User) -> None:
    question = '<script>alert("x")</script> Hoe verhuis ik?'
    response = register(client_for(agent), question=question)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    uuid = response.json()["uuid"]
    detail = client_for(agent).get(f"/api/v1/contacts/{uuid}")
    assert detail.json()["question"] == question


def test_a_user_without_a_counter_role_may_not_register(worker: User) -> None:
    response = register(client_for(worker))
    assert response.status_code == 403
    assert "klantcontactmedewerkers" in response.json()["detail"]


def test_contacts_are_seen_by_their_own_organisation_only(
    agent: User, rotterdam_agent: User, manager: User
) -> None:
    uuid = register(client_for(agent)).json()["uuid"]
    register(client_for(rotterdam_agent), question="Wanneer wordt het grofvuil opgehaald?")
    mine = client_for(agent).get("/api/v1/contacts").json()
    assert [c["uuid"] for c in mine["results"]] == [uuid]
    assert mine["count"] == 1
    assert client_for(manager).get(f"/api/v1/contacts/{uuid}").status_code == 200
    response = client_for(rotterdam_agent).get(f"/api/v1/contacts/{uuid}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Dit contact bestaat niet, of u mag het niet zien."


def test_unknown_or_malformed_contact_ids_are_404(agent: User) -> None:
    client = client_for(agent)
    assert client.get("/api/v1/contacts/00000000-0000-0000-0000-000000000000").status_code == 404
    response = client.get("/api/v1/contacts/geen-uuid")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_contacts_are_filtered_and_paginated(agent: User, den_haag: Organisation) -> None:
    client = client_for(agent)
    register(client, channel="balie", outcome="afgebroken")
    register(client, channel="telefoon", municipality="gm0518")
    old = register(client, channel="telefoon", started_at=(timezone.now() - timedelta(days=40)).isoformat())
    assert old.status_code == 201
    assert client.get("/api/v1/contacts?channel=balie").json()["count"] == 1
    assert client.get("/api/v1/contacts?outcome=afgebroken").json()["count"] == 1
    assert client.get("/api/v1/contacts?municipality=gm0518").json()["count"] == 1
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert client.get(f"/api/v1/contacts?started_from={since}").json()["count"] == 2
    assert client.get(f"/api/v1/contacts?started_until={since}").json()["count"] == 1
    page = client.get("/api/v1/contacts?page_size=2").json()
    assert len(page["results"]) == 2
    assert page["next"] is not None
    wrong = client.get("/api/v1/contacts?started_from=gisteren&channel=fax")
    assert wrong.status_code == 400
    assert set(wrong.json()["errors"]) == {"started_from", "channel"}


def test_listing_contacts_takes_a_fixed_number_of_queries(agent: User) -> None:
    client = client_for(agent)
    for _ in range(5):
        register(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/contacts").status_code == 200
    assert len(queries) <= 6


def test_an_open_contact_is_closed_through_the_api_once_by_whom_may(
    agent: User, den_haag: Organisation, manager: User, outsider: User
) -> None:
    contact = register(client_for(agent)).json()
    url = f"/api/v1/contacts/{contact['uuid']}/close"
    refused = client_for(outsider).post(url, {"outcome": "beantwoord"}, format="json")
    assert refused.status_code == 404  # Rotterdam's back office does not see Den Haag's contact
    wrong = client_for(manager).post(url, {"outcome": "overgedragen"}, format="json")
    assert wrong.status_code == 400 and "outcome" in wrong.json()["errors"]
    closed = client_for(manager).post(url, {"outcome": "verduidelijkt", "note": "Teruggebeld"}, format="json")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["outcome"] == "verduidelijkt" and closed.json()["ended_at"] is not None
    again = client_for(agent).post(url, {"outcome": "afgebroken"}, format="json")
    assert again.status_code == 409
    assert Contact.objects.get().note == "Teruggebeld"


def test_a_browser_session_without_its_csrf_token_is_told_what_to_do(agent: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post("/api/v1/contacts", {"channel": "telefoon", "question": "Vraag"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": CSRF_FAILED}
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # JSON may escape a lone surrogate, which is no character
        (
            '{"channel": "telefoon", "question": "Vraag \\ud800"}',
            "De tekst bevat een ongeldig teken (U+D800).",
        ),
        (
            '{"channel": "telefoon", "question": "Vraag", "started_at": "gisteren"}',
            "Dit is geen geldig tijdstip. Schrijf het zo: 2026-05-03T10:15:00+02:00.",
        ),
    ],
)
def test_drfs_english_messages_are_dutch_here(agent: User, body: str, message: str) -> None:
    response = client_for(agent).post("/api/v1/contacts", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"].values()) == [[message]]


def test_too_many_requests_get_429_in_dutch(agent: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AccountRateThrottle, "rate", "2/minute")
    client = client_for(agent)
    assert [client.get("/api/v1/contacts").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/contacts")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Te veel verzoeken. Probeer het over ")
    other = client_for(make_user("kcc2", (Organisation.objects.get(code="gm0518"), Role.AGENT)))
    assert other.get("/api/v1/contacts").status_code == 200  # the limit is per account
