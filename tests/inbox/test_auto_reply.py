"""Automatic replies: off by default; on per organisation, only for confident answers to people."""

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP

import pytest

from antwoord.contacts.models import Contact, Outcome
from antwoord.contacts.services import MAX_QUESTION_LENGTH
from antwoord.inbox.inbound import NOT_FROM_A_PERSON, SHORTENED, process_inbound, store_inbound
from antwoord.inbox.models import InboundMail, MailSettings
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation

from .conftest import DEN_HAAG_DESK, build_mail, raw_mail


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
    assert not mail.contact.is_automated  # it waits for an agent
    assert not OutgoingMail.objects.exists()


def test_when_switched_on_a_confident_answer_goes_out_and_closes_the_contact(
    auto_reply_den_haag: None,
) -> None:
    mail = receive(raw_mail(sender="Inwoner <inwoner@example.nl>"))
    contact = mail.contact
    assert contact is not None and contact.outcome == Outcome.ANSWERED
    assert contact.agent is None and contact.ended_at is not None  # answered by the engine alone
    assert contact.is_automated
    reply = OutgoingMail.objects.get()
    assert reply.to == "inwoner@example.nl"
    assert reply.subject == "Antwoord op uw vraag"
    assert contact.answer_title in reply.body and "Dit antwoord is automatisch gemaakt" in reply.body
    assert "Beantwoord dan deze e-mail\n(naar gm0518@antwoord.localhost)" in reply.body
    assert reply.reply_to == "gm0518@antwoord.localhost" and not reply.by_person
    assert "Lees het hele antwoord: http" in reply.body
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


@pytest.mark.parametrize(
    ("raw", "envelope_sender"),
    [
        # A bounce has an empty envelope sender (RFC 5321); answering it could start a loop between machines.
        (raw_mail(), ""),
        (raw_mail(), "<>"),
        (raw_mail(sender="MAILER-DAEMON@mail.example.nl"), "bounces@mail.example.nl"),
        # An auto-responder's reply to one of our mails.
        (raw_mail().replace(b"From:", b"Auto-Submitted: auto-replied\r\nFrom:", 1), "inwoner@example.nl"),
        (raw_mail().replace(b"From:", b"X-Autoreply: yes\r\nFrom:", 1), "inwoner@example.nl"),
        (raw_mail().replace(b"From:", b"Precedence: auto_reply\r\nFrom:", 1), "inwoner@example.nl"),
        # Our own reply come back to the intake.
        (raw_mail(), "gm0518@antwoord.localhost"),
    ],
    ids=[
        "empty",
        "null",
        "mailer-daemon",
        "auto-replied",
        "x-autoreply",
        "precedence",
        "loop",
    ],
)
def test_what_no_person_asked_makes_no_contact_and_gets_no_reply(
    auto_reply_den_haag: None, raw: bytes, envelope_sender: str
) -> None:
    mail, _ = store_inbound(raw, envelope_sender, [DEN_HAAG_DESK])
    assert process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.processed_at is not None and mail.contact is None and mail.error == NOT_FROM_A_PERSON
    assert not Contact.objects.exists() and not OutgoingMail.objects.exists()


def test_an_envelope_sender_that_is_no_address_gets_a_contact_but_no_reply(auto_reply_den_haag: None) -> None:
    """Not a bounce (that has the null sender): a person may be behind it, but there is nowhere to answer."""
    mail = receive(raw_mail(), envelope_sender="geen adres")
    assert mail.contact is not None and mail.contact.outcome == Outcome.OPEN
    assert not OutgoingMail.objects.exists()


def test_many_attachments_are_counted_and_the_question_still_fits(demo: None) -> None:
    message = build_mail(body="Zie de bijlagen.")
    for number in range(25):
        message.add_attachment(
            b"x", maintype="application", subtype="pdf", filename=f"{'scan' * 20}-{number}.pdf"
        )
    question = receive(message.as_bytes(policy=SMTP)).contact.question  # type: ignore[union-attr]
    assert len(question) <= MAX_QUESTION_LENGTH and question.startswith(
        "Parkeervergunning\n\nZie de bijlagen."
    )
    assert question.endswith(", en 15 andere")


def test_without_a_usable_from_or_reply_to_the_agent_can_answer_the_envelope_sender(demo: None) -> None:
    mail = receive(raw_mail(sender="Jan zonder adres"), envelope_sender="jan@example.nl")
    assert mail.contact is not None and mail.contact.caller_email == "jan@example.nl"


def test_a_delivery_report_makes_no_contact(auto_reply_den_haag: None) -> None:
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "Mail Delivery System <bounce@mail.example.nl>"
    report["Subject"] = "Onbestelbaar: Antwoord op uw vraag"
    report.attach(MIMEText("Het bericht kon niet worden bezorgd."))
    mail, _ = store_inbound(report.as_bytes(), "bounce@mail.example.nl", [DEN_HAAG_DESK])
    assert process_inbound(mail.pk)
    assert not Contact.objects.exists()


def test_a_reply_to_an_answer_goes_to_an_agent_without_the_quoted_answer(auto_reply_den_haag: None) -> None:
    """ "Helpt het u niet? Beantwoord dan deze e-mail": the reply reaches a person, not the engine again."""
    body = (
        "Dit antwoord hielp niet, ik heb al een parkeervergunning aangevraagd.\n\n"
        "Op 3 mei 2026 schreef Den Haag <gm0518@antwoord.localhost>:\n"
        "> Hoe vraag ik een parkeervergunning aan?\n> Dat doet u online."
    )
    raw = raw_mail(subject="Re: Antwoord op uw vraag", body=body).replace(
        b"From:", b"In-Reply-To: <1@antwoord.localhost>\r\nFrom:", 1
    )
    mail = receive(raw)
    assert mail.contact is not None and mail.contact.outcome == Outcome.OPEN
    assert mail.contact.question == (
        "Re: Antwoord op uw vraag\n\nDit antwoord hielp niet, ik heb al een parkeervergunning aangevraagd."
    )
    assert not OutgoingMail.objects.exists()


def test_a_mail_with_an_attachment_goes_to_an_agent_who_is_told_of_it(auto_reply_den_haag: None) -> None:
    message = build_mail(body="Hoe vraag ik een parkeervergunning aan? Zie de bijlage.")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="brief.pdf")
    mail = receive(message.as_bytes(policy=SMTP))
    assert mail.contact is not None and mail.contact.outcome == Outcome.OPEN
    assert mail.contact.question.endswith("Zie de bijlage.\n\nBijlagen: brief.pdf")
    assert not OutgoingMail.objects.exists()


def test_a_long_mail_is_shortened_with_a_word_and_keeps_its_attachments_line(demo: None) -> None:
    message = build_mail(body="Mijn vraag gaat over parkeren. " * 150 + "Mijn telefoon is 0612345678.")
    message.add_attachment(b"x", maintype="application", subtype="pdf", filename="brief.pdf")
    question = receive(message.as_bytes(policy=SMTP)).contact.question  # type: ignore[union-attr]
    assert len(question) <= MAX_QUESTION_LENGTH
    assert question.endswith(f"{SHORTENED}\n\nBijlagen: brief.pdf")


@pytest.mark.parametrize(
    ("raw", "to"),
    [
        # A machine's mail (a notice, a mailing list) never gets an automatic answer.
        (raw_mail().replace(b"From:", b"Auto-Submitted: auto-generated\r\nFrom:", 1), DEN_HAAG_DESK),
        (raw_mail().replace(b"From:", b"Precedence: bulk\r\nFrom:", 1), DEN_HAAG_DESK),
        (raw_mail().replace(b"From:", b"List-Id: <buurt.example.nl>\r\nFrom:", 1), DEN_HAAG_DESK),
        # No valid address to answer.
        (raw_mail(sender="geen adres"), DEN_HAAG_DESK),
        # A question the engine cannot answer with confidence waits for an agent.
        (raw_mail(subject="Hallo", body="Waar blijft mijn uitkering? Ik wacht al weken."), DEN_HAAG_DESK),
        # Sent to the general address: no organisation switched replies on there.
        (raw_mail(), "vraag@antwoord.localhost"),
    ],
    ids=["auto-submitted", "bulk", "list", "no-sender-address", "not-confident", "no-organisation"],
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


def test_a_subaddress_reaches_the_organisation_of_its_mailbox(auto_reply_den_haag: None) -> None:
    """ "gm0518+parkeren@…" is Den Haag's mailbox with a tag a resident or a form added."""
    tagged = "gm0518+parkeren@antwoord.localhost"
    mail = receive(raw_mail(to=tagged), to=tagged)
    assert mail.contact is not None and mail.contact.taken_by == Organisation.objects.get(code="gm0518")
    assert OutgoingMail.objects.get().reply_to == tagged  # the resident's answer goes where he wrote
