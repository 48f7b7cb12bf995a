"""Automatic replies: off by default; on per organisation, only for confident answers to people."""

import pytest

from antwoord.contacts.models import Outcome
from antwoord.inbox.inbound import process_inbound, store_inbound
from antwoord.inbox.models import InboundMail, MailSettings
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation

from .conftest import DEN_HAAG_DESK, raw_mail


def receive(raw: bytes, to: str = DEN_HAAG_DESK, envelope_sender: str = "inwoner@example.nl") -> InboundMail:
    mail, created = store_inbound(raw, envelope_sender, [to])
    assert created and process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.contact is not None
    return mail


@pytest.fixture
def auto_reply_den_haag(demo: None) -> None:
    MailSettings.objects.create(organisation=Organisation.objects.get(code="gm0518"), auto_reply_enabled=True)


def test_automatic_replies_are_off_by_default(demo: None) -> None:
    mail = receive(raw_mail())
    assert mail.contact is not None and mail.contact.engine_status == "answered"
    assert mail.contact.outcome == Outcome.OPEN and mail.contact.ended_at is None
    assert not OutgoingMail.objects.exists()


def test_when_switched_on_a_confident_answer_goes_out_and_closes_the_contact(
    auto_reply_den_haag: None,
) -> None:
    mail = receive(raw_mail(sender="Inwoner <inwoner@example.nl>"))
    contact = mail.contact
    assert contact is not None and contact.outcome == Outcome.ANSWERED
    assert contact.agent is None and contact.ended_at is not None  # answered by the engine alone
    reply = OutgoingMail.objects.get()
    assert reply.to == "inwoner@example.nl"
    assert reply.subject == "Antwoord op uw vraag"
    assert contact.answer_title in reply.body and "Dit antwoord is automatisch gemaakt" in reply.body
    assert "Mail uw vraag dan opnieuw\nnaar gm0518@antwoord.localhost" in reply.body
    assert "&amp;" not in reply.body and "&#x27;" not in reply.body


def test_the_automatic_reply_goes_to_the_envelope_sender_not_to_a_chosen_reply_to(
    auto_reply_den_haag: None,
) -> None:
    """RFC 3834: else anyone could have the platform mail any address he writes in Reply-To."""
    raw = raw_mail().replace(b"From:", b"Reply-To: iemand-anders@example.org\r\nFrom:", 1)
    mail = receive(raw, envelope_sender="afzender@example.nl")
    assert OutgoingMail.objects.get().to == "afzender@example.nl"
    # An agent who answers by hand still sees the address the sender asked answers to go to.
    assert mail.contact is not None and mail.contact.caller_email == "iemand-anders@example.org"


@pytest.mark.parametrize("envelope_sender", ["", "<>", "geen adres"], ids=["empty", "null", "not-an-address"])
def test_no_automatic_reply_without_an_envelope_sender(
    auto_reply_den_haag: None, envelope_sender: str
) -> None:
    """A bounce has an empty envelope sender; answering it could start a loop between machines."""
    mail = receive(raw_mail(), envelope_sender=envelope_sender)
    assert mail.contact is not None and mail.contact.outcome == Outcome.OPEN
    assert not OutgoingMail.objects.exists()


@pytest.mark.parametrize(
    ("raw", "to"),
    [
        # A machine's mail (an out-of-office, a mailing list) never gets an automatic answer.
        (raw_mail().replace(b"From:", b"Auto-Submitted: auto-replied\r\nFrom:", 1), DEN_HAAG_DESK),
        (raw_mail().replace(b"From:", b"Precedence: bulk\r\nFrom:", 1), DEN_HAAG_DESK),
        # No valid address to answer.
        (raw_mail(sender="geen adres"), DEN_HAAG_DESK),
        # A question the engine cannot answer with confidence waits for an agent.
        (raw_mail(subject="Hallo", body="Waar blijft mijn uitkering? Ik wacht al weken."), DEN_HAAG_DESK),
        # Sent to the general address: no organisation switched replies on there.
        (raw_mail(), "vraag@antwoord.localhost"),
    ],
    ids=["auto-submitted", "bulk", "no-sender-address", "not-confident", "no-organisation"],
)
def test_no_automatic_reply_when_it_is_not_safe(auto_reply_den_haag: None, raw: bytes, to: str) -> None:
    mail = receive(raw, to)
    assert mail.contact is not None and mail.contact.outcome == Outcome.OPEN
    assert not OutgoingMail.objects.exists()


def test_a_postcode_in_a_mail_to_the_general_address_gives_the_place(demo: None) -> None:
    mail = receive(
        raw_mail(body="Hoe vraag ik een parkeervergunning aan? Ik woon op 2511 AB."),
        "vraag@antwoord.localhost",
    )
    contact = mail.contact
    assert contact is not None and contact.engine_status == "answered"
    assert contact.municipality is not None and contact.municipality.code == "gm0518"


def test_the_reply_does_not_repeat_the_senders_subject(auto_reply_den_haag: None) -> None:
    """Else anyone could make the platform mail his own text to any address he puts in Reply-To."""
    # Only signs besides the question: words no text contains would keep the confidence below an automatic reply's.
    spam = "Parkeervergunning €€€ !!! €€€"
    receive(raw_mail(subject=spam))
    reply = OutgoingMail.objects.get()
    assert reply.subject == "Antwoord op uw vraag"
    assert "€€€" not in reply.subject + reply.body and "!!!" not in reply.subject + reply.body
