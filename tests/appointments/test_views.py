from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.appointments.models import Booking, BookingStatus, ServicePoint
from antwoord.appointments.services import MAX_DAYS_AHEAD, TAKEN_MESSAGE
from antwoord.appointments.views import BOOKING_LIMIT
from antwoord.catalogue.models import Offering
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import RESIDENT, at, book_as_resident, future_working_day, make_point

pytestmark = pytest.mark.django_db


def new_url(offering: Offering, **params: object) -> str:
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    return f"/afspraken/nieuw/?aanbod={offering.pk}{extra}"


def test_unknown_or_unbookable_offering_is_a_clear_404(
    client: Client, point: ServicePoint, den_haag: Organisation
) -> None:
    for aanbod in ("999999", "abc", ""):
        response = client.get(f"/afspraken/nieuw/?aanbod={aanbod}")
        assert response.status_code == 404 and "kennen wij niet" in response.content.decode()
    plain = Offering.objects.create(organisation=den_haag, key="online", title="Online")
    assert "geen afspraak" in client.get(new_url(plain)).content.decode()


@pytest.mark.parametrize("aanbod", ["%C2%B2", "%D9%A1", "-1", "1e3", "+1", "9" * 30, "%201"])
def test_a_malformed_offering_id_is_a_clear_404(client: Client, point: ServicePoint, aanbod: str) -> None:
    response = client.get(f"/afspraken/nieuw/?aanbod={aanbod}")
    assert response.status_code == 404 and "kennen wij niet" in response.content.decode()


@pytest.mark.parametrize("loket", ["%C2%B2", "abc", "-1", "9" * 30, "other"])
def test_an_unknown_service_point_shows_the_right_ones(
    client: Client, point: ServicePoint, offering: Offering, rotterdam: Organisation, loket: str
) -> None:
    elsewhere = make_point(rotterdam, key="coolsingel")  # exists, but does not offer this product
    response = client.get(new_url(offering, loket=elsewhere.pk if loket == "other" else loket))
    page = response.content.decode()
    assert response.status_code == 404 and "Deze locatie kennen wij niet" in page
    assert f"loket={point.pk}" in page and 'name="start"' not in page


def test_choose_a_service_point_when_there_are_several(
    client: Client, point: ServicePoint, offering: Offering, den_haag: Organisation
) -> None:
    other = make_point(den_haag, key="leyweg")
    page = client.get(new_url(offering)).content.decode()
    assert f"loket={point.pk}" in page and f"loket={other.pk}" in page and 'name="start"' not in page


def test_book_on_the_web(client: Client, point: ServicePoint, offering: Offering, day: date) -> None:
    page = client.get(new_url(offering, van=day))
    assert page.status_code == 200
    start = at(day, 9).isoformat()
    assert f'value="{start}"' in page.content.decode()
    response = client.post(new_url(offering, van=day), {"start": start, **RESIDENT})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(f"/afspraken/{booking.reference}/")
    confirmation = client.get(response["Location"]).content.decode()
    assert "Uw afspraak is gemaakt" in confirmation and booking.reference in confirmation
    assert OutgoingMail.objects.get().attachment_name == "afspraak.ics"


def test_bad_input_on_the_web(client: Client, point: ServicePoint, offering: Offering, day: date) -> None:
    start = at(day, 9).isoformat()
    long_name = client.post(new_url(offering), {"start": start, **RESIDENT, "name": "x" * 10_000})
    assert long_name.status_code == 400 and "hoogstens 100 tekens" in long_name.content.decode()
    html = client.post(new_url(offering), {"start": start, **RESIDENT, "name": "<script>x</script>"})
    assert html.status_code == 400 and "alleen letters" in html.content.decode()
    assert "<script>x</script>" not in html.content.decode()
    no_time = client.post(new_url(offering), {"start": "gisteren", **RESIDENT})
    assert no_time.status_code == 400 and "Kies een tijd" in no_time.content.decode()
    bad_day = client.get(new_url(offering, van="31-02-2026"))
    assert bad_day.status_code == 200 and "Deze datum kennen wij niet" in bad_day.content.decode()
    assert not Booking.objects.exists()


def test_a_date_beyond_the_horizon_shows_the_last_bookable_days(
    client: Client, point: ServicePoint, offering: Offering
) -> None:
    last = timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD)
    for van in ("9999-12-30", "9999-12-31", (last + timedelta(days=1)).isoformat()):
        response = client.get(new_url(offering, van=van))
        assert response.status_code == 200
        assert f"hoogstens {MAX_DAYS_AHEAD} dagen vooruit" in response.content.decode()
        assert response.context["first_day"] == last - timedelta(days=6)
        assert response.context["last_day"] == last and response.context["later_url"] == ""
    past = client.get(new_url(offering, van="0001-01-01"))
    assert past.status_code == 200 and "al voorbij" in past.content.decode()
    assert past.context["first_day"] == timezone.localdate()
    last_page = client.get(new_url(offering, van=last))
    assert last_page.context["first_day"] == last and "dagen vooruit" not in last_page.content.decode()


@pytest.mark.parametrize(
    ("start", "message"),
    [("9999-12-31T23:30:00-05:00", "90 dagen vooruit"), ("0001-01-01T00:00:00+05:00", "al voorbij")],
)
def test_times_at_the_edges_of_the_calendar_on_the_web(
    client: Client, point: ServicePoint, offering: Offering, start: str, message: str
) -> None:
    response = client.post(new_url(offering), {"start": start, **RESIDENT})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Booking.objects.exists()


def test_an_agent_booking_on_the_web_is_recorded(
    client: Client, point: ServicePoint, offering: Offering, day: date, agent: User, den_haag: Organisation
) -> None:
    def book_at(hour: int) -> Booking:
        response = client.post(new_url(offering), {"start": at(day, hour).isoformat(), **RESIDENT})
        assert response.status_code == 302
        return Booking.objects.get(starts_at=at(day, hour))

    assert book_at(9).booked_by is None  # a resident
    client.force_login(make_user("redacteur", (den_haag, Role.EDITOR)))
    assert book_at(10).booked_by is None  # staff, but no agent
    client.force_login(agent)  # an agent of Rotterdam books a Den Haag appointment
    assert book_at(11).booked_by == agent


def test_an_agent_books_for_a_caller_with_only_a_phone_number(
    client: Client, point: ServicePoint, offering: Offering, day: date, agent: User
) -> None:
    """No confirmation mail is possible: the agent says the reference on the phone."""
    caller = {"name": "Fatima de Vries", "email": "", "phone": "070 123 4567"}
    nothing = client.post(new_url(offering), {"start": at(day, 9).isoformat(), **caller, "phone": ""})
    assert nothing.status_code == 400 and "Vul uw e-mailadres in" in nothing.content.decode()  # a resident
    client.force_login(agent)
    page = client.get(new_url(offering)).content.decode()
    assert "Naam van de inwoner" in page and "Gegevens van de inwoner" in page and "Uw naam" not in page
    neither = client.post(new_url(offering), {"start": at(day, 9).isoformat(), **caller, "phone": ""})
    assert (
        neither.status_code == 400
        and "e-mailadres of het telefoonnummer van de inwoner" in neither.content.decode()
    )
    response = client.post(new_url(offering), {"start": at(day, 9).isoformat(), **caller}, follow=True)
    booking = Booking.objects.get()
    assert booking.email == "" and booking.phone == "070 123 4567" and booking.booked_by == agent
    assert f"geef het kenmerk {booking.reference} door" in response.content.decode()
    assert "link in uw e-mail" not in response.content.decode()  # there is none
    assert not OutgoingMail.objects.exists()


def test_taken_time_on_the_web(client: Client, point: ServicePoint, offering: Offering, day: date) -> None:
    book_as_resident(point, offering, at(day, 9), email="buurvrouw@example.nl")
    response = client.post(new_url(offering), {"start": at(day, 9).isoformat(), **RESIDENT})
    assert response.status_code == 409 and TAKEN_MESSAGE in response.content.decode()


def test_one_client_books_a_handful_an_hour_and_agents_any_number(
    client: Client, point: ServicePoint, offering: Offering, day: date, agent: User
) -> None:
    """A script must not take every free time nor mail confirmations to any address."""
    next_day = future_working_day(after_days=(day - timezone.localdate()).days + 1)
    starts = [at(day, hour, minute) for hour in (9, 10, 11) for minute in (0, 30)] + [at(next_day, 9)]

    def book(index: int) -> int:
        data = {"start": starts[index].isoformat(), **RESIDENT, "email": f"iemand{index}@example.nl"}
        return client.post(new_url(offering), data).status_code

    assert [book(0), book(0)] == [302, 409]  # sent twice: the second is no booking and does not count
    assert [book(i) for i in range(1, BOOKING_LIMIT.count)] == [302] * (BOOKING_LIMIT.count - 1)
    refused = client.post(new_url(offering), {"start": starts[6].isoformat(), **RESIDENT})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "veel afspraken gemaakt" in refused.content.decode()
    assert Booking.objects.count() == OutgoingMail.objects.count() == BOOKING_LIMIT.count
    client.force_login(agent)  # from the same address: a KCC agent booking for callers
    assert book(6) == 302


def test_the_same_booking_sent_again_on_the_web_is_refused_without_a_second_booking(
    client: Client, point: ServicePoint, offering: Offering, day: date
) -> None:
    data = {"start": at(day, 9).isoformat(), **RESIDENT}
    assert client.post(new_url(offering), data).status_code == 302
    again = client.post(new_url(offering), data)  # the back button, and send once more
    assert again.status_code == 409 and "al een afspraak gemaakt" in again.content.decode()
    assert Booking.objects.count() == 1


def test_manage_cancel_and_move_through_the_secret_link(
    client: Client, point: ServicePoint, offering: Offering, day: date
) -> None:
    booking = book_as_resident(point, offering, at(day, 9))
    base = f"/afspraken/{booking.reference}/{booking.token}/"
    assert client.get(f"/afspraken/{booking.reference}/verkeerd/").status_code == 404
    assert client.post(f"/afspraken/{booking.reference}/verkeerd/annuleren/").status_code == 404
    assert (
        client.post(
            f"/afspraken/{booking.reference}/verkeerd/verzetten/", {"start": at(day, 10).isoformat()}
        ).status_code
        == 404
    )
    manage = client.get(base)
    assert "Afspraak verzetten" in manage.content.decode()
    assert "no-store" in manage["Cache-Control"] and manage["X-Robots-Tag"] == "noindex, nofollow"

    other = book_as_resident(point, offering, at(day, 10))
    taken = client.post(base + "verzetten/", {"start": at(day, 10).isoformat()})
    assert taken.status_code == 409 and TAKEN_MESSAGE in taken.content.decode()
    booking.refresh_from_db()
    assert booking.starts_at == at(day, 9)

    moved = client.post(base + "verzetten/", {"start": at(day, 11).isoformat()})
    assert moved.status_code == 302 and moved["Location"] == base + "?verzet=1"
    booking.refresh_from_db()
    assert booking.starts_at == at(day, 11)

    asked = client.get(base + "annuleren/")  # the manage page's link asks first
    assert asked.status_code == 200 and "Ja, annuleer mijn afspraak" in asked.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    cancelled = client.post(base + "annuleren/")
    assert cancelled.status_code == 302
    again = client.post(base + "annuleren/")  # a double click: done, not an error
    assert again.status_code == 302 and again["Location"] == cancelled["Location"] == base + "?geannuleerd=1"
    assert client.get(base + "annuleren/")["Location"] == base  # nothing left to cancel
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "Deze afspraak is geannuleerd" in client.get(base + "verzetten/").content.decode()
    other.refresh_from_db()
    assert other.status == BookingStatus.BOOKED


def test_demo_service_points_load_idempotently() -> None:
    from antwoord.demo.loader import load_demo

    load_demo()
    points = {p.key: p for p in ServicePoint.objects.all()}
    assert {"stadhuis-spui", "stadsloket-centrum", "stadsloket-zuidoost"} <= set(points)
    assert points["stadhuis-spui"].opening_hours.filter(weekday=3).count() == 2
    [report] = [r for r in load_demo() if r.name == "demo service points"]
    assert report.unchanged == len(points) == 6 and report.created == report.updated == 0
