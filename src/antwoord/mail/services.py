"""Outgoing mail: queue from a template inside the caller's transaction; the worker sends the queue."""

import logging
from dataclasses import dataclass
from datetime import datetime
from email.mime.text import MIMEText
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import timezone

from antwoord.lib.retention import retention_cutoff

from .models import OutgoingMail

if TYPE_CHECKING:
    from antwoord.contacts.models import Contact

logger = logging.getLogger(__name__)

# After this many failed attempts a mail stays in the outbox for an administrator to look at.
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: str


def queue_mail(
    to: str,
    template: str,
    context: dict[str, Any],
    attachment: Attachment | None = None,
    *,
    reply_to: str = "",
    by_person: bool = False,
    contact: "Contact | None" = None,
) -> OutgoingMail:
    """Render mail/<template>_subject.txt and mail/<template>.txt and put the mail in the outbox. `reply_to`
    is where the resident's answer to this mail should go; `by_person` marks a text a person wrote;
    `contact` is the contact the mail answers: it threads under the resident's mail when the contact came by
    mail, and the resident's reply to it will follow the contact up."""
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context).split())
    thread = _thread_of(contact).split() if contact else []
    return OutgoingMail.objects.create(
        to=to,
        subject=subject[:200],
        body=render_to_string(f"mail/{template}.txt", context),
        attachment_name=attachment.name if attachment else "",
        attachment_type=attachment.content_type if attachment else "",
        attachment_content=attachment.content if attachment else "",
        message_id=make_msgid(domain="antwoord.localhost"),
        in_reply_to=thread[-1] if thread else "",
        references=" ".join(thread),
        reply_to=reply_to,
        by_person=by_person,
        contact=contact,
    )


def _thread_of(contact: "Contact") -> str:
    """The References of an answer to the mail the contact came in with ("" when it came otherwise)."""
    try:
        return contact.inbound_mail.thread
    except ObjectDoesNotExist:
        return ""


def send_pending(limit: int = 100) -> int:
    """Send what is in the outbox; returns how many mails went out. Failures are retried next time."""
    pending = list(
        OutgoingMail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by("pk")[:limit]
    )
    if not pending:
        return 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except OSError as error:
        logger.warning("The mail relay cannot be reached: %s", error)
        return 0
    try:
        return sum(_send_one(mail, connection) for mail in pending)
    finally:
        connection.close()


def _headers(mail: OutgoingMail) -> dict[str, str]:
    headers = {"Message-ID": mail.message_id}
    if mail.in_reply_to:  # an answer: threads under the resident's mail (RFC 5322)
        headers.update({"In-Reply-To": mail.in_reply_to, "References": mail.references or mail.in_reply_to})
    if mail.reply_to:
        headers["Reply-To"] = mail.reply_to
    # Auto-Submitted (RFC 3834): out-of-office replies and other auto-responders do not answer it.
    if not mail.by_person:
        headers["Auto-Submitted"] = "auto-generated"
    return headers


def _attachment(mail: OutgoingMail) -> MIMEText:
    """The (text) attachment as a MIME part, with the parameters of its type kept ("text/calendar;
    method=CANCEL": a mail program removes the event from the calendar only when the part says so)."""
    content_type, _, parameters = mail.attachment_type.partition(";")
    part = MIMEText(mail.attachment_content, content_type.strip().partition("/")[2], "utf-8")
    for parameter in filter(None, (p.strip() for p in parameters.split(";"))):
        name, _, value = parameter.partition("=")
        part.set_param(name.strip(), value.strip())
    part.add_header("Content-Disposition", "attachment", filename=mail.attachment_name)
    return part


def _send_one(mail: OutgoingMail, connection: Any) -> int:
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=_headers(mail),
        connection=connection,
    )
    if mail.attachment_name:
        message.attach(_attachment(mail))
    mail.attempts += 1
    try:
        message.send()
    except OSError as error:  # SMTP errors are OSErrors too
        mail.last_error = str(error)[:500]
        mail.save(update_fields=["attempts", "last_error"])
        logger.warning("Sending mail %s failed: %s", mail.pk, error)
        return 0
    mail.sent_at = timezone.now()
    mail.save(update_fields=["attempts", "sent_at"])
    return 1


def erase_old_mail(now: datetime | None = None) -> int:
    """Delete sent mails older than the retention time: they hold personal data (addresses, questions,
    answers, status links). A mail not sent yet stays, whatever its age: it is still needed, and an
    administrator looks at the ones that failed for good. Returns how many mails were deleted."""
    deleted, _ = OutgoingMail.objects.filter(
        sent_at__lt=retention_cutoff(settings.RETENTION_DAYS, now)
    ).delete()
    return deleted
