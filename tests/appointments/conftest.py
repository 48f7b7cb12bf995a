"""Fixtures for appointments: a Den Haag counter that opens on weekday mornings, and a future working day."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.appointments.models import Booking, OpeningHours, ServicePoint
from antwoord.appointments.services import book
from antwoord.catalogue.models import Offering
from antwoord.lib.workdays import is_working_day
from antwoord.organisations.models import Organisation
from tests.conftest import make_user


def future_working_day(after_days: int = 2) -> date:
    """A working day (no weekend, no public holiday) at least `after_days` from today."""
    day = timezone.localdate() + timedelta(days=after_days)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_offering(organisation: Organisation, key: str = "paspoort", minutes: int | None = 30) -> Offering:
    return Offering.objects.create(
        organisation=organisation,
        key=key,
        title=f"{key.capitalize()} aanvragen",
        appointment_required=True,
        appointment_minutes=minutes,
        channel_counter=True,
    )


def make_point(
    organisation: Organisation, key: str = "spui", desks: int = 1, hours: tuple[str, str] = ("09:00", "12:00")
) -> ServicePoint:
    point = ServicePoint.objects.create(
        organisation=organisation,
        key=key,
        name="Stadhuis Spui",
        address="Spui 70, 2511 BT Den Haag",
        desks=desks,
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            service_point=point,
            weekday=weekday,
            opens=time.fromisoformat(hours[0]),
            closes=time.fromisoformat(hours[1]),
        )
    return point


@pytest.fixture
def day() -> date:
    return future_working_day()


@pytest.fixture
def offering(den_haag: Organisation) -> Offering:
    return make_offering(den_haag)


@pytest.fixture
def point(den_haag: Organisation, offering: Offering) -> ServicePoint:
    return make_point(den_haag)


@pytest.fixture
def agent(rotterdam: Organisation) -> User:
    """A KCC agent of another municipality: KCC agents book for everyone."""
    return make_user("kim", (rotterdam, Role.AGENT))


RESIDENT = {"name": "Jan-Willem van 't Hof", "email": "jw@example.nl", "phone": "06 12345678"}


def book_as_resident(point: ServicePoint, offering: Offering, start: datetime, **changes: str) -> Booking:
    details = {**RESIDENT, **changes}
    return book(point, offering, start, name=details["name"], email=details["email"], phone=details["phone"])
