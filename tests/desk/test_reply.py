"""An agent answers an e-mail himself from the desk: the mail is queued and the contact closed, or neither.
Every showing of the caller details is written to the processing log."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from antwoord.accounts.models import User
from antwoord.answers.engine.decide import Answer
from antwoord.contacts.models import Channel, Contact, Outcome, PersonalDataView
from antwoord.desk.services import CALLER_DETAILS_PURPOSE, MAX_REPLY_LENGTH, REPLY_NOTE, whole_text_page
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.desk.conftest import received

SENDERS_SUBJECT = "Dringend: klik op deze link"


def reply_url(contact: Contact) -> str:
    return reverse("desk:contact-reply", args=[contact.uuid])


def assert_untouched(contact: Contact) -> None:
    assert not OutgoingMail.objects.exists()
    contact.refresh_from_db()
    assert contact.outcome == Outcome.OPEN and contact.ended_at is None and contact.agent is None


def test_the_draft_links_to_the_whole_answer_as_the_desk_does(agent_client: Client) -> None:
    """The desk shows a snippet; the resident and the agent can read the whole answer behind a link."""
    contact = received(subject="Parkeervergunning")
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    reply = page.context["reply_form"].initial["reply"]
    assert contact.answer_title and contact.answer_title in reply
    [link] = re.findall(r"^https?://\S+$", reply, re.MULTILINE)
    assert f'href="{link}"' in page.content.decode() and "Lees het hele antwoord" in page.content.decode()


def test_an_articles_whole_text_is_on_our_own_page(settings: Any) -> None:
    settings.SITE_URL = "https://antwoord.example"
    uuid = "2612be8a-de41-4aa9-8dc7-65084baee981"
    article = Answer(
        f"article:{uuid}", "article", uuid, "", "Paspoort", {}, url="https://www.rijksoverheid.nl"
    )
    assert whole_text_page(article) == f"https://antwoord.example/vragen/{uuid}/"


def test_the_agent_answers_by_email_and_the_contact_is_closed(
    agent_client: Client, agent: User, den_haag: Organisation
) -> None:
    contact = received(sender="Fatima de Vries <fatima@example.nl>", subject=SENDERS_SUBJECT)
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    assert "Beantwoorden per e-mail" in page.content.decode()
    initial = page.context["reply_form"].initial
    # The draft is built from the engine's answer, which the intake also noted on the contact.
    assert initial["answer_key"] == contact.answer_key
    assert contact.answer_title in initial["reply"] and initial["reply"].startswith("Beste Fatima de Vries,")

    text = initial["reply"] + "\r\nMeer vragen? Bel <14 070> & vraag naar Balie 3."
    response = agent_client.post(reply_url(contact), {"answer_key": initial["answer_key"], "reply": text})

    assert response.status_code == 302
    mail = OutgoingMail.objects.get()
    assert mail.to == "fatima@example.nl" and mail.in_reply_to == contact.inbound_mail.message_id
    assert mail.by_person and mail.reply_to == "gm0518@antwoord.localhost"  # her answer reaches Den Haag
    assert mail.subject == f"Antwoord op uw vraag aan {den_haag.name}"
    assert "klik" not in mail.subject  # never the sender's own subject
    # Plain text: the agent's text as he wrote it, not HTML-escaped, and signed by the organisation.
    assert "Meer vragen? Bel <14 070> & vraag naar Balie 3." in mail.body and "\r" not in mail.body
    assert mail.body.rstrip().endswith(den_haag.name)
    contact.refresh_from_db()
    assert contact.outcome == Outcome.ANSWERED and contact.ended_at is not None
    assert contact.agent == agent and contact.note == REPLY_NOTE and contact.channel == Channel.EMAIL
    assert contact.answer_key == initial["answer_key"]
    after = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    assert "fatima@example.nl" in after.content.decode() and "reply_form" not in after.context


def test_a_reply_the_agent_signed_himself_gets_no_second_closing(agent_client: Client) -> None:
    contact = received(sender="Fatima de Vries <fatima@example.nl>")
    initial = agent_client.get(reverse("desk:contact", args=[contact.uuid])).context["reply_form"].initial
    text = initial["reply"] + "\n\nMet vriendelijke groet,\nSanne, klantcontactcentrum"
    agent_client.post(reply_url(contact), {"answer_key": initial["answer_key"], "reply": text})
    body = OutgoingMail.objects.get().body
    assert body.count("vriendelijke groet") == 1 and body.rstrip().endswith("Sanne, klantcontactcentrum")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \r\n ", "Schrijf uw antwoord."),
        ("x" * (MAX_REPLY_LENGTH + 1), f"Gebruik hoogstens {MAX_REPLY_LENGTH} tekens."),
        ("<p>Beste mevrouw,<br>zie de site.</p>", "zonder HTML-codes"),
    ],
)
def test_an_empty_too_long_or_html_reply_is_refused(
    agent_client: Client, den_haag: Organisation, text: str, message: str
) -> None:
    contact = received()
    response = agent_client.post(reply_url(contact), {"answer_key": "", "reply": text})
    assert response.status_code == 400 and message in response.content.decode()
    assert_untouched(contact)


def test_an_answer_that_is_not_among_the_engines_answers_is_refused(
    agent_client: Client, den_haag: Organisation
) -> None:
    contact = received()
    response = agent_client.post(reply_url(contact), {"answer_key": "article:onbekend", "reply": "Hallo"})
    assert response.status_code == 400
    assert "Kies het antwoord dat u hebt gebruikt uit de lijst." in response.content.decode()
    assert_untouched(contact)


def test_a_contact_without_an_email_address_cannot_be_answered_by_email(
    agent_client: Client, den_haag: Organisation
) -> None:
    contact = received()
    Contact.objects.filter(pk=contact.pk).update(caller_email="")
    assert "reply_form" not in agent_client.get(reverse("desk:contact", args=[contact.uuid])).context
    response = agent_client.post(reply_url(contact), {"answer_key": "", "reply": "Hallo"})
    assert response.status_code == 400 and "geen e-mailadres bekend" in response.content.decode()
    assert_untouched(contact)


def test_a_closed_contact_is_not_answered_again(agent_client: Client, den_haag: Organisation) -> None:
    contact = received()
    closing = agent_client.post(reverse("desk:contact-close", args=[contact.uuid]), {"outcome": "afgebroken"})
    assert closing.status_code == 302
    response = agent_client.post(reply_url(contact), {"answer_key": "", "reply": "Hallo"})
    assert response.status_code == 409 and "Dit contact is al afgerond." in response.content.decode()
    assert not OutgoingMail.objects.exists()
    contact.refresh_from_db()
    assert contact.outcome == Outcome.ABANDONED


def test_an_agent_of_another_organisation_cannot_answer_the_mail(
    rotterdam_client: Client, den_haag: Organisation
) -> None:
    contact = received()
    response = rotterdam_client.post(reply_url(contact), {"answer_key": "", "reply": "Hallo"})
    assert response.status_code == 404
    assert_untouched(contact)


def test_who_may_not_see_the_sender_cannot_write_to_him(db: None, den_haag: Organisation) -> None:
    contact = received()
    administrator = Client()
    administrator.force_login(User.objects.create_superuser("beheer", password="geheim-wachtwoord-123"))
    response = administrator.post(reply_url(contact), {"answer_key": "", "reply": "Hallo"})
    html = response.content.decode()
    assert response.status_code == 403 and "inwoner@example.nl" not in html
    assert "Alleen het klantcontactcentrum dat deze vraag kreeg" in html
    assert_untouched(contact)
    # He did not see the caller details either, so nothing went into the processing log.
    assert not PersonalDataView.objects.exists()


def test_showing_the_caller_details_is_logged(
    agent_client: Client, agent: User, den_haag: Organisation
) -> None:
    contact = received(sender="Fatima de Vries <fatima@example.nl>")
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    assert "Fatima de Vries" in page.content.decode()
    view = PersonalDataView.objects.get()
    assert (view.contact, view.handover, view.viewer) == (contact, None, agent)
    assert view.purpose == CALLER_DETAILS_PURPOSE


def test_a_contact_without_caller_details_logs_nothing(agent_client: Client, den_haag: Organisation) -> None:
    started = agent_client.post(
        reverse("desk:contact-start"),
        {"channel": "telefoon", "question": "Hoe vraag ik een parkeervergunning aan?", "postcode": "2511 AA"},
    )
    assert started.status_code == 302
    contact = Contact.objects.get()
    assert agent_client.get(reverse("desk:contact", args=[contact.uuid])).status_code == 200
    assert not PersonalDataView.objects.exists()
