"""The agent desk in real headless Chromium: search, a phone contact answered at first contact, a handover,
an e-mail answered by e-mail, appointments found by their reference.

axe-core checks every desk page an agent sees on the way: login, search results, contact, result, register.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from antwoord.accounts.models import Role, User
from antwoord.appointments.models import BookingStatus, Closure
from antwoord.appointments.services import book, cancel_on_closed_days
from antwoord.catalogue.models import Status
from antwoord.contacts.models import Channel, Contact, Handover, Outcome, RequestedAction
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.appointments.conftest import at, book_as_resident, future_working_day, make_offering, make_point
from tests.conftest import make_article, make_user
from tests.desk.conftest import received

from .conftest import assert_no_axe_violations
from .flows import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Hoe vraag ik een parkeervergunning aan?"
OFFERING_TITLE = "Parkeervergunning voor bewoners aanvragen"  # Den Haag's offering in the `counter` fixture
AGENT_NOTE = "Vraag of de beller al een vergunning voor een tweede auto heeft."


@pytest.fixture
def agent(den_haag: Organisation) -> User:
    return make_user("kcc.denhaag", (den_haag, Role.AGENT))


def _start_contact(page: Page, channel: str, question: str, postcode: str) -> Contact:
    """Fill "Nieuw contact" on the desk home page and start it; returns the contact the page shows."""
    form = page.get_by_role("region", name="Nieuw contact")
    form.get_by_label(channel, exact=True).check()
    form.get_by_label("Vraag", exact=True).fill(question)
    form.get_by_label("Postcode", exact=True).fill(postcode)
    form.get_by_role("button", name="Contact starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    uuid = page.url.rstrip("/").rsplit("/", 1)[-1]
    return Contact.objects.get(uuid=uuid)


def _engine_answer(page: Page) -> Locator:
    """The answer the engine proposes on the contact page: the ticked option of "Gebruikt antwoord"."""
    proposed = page.get_by_role("group", name="Gebruikt antwoord").get_by_role("radio", name=OFFERING_TITLE)
    expect(proposed).to_be_checked()
    return proposed


def test_an_agent_answers_a_phone_call_at_first_contact_and_finds_it_in_the_register(
    page: Page, counter: object, den_haag: Organisation, agent: User
) -> None:
    make_article(
        den_haag,
        "Kan ik een parkeervergunning voor een tweede auto krijgen?",
        agent_note=AGENT_NOTE,
        status=Status.PUBLISHED,
    )
    log_in(page, agent.username, check_accessibility=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Klantcontact")

    search = page.get_by_role("search")
    search.get_by_label("Zoeken").fill("parkeervergunning tweede auto")
    search.get_by_label("Postcode").fill("2511")
    search.get_by_role("button", name="Zoeken").click()
    results = page.get_by_role("region", name="Zoeken in alle antwoorden")
    expect(results.get_by_role("heading", name="Resultaten")).to_be_visible()
    expect(results.get_by_text(AGENT_NOTE)).to_be_visible()  # the note is for agents only
    assert_no_axe_violations(page)

    contact = _start_contact(page, "Telefoon", QUESTION, "2511")
    assert_no_axe_violations(page)
    key = _engine_answer(page).get_attribute("value")
    page.get_by_label("Beantwoord bij eerste contact").check()
    page.get_by_role("button", name="Contact afronden").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Het contact is afgerond: beantwoord bij eerste contact."
    )
    expect(page.get_by_role("button", name="Contact afronden")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Contactregister").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contactregister")
    row = page.get_by_role("row").filter(has_text=QUESTION)
    for cell in ("Telefoon", OFFERING_TITLE, "Beantwoord bij eerste contact", agent.username):
        expect(row).to_contain_text(cell)
    assert_no_axe_violations(page)

    contact.refresh_from_db()
    assert contact.channel == Channel.PHONE and contact.outcome == Outcome.ANSWERED
    assert contact.agent == agent and contact.taken_by == den_haag
    assert contact.ended_at is not None and contact.started_at < contact.ended_at
    assert key and contact.answer_key == key and contact.answer_title == OFFERING_TITLE


def test_an_agent_hands_a_counter_contact_over_to_the_suggested_municipality(
    page: Page, counter: object, den_haag: Organisation, agent: User
) -> None:
    log_in(page, agent.username)
    contact = _start_contact(page, "Balie", "Mijn buurman parkeert al weken voor mijn inrit.", "2511")

    handover_form = page.get_by_role("region", name="Overdragen aan de backoffice")
    expect(handover_form.get_by_label("Overdragen aan", exact=True)).to_have_value(str(den_haag.pk))
    assert_no_axe_violations(page)
    handover_form.get_by_label("Terugbellen").check()
    handover_form.get_by_label("Naam beller").fill("Fatima de Vries")
    handover_form.get_by_label("Telefoonnummer beller").fill("070 123 4567")
    handover_form.get_by_role("button", name="Overdragen").click()

    message = page.get_by_role("status")
    expect(message).to_contain_text("Overgedragen aan Den Haag met kenmerk")  # the handover is written
    handover = Handover.objects.get(contact=contact)
    expect(message).to_contain_text(f"Overgedragen aan Den Haag met kenmerk {handover.reference}.")
    expect(message).to_contain_text(f"Uiterste datum: {handover.due_on:%d-%m-%Y}.")
    expect(page.get_by_role("region", name="Overdragen aan de backoffice")).to_have_count(0)
    assert_no_axe_violations(page)

    assert handover.organisation == den_haag and handover.requested_action == RequestedAction.CALL_BACK
    assert handover.resident_name == "Fatima de Vries" and handover.resident_phone == "070 123 4567"
    contact.refresh_from_db()
    assert contact.channel == Channel.COUNTER and contact.outcome == Outcome.HANDED_OVER
    assert contact.ended_at is not None and contact.started_at < contact.ended_at

    page.goto("/kcc/register/?uitkomst=overgedragen")
    row = page.get_by_role("row").filter(has_text=handover.reference)
    expect(row).to_contain_text(re.compile(r"Balie.*Overgedragen.*kcc\.denhaag", re.S))
    assert_no_axe_violations(page)


def test_an_agent_answers_an_email_from_the_desk_by_email(
    page: Page, counter: object, den_haag: Organisation, agent: User
) -> None:
    contact = received(body="Hoe vraag ik een parkeervergunning aan? Ik woon in 2511.")
    log_in(page, agent.username)
    open_emails = page.get_by_role("region", name="Open e-mails")
    open_emails.get_by_role("link", name=re.compile("parkeervergunning")).click()
    expect(page.get_by_role("heading", name="Beantwoorden per e-mail")).to_be_visible()
    expect(page.get_by_text("inwoner@example.nl").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Uw antwoord").fill("U vraagt de vergunning online aan op de website van Den Haag.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Het contact is afgerond")
    assert_no_axe_violations(page)

    contact.refresh_from_db()
    assert (contact.channel, contact.outcome, contact.agent) == (Channel.EMAIL, Outcome.ANSWERED, agent)
    reply = OutgoingMail.objects.get(to="inwoner@example.nl")
    assert "online aan op de website van Den Haag" in reply.body


def test_an_agent_calls_a_resident_whose_appointment_we_cancelled_and_cancels_another_by_its_reference(
    page: Page, den_haag: Organisation, agent: User
) -> None:
    point, offering = make_point(den_haag), make_offering(den_haag)
    day = future_working_day()
    by_phone = book(
        point, offering, at(day, 10), name="Piet de Boer", email="", phone="0612345678", booked_by=agent
    )
    Closure.objects.create(service_point=point, day=day, reason="Staking")
    cancel_on_closed_days(point)
    on_the_web = book_as_resident(point, offering, at(future_working_day(after_days=7), 9))

    log_in(page, agent.username)
    to_call = page.get_by_role("region", name="Inwoners bellen")
    to_call.get_by_role("link", name=f"Afspraak {by_phone.reference}").click()
    expect(page.get_by_text("Piet de Boer, 0612345678")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Inwoner gebeld").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"de inwoner van afspraak {by_phone.reference} is gebeld"
    )
    expect(page.get_by_role("region", name="Inwoners bellen")).to_have_count(0)

    search = page.get_by_role("search")
    search.get_by_label("Zoeken").fill(on_the_web.reference.lower().replace("-", " "))  # as a caller reads it
    search.get_by_role("button", name="Zoeken").click()
    found = page.get_by_role("region", name="Zoeken in alle antwoorden")
    expect(found.get_by_role("heading", name=f"Afspraak {on_the_web.reference}")).to_be_visible()
    assert_no_axe_violations(page)
    found.get_by_label("Balie", exact=True).check()
    found.get_by_role("button", name="Afspraak annuleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    expect(page.get_by_role("status")).to_contain_text(f"De afspraak {on_the_web.reference} is geannuleerd")
    assert_no_axe_violations(page)
    on_the_web.refresh_from_db()
    assert on_the_web.status == BookingStatus.CANCELLED and on_the_web.contact is not None
    assert on_the_web.contact.channel == Channel.COUNTER
