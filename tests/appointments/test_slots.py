from datetime import date, datetime, time, timedelta

import pytest

from antwoord.appointments.models import Closure, OpeningHours, ServicePoint
from antwoord.appointments.services import free_slots, is_offered, service_points_for
from antwoord.catalogue.models import Offering
from antwoord.organisations.models import Organisation

from .conftest import at, book_as_resident, make_offering, make_point

pytestmark = pytest.mark.django_db


def starts(point: ServicePoint, offering: Offering, day: date, now: datetime | None = None) -> list[str]:
    now = now or at(day - timedelta(days=1), 12)
    return [
        f"{s.starts_at.astimezone(at(day, 0).tzinfo):%H:%M}"
        for s in free_slots(point, offering, day, 1, now=now)
    ]


def test_grid_within_opening_hours(point: ServicePoint, offering: Offering, day: date) -> None:
    # 30 minutes between 09:00 and 12:00: every quarter from 09:00, the last one ends at closing time.
    assert (
        starts(point, offering, day) == [f"{h:02}:{m:02}" for h in (9, 10, 11) for m in (0, 15, 30, 45)][:-1]
    )


def test_several_periods_and_durations_rounded_up(den_haag: Organisation, day: date) -> None:
    point = make_point(den_haag, hours=("09:00", "10:00"))
    OpeningHours.objects.create(
        service_point=point, weekday=day.weekday(), opens=time(13), closes=time(13, 45)
    )
    twenty = make_offering(den_haag, "rijbewijs", minutes=20)  # takes two quarters
    assert starts(point, twenty, day) == ["09:00", "09:15", "09:30", "13:00", "13:15"]
    unknown = make_offering(den_haag, "id-kaart", minutes=None)  # one quarter when the catalogue says nothing
    assert len(starts(point, unknown, day)) == 4 + 3


def test_no_slots_on_public_holidays_weekends_and_closures(point: ServicePoint, offering: Offering) -> None:
    kings_day = date(2027, 4, 27)  # a Tuesday
    now = at(date(2027, 4, 1), 12)
    assert free_slots(point, offering, kings_day, 1, now=now) == []
    assert starts(point, offering, date(2027, 4, 28), now=now)  # the day after is open
    assert free_slots(point, offering, date(2027, 5, 1), 2, now=now) == []  # Saturday and Sunday
    Closure.objects.create(service_point=point, day=date(2027, 4, 28), reason="Verbouwing")
    assert free_slots(point, offering, date(2027, 4, 28), 1, now=now) == []


def test_past_times_are_excluded(point: ServicePoint, offering: Offering, day: date) -> None:
    assert starts(point, offering, day, now=at(day, 10, 7))[0] == "10:15"
    assert starts(point, offering, day, now=at(day, 12)) == []


def test_no_slots_beyond_the_booking_horizon(point: ServicePoint, offering: Offering, day: date) -> None:
    assert free_slots(point, offering, day, 7, now=at(day - timedelta(days=200), 9)) == []


def test_the_edges_of_the_calendar_give_no_slots_and_no_error(
    point: ServicePoint, offering: Offering
) -> None:
    assert free_slots(point, offering, date.max, 31) == []
    assert free_slots(point, offering, date.max - timedelta(days=1), 31) == []
    assert free_slots(point, offering, date.min, 31) == []


def test_a_list_from_a_past_day_shows_only_days_from_today_on(
    point: ServicePoint, offering: Offering, day: date
) -> None:
    now = at(day, 8)
    slots = free_slots(point, offering, day - timedelta(days=3), 4, now=now)
    assert slots and {s.starts_at.date() for s in slots} == {day}


def test_existing_bookings_are_excluded(point: ServicePoint, offering: Offering, day: date) -> None:
    book_as_resident(point, offering, at(day, 9, 30))
    # 09:15 would overlap 09:30-10:00, as would 09:30 and 09:45.
    assert starts(point, offering, day)[:3] == ["09:00", "10:00", "10:15"]
    point.desks = 2
    point.save()
    assert "09:30" in starts(point, offering, day)  # the second desk is still free


def test_a_service_point_offers_its_organisations_appointment_offerings(
    den_haag: Organisation, rotterdam: Organisation, point: ServicePoint, offering: Offering
) -> None:
    elsewhere = make_offering(rotterdam, "paspoort")
    no_appointment = Offering.objects.create(organisation=den_haag, key="online", title="Online")
    assert is_offered(point, offering)
    assert not is_offered(point, elsewhere)
    assert not is_offered(point, no_appointment)
    other = make_point(den_haag, key="leyweg")
    second = make_offering(den_haag, "rijbewijs")
    other.offerings.set([second])  # a chosen subset
    assert list(service_points_for(offering)) == [point]
    assert set(service_points_for(second)) == {point, other}
