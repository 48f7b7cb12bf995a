"""The service point's admin page: opening hours that overlap are refused with a message, nothing is saved."""

from typing import Any

import pytest
from django.test import Client

from antwoord.accounts.models import User
from antwoord.appointments.models import OpeningHours, ServicePoint


def form_data(point: ServicePoint, hours: list[tuple[int, str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": point.organisation_id,
        "key": point.key,
        "name": point.name,
        "address": point.address,
        "desks": point.desks,
        "is_active": "on",
        "opening_hours-TOTAL_FORMS": str(len(hours)),
        "opening_hours-INITIAL_FORMS": "0",
        "closures-TOTAL_FORMS": "0",
        "closures-INITIAL_FORMS": "0",
    }
    for number, (weekday, opens, closes) in enumerate(hours):
        data |= {
            f"opening_hours-{number}-weekday": str(weekday),
            f"opening_hours-{number}-opens": opens,
            f"opening_hours-{number}-closes": closes,
        }
    return data


@pytest.fixture
def administrator(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123"))
    return client


def test_overlapping_opening_hours_on_one_day_are_refused(administrator: Client, point: ServicePoint) -> None:
    OpeningHours.objects.filter(service_point=point).delete()
    url = f"/beheer/appointments/servicepoint/{point.pk}/change/"
    overlapping = [(0, "09:00", "12:00"), (0, "11:30", "17:00"), (1, "09:00", "12:00")]
    response = administrator.post(url, form_data(point, overlapping))
    assert response.status_code == 200  # the form again, with the reason
    assert (
        "Op maandag overlappen twee openingstijden (09:00–12:00 en 11:30–17:00)" in response.content.decode()
    )
    assert not OpeningHours.objects.filter(service_point=point).exists()

    apart = [
        (0, "09:00", "12:00"),
        (0, "13:00", "17:00"),
        (1, "11:30", "17:00"),
    ]  # a lunch break; another day
    assert administrator.post(url, form_data(point, apart)).status_code == 302
    assert OpeningHours.objects.filter(service_point=point).count() == 3
