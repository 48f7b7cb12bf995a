"""Incoming mail: store it first, then turn it into a contact with the engine's suggested answer.

Exactly once. The SMTP intake stores the raw mail (`store_inbound`) before it answers "250"; a mail whose
Message-ID is already stored is accepted again but not stored twice. `process_inbound` creates the contact
and marks the mail processed in one transaction: a crash half-way rolls both back, and the worker redoes it.

Which organisation a mail is for: the part before the @ of the address it was sent to is an
organisation's code — `gm0518@<intake domain>` is Den Haag, `pv28@…` Zuid-Holland, `duo@…` DUO. Any other
address at an intake domain (`vraag@…`) reaches the national counter: the place comes from a postcode in
the mail ("2511 AB") when there is one, and the mail goes to the desk of the organisation responsible, as
a question on the web does: the one the engine names or whose text answers it, else the municipality of
the place, else the national government's contact centre. A mail to a municipality is answered for that
municipality.

A reply to a mail we sent about a contact (an answer, a handover's confirmation) follows that contact: the
desk shows the earlier question with the new one, and a reply to a general address goes to the desk that took
the earlier contact, or to the organisation that has its question now; a back office whose answer it replies
to reads that in its handover's history. An organisation without agents in
ANTWOORD does not let mail wait unread: its stand-in's desk takes it, else the national counter's.

No contact is made of what no person asked: an auto-responder's reply, a bounce (the null envelope sender,
a delivery report, MAILER-DAEMON) or a mail from our own addresses (our own mail come back).

Automatic replies go out only when all of these hold: the mail was sent to an organisation that switched
them on (MailSettings, off by default); the engine answered with a confidence of at least
AUTO_REPLY_MIN_CONFIDENCE; the sender has a valid address; the mail was not itself sent by a machine
(RFC 3834, mailing lists), so two auto-responders never answer each other; it is no reply to an earlier
mail (an answer that did not help comes back as one); and it has no attachments (a document sent in is for a
person to read). As RFC 3834 asks, the automatic reply goes to the envelope sender (the Return-Path), not to a
Reply-To the sender may set to anyone's address; its own Reply-To is the address the resident wrote to. The
contact is then closed as answered by the engine (no agent). Everything else waits for an agent at the desk
of the organisation the mail was sent to, or its stand-in's or the national counter's while it has no agents
(`routing.desk_for`; it is the contact's `taken_by`, and the desk lists it under "Open e-mails"), with the
suggestion and the sender's reply address on the contact.
"""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from antwoord.answers.engine.decide import Answer, Response
from antwoord.answers.services import ask
from antwoord.contacts.models import Channel, Contact, EventKind, HandoverStatus, Outcome
from antwoord.contacts.routing import (
    FALLBACK_ORGANISATION,
    desk_for,
    municipality_of,
    responsible_organisation,
)
from antwoord.contacts.services import (
    MAX_QUESTION_LENGTH,
    ContactError,
    add_event,
    close_contact,
    note_engine_response,
    start_contact,
)
from antwoord.desk.services import whole_text_page
from antwoord.lib.retention import retention_cutoff
from antwoord.lib.text import truncate
from antwoord.mail.models import OutgoingMail
from antwoord.mail.services import queue_mail
from antwoord.organisations.models import Layer, Organisation

from .models import InboundMail, MailSettings
from .parsing import ParsedMail, address_in, message_id_of, parse_mail, postcode_in

logger = logging.getLogger(__name__)

# A mail that failed this often (for an unexpected reason) is left for an administrator to look at.
MAX_ATTEMPTS = 5
AUTO_REPLY_MIN_CONFIDENCE = 0.8
AUTO_REPLY_NOTE = "Automatisch per e-mail beantwoord."
NOT_FROM_A_PERSON = (
    "Automatisch bericht (een afwezigheidsmelding, een onbestelbaar bericht of onze eigen e-mail): "
    "er is geen contact van gemaakt."
)
SHORTENED = "\n\n[De e-mail is hier ingekort. Een beheerder kan de hele e-mail opzoeken bij de binnengekomen e-mails.]"
# More attachments than this are counted, not named.
MAX_LISTED_ATTACHMENTS = 10


def store_inbound(raw: bytes, mail_from: str, recipients: list[str]) -> tuple[InboundMail, bool]:
    """Store the mail durably; returns it and whether it is new (False for a second delivery)."""
    return InboundMail.objects.get_or_create(
        message_id=message_id_of(raw),
        defaults={"raw": raw, "mail_from": mail_from[:320], "recipients": ", ".join(recipients)},
    )


def process_pending_inbound(limit: int = 100) -> int:
    """Process stored mails that are not processed yet; returns how many were processed now."""
    pending = InboundMail.objects.filter(processed_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:limit])
    return sum(process_inbound(pk) for pk in ids)


def process_inbound(mail_id: int) -> bool:
    """Turn one stored mail into a contact, once. Returns whether this call processed it."""
    try:
        with transaction.atomic():
            mail = InboundMail.objects.select_for_update().get(pk=mail_id)
            if mail.processed_at is not None:
                return False
            _process(mail)
            return True
    except Exception as error:  # anything unexpected: keep the mail, count the attempt, retry later
        logger.exception("Processing incoming mail %s failed", mail_id)
        InboundMail.objects.filter(pk=mail_id).update(
            attempts=F("attempts") + 1, error=f"Verwerken mislukt: {error}"[:500]
        )
        return False


def _process(mail: InboundMail) -> None:
    parsed = parse_mail(bytes(mail.raw))
    envelope_sender = address_in(mail.mail_from)
    bounce = mail.mail_from.strip() in ("", "<>")  # RFC 5321: the null sender of delivery notices
    if bounce or parsed.machine_reply or _is_our_own(envelope_sender):
        _finish(mail, None, NOT_FROM_A_PERSON)
        return
    question = _question(parsed)
    if not question.strip():
        _finish(mail, None, "De e-mail heeft geen onderwerp en geen tekst: er is geen contact van gemaakt.")
        return
    organisation = organisation_of(mail.recipients)
    earlier = _earlier_contact(parsed)
    response = ask(parsed.text, **_place(organisation, parsed.text))
    try:
        contact = start_contact(
            Channel.EMAIL, question, municipality=municipality_of(response), started_at=mail.received_at
        )
    except ContactError as error:
        _finish(mail, None, f"Geen contact gemaakt: {error}")
        return
    _take(
        contact,
        organisation
        or (_follow_up_organisation(earlier) if earlier else None)
        or responsible_organisation(response, fallback_code=FALLBACK_ORGANISATION),
        parsed,
        earlier,
        envelope_sender,
    )
    note_engine_response(contact, response)
    if earlier:
        _tell_back_office(earlier, contact)
    answer = response.answer
    mail.thread = " ".join(parsed.thread)
    _finish(mail, contact, "")  # first: the automatic reply threads under the mail the contact came in with
    if envelope_sender and organisation and answer and _may_reply(organisation, response, parsed):
        _reply(contact, answer, envelope_sender, _address_of(organisation, mail.recipients))


def _question(parsed: ParsedMail) -> str:
    """The question for the register: subject and new text, the attachments' names, and a word when it had
    to be shortened (the whole mail stays stored, for the retention time)."""
    names = list(parsed.attachments[:MAX_LISTED_ATTACHMENTS])
    if len(parsed.attachments) > MAX_LISTED_ATTACHMENTS:
        names.append(f"en {len(parsed.attachments) - MAX_LISTED_ATTACHMENTS} andere")
    attachments = f"\n\nBijlagen: {', '.join(names)}" if names else ""
    text = parsed.text
    room = MAX_QUESTION_LENGTH - len(attachments)
    if len(text) > room:
        text = truncate(text, room - len(SHORTENED)) + SHORTENED
    return text + attachments


def _earlier_contact(parsed: ParsedMail) -> Contact | None:
    """The contact whose mail this one replies to, when it replies to a mail we sent about a contact."""
    if not parsed.references:
        return None
    sent = OutgoingMail.objects.filter(message_id__in=parsed.references, contact__isnull=False)
    contacts = {mail.message_id: mail.contact for mail in sent.select_related("contact__taken_by")}
    return next((contacts[i] for i in parsed.references if i in contacts), None)


def _follow_up_organisation(earlier: Contact) -> Organisation | None:
    """Who takes a reply to a general address about an earlier contact: the desk that took it, else the
    organisation that has its question now (a question from the web that was handed over)."""
    if earlier.taken_by is not None:
        return earlier.taken_by
    handover = earlier.handovers.select_related("organisation").order_by("-pk").first()
    return handover.organisation if handover else None


def _tell_back_office(earlier: Contact, follow_up: Contact) -> None:
    """A reply to a back office's answer is for the desk to take up (it may hand the question over again);
    the back office reads in its handover's history that the resident reacted, and where."""
    desk = follow_up.taken_by
    if desk is None:
        return
    answered = earlier.handovers.filter(
        organisation=follow_up.intended_for or desk,
        status=HandoverStatus.DONE,
        personal_data_erased_at__isnull=True,  # its history is closed
    )
    for handover in answered:
        add_event(
            handover, EventKind.REPLIED, None, f"per e-mail, bij het klantcontactcentrum van {desk.name}"
        )


def intake_domains() -> frozenset[str]:
    return frozenset(domain.lower() for domain in settings.MAIL_INTAKE_DOMAINS)


def _is_our_own(address: str) -> bool:
    """Mail from our own intake or sender address: a loop (our own mail came back), never a resident's."""
    ours = address_in(settings.DEFAULT_FROM_EMAIL).lower()
    return bool(address) and (
        address.lower() == ours or address.rpartition("@")[2].lower() in intake_domains()
    )


def _address_of(organisation: Organisation, recipients: str) -> str:
    """The address the resident wrote to the organisation at (the intake may have several domains)."""
    for address in recipients.split(","):
        if _mailbox(address) == organisation.code.lower():
            return address.strip()
    return organisation.intake_address


def _take(
    contact: Contact,
    organisation: Organisation | None,
    parsed: ParsedMail,
    earlier: Contact | None,
    envelope_sender: str,
) -> None:
    """The desk of the organisation the mail is for takes the contact, so its agents find it (while it has no
    agents here, its stand-in's or the national counter's desk, told for whom: `intended_for`); the sender's
    address is kept so that an agent can answer, and a reply to our mail follows the contact that mail answered."""
    desk = desk_for(organisation) if organisation else None
    contact.taken_by = desk
    contact.intended_for = organisation if desk != organisation else None
    contact.caller_email = parsed.reply_to or envelope_sender  # no usable From or Reply-To: the Return-Path
    contact.caller_name = parsed.sender_name
    contact.follows = earlier
    contact.save(update_fields=["taken_by", "intended_for", "caller_email", "caller_name", "follows"])


def _finish(mail: InboundMail, contact: Contact | None, error: str) -> None:
    mail.contact = contact
    mail.error = error
    mail.processed_at = timezone.now()
    mail.save(update_fields=["contact", "error", "processed_at", "thread"])


def _mailbox(address: str) -> str:
    """The local part of an address without a subaddress: "gm0518+parkeren@…" is Den Haag's mailbox."""
    return address.strip().rpartition("@")[0].partition("+")[0].lower()


def organisation_of(recipients: str) -> Organisation | None:
    """The organisation whose code is the local part of a recipient address, if any."""
    for address in recipients.split(","):
        local = _mailbox(address)
        found = Organisation.objects.filter(code__iexact=local).first() if local else None
        if found is not None:
            return found
    return None


def _place(organisation: Organisation | None, question: str) -> dict[str, str]:
    if organisation is not None and organisation.layer == Layer.GEMEENTE:
        return {"municipality": organisation.code}
    postcode = postcode_in(question)
    return {"postcode": postcode} if postcode else {}


def _may_reply(organisation: Organisation, response: Response, parsed: ParsedMail) -> bool:
    """Not to a reply (an answer that did not help comes back as one: a person takes it up), nor to a mail
    with attachments (a document sent in is for a person to read)."""
    return (
        response.status == "answered"
        and response.confidence >= AUTO_REPLY_MIN_CONFIDENCE
        and bool(parsed.reply_to)
        and not parsed.automated
        and not parsed.is_reply
        and not parsed.attachments
        and MailSettings.objects.filter(organisation=organisation, auto_reply_enabled=True).exists()
    )


def _reply(contact: Contact, answer: Answer, to: str, intake_address: str) -> None:
    """The answer, from the organisation: a reply to it reaches the address the resident wrote to. The sender's
    own subject stays out: the platform must not repeat a stranger's text to an address that person typed in."""
    context: dict[str, Any] = {
        "answer": answer,
        "whole_text": whole_text_page(answer),
        "intake_address": intake_address,
    }
    queue_mail(to, "auto_reply", context, reply_to=intake_address, contact=contact)
    close_contact(contact, Outcome.ANSWERED, answer=answer, note=AUTO_REPLY_NOTE)


def erase_old_inbound(now: datetime | None = None) -> int:
    """Delete processed incoming mails older than the retention time: the raw mail holds the resident's
    address and question. A mail not processed yet stays, whatever its age. Returns how many were deleted."""
    deleted, _ = InboundMail.objects.filter(
        processed_at__lt=retention_cutoff(settings.RETENTION_DAYS, now)
    ).delete()
    return deleted
