"""A resident books, moves and cancels a counter appointment in real headless Chromium, with axe on every page.

The day is chosen with the working-day calendar, so the test does not depend on the weekday it runs on.
"""

from datetime import date, timedelta
from email.message import Message
from urllib.parse import urlsplit

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from antwoord.appointments.models import Booking, BookingStatus, ServicePoint
from antwoord.appointments.views import DAYS_PER_PAGE
from antwoord.mail.services import send_pending
from antwoord.organisations.models import Organisation
from tests.appointments.conftest import at, future_working_day, make_offering, make_point

from .conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Jan-Willem van 't Hof"
EMAIL = "jw@example.nl"


def _day_of_slots(day: date) -> str:
    """The legend of a day's times on the page, as the template writes it ("dinsdag 3 juni")."""
    with translation.override("nl"):
        return date_filter(day, "l j F")


def _choose_time(page: Page, day: date, clock: str) -> None:
    page.get_by_role("group", name=_day_of_slots(day)).get_by_label(clock, exact=True).check()


def _parts(message: Message) -> tuple[str, Message]:
    """The plain-text body and the one attachment of a received confirmation mail."""
    assert message.is_multipart(), "expected a mail with an attachment"
    texts = [p for p in message.walk() if p.get_content_type() == "text/plain" and not p.get_filename()]
    attachments = [p for p in message.walk() if p.get_filename()]
    assert len(texts) == 1 and len(attachments) == 1, [p.get_content_type() for p in message.walk()]
    body = texts[0].get_payload(decode=True)
    assert isinstance(body, bytes)
    return body.decode(texts[0].get_content_charset() or "utf-8"), attachments[0]


def _calendar(attachment: Message) -> str:
    assert attachment.get_filename() == "afspraak.ics"
    assert attachment.get_content_type() == "text/calendar"
    content = attachment.get_payload(decode=True)
    assert isinstance(content, bytes)
    return content.decode("utf-8")


def _received(smtp_server: list[Message], subject_part: str) -> Message:
    [message] = [m for m in smtp_server if subject_part in str(m["Subject"])]
    return message


def test_a_resident_books_moves_and_cancels_a_counter_appointment(
    page: Page, den_haag: Organisation, smtp_server: list[Message]
) -> None:
    offering = make_offering(den_haag, minutes=30)
    make_point(den_haag, hours=("09:00", "12:00"))
    # Tomorrow or the first working day after: always in the first week the page shows, and in the future.
    day = future_working_day(after_days=1)
    assert day < timezone.localdate() + timedelta(days=DAYS_PER_PAGE)

    page.goto(f"/afspraken/nieuw/?aanbod={offering.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Afspraak maken: Paspoort aanvragen")
    assert_no_axe_violations(page)

    # Without a time or details the page says what is missing, and links to each field.
    page.get_by_role("button", name="Afspraak maken").click()
    errors = page.get_by_role("alert")
    expect(errors).to_be_focused()  # a screen reader reads what is missing first
    expect(errors).to_contain_text("Kies een tijd.")
    expect(errors).to_contain_text("Vul uw naam in.")
    assert_no_axe_violations(page)
    assert not Booking.objects.exists()

    _choose_time(page, day, "10:00")
    page.get_by_label("Uw naam").fill(NAME)
    page.get_by_label("Uw e-mailadres").fill(EMAIL)
    page.get_by_role("button", name="Afspraak maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw afspraak")
    expect(page.get_by_role("status")).to_contain_text("Uw afspraak is gemaakt.")
    booking = Booking.objects.get()
    expect(page.get_by_text(booking.reference, exact=True)).to_be_visible()
    assert booking.starts_at == at(day, 10) and booking.ends_at == at(day, 10, 30)
    assert booking.name == NAME and booking.email == EMAIL and booking.status == BookingStatus.BOOKED
    assert_no_axe_violations(page)

    assert send_pending() == 1
    confirmation = _received(smtp_server, booking.reference)
    assert confirmation["To"] == EMAIL
    text, attachment = _parts(confirmation)
    calendar = _calendar(attachment)
    assert "METHOD:PUBLISH" in calendar and f"UID:{booking.reference}@antwoord" in calendar
    manage_path = urlsplit(next(line for line in text.splitlines() if "/afspraken/B-" in line)).path
    assert manage_path == f"/afspraken/{booking.reference}/{booking.token}/"

    page.get_by_role("link", name="Afspraak verzetten naar een andere tijd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afspraak verzetten")
    assert_no_axe_violations(page)
    _choose_time(page, day, "11:00")
    page.get_by_role("button", name="Verzetten naar deze tijd").click()
    expect(page.get_by_role("status")).to_contain_text("Uw afspraak is verzet.")
    assert_no_axe_violations(page)
    booking.refresh_from_db()
    assert booking.starts_at == at(day, 11) and booking.sequence == 1

    # The link from the confirmation mail still leads to the (moved) appointment.
    page.goto(manage_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw afspraak")
    page.get_by_role("link", name="Afspraak annuleren").click()  # asks first, and changes nothing yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Afspraak annuleren")
    assert_no_axe_violations(page)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    page.get_by_role("button", name="Ja, annuleer mijn afspraak").click()
    expect(page.get_by_role("status")).to_contain_text("Uw afspraak is geannuleerd.")
    expect(page.get_by_role("link", name="Afspraak annuleren")).to_have_count(0)
    expect(page.get_by_role("link", name="Afspraak verzetten naar een andere tijd")).to_have_count(0)
    assert_no_axe_violations(page)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and not booking.occupied_slots.exists()

    assert send_pending() == 2
    attachment = _parts(_received(smtp_server, "geannuleerd"))[1]
    cancelled = _calendar(attachment)
    assert "METHOD:CANCEL" in cancelled and f"UID:{booking.reference}@antwoord" in cancelled
    # iMIP (RFC 6047): the part names the method, and the event its organiser and attendee, or mail programs
    # do not take the event out of the calendar.
    assert attachment.get_param("method") == "CANCEL"
    assert f"ATTENDEE:mailto:{booking.email}" in cancelled and "ORGANIZER;CN=" in cancelled


def test_choosing_a_location_and_an_unknown_offering_are_accessible(
    page: Page, den_haag: Organisation
) -> None:
    offering = make_offering(den_haag)
    make_point(den_haag, key="spui")
    ServicePoint.objects.filter(pk=make_point(den_haag, key="leyweg").pk).update(
        name="Stadsdeelkantoor Leyweg", address="Leyweg 813, 2545 GW Den Haag"
    )

    page.goto(f"/afspraken/nieuw/?aanbod={offering.pk}")
    expect(page.get_by_role("heading", level=2)).to_have_text("Waar wilt u naartoe?")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Stadsdeelkantoor Leyweg").click()
    expect(page.get_by_text("Stadsdeelkantoor Leyweg, Leyweg 813, 2545 GW Den Haag")).to_be_visible()
    expect(page.get_by_role("link", name="Kies een andere locatie")).to_be_visible()

    unknown = page.goto(f"/afspraken/nieuw/?aanbod={offering.pk + 1000}")
    assert unknown is not None and unknown.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Dat lukt niet")
    assert_no_axe_violations(page)


def test_a_chosen_time_looks_chosen(page: Page, den_haag: Organisation) -> None:
    """The theme draws its own radio buttons: a checked one must look different from the others."""
    offering = make_offering(den_haag, minutes=30)
    make_point(den_haag, hours=("09:00", "12:00"))
    page.goto(f"/afspraken/nieuw/?aanbod={offering.pk}")
    first = page.locator("input[name=start]").first
    before = first.screenshot()
    first.check()
    assert first.screenshot() != before


def test_a_days_times_stand_side_by_side(page: Page, den_haag: Organisation) -> None:
    """A day with many free times is a few rows, not one long column."""
    offering = make_offering(den_haag, minutes=15)
    make_point(den_haag, hours=("09:00", "17:00"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/afspraken/nieuw/?aanbod={offering.pk}")
    # A whole working day, not the first group: late in the afternoon today has one time left or none.
    day = future_working_day(after_days=1)
    times = page.get_by_role("group", name=_day_of_slots(day)).locator("input[name=start]")
    first, second = times.nth(0).bounding_box(), times.nth(1).bounding_box()
    assert first is not None and second is not None
    assert first["y"] == second["y"] and second["x"] > first["x"]
