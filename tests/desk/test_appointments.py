"""The desk and appointments: a booking link for answers that need one, booking for the caller with the
caller's details, cancelling a booking made during a contact, finding and cancelling one by its reference, and
calling the residents without e-mail whose appointment a closing day cancelled."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.appointments.models import Booking, BookingStatus, Closure, ServicePoint
from antwoord.appointments.services import book, cancel_on_closed_days
from antwoord.catalogue.models import Offering
from antwoord.contacts.models import Channel, Contact, Outcome, PersonalDataView
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.appointments.conftest import (
    RESIDENT,
    at,
    book_as_resident,
    future_working_day,
    make_offering,
    make_point,
)
from tests.conftest import make_user

from .test_views import started


def test_an_offering_that_needs_an_appointment_links_to_the_booking_page(agent_client: Client) -> None:
    contact = started(agent_client, question="Ik wil een paspoort aanvragen")
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    bookable = [(answer, offering) for answer, _note, offering, _page in page.context["answers"] if offering]
    assert bookable, "the engine suggested no offering that needs an appointment"
    answer, offering = bookable[0]
    assert Offering.objects.get(pk=offering).appointment_required
    link = f'href="{reverse("appointments:new")}?aanbod={offering}&amp;contact={contact.uuid}"'
    assert link in page.content.decode() and "Afspraak maken" in page.content.decode()

    agent_client.post(
        reverse("desk:contact-close", args=[contact.uuid]),
        {"outcome": "beantwoord", "answer_key": answer.key},
    )
    assert link in agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()


def test_the_agent_books_for_the_caller_with_the_callers_details_and_the_contact_shows_it(
    agent_client: Client, agent: User
) -> None:
    contact = started(
        agent_client,
        question="Ik wil een paspoort aanvragen",
        caller_name="Fatima de Vries",
        caller_email="fatima@example.nl",
        caller_phone="070 123 4567",
    )
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    offering = next(offering for _answer, _note, offering, _page in page.context["answers"] if offering)
    url = f"{reverse('appointments:new')}?aanbod={offering}&contact={contact.uuid}"
    booking_page = agent_client.get(url, follow=True)
    form = booking_page.context["form"]
    assert (form["name"].value(), form["email"].value(), form["phone"].value()) == (
        "Fatima de Vries",
        "fatima@example.nl",
        "070 123 4567",
    )
    assert PersonalDataView.objects.filter(
        contact=contact, viewer=agent, purpose__contains="afspraak"
    ).exists()
    start = booking_page.context["days"][0][1][0][0]
    booked = agent_client.post(
        booking_page.redirect_chain[-1][0] if booking_page.redirect_chain else url,
        {"start": start, "name": "Fatima de Vries", "email": "fatima@example.nl", "phone": ""},
    )
    assert booked.status_code == 302
    booking = Booking.objects.get()
    assert booking.contact == contact and booking.booked_by == agent
    back = f'href="{reverse("desk:contact", args=[contact.uuid])}">Terug naar het contact'
    confirmation = agent_client.get(booked["Location"]).content.decode()
    assert (
        back in confirmation
        and "De inwoner krijgt een bevestiging per e-mail op fatima@example.nl" in confirmation
    )
    assert "Wij hebben voor u een afspraak gemaakt." in OutgoingMail.objects.get(to="fatima@example.nl").body
    shown = agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    assert f"(kenmerk {booking.reference})" in shown

    # A contact the agent may not see (another organisation's desk) is not booked for, nor shown.
    stranger = Client()
    stranger.force_login(make_user("kcc.elders", (Organisation.objects.get(code="gm0363"), Role.AGENT)))
    other = stranger.get(url, follow=True)
    assert other.context["form"]["name"].value() is None and other.context["contact"] is None


def test_the_desk_cancels_a_booking_of_a_caller_without_e_mail_when_he_calls_back(
    agent_client: Client, agent: User, rotterdam_client: Client
) -> None:
    """Without e-mail the caller has no link to cancel with: the desk that booked it does it for him."""
    contact = started(agent_client, question="Ik wil een paspoort aanvragen", caller_phone="070 123 4567")
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    offering = next(offering for _answer, _note, offering, _page in page.context["answers"] if offering)
    url = f"{reverse('appointments:new')}?aanbod={offering}&contact={contact.uuid}"
    booking_page = agent_client.get(url, follow=True)
    start = booking_page.context["days"][0][1][0][0]
    target = booking_page.redirect_chain[-1][0] if booking_page.redirect_chain else url
    assert (
        agent_client.post(target, {"start": start, "name": "Piet", "phone": "070 123 4567"}).status_code
        == 302
    )
    booking = Booking.objects.get()
    cancel = reverse("desk:contact-cancel-booking", args=[contact.uuid, booking.reference])
    assert (
        f'action="{cancel}"'
        in agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    )

    assert rotterdam_client.post(cancel).status_code == 404  # another desk does not even see the contact
    wrong = reverse("desk:contact-cancel-booking", args=[contact.uuid, "B-ONBEKEND"])
    assert agent_client.post(wrong).status_code == 404
    done = agent_client.post(cancel, follow=True).content.decode()
    assert f"De afspraak {booking.reference} is geannuleerd. Zeg het de beller" in done
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and not booking.occupied_slots.exists()
    assert f'action="{cancel}"' not in done and "geannuleerd" in done
    again = agent_client.post(cancel)
    assert again.status_code == 409 and "al geannuleerd" in again.content.decode()


def test_only_answers_that_need_an_appointment_get_a_booking_link(agent_client: Client) -> None:
    contact = started(agent_client)  # a parking permit is applied for online
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    answers = page.context["answers"]
    assert answers[0][0].key.startswith("offering:") and answers[0][2] is None
    # The organisations with a service point of ours (the demo's book all their appointment offerings).
    with_counter = {point.organisation_id for point in ServicePoint.objects.filter(is_active=True)}
    bookable_ids = set(
        Offering.objects.filter(appointment_required=True, organisation__in=with_counter).values_list(
            "pk", flat=True
        )
    )
    for answer, _note, offering, _page in answers:
        needed = answer.kind == "offering" and int(answer.key.removeprefix("offering:")) in bookable_ids
        assert (offering is not None) == needed
    bookable = sum(1 for _answer, _note, offering, _page in answers if offering)
    assert page.content.decode().count("Afspraak maken") == bookable


def _web_booking(den_haag: Organisation) -> Booking:
    """An appointment the resident made on the web, at a counter of Den Haag."""
    point = make_point(den_haag, key="testbalie")
    return book_as_resident(point, make_offering(den_haag, key="test-afspraak"), at(future_working_day(), 10))


def test_a_caller_names_his_appointments_reference_and_the_desk_cancels_it_as_a_contact(
    agent_client: Client, agent: User, den_haag: Organisation, rotterdam_client: Client
) -> None:
    booking = _web_booking(den_haag)
    spoken = f"{booking.reference[:6].lower()} {booking.reference[6:].lower()}"  # "b-7qx2 km9p"
    page = agent_client.get(reverse("desk:home"), {"q": spoken}).content.decode()
    assert f"Afspraak {booking.reference}" in page and "Stadhuis Spui, Spui 70, 2511 BT Den Haag" in page
    assert "<dd>Geboekt</dd>" in page and "<dd>Per e-mail</dd>" in page
    assert "Resultaten" not in page  # no answer search for a reference
    assert RESIDENT["name"] not in page and RESIDENT["email"] not in page  # no personal data needed for this
    cancel = reverse("desk:booking-cancel", args=[booking.reference])
    assert f'action="{cancel}"' in page

    # Another organisation's desk learns nothing from it, and cannot cancel it.
    other = rotterdam_client.get(reverse("desk:home"), {"q": booking.reference}).content.decode()
    assert f"Afspraak {booking.reference}" not in other and "geen vraag of afspraak met dit kenmerk" in other
    assert rotterdam_client.post(cancel, {"channel": Channel.PHONE}).status_code == 404
    # A channel that is not in the list: said, and nothing written.
    contacts_before = Contact.objects.count()
    bad = agent_client.post(cancel, {"channel": "postduif"})
    assert bad.status_code == 400 and "Kies een kanaal uit de lijst." in bad.content.decode()
    assert "postduif" not in bad.content.decode() and Contact.objects.count() == contacts_before
    booking.refresh_from_db()
    assert booking.is_active

    done = agent_client.post(cancel, {"channel": Channel.PHONE}, follow=True).content.decode()
    assert (
        f"De afspraak {booking.reference} is geannuleerd en het contact is afgerond. De inwoner krijgt"
        in done
    )
    contact = Contact.objects.get(question=f"Afspraak {booking.reference} annuleren")
    assert (contact.channel, contact.outcome, contact.agent, contact.taken_by) == (
        Channel.PHONE,
        Outcome.ANSWERED,
        agent,
        den_haag,
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.contact == contact
    assert not booking.occupied_slots.exists()
    assert (
        "op uw verzoek"
        in OutgoingMail.objects.get(to=RESIDENT["email"], subject__contains="afspraak geannuleerd").body
    )

    # Found again it says so; a second click registers no second contact.
    again_page = agent_client.get(reverse("desk:home"), {"q": booking.reference}).content.decode()
    assert "<dd>Geannuleerd op " in again_page and f'action="{cancel}"' not in again_page
    again = agent_client.post(cancel, {"channel": Channel.PHONE})
    assert again.status_code == 409 and "al geannuleerd" in again.content.decode()
    assert Contact.objects.count() == contacts_before + 1


def test_a_past_appointment_found_by_reference_is_not_cancelled(
    agent_client: Client, den_haag: Organisation
) -> None:
    booking = _web_booking(den_haag)
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() - timedelta(hours=1), email="")
    page = agent_client.get(reverse("desk:home"), {"q": booking.reference}).content.decode()
    assert (
        "<dd>Voorbij</dd>" in page and "Geen e-mailadres bekend" in page and "Afspraak annuleren" not in page
    )
    refused = agent_client.post(
        reverse("desk:booking-cancel", args=[booking.reference]), {"channel": "balie"}
    )
    assert refused.status_code == 409 and "al begonnen of voorbij" in refused.content.decode()
    assert not Contact.objects.filter(question__startswith="Afspraak").exists()  # the contact went with it


def test_the_desk_calls_a_resident_without_e_mail_whose_appointment_a_closing_day_cancelled(
    agent_client: Client, agent: User, den_haag: Organisation, rotterdam_client: Client
) -> None:
    point, offering = make_point(den_haag, key="testbalie"), make_offering(den_haag, key="test-afspraak")
    day = future_working_day()
    by_phone = book(
        point, offering, at(day, 10), name="Piet de Boer", email="", phone="0612345678", booked_by=agent
    )
    mailed = book_as_resident(point, offering, at(day, 11))
    Closure.objects.create(service_point=point, day=day, reason="Staking")
    assert len(cancel_on_closed_days(point)) == 2

    home = reverse("desk:home")
    listed = agent_client.get(home).content.decode()
    assert "Inwoners bellen" in listed and f"Afspraak {by_phone.reference}" in listed
    assert mailed.reference not in listed  # he was mailed
    assert "Piet de Boer" not in listed and "0612345678" not in listed  # shown only when opened, and logged
    assert "Inwoners bellen" not in rotterdam_client.get(home).content.decode()  # not its counter

    opened = agent_client.get(home, {"q": by_phone.reference}).content.decode()
    assert "Piet de Boer, 0612345678" in opened and "Inwoner gebeld" in opened
    assert (
        PersonalDataView.objects.filter(booking=by_phone, viewer=agent, purpose__contains="bellen").count()
        == 1
    )

    called = reverse("desk:booking-called", args=[by_phone.reference])
    assert rotterdam_client.post(called).status_code == 404
    done = agent_client.post(called, follow=True).content.decode()
    assert f"de inwoner van afspraak {by_phone.reference} is gebeld" in done and "Inwoners bellen" not in done
    by_phone.refresh_from_db()
    assert not by_phone.to_call and by_phone.called_by == agent and by_phone.called_at is not None
    again = agent_client.post(called, follow=True).content.decode()  # a colleague, or a second click
    assert "staat niet (meer) op de lijst om te bellen" in again
    after = agent_client.get(home, {"q": by_phone.reference}).content.decode()
    assert "<dt>Inwoner gebeld</dt><dd>Op " in after and f" door {agent}</dd>" in after  # who, and when
    assert "0612345678" not in after and PersonalDataView.objects.filter(booking=by_phone).count() == 1


def test_a_word_that_looks_like_a_reference_still_searches_the_answers(agent_client: Client) -> None:
    """ "aanvragen" and "afspraken" fit a reference's pattern; no question or appointment has it."""
    for word in ("aanvragen", "afspraken"):
        page = agent_client.get(reverse("desk:home"), {"q": word}).content.decode()
        assert "Resultaten" in page and "geen vraag of afspraak met dit kenmerk" not in page
    mistyped = agent_client.get(reverse("desk:home"), {"q": "B-7QX2 KM9P"}).content.decode()
    assert "geen vraag of afspraak met dit kenmerk" in mistyped and "Resultaten" in mistyped


def test_an_agent_sees_the_residents_to_call_of_bookings_his_desk_made_at_another_counter(
    agent_client: Client, den_haag: Organisation, rotterdam_client: Client
) -> None:
    """Rotterdam's agent booked at Den Haag's counter (no contact): Rotterdam's desk calls, whoever else does."""
    point, offering = make_point(den_haag, key="testbalie"), make_offering(den_haag, key="test-afspraak")
    day = future_working_day()
    rotterdam_agent = User.objects.get(username="kcc.rotterdam")
    booking = book(
        point, offering, at(day, 10), name="Piet", email="", phone="0612345678", booked_by=rotterdam_agent
    )
    Closure.objects.create(service_point=point, day=day, reason="Staking")
    cancel_on_closed_days(point)
    assert f"Afspraak {booking.reference}" in rotterdam_client.get(reverse("desk:home")).content.decode()
    assert f"Afspraak {booking.reference}" in agent_client.get(reverse("desk:home")).content.decode()
    # Once the time has passed there is no one left to warn: off the list, and no phone number shown.
    Booking.objects.filter(pk=booking.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    assert "Inwoners bellen" not in agent_client.get(reverse("desk:home")).content.decode()
    past = agent_client.get(reverse("desk:home"), {"q": booking.reference}).content.decode()
    assert "0612345678" not in past and not PersonalDataView.objects.filter(booking=booking).exists()
