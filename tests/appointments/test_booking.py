from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.test import override_settings

from antwoord.appointments.models import Booking, BookingStatus, OccupiedSlot, ServicePoint
from antwoord.appointments.services import (
    ALREADY_BOOKED_MESSAGE,
    MAX_DAYS_AHEAD,
    TAKEN_MESSAGE,
    AlreadyBookedError,
    AppointmentError,
    BookingNotFoundError,
    SlotTakenError,
    cancel,
    check_first_day,
    erase_personal_data,
    find_booking,
    free_slots,
    move,
)
from antwoord.catalogue.models import Offering
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation

from .conftest import RESIDENT, at, book_as_resident, make_offering, make_point

pytestmark = pytest.mark.django_db


def unfold(text: str) -> dict[str, str]:
    return dict(line.split(":", 1) for line in text.replace("\r\n ", "").split("\r\n") if line)


def test_booking_occupies_its_quarters_and_queues_a_confirmation(
    point: ServicePoint, offering: Offering, day: date
) -> None:
    booking = book_as_resident(point, offering, at(day, 9, 30))
    assert booking.reference.startswith("B-") and booking.ends_at == at(day, 10)
    assert booking.name == "Jan-Willem van 't Hof" and booking.booked_by is None
    assert sorted(OccupiedSlot.objects.values_list("starts_at", flat=True)) == [
        at(day, 9, 30),
        at(day, 9, 45),
    ]
    mail = OutgoingMail.objects.get()
    assert mail.to == "jw@example.nl" and booking.reference in mail.subject
    assert f"/afspraken/{booking.reference}/{booking.token}/" in mail.body
    assert "Jan-Willem van 't Hof" in mail.body  # plain text: no HTML escaping
    assert mail.attachment_name == "afspraak.ics" and mail.attachment_type == "text/calendar; method=PUBLISH"
    fields = unfold(mail.attachment_content)
    assert fields['ORGANIZER;CN="Den Haag"'] == "mailto:noreply@antwoord.localhost"
    assert "ATTENDEE" not in fields  # a PUBLISH names no attendees: it is no invitation to answer
    assert fields["UID"] == f"{booking.reference}@antwoord"
    assert fields["DTSTART"] == booking.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert fields["DTEND"] == booking.ends_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert fields["LOCATION"] == "Stadhuis Spui\\, Spui 70\\, 2511 BT Den Haag"


@pytest.mark.parametrize(
    ("hour", "minute", "message"),
    [(9, 5, "niet open"), (11, 45, "niet open"), (7, 0, "niet open")],
)
def test_only_times_on_the_grid_within_opening_hours(
    point: ServicePoint, offering: Offering, day: date, hour: int, minute: int, message: str
) -> None:
    with pytest.raises(AppointmentError, match=message):
        book_as_resident(point, offering, at(day, hour, minute))
    assert not Booking.objects.exists() and not OutgoingMail.objects.exists()


def test_past_and_far_future_are_refused(point: ServicePoint, offering: Offering, day: date) -> None:
    with pytest.raises(AppointmentError, match="voorbij"):
        book_as_resident(point, offering, at(day - timedelta(days=7), 9))
    with pytest.raises(AppointmentError, match="90 dagen"):
        book_as_resident(point, offering, at(day + timedelta(days=140), 9))


def test_times_without_a_local_time_are_refused_clearly(
    point: ServicePoint, offering: Offering, day: date
) -> None:
    # Converting these to Dutch time would leave the range of Python dates.
    last_moment = datetime(9999, 12, 31, 23, 30, tzinfo=dt_timezone(timedelta(hours=-5)))
    first_moment = datetime(1, 1, 1, tzinfo=dt_timezone(timedelta(hours=5)))
    with pytest.raises(AppointmentError, match="90 dagen") as far:
        book_as_resident(point, offering, last_moment)
    assert far.value.field == "start"
    with pytest.raises(AppointmentError, match="voorbij"):
        book_as_resident(point, offering, first_moment)
    booking = book_as_resident(point, offering, at(day, 9))
    with pytest.raises(AppointmentError, match="90 dagen"):
        move(booking, booking.token, last_moment)
    booking.refresh_from_db()
    assert booking.starts_at == at(day, 9) and Booking.objects.count() == 1


def test_first_day_of_a_list_of_free_times() -> None:
    today = date(2026, 3, 2)
    last = today + timedelta(days=MAX_DAYS_AHEAD)
    for allowed in (today, last):
        check_first_day(allowed, today)
    for refused, message in (
        (today - timedelta(days=1), "voorbij"),
        (last + timedelta(days=1), "31 mei 2026"),
    ):
        with pytest.raises(AppointmentError, match=message) as error:
            check_first_day(refused, today)
        assert error.value.field == "van"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "x" * 10_000, "hoogstens 100 tekens"),
        ("name", "<script>alert(1)</script>", "alleen letters"),
        ("name", "   ", "Vul uw naam in"),
        ("email", "geen-adres", "geldig e-mailadres"),
        ("email", "jan@[127.0.0.1]", "geldig e-mailadres"),
        ("phone", "bel me<b>", "geldig telefoonnummer"),
        ("phone", "------", "geldig telefoonnummer"),
    ],
)
def test_bad_personal_details_write_nothing(
    point: ServicePoint, offering: Offering, day: date, field: str, value: str, message: str
) -> None:
    with pytest.raises(AppointmentError, match=message) as raised:
        book_as_resident(point, offering, at(day, 9), **{field: value})
    assert raised.value.field == field
    assert not Booking.objects.exists() and not OccupiedSlot.objects.exists()


def test_an_offering_of_another_organisation_cannot_be_booked_here(
    point: ServicePoint, rotterdam: Organisation, day: date
) -> None:
    with pytest.raises(AppointmentError, match="geen afspraak maken"):
        book_as_resident(point, make_offering(rotterdam), at(day, 9))


def test_second_booking_of_a_taken_time_is_refused_clearly(
    point: ServicePoint, offering: Offering, day: date
) -> None:
    book_as_resident(point, offering, at(day, 9))
    with pytest.raises(SlotTakenError) as raised:
        book_as_resident(point, offering, at(day, 9, 15))  # overlaps the second quarter
    assert raised.value.message == TAKEN_MESSAGE
    assert Booking.objects.count() == 1 and OutgoingMail.objects.count() == 1


def test_the_same_booking_sent_twice_is_made_once(
    den_haag: Organisation, offering: Offering, day: date
) -> None:
    """Two desks: the second would have fitted, but it is the same person at the same time (the back button)."""
    point = make_point(den_haag, key="twee-balies", desks=2)
    book_as_resident(point, offering, at(day, 9))
    with pytest.raises(AlreadyBookedError) as raised:
        book_as_resident(point, offering, at(day, 9), email=RESIDENT["email"].upper())
    assert raised.value.message == ALREADY_BOOKED_MESSAGE and raised.value.field == "start"
    assert Booking.objects.count() == 1 and OutgoingMail.objects.count() == 1
    book_as_resident(point, offering, at(day, 9), email="buurvrouw@example.nl")  # someone else: the 2nd desk
    assert Booking.objects.count() == 2


def test_cancel_frees_the_time(point: ServicePoint, offering: Offering, day: date) -> None:
    booking = book_as_resident(point, offering, at(day, 9))
    with pytest.raises(BookingNotFoundError):
        cancel(booking, "verkeerd")
    cancelled = cancel(booking, booking.token)
    assert cancelled.status == BookingStatus.CANCELLED and not OccupiedSlot.objects.exists()
    assert unfold(OutgoingMail.objects.latest("pk").attachment_content)["STATUS"] == "CANCELLED"
    assert at(day, 9) in [s.starts_at for s in free_slots(point, offering, day, 1)]
    with pytest.raises(AppointmentError, match="al geannuleerd"):
        cancel(cancelled, booking.token)


def test_find_booking_needs_the_right_token(point: ServicePoint, offering: Offering, day: date) -> None:
    booking = book_as_resident(point, offering, at(day, 9))
    assert find_booking(booking.reference.lower(), booking.token) == booking
    for reference, token in [
        (booking.reference, booking.token[:-1]),
        ("B-ONBEKEND", booking.token),
        (booking.reference, "é"),
    ]:
        with pytest.raises(BookingNotFoundError):
            find_booking(reference, token)


def test_move_to_a_free_time_and_overlapping_itself(
    point: ServicePoint, offering: Offering, day: date
) -> None:
    booking = book_as_resident(point, offering, at(day, 9))
    moved = move(booking, booking.token, at(day, 9, 15))  # overlaps its own old second quarter
    assert moved.starts_at == at(day, 9, 15) and moved.sequence == 1
    assert sorted(OccupiedSlot.objects.values_list("starts_at", flat=True)) == [
        at(day, 9, 15),
        at(day, 9, 30),
    ]
    mail = OutgoingMail.objects.latest("pk")
    assert "verzet" in mail.subject and unfold(mail.attachment_content)["SEQUENCE"] == "1"
    mails = OutgoingMail.objects.count()
    again = move(moved, moved.token, at(day, 9, 15))  # the same move sent twice: nothing more happens
    assert again.sequence == 1 and OutgoingMail.objects.count() == mails


def test_move_to_a_taken_time_keeps_the_old_booking(
    point: ServicePoint, offering: Offering, day: date
) -> None:
    mine = book_as_resident(point, offering, at(day, 9))
    book_as_resident(point, offering, at(day, 10), **{"email": "ander@example.nl"})
    with pytest.raises(SlotTakenError, match="net door iemand anders geboekt"):
        move(mine, mine.token, at(day, 10, 15))
    mine.refresh_from_db()
    assert mine.starts_at == at(day, 9) and mine.status == BookingStatus.BOOKED and mine.sequence == 0
    assert sorted(mine.occupied_slots.values_list("starts_at", flat=True)) == [at(day, 9), at(day, 9, 15)]
    assert OutgoingMail.objects.count() == 2  # no move mail
    with pytest.raises(BookingNotFoundError):
        move(mine, "verkeerd", at(day, 11))


def test_erase_personal_data_after_retention(point: ServicePoint, offering: Offering, day: date) -> None:
    booking = book_as_resident(point, offering, at(day, 9))
    with override_settings(RETENTION_DAYS=30):
        assert erase_personal_data(now=at(day + timedelta(days=29), 12)) == 0
        assert erase_personal_data(now=at(day + timedelta(days=31), 12)) == 1
        assert erase_personal_data(now=at(day + timedelta(days=32), 12)) == 0  # idempotent
    booking.refresh_from_db()
    assert (booking.name, booking.email, booking.phone) == ("", "", "")
    assert booking.personal_data_erased_at is not None and booking.reference
