from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from antwoord.accounts.models import Role, User
from antwoord.appointments.models import Booking, BookingStatus, ServicePoint
from antwoord.appointments.serializers import START_ERRORS
from antwoord.appointments.services import ALREADY_BOOKED_MESSAGE, MAX_DAYS_AHEAD, TAKEN_MESSAGE
from antwoord.catalogue.models import Offering
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import RESIDENT, at, book_as_resident, make_offering, make_point

pytestmark = pytest.mark.django_db


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def request_body(
    point: ServicePoint, offering: Offering, day: date, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "service_point": point.pk,
        "offering": offering.pk,
        "start": at(day, 9).isoformat(),
        **RESIDENT,
        **(fields or {}),
    }


def test_service_points_list_their_offerings(point: ServicePoint, offering: Offering) -> None:
    [item] = APIClient().get("/api/v1/servicepoints").json()
    assert item["name"] == "Stadhuis Spui" and item["organisation"] == "gm0518"
    assert item["offerings"] == [{"id": offering.pk, "title": offering.title, "minutes": 30}]


def test_the_list_takes_the_same_few_queries_however_many_points(
    point: ServicePoint,
    offering: Offering,
    rotterdam: Organisation,
    django_assert_max_num_queries: Any,
) -> None:
    """Each point shows its own choice of offerings, or else all of its organisation's."""
    visa, id_card = make_offering(rotterdam, "visum"), make_offering(rotterdam, "idkaart")
    for key in ("coolsingel", "zuidplein", "alexander"):
        make_point(rotterdam, key)
    make_point(rotterdam, "noord").offerings.set([visa])
    with django_assert_max_num_queries(3):  # the points, the chosen subsets, the organisations' offerings
        listed = APIClient().get("/api/v1/servicepoints").json()
    offered = sorted([o["title"] for o in item["offerings"]] for item in listed)
    assert offered == [
        ["Idkaart aanvragen", "Visum aanvragen"],
        ["Idkaart aanvragen", "Visum aanvragen"],
        ["Idkaart aanvragen", "Visum aanvragen"],
        ["Paspoort aanvragen"],
        ["Visum aanvragen"],
    ]
    assert id_card.pk in {o["id"] for item in listed for o in item["offerings"]}


def test_slots(point: ServicePoint, offering: Offering, day: date) -> None:
    response = APIClient().get(
        f"/api/v1/servicepoints/{point.pk}/slots?aanbod={offering.pk}&van={day}&dagen=1"
    )
    assert response.status_code == 200
    slots = response.json()["slots"]
    assert len(slots) == 11 and slots[0]["start"] == timezone.localtime(at(day, 9)).isoformat()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "aanbod"),
        ("aanbod=abc", "aanbod"),
        ("aanbod=999999", "aanbod"),
        ("aanbod={offering}&van=1-12-2026", "van"),
        ("aanbod={offering}&van=2020-01-01", "van"),
        ("aanbod={offering}&van=9999-12-30", "van"),
        ("aanbod={offering}&van=9999-12-31", "van"),
        ("aanbod={offering}&van=0001-01-01", "van"),
        ("aanbod={offering}&dagen=400", "dagen"),
        ("aanbod={offering}&dagen=" + "9" * 30, "dagen"),
        ("aanbod=%C2%B2", "aanbod"),
        ("aanbod=-1", "aanbod"),
        ("aanbod=" + "9" * 30, "aanbod"),
    ],
)
def test_slots_bad_query(point: ServicePoint, offering: Offering, query: str, field: str) -> None:
    response = APIClient().get(
        f"/api/v1/servicepoints/{point.pk}/slots?" + query.format(offering=offering.pk)
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field] and response.json()["detail"] == "De invoer klopt niet."


def test_slots_up_to_the_booking_horizon(point: ServicePoint, offering: Offering) -> None:
    last = timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD)
    url = f"/api/v1/servicepoints/{point.pk}/slots?aanbod={offering.pk}&dagen=31&van="
    assert APIClient().get(url + last.isoformat()).status_code == 200
    too_far = APIClient().get(url + (last + timedelta(days=1)).isoformat())
    assert too_far.status_code == 400
    [message] = too_far.json()["errors"]["van"]
    assert f"hoogstens {MAX_DAYS_AHEAD} dagen vooruit" in message and str(last.year) in message


@pytest.mark.parametrize("pk", ["999999", "9" * 30])
def test_slots_of_an_unknown_service_point(offering: Offering, pk: str) -> None:
    response = APIClient().get(f"/api/v1/servicepoints/{pk}/slots?aanbod={offering.pk}")
    assert response.status_code == 404 and "bestaat niet" in response.json()["detail"]


def test_an_agent_of_any_organisation_books_for_a_resident(
    point: ServicePoint, offering: Offering, day: date, agent: User
) -> None:
    response = token_client(agent).post(
        "/api/v1/appointments", request_body(point, offering, day), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    booking = Booking.objects.get(reference=data["reference"])
    assert booking.booked_by == agent and data["manage_url"].endswith(
        f"/afspraken/{booking.reference}/{booking.token}/"
    )
    other = request_body(point, offering, day, {"email": "buurvrouw@example.nl"})
    taken = token_client(agent).post("/api/v1/appointments", other, format="json")
    assert taken.status_code == 409 and taken.json()["errors"]["start"] == [TAKEN_MESSAGE]
    assert taken.json()["detail"] == TAKEN_MESSAGE
    again = token_client(agent).post(
        "/api/v1/appointments", request_body(point, offering, day), format="json"
    )
    assert again.status_code == 409 and again.json()["detail"] == ALREADY_BOOKED_MESSAGE


def test_only_agents_book(point: ServicePoint, offering: Offering, day: date, den_haag: Organisation) -> None:
    body = request_body(point, offering, day)
    anonymous = APIClient().post("/api/v1/appointments", body, format="json")
    assert anonymous.status_code == 401 and "token" in anonymous.json()["detail"]
    editor = make_user("redacteur", (den_haag, Role.EDITOR))
    forbidden = token_client(editor).post("/api/v1/appointments", body, format="json")
    assert forbidden.status_code == 403 and "klantcontactmedewerkers" in forbidden.json()["detail"]
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "status"),
    [
        ({"offering": 999999}, "offering", 400),
        ({"offering": 10**30}, "offering", 400),
        ({"offering": -1}, "offering", 400),
        ({"service_point": 999999}, "service_point", 400),
        ({"service_point": 10**30}, "service_point", 400),
        ({"start": "morgen om negen"}, "start", 400),
        ({"start": "2020-01-06T09:00:00+01:00"}, "start", 400),
        ({"start": "9999-12-31T23:30:00-05:00"}, "start", 400),
        ({"start": "0001-01-01T00:00:00+05:00"}, "start", 400),
        ({"start": "9999-12-30T09:00:00+01:00"}, "start", 400),
        ({"name": "a" * 10_000}, "name", 400),
        ({"name": "<b>Jan</b>"}, "name", 400),
        ({"email": "jan"}, "email", 400),
        ({"email": "", "phone": ""}, "email", 400),  # the resident must be reachable one way or the other
        ({"name": 12345}, "name", 400),  # only text is text
        ({"email": ["jan@example.nl"]}, "email", 400),
        ({"phone": 612345678}, "phone", 400),
        ({"contact": "3f1c2a9e-0000-4000-8000-000000000000"}, "contact", 400),  # a field it does not have
    ],
)
def test_bad_booking_requests(
    point: ServicePoint,
    offering: Offering,
    day: date,
    agent: User,
    fields: dict[str, Any],
    field: str,
    status: int,
) -> None:
    response = token_client(agent).post(
        "/api/v1/appointments", request_body(point, offering, day, fields), format="json"
    )
    assert response.status_code == status
    assert field in response.json()["errors"] and response.json()["detail"]  # every error says it in Dutch
    assert not Booking.objects.exists()


def test_a_time_out_of_range_gets_a_dutch_message(
    point: ServicePoint, offering: Offering, day: date, agent: User
) -> None:
    body = request_body(point, offering, day, {"start": "9999-12-31T23:30:00-05:00"})
    response = token_client(agent).post("/api/v1/appointments", body, format="json")
    assert response.json()["errors"]["start"] == [START_ERRORS["overflow"]]
    booking = book_as_resident(point, offering, at(day, 9))
    moved = APIClient().post(
        f"/api/v1/appointments/{booking.reference}/move",
        {"token": booking.token, "start": "9999-12-31T23:30:00-05:00"},
        format="json",
    )
    assert moved.status_code == 400 and moved.json()["errors"]["start"] == [START_ERRORS["overflow"]]


def test_malformed_json_is_refused(agent: User) -> None:
    response = token_client(agent).post("/api/v1/appointments", "{niet json", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "Stuur een JSON-object."


def test_cancel_and_move_with_the_token(point: ServicePoint, offering: Offering, day: date) -> None:
    booking = book_as_resident(point, offering, at(day, 9))
    client = APIClient()
    wrong = client.post(f"/api/v1/appointments/{booking.reference}/cancel", {"token": "fout"}, format="json")
    assert wrong.status_code == 404
    unknown = client.post("/api/v1/appointments/B-ONBEKEND/cancel", {"token": booking.token}, format="json")
    assert unknown.status_code == 404
    new_start = at(day + timedelta(days=0), 10).isoformat()
    moved = client.post(
        f"/api/v1/appointments/{booking.reference}/move",
        {"token": booking.token, "start": new_start},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["start"] == timezone.localtime(at(day, 10)).isoformat()
    cancelled = client.post(
        f"/api/v1/appointments/{booking.reference}/cancel", {"token": booking.token}, format="json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == BookingStatus.CANCELLED
    twice = client.post(
        f"/api/v1/appointments/{booking.reference}/cancel", {"token": booking.token}, format="json"
    )
    assert twice.status_code == 400 and twice.json()["detail"]


def test_schema_builds(client: Any) -> None:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert (
        b"/api/v1/servicepoints/{id}/slots" in response.content
        or b"/servicepoints/{pk}/slots" in response.content
    )
