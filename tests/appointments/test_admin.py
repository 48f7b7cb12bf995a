"""The service point's admin page: opening hours that overlap are refused with a message, nothing is saved; the
organisation's staff keep its opening hours and closing days, and a day closed cancels its bookings."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.appointments.models import BookingStatus, Closure, OpeningHours, ServicePoint
from antwoord.appointments.services import book
from antwoord.catalogue.models import Offering
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import at, book_as_resident, future_working_day, make_offering, make_point


def form_data(
    point: ServicePoint, hours: list[tuple[int, str, str]], closures: tuple[tuple[date, str], ...] = ()
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": point.organisation_id,
        "key": point.key,
        "name": point.name,
        "address": point.address,
        "desks": point.desks,
        "is_active": "on",
        "opening_hours-TOTAL_FORMS": str(len(hours)),
        "opening_hours-INITIAL_FORMS": "0",
        "closures-TOTAL_FORMS": str(len(closures)),
        "closures-INITIAL_FORMS": "0",
    }
    for number, (day, reason) in enumerate(closures):
        data |= {f"closures-{number}-day": day.isoformat(), f"closures-{number}-reason": reason}
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


def test_a_period_that_closes_before_it_opens_is_refused_in_plain_dutch(
    administrator: Client, point: ServicePoint
) -> None:
    url = f"/beheer/appointments/servicepoint/{point.pk}/change/"
    response = administrator.post(url, form_data(point, [(5, "17:00", "09:00")]))
    page = response.content.decode()
    assert response.status_code == 200 and "De sluitingstijd moet later zijn dan de openingstijd." in page
    assert "opens_before_closes" not in page and not point.opening_hours.filter(weekday=5).exists()


def test_an_editor_closes_a_day_and_its_bookings_are_cancelled_with_a_mail(
    client: Client, point: ServicePoint, offering: Offering, den_haag: Organisation, agent: User
) -> None:
    day = future_working_day()
    mailed = book_as_resident(point, offering, at(day, 9))
    by_phone = book(point, offering, at(day, 10), name="Piet", email="", phone="0612345678", booked_by=agent)
    later = future_working_day(after_days=(day - timezone.localdate()).days + 1)
    other_day = book_as_resident(point, offering, at(later, 9))
    OutgoingMail.objects.all().delete()
    client.force_login(make_user("redacteur", (den_haag, Role.EDITOR)))
    url = f"/beheer/appointments/servicepoint/{point.pk}/change/"
    assert "Sluitingsdagen" in client.get(url).content.decode()  # its staff see and keep them

    response = client.post(url, form_data(point, [], closures=((day, "Staking"),)), follow=True)

    assert Closure.objects.get(service_point=point).day == day
    page = response.content.decode()
    assert (
        "2 afspraken zijn geannuleerd, omdat het servicepunt dan gesloten is" in page
        and by_phone.reference in page
        and "ziet deze afspraken bij &#x27;Inwoners bellen&#x27;" in page
    )
    for booking in (mailed, by_phone):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED and not booking.occupied_slots.exists()
    assert by_phone.to_call and not mailed.to_call  # the desk calls whom no mail reaches
    other_day.refresh_from_db()
    assert other_day.status == BookingStatus.BOOKED
    mail = OutgoingMail.objects.get()
    assert mail.to == mailed.email and "Stadhuis Spui is die dag gesloten (Staking)." in mail.body
    assert mail.subject == f"Wij hebben uw afspraak geannuleerd ({mailed.reference})"
    assert "METHOD:CANCEL" in mail.attachment_content


def test_opening_hours_cut_short_cancel_the_bookings_outside_them(
    administrator: Client, point: ServicePoint, offering: Offering
) -> None:
    day = future_working_day()
    early, late = (
        book_as_resident(point, offering, at(day, 9)),
        book_as_resident(point, offering, at(day, 11)),
    )
    OutgoingMail.objects.all().delete()
    hours = point.opening_hours.get(weekday=day.weekday())
    data = form_data(point, [])
    data |= {
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "1",
        "opening_hours-0-id": str(hours.pk),
        "opening_hours-0-service_point": str(point.pk),
        "opening_hours-0-weekday": str(day.weekday()),
        "opening_hours-0-opens": "09:00",
        "opening_hours-0-closes": "10:30",
    }
    url = f"/beheer/appointments/servicepoint/{point.pk}/change/"
    assert administrator.post(url, data).status_code == 302
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == BookingStatus.BOOKED and late.status == BookingStatus.CANCELLED
    assert "Stadhuis Spui is op dat moment niet meer open." in OutgoingMail.objects.get().body


def test_a_service_point_switched_off_cancels_its_coming_bookings(
    administrator: Client, point: ServicePoint, offering: Offering
) -> None:
    booking = book_as_resident(point, offering, at(future_working_day(), 9))
    data = form_data(point, [])
    del data["is_active"]
    assert (
        administrator.post(f"/beheer/appointments/servicepoint/{point.pk}/change/", data).status_code == 302
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "Stadhuis Spui is gesloten." in OutgoingMail.objects.get(subject__startswith="Wij hebben").body


def test_only_the_organisations_own_offerings_are_booked_at_its_counter(
    client: Client, offering: Offering, rotterdam: Organisation
) -> None:
    rotterdam_point = make_point(rotterdam, key="coolsingel")
    client.force_login(make_user("redacteur.rotterdam", (rotterdam, Role.EDITOR)))
    url = f"/beheer/appointments/servicepoint/{rotterdam_point.pk}/change/"
    response = client.post(url, {**form_data(rotterdam_point, []), "offerings": [offering.pk]})
    assert response.status_code == 200 and "Kies alleen aanbod van Rotterdam" in response.content.decode()
    assert not rotterdam_point.offerings.exists()
    own = make_offering(rotterdam, key="rijbewijs")
    assert client.post(url, {**form_data(rotterdam_point, []), "offerings": [own.pk]}).status_code == 302
    assert list(rotterdam_point.offerings.all()) == [own]
