"""A resident's reply to a mail we sent about a contact follows that contact: the desk sees the two together."""

from email.policy import SMTP

import pytest
from django.test import Client
from django.urls import reverse

from antwoord.accounts.models import Role, User
from antwoord.contacts.models import Channel, Contact, Outcome, RequestedAction
from antwoord.contacts.services import answer_handover, hand_over, start_contact
from antwoord.desk.services import reply_by_email
from antwoord.inbox.inbound import process_inbound, store_inbound
from antwoord.inbox.models import MailSettings
from antwoord.inbox.parsing import MAX_REFERENCES, parse_mail
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_user
from tests.contacts.conftest import client_for
from tests.desk.conftest import received
from tests.inbox.conftest import DEN_HAAG_DESK, build_mail

GENERAL_ADDRESS = "vraag@antwoord.localhost"
REPLY = "Dat heb ik al gedaan, maar ik kan niet inloggen. Wat nu?"


def reply_to(sent: OutgoingMail, *, to: str = DEN_HAAG_DESK, references: str = "") -> Contact:
    """The resident answers our mail from his mail program: In-Reply-To and References name it."""
    message = build_mail(
        subject="Re: Antwoord op uw vraag", body=REPLY, message_id="<reactie@inwoner.example>", to=to
    )
    message["In-Reply-To"] = sent.message_id
    message["References"] = references or sent.message_id
    mail, _ = store_inbound(message.as_bytes(policy=SMTP), "inwoner@example.nl", [to])
    assert process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.contact is not None
    return mail.contact


def test_a_reply_to_the_automatic_answer_follows_its_contact_on_the_desk(
    den_haag: Organisation, agent_client: Client
) -> None:
    MailSettings.objects.create(organisation=den_haag, auto_reply_enabled=True)
    first = received(subject="Parkeervergunning")
    assert first.outcome == Outcome.ANSWERED
    sent = OutgoingMail.objects.get()
    assert sent.contact == first

    follow_up = reply_to(sent)

    assert follow_up.follows == first and follow_up.taken_by == den_haag
    assert follow_up.outcome == Outcome.OPEN and OutgoingMail.objects.count() == 1  # a person answers it
    page = agent_client.get(reverse("desk:contact", args=[follow_up.uuid])).content.decode()
    assert "Vervolg op" in page and reverse("desk:contact", args=[first.uuid]) in page
    earlier_page = agent_client.get(reverse("desk:contact", args=[first.uuid])).content.decode()
    assert (
        "Reactie per e-mail" in earlier_page
        and reverse("desk:contact", args=[follow_up.uuid]) in earlier_page
    )
    home = agent_client.get(reverse("desk:home")).content.decode()
    assert "reactie op onze e-mail" in home


def test_a_reply_to_the_general_address_goes_to_the_desk_that_answered(
    den_haag: Organisation, agent: User
) -> None:
    first = received(subject="Parkeervergunning")
    sent = reply_by_email(first, agent, "Dat kan online.", answer=None)
    assert sent.contact == first

    follow_up = reply_to(sent, to=GENERAL_ADDRESS, references=f"<ouder@inwoner.example> {sent.message_id}")

    assert follow_up.follows == first and follow_up.taken_by == den_haag


def test_a_reply_to_a_back_office_answer_shows_another_desk_only_whose_and_when(
    den_haag: Organisation, agent: User
) -> None:
    """The back office of the province answered a question Den Haag's desk took: the province's desk may not
    read Den Haag's contact, so it sees that there was one, not what it said."""
    province = den_haag.province
    assert province is not None
    contact = start_contact(Channel.PHONE, "Mijn subsidieaanvraag voor de dijk", agent=agent)
    handover = hand_over(
        contact,
        province,
        requested_action=RequestedAction.ANSWER_BY_EMAIL,
        email="inwoner@example.nl",
        actor=agent,
    )
    worker = make_user("bo.provincie", (province, Role.BACKOFFICE))
    answer_handover(handover, worker, "U krijgt de subsidie.")
    sent = OutgoingMail.objects.filter(contact=contact, by_person=True).get()

    follow_up = reply_to(sent, to=sent.reply_to)

    assert follow_up.follows == contact and follow_up.taken_by == province
    desk = Client()
    desk.force_login(make_user("kcc.provincie", (province, Role.AGENT)))
    page = desk.get(reverse("desk:contact", args=[follow_up.uuid])).content.decode()
    assert f"bij {den_haag.name}" in page
    assert "subsidieaanvraag" not in page and reverse("desk:contact", args=[contact.uuid]) not in page


@pytest.mark.parametrize(
    "references",
    ["<onbekend@elders.example>", "geen-message-id", "<" + "x" * 5000 + ">", "<a@b> " * 10_000],
)
def test_a_reply_naming_no_mail_of_ours_starts_on_its_own(demo: None, references: str) -> None:
    message = build_mail(subject="Re: vraag", body=REPLY)
    message["In-Reply-To"] = references[:900]
    message["References"] = references
    mail, _ = store_inbound(message.as_bytes(policy=SMTP), "inwoner@example.nl", [DEN_HAAG_DESK])
    assert process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.contact is not None and mail.contact.follows is None


def test_references_are_read_in_order_without_doubles_and_capped() -> None:
    message = build_mail()
    message["In-Reply-To"] = "<direct@antwoord.localhost>"
    message["References"] = " ".join(f"<{i}@x>" for i in range(50)) + " <direct@antwoord.localhost>"
    parsed = parse_mail(message.as_bytes(policy=SMTP))
    assert parsed.references[:3] == ("<direct@antwoord.localhost>", "<0@x>", "<1@x>")
    assert len(parsed.references) == MAX_REFERENCES and parsed.is_reply


def test_the_api_names_the_contact_a_reply_follows(den_haag: Organisation, agent: User) -> None:
    first = received(subject="Parkeervergunning")
    follow_up = reply_to(reply_by_email(first, agent, "Dat kan online.", answer=None))
    body = client_for(agent).get(f"/api/v1/contacts/{follow_up.uuid}").json()
    assert body["follows"] == str(first.uuid)
    assert client_for(agent).get(f"/api/v1/contacts/{first.uuid}").json()["follows"] is None
