"""The handovers API: the back office's flow through it, who sees what, and wrong requests."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from antwoord.accounts.models import User
from antwoord.contacts import services
from antwoord.contacts.api.handovers import HandoverMixin
from antwoord.contacts.models import (
    Contact,
    Handover,
    HandoverStatus,
    Outcome,
    PersonalDataView,
)
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation

from .conftest import client_for, register

pytestmark = pytest.mark.django_db


def hand_over(client: APIClient, contact_uuid: str, **fields: Any) -> Any:
    body = {
        "contact": contact_uuid,
        "organisation": "gm0518",
        "requested_action": "email",
        "name": "Fatima de Vries",
        "email": "fatima@example.org",
        **fields,
    }
    return client.post("/api/v1/handovers", body, format="json")


def test_the_handover_flow_through_the_api(agent: User, worker: User, colleague: User) -> None:
    """An agent hands over; the back office of gm0518 claims, reassigns and answers it by API."""
    contact_uuid = register(client_for(agent)).json()["uuid"]
    created = hand_over(client_for(agent), contact_uuid, priority=1)
    assert created.status_code == 201, created.json()
    reference = created.json()["reference"]
    assert created.json()["status"] == "nieuw"
    assert created.json()["resident"] is None  # the agent does not work in the back office
    assert created.json()["warning"] is None  # Den Haag has a back office here
    assert Contact.objects.get(uuid=contact_uuid).outcome == Outcome.HANDED_OVER

    back_office = client_for(worker)
    queue = back_office.get("/api/v1/handovers").json()
    assert [h["reference"] for h in queue["results"]] == [reference]
    assert queue["results"][0]["resident"] is None  # lists carry no personal data
    assert queue["results"][0]["due_on"]

    claimed = back_office.post(f"/api/v1/handovers/{reference}/claim")
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "in_behandeling"
    assert claimed.json()["assigned_to"] == "dirk"
    assigned = back_office.post(f"/api/v1/handovers/{reference}/assign", {"assignee": "dana"}, format="json")
    assert assigned.json()["assigned_to"] == "dana"
    mine = client_for(colleague).get("/api/v1/handovers?mine=true").json()
    assert mine["count"] == 1

    answered = client_for(colleague).post(
        f"/api/v1/handovers/{reference}/answer",
        {"answer": "U kunt de vergunning online verlengen."},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "afgehandeld"
    assert OutgoingMail.objects.filter(to="fatima@example.org").count() == 2  # received, answered

    again = back_office.post(f"/api/v1/handovers/{reference}/claim")
    assert again.status_code == 409
    assert "afgehandeld" in again.json()["detail"]


def test_a_handover_nobody_here_will_work_comes_with_a_warning(agent: User, rotterdam: Organisation) -> None:
    rotterdam.phone = "14 010"
    rotterdam.save(update_fields=["phone"])
    contact_uuid = register(client_for(agent)).json()["uuid"]
    created = hand_over(client_for(agent), contact_uuid, organisation="gm0599")
    assert created.status_code == 201
    assert created.json()["warning"] == (
        "Rotterdam werkt niet met ANTWOORD: niemand behandelt deze vraag hier. "
        "Verwijs de inwoner ook rechtstreeks naar Rotterdam (14 010)."
    )


def test_reading_a_handover_shows_personal_data_and_logs_it(handover: Handover, worker: User) -> None:
    response = client_for(worker).get(f"/api/v1/handovers/{handover.reference.lower()}")
    assert response.status_code == 200
    assert response.json()["resident"] == {
        "name": "Fatima de Vries",
        "email": "fatima@example.org",
        "phone": "",
    }
    assert PersonalDataView.objects.filter(handover=handover, viewer=worker).count() == 1


def test_another_organisation_gets_404_for_a_handover(handover: Handover, outsider: User) -> None:
    client = client_for(outsider)
    assert client.get("/api/v1/handovers").json()["count"] == 0
    for url in (
        f"/api/v1/handovers/{handover.reference}",
        f"/api/v1/handovers/{handover.reference}/claim",
        f"/api/v1/handovers/{handover.reference}/answer",
    ):
        response = client.get(url) if url.endswith(handover.reference) else client.post(url, {"answer": "x"})
        assert response.status_code == 404, url
        assert response.json()["detail"] == "Deze overdracht bestaat niet, of u mag hem niet zien."
    assert not PersonalDataView.objects.exists()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW


def test_forwarding_hands_the_question_to_another_organisation(
    handover: Handover, worker: User, outsider: User
) -> None:
    response = client_for(worker).post(
        f"/api/v1/handovers/{handover.reference}/forward",
        {"organisation": "gm0599", "note": "Woont in Rotterdam."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    successor = response.json()
    assert successor["organisation"] == "gm0599"
    assert successor["forwarded_from"] == handover.reference
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.FORWARDED
    rotterdam_queue = client_for(outsider).get("/api/v1/handovers").json()
    assert [h["reference"] for h in rotterdam_queue["results"]] == [successor["reference"]]
    # The resident's details went with the question: Den Haag no longer has them, nor logs looking.
    sent = client_for(worker).get(f"/api/v1/handovers/{handover.reference}").json()
    assert sent["status"] == "doorgestuurd" and sent["resident"] is None
    assert not PersonalDataView.objects.exists()
    received = client_for(outsider).get(f"/api/v1/handovers/{successor['reference']}").json()
    assert received["resident"]["email"] == "fatima@example.org"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("overdue=misschien", "overdue", "Kies true of false."),
        ("status=nieuw&kanaal=web", "kanaal", "Deze parameter kent de API hier niet."),
        ("page=abc", "page", "Geef een heel getal groter dan 0."),
        ("page=0", "page", "Geef een heel getal groter dan 0."),
        ("page=" + "9" * 5000, "page", "Geef een heel getal groter dan 0."),
        ("page_size=-1", "page_size", "Geef een heel getal groter dan 0."),
        ("page_size=%D9%A1", "page_size", "Geef een heel getal groter dan 0."),  # an Arabic-Indic one
        ("page=99", None, "Deze pagina bestaat niet."),
    ],
)
def test_a_wrong_list_query_is_said_in_dutch(
    worker: User, query: str, field: str | None, message: str
) -> None:
    response = client_for(worker).get(f"/api/v1/handovers?{query}")
    assert response.status_code == (400 if field else 404)
    body = response.json()
    assert (body["errors"][field] if field else [body["detail"]]) == [message]


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("forward", {"organisation": "gm9999", "note": "Elders."}, "organisation"),
        ("forward", {"organisation": "gm0599"}, "note"),
        ("assign", {"assignee": "niemand"}, "assignee"),
        ("answer", {"answer": 12}, None),
        ("answer", {}, "answer"),
    ],
)
def test_wrong_action_input_gets_400(
    handover: Handover,
    worker: User,
    rotterdam: Organisation,
    action: str,
    body: dict[str, Any],
    field: str | None,
) -> None:
    response = client_for(worker).post(
        f"/api/v1/handovers/{handover.reference}/{action}", body, format="json"
    )
    assert response.status_code == 400
    if field:
        assert field in response.json()["errors"]
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW


def test_service_refusals_pass_their_dutch_message(handover: Handover, worker: User, outsider: User) -> None:
    client = client_for(worker)
    too_long = client.post(
        f"/api/v1/handovers/{handover.reference}/answer", {"answer": "a" * 10_000}, format="json"
    )
    assert too_long.status_code == 400
    assert "te lang" in too_long.json()["detail"]
    foreign = client.post(
        f"/api/v1/handovers/{handover.reference}/assign", {"assignee": "rik"}, format="json"
    )
    assert foreign.status_code == 400
    assert "werkt niet in de backoffice" in foreign.json()["detail"]


def test_wrong_handover_requests_get_400_and_write_nothing(agent: User, rotterdam_agent: User) -> None:
    contact_uuid = register(client_for(agent)).json()["uuid"]
    cases: list[tuple[dict[str, Any], str]] = [
        ({"contact": "geen-uuid"}, "contact"),
        ({"contact": "00000000-0000-0000-0000-000000000000"}, "contact"),
        ({"organisation": "gm9999"}, "organisation"),
        ({"requested_action": "fax"}, "requested_action"),
        ({"priority": 7}, "priority"),
        ({"team": 12345}, "team"),
    ]
    for fields, field in cases:
        response = hand_over(client_for(agent), contact_uuid, **fields)
        assert response.status_code == 400, fields
        assert field in response.json()["errors"], fields
    no_email = hand_over(client_for(agent), contact_uuid, email="")
    assert no_email.status_code == 400
    assert "e-mailadres" in no_email.json()["detail"]
    assert no_email.json()["errors"] == {"email": [no_email.json()["detail"]]}  # also per field
    bad_email = hand_over(client_for(agent), contact_uuid, email="<script>@x")
    assert bad_email.status_code == 400 and set(bad_email.json()["errors"]) == {"email"}
    no_phone = hand_over(client_for(agent), contact_uuid, requested_action="terugbellen", phone="")
    assert no_phone.status_code == 400 and set(no_phone.json()["errors"]) == {"phone"}
    others = hand_over(client_for(rotterdam_agent), contact_uuid)
    assert others.status_code == 400
    assert "contact" in others.json()["errors"]
    assert not Handover.objects.exists()
    assert Contact.objects.get(uuid=contact_uuid).outcome == Outcome.OPEN


def test_a_contact_is_handed_over_once(agent: User, den_haag: Organisation) -> None:
    contact_uuid = register(client_for(agent)).json()["uuid"]
    assert hand_over(client_for(agent), contact_uuid).status_code == 201
    second = hand_over(client_for(agent), contact_uuid)
    assert second.status_code == 409
    assert second.json()["detail"] == "Dit contact is al overgedragen."
    assert Handover.objects.count() == 1


def test_handovers_are_filtered(handover: Handover, worker: User) -> None:
    client = client_for(worker)
    assert client.get("/api/v1/handovers?status=nieuw").json()["count"] == 1
    assert client.get("/api/v1/handovers?status=afgehandeld").json()["count"] == 0
    assert client.get("/api/v1/handovers?overdue=true").json()["count"] == 0
    assert client.get("/api/v1/handovers?overdue=false").json()["count"] == 1
    Handover.objects.filter(pk=handover.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    overdue = client.get("/api/v1/handovers?overdue=true").json()
    assert overdue["count"] == 1
    assert overdue["results"][0]["overdue"] is True
    assert client.get("/api/v1/handovers?mine=true").json()["count"] == 0
    assert client.get("/api/v1/handovers?team=Parkeren").json()["count"] == 0
    wrong = client.get("/api/v1/handovers?status=weg&overdue=misschien")
    assert wrong.status_code == 400
    assert set(wrong.json()["errors"]) == {"status", "overdue"}


def test_an_unknown_handover_reference_is_404(worker: User) -> None:
    response = client_for(worker).post("/api/v1/handovers/A-ONBEKEND/claim")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_the_session_also_authenticates_staff_in_the_browser(handover: Handover, worker: User) -> None:
    client = APIClient()
    client.force_login(worker)
    assert client.get(f"/api/v1/handovers/{handover.reference}").status_code == 200


def test_a_contact_that_already_ended_is_not_handed_over(agent: User, den_haag: Organisation) -> None:
    """Handing over an answered contact would rewrite the first-contact figures."""
    contact_uuid = register(client_for(agent), outcome="beantwoord").json()["uuid"]
    response = hand_over(client_for(agent), contact_uuid)
    assert response.status_code == 409
    assert response.json()["detail"] == "Dit contact is al afgerond."
    assert Contact.objects.get(uuid=contact_uuid).outcome == Outcome.ANSWERED
    assert not Handover.objects.exists() and not OutgoingMail.objects.exists()


def test_a_colleagues_handover_is_not_claimed_but_can_be_assigned(
    handover: Handover, worker: User, colleague: User
) -> None:
    reference = handover.reference
    assert client_for(colleague).post(f"/api/v1/handovers/{reference}/claim").status_code == 200
    taken = client_for(worker).post(f"/api/v1/handovers/{reference}/claim")
    assert taken.status_code == 409 and "dana werkt al aan deze vraag" in taken.json()["detail"]
    handover.refresh_from_db()
    assert handover.assigned_to == colleague
    given = client_for(worker).post(
        f"/api/v1/handovers/{reference}/assign", {"assignee": "dirk"}, format="json"
    )
    assert given.status_code == 200 and given.json()["assigned_to"] == "dirk"
    assert handover.events.last().note == "Toegewezen aan dirk (was dana)"  # type: ignore[union-attr]


def test_a_handover_closed_by_someone_else_meanwhile_gets_409(
    handover: Handover, worker: User, colleague: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The view saw it open; a colleague answered it before the lock was taken: 409, not 400."""
    stale = Handover.objects.get(pk=handover.pk)
    services.answer_handover(handover, colleague, "Al beantwoord.")
    monkeypatch.setattr(HandoverMixin, "get_object", lambda self: stale)
    response = client_for(worker).post(
        f"/api/v1/handovers/{handover.reference}/answer", {"answer": "Ook"}, format="json"
    )
    assert response.status_code == 409 and "al afgehandeld" in response.json()["detail"]
    handover.refresh_from_db()
    assert handover.answer == "Al beantwoord."
