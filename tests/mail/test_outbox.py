"""The outbox goes out through a real SMTP server on loopback, and waits while the relay is down."""

from pathlib import Path
from typing import Any

import pytest

from antwoord.contacts.models import Channel
from antwoord.contacts.services import start_contact
from antwoord.inbox.models import InboundMail
from antwoord.mail.models import OutgoingMail
from antwoord.mail.services import Attachment, queue_mail, send_pending

from .conftest import Sink, free_port

ANSWER = {"title": "Paspoort & ID-kaart", "snippet": "Vraag het aan bij de gemeente.", "url": ""}
CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def queue(**extra: Any) -> OutgoingMail:
    return queue_mail("inwoner@example.nl", "auto_reply", {"answer": ANSWER}, **extra)


@pytest.mark.django_db
def test_send_pending_delivers_with_the_template_and_the_ics_attachment(sink: Sink) -> None:
    mail = queue(attachment=Attachment("afspraak.ics", "text/calendar; method=PUBLISH", CALENDAR))
    assert send_pending() == 1
    (message,) = sink.messages
    assert message["To"] == "inwoner@example.nl" and message["Message-ID"] == mail.message_id
    assert message["Subject"] == "Antwoord op uw vraag"
    assert message["Auto-Submitted"] == "auto-generated"  # no out-of-office reply loops
    body, attachment = [part for part in message.walk() if not part.is_multipart()]
    assert "Paspoort & ID-kaart" in body.get_content()  # plain text, not escaped
    assert attachment.get_filename() == "afspraak.ics" and attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"  # the type's parameters are kept (iMIP)
    assert "BEGIN:VCALENDAR" in attachment.get_content()
    mail.refresh_from_db()
    assert mail.sent_at is not None and mail.attempts == 1
    assert send_pending() == 0  # sent once


@pytest.mark.django_db
def test_an_answer_to_a_mail_threads_under_it_and_a_persons_is_not_marked_automatic(sink: Sink) -> None:
    contact = start_contact(Channel.EMAIL, "Parkeervergunning")
    thread = "<begin@inwoner.example> <antwoord-1@antwoord.localhost> <vraag-1@inwoner.example>"
    InboundMail.objects.create(
        message_id="<vraag-1@inwoner.example>", raw=b"", contact=contact, thread=thread
    )
    mail = queue_mail("inwoner@example.nl", "desk_reply", {"text": "Hallo"}, by_person=True, contact=contact)
    assert send_pending() == 1
    (message,) = sink.messages
    assert message["Message-ID"] == mail.message_id
    assert message["In-Reply-To"] == "<vraag-1@inwoner.example>" and message["References"] == thread
    assert message["Auto-Submitted"] is None  # a person wrote it: an out-of-office reply may answer


@pytest.mark.django_db
def test_a_back_offices_answer_is_a_persons_and_replies_go_to_its_intake_address(sink: Sink) -> None:
    queue(reply_to="gm0518@antwoord.localhost", by_person=True)
    assert send_pending() == 1
    (message,) = sink.messages
    assert message["Reply-To"] == "gm0518@antwoord.localhost"
    assert message["Auto-Submitted"] is None and message["In-Reply-To"] is None


@pytest.mark.django_db
def test_mail_stays_in_the_outbox_while_the_relay_is_down(settings: Any, sink: Sink) -> None:
    settings.EMAIL_PORT = free_port()  # nobody listens there
    mail = queue()
    assert send_pending() == 0
    mail.refresh_from_db()
    assert mail.sent_at is None
    settings.EMAIL_PORT = sink.port
    assert send_pending() == 1 and len(sink.messages) == 1


@pytest.mark.django_db
def test_a_resend_after_a_refusal_keeps_the_message_id(sink: Sink) -> None:
    sink.refuse = 1
    mail = queue()
    assert send_pending() == 0
    mail.refresh_from_db()
    assert mail.attempts == 1 and "451" in mail.last_error and mail.sent_at is None
    assert send_pending() == 1
    assert [m["Message-ID"] for m in sink.messages] == [mail.message_id]


@pytest.mark.django_db
def test_without_a_relay_the_embedded_default_can_write_mail_to_files(settings: Any, tmp_path: Path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-mail"
    mail = queue()
    assert send_pending() == 1
    (written,) = (tmp_path / "sent-mail").iterdir()
    assert mail.message_id in written.read_text()
