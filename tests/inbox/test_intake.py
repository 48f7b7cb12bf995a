"""The SMTP intake: real mail over loopback becomes a contact, exactly once, whatever the mail looks like."""

import smtplib
from collections.abc import Callable
from typing import Any

import pytest

from antwoord.accounts.models import Role
from antwoord.contacts.models import Channel, Contact, Outcome
from antwoord.desk.services import desk_contact, open_emails
from antwoord.inbox import inbound
from antwoord.inbox import intake as intake_module
from antwoord.inbox.inbound import process_pending_inbound
from antwoord.inbox.intake import MAX_RECIPIENTS
from antwoord.inbox.models import InboundMail
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import DEN_HAAG_DESK, build_mail, raw_mail, send_raw, wait_for


def test_mail_sent_with_smtplib_becomes_a_contact_with_the_engines_suggestion(
    demo: None, start_intake: Callable[..., int]
) -> None:
    port = start_intake(process_at_once=True)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        refused = client.send_message(build_mail())
    assert refused == {}
    wait_for(lambda: InboundMail.objects.filter(processed_at__isnull=False).exists())
    contact = Contact.objects.get()
    assert contact.channel == Channel.EMAIL and contact.outcome == Outcome.OPEN and contact.agent is None
    assert contact.question == "Parkeervergunning\n\nHoe vraag ik een parkeervergunning aan?"
    # The engine's suggestion for the agent: Den Haag's own offering, since the mail went to Den Haag.
    assert contact.engine_status == "answered" and contact.answer_kind == "offering"
    assert contact.municipality == Organisation.objects.get(code="gm0518")
    # Den Haag's desk takes it, and an agent can answer the sender.
    assert contact.taken_by == Organisation.objects.get(code="gm0518")
    assert (contact.caller_name, contact.caller_email) == ("Inwoner", "inwoner@example.nl")
    mail = InboundMail.objects.get()
    assert mail.contact == contact and mail.error == "" and mail.mail_from == "inwoner@example.nl"
    assert mail.message_id == "<vraag-1@inwoner.example>" and mail.recipients == DEN_HAAG_DESK
    assert not OutgoingMail.objects.exists()  # automatic replies are off by default


def test_the_same_message_id_sent_twice_gives_one_contact(
    demo: None, start_intake: Callable[..., int]
) -> None:
    port = start_intake(process_at_once=True)
    for _ in range(2):
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            assert client.send_message(build_mail()) == {}  # the second delivery is accepted too
    wait_for(lambda: InboundMail.objects.filter(processed_at__isnull=False).exists())
    assert process_pending_inbound() == 0
    assert InboundMail.objects.count() == 1 and Contact.objects.count() == 1


def test_a_mail_without_message_id_is_known_by_its_bytes(demo: None, intake: int) -> None:
    first = raw_mail(message_id=None)
    send_raw(intake, first)
    send_raw(intake, first)
    send_raw(intake, raw_mail(message_id=None, body="Hoe vraag ik een paspoort aan?"))
    assert process_pending_inbound() == 2
    assert Contact.objects.count() == 2
    assert all(m.message_id.startswith("<sha256-") for m in InboundMail.objects.all())


def test_a_crash_while_processing_loses_nothing_and_a_rerun_makes_one_contact(
    demo: None, intake: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    send_raw(intake, raw_mail())

    def crash(*args: Any) -> None:
        raise RuntimeError("stroom uitgevallen")

    with monkeypatch.context() as patch:
        patch.setattr(inbound, "note_engine_response", crash)
        assert process_pending_inbound() == 0
    assert not Contact.objects.exists()  # the half-made contact was rolled back
    mail = InboundMail.objects.get()
    assert mail.processed_at is None and mail.attempts == 1 and "stroom uitgevallen" in mail.error
    assert process_pending_inbound() == 1
    assert process_pending_inbound() == 0
    assert Contact.objects.count() == 1 and InboundMail.objects.get().contact is not None


def test_an_oversize_mail_is_refused_with_552_and_not_stored(
    settings: Any, start_intake: Callable[..., int]
) -> None:
    settings.MAIL_MAX_BYTES = 2000
    port = start_intake()
    big = raw_mail(body="Een lange vraag.\n" * 400)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        # A client that announces the size is refused at once...
        with pytest.raises(smtplib.SMTPSenderRefused) as announced:
            client.sendmail("inwoner@example.nl", [DEN_HAAG_DESK], big)
        assert announced.value.smtp_code == 552
        client.rset()
        # ...and one that does not, at the end of DATA.
        client.mail("inwoner@example.nl")
        client.rcpt(DEN_HAAG_DESK)
        code, _ = client.data(big)
    assert code == 552
    assert not InboundMail.objects.exists()


def test_when_storing_fails_the_sender_is_told_to_try_again_later(
    intake: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_down(*args: Any) -> None:
        raise OSError("database down")

    monkeypatch.setattr(intake_module, "store_inbound", database_down)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send_raw(intake, raw_mail())
    assert refused.value.smtp_code == 451  # a temporary error: the sender's server tries again
    assert not InboundMail.objects.exists()


def test_recipients_outside_the_intake_domains_or_too_many_are_refused(intake: int) -> None:
    with smtplib.SMTP("127.0.0.1", intake, timeout=10) as client:
        client.ehlo()
        client.mail("inwoner@example.nl")
        assert client.rcpt("iemand@example.com")[0] == 550  # never an open relay
        for number in range(MAX_RECIPIENTS):
            assert client.rcpt(f"balie{number}@antwoord.localhost")[0] == 250
        assert client.rcpt("nog-een@antwoord.localhost")[0] == 452


HTML_WITH_SCRIPT = (
    b"From: inwoner@example.nl\r\nTo: vraag@antwoord.localhost\r\nSubject: Vraag\r\n"
    b"Message-ID: <html@example.nl>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    b"<html><head><style>p {color: red}</style></head><body><p>Hoe vraag ik een <b>paspoort</b> aan?</p>"
    b"<script>alert('hack')</script><img src=x onerror=alert(1)></body></html>\r\n"
)
BROKEN_BYTES = (
    b"From: inwoner@example.nl\r\nTo: vraag@antwoord.localhost\r\nMessage-ID: <bytes@example.nl>\r\n"
    b"Subject: =?x-onbekend?Q?caf=E9?= \xff\xfe kapot\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Mijn paspoort is verlopen \xff\xfe\xfd wat nu?\r\n"
)
UNKNOWN_CHARSET = (
    b"From: <<<@@@>>>\r\nTo: vraag@antwoord.localhost\r\nMessage-ID: <charset@example.nl>\r\n"
    b"Dit is geen kopregel\r\nContent-Type: text/plain; charset=x-marsiaans\r\n\r\n"
    b"Paspoort kwijt \xe9\xe9n keer\r\n"
)
NO_SUBJECT = (
    b"From: inwoner@example.nl\r\nTo: vraag@antwoord.localhost\r\nMessage-ID: <nosubject@example.nl>\r\n"
    b"\r\nHoe vraag ik een paspoort aan?\r\n"
)
# decode_header raises HeaderParseError on "=?utf-8?b?a?=" ("a" is no base64), in every header.
BROKEN_ENCODED_WORDS = (
    b"Message-ID: =?utf-8?b?a?=\r\nFrom: =?utf-8?b?a?=\r\nReply-To: =?utf-8?b?a?=\r\n"
    b"To: vraag@antwoord.localhost\r\nSubject: =?utf-8?b?a?=\r\n\r\nHoe vraag ik een paspoort aan?\r\n"
)
NO_TEXT_CHARSET = (
    b"From: inwoner@example.nl\r\nTo: vraag@antwoord.localhost\r\nMessage-ID: <rot13@example.nl>\r\n"
    b"Subject: Vraag\r\nContent-Type: text/plain; charset=rot13\r\n\r\nPaspoort kwijt \xe9\xe9n keer\r\n"
)
HUGE_HEADER = (
    b"From: inwoner@example.nl\r\nTo: vraag@antwoord.localhost\r\nMessage-ID: <huge@example.nl>\r\n"
    + b"Subject: paspoort"
    + b"\r\n paspoort" * 20_000
    + b"\r\nX-Rommel: a"
    + b"\r\n a" * 20_000
    + b"\r\n\r\nHoe vraag ik een paspoort aan?\r\n"
)


@pytest.mark.parametrize(
    ("raw", "expected", "absent"),
    [
        (HTML_WITH_SCRIPT, "Hoe vraag ik een paspoort aan?", ["alert", "script", "<", "color"]),
        (BROKEN_BYTES, "Mijn paspoort is verlopen \ufffd\ufffd\ufffd wat nu?", ["\xff"]),
        (UNKNOWN_CHARSET, "Paspoort kwijt \ufffd\ufffdn keer", []),
        (NO_SUBJECT, "Hoe vraag ik een paspoort aan?", []),
        (HUGE_HEADER, "paspoort paspoort", []),
        (BROKEN_ENCODED_WORDS, "=?utf-8?b?a?=\n\nHoe vraag ik een paspoort aan?", []),
        (NO_TEXT_CHARSET, "Paspoort kwijt \ufffd\ufffdn keer", []),
    ],
    ids=[
        "html-with-script",
        "invalid-utf8",
        "unknown-charset-and-bad-headers",
        "no-subject",
        "huge-header",
        "broken-encoded-words",
        "rot13-charset",
    ],
)
def test_malformed_and_hostile_mail_becomes_a_clean_contact(
    demo: None, intake: int, raw: bytes, expected: str, absent: list[str]
) -> None:
    send_raw(intake, raw, to=["vraag@antwoord.localhost"])
    assert process_pending_inbound() == 1
    contact = Contact.objects.get()
    assert expected in contact.question and len(contact.question) <= 2000
    for fragment in absent:
        assert fragment not in contact.question
    assert contact.engine_status in ("answered", "clarify", "handover")
    assert InboundMail.objects.get().attempts == 0  # processed at the first attempt, nothing failed


def test_an_empty_mail_is_kept_with_a_clear_error_instead_of_a_contact(intake: int) -> None:
    send_raw(intake, b"From: inwoner@example.nl\r\nMessage-ID: <leeg@example.nl>\r\n\r\n   \r\n")
    assert process_pending_inbound() == 1
    mail = InboundMail.objects.get()
    assert mail.processed_at is not None and mail.contact is None
    assert mail.error == "De e-mail heeft geen onderwerp en geen tekst: er is geen contact van gemaakt."
    assert not Contact.objects.exists()


def _general_mail(intake: int, body: str, message_id: str) -> Contact:
    send_raw(intake, raw_mail(body=body, message_id=message_id), ["vraag@antwoord.localhost"])
    wait_for(lambda: InboundMail.objects.filter(message_id=message_id, processed_at__isnull=False).exists())
    contact = InboundMail.objects.get(message_id=message_id).contact
    assert contact is not None
    return contact


def test_a_mail_to_the_general_address_reaches_the_desk_of_the_organisation_responsible(
    demo: None, start_intake: Callable[..., int]
) -> None:
    """Like a question on the web: not left where only an administrator sees it."""
    intake = start_intake(process_at_once=True)
    den_haag, national = (
        Organisation.objects.get(code="gm0518"),
        Organisation.objects.get(code="rijksoverheid"),
    )
    local = _general_mail(intake, "Hoe vraag ik een parkeervergunning aan? Ik woon op 2511 AB.", "<lokaal@x>")
    assert local.taken_by == den_haag  # Den Haag's own offering answers it
    general = _general_mail(
        intake, "Wat is het verschil tussen een paspoort en een identiteitskaart?", "<rijk@x>"
    )
    assert general.taken_by == national  # a national text answers it, and no place is known

    den_haag_agent = make_user("kcc.denhaag", (den_haag, Role.AGENT))
    national_agent = make_user("kcc.rijk", (national, Role.AGENT))
    assert list(open_emails(den_haag_agent)) == [local]
    assert list(open_emails(national_agent)) == [general]
    assert desk_contact(den_haag_agent, general.uuid) is None  # another organisation's mail
