"""Reading incoming mail defensively: any bytes give a result, never an exception.

Mail from the internet is malformed often and hostile sometimes: headers in unknown charsets, bodies that
are not what their charset says, HTML only (with scripts), no subject, no Message-ID. Everything is
decoded with replacement characters, HTML becomes plain text without its scripts, and lengths are capped.
"""

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from antwoord.contacts.models import MAX_EMAIL_LENGTH as MAX_ADDRESS_LENGTH
from antwoord.contacts.services import MAX_NAME_LENGTH
from antwoord.lib.text import collapse_whitespace, html_to_markdown, markdown_to_text, normalise_text

MAX_MESSAGE_ID_LENGTH = 200
# A long thread's References list is cut to its newest ids: the mails nearest to the reply.
MAX_REFERENCES = 20
MAX_SUBJECT_LENGTH = 300
MAX_ATTACHMENT_NAME_LENGTH = 100
# RFC 3834: mail sent by machines (auto-replies, mailing lists, bulk) must not be answered automatically,
# or two auto-responders answer each other for ever.
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})
# Headers that only mailing lists set.
_LIST_HEADERS = ("List-Id", "List-Unsubscribe")
_MESSAGE_IDS = re.compile(rf"<[^<>\s]{{1,{MAX_MESSAGE_ID_LENGTH - 2}}}>")
# Senders that are mail systems, not people (bounces and their notices).
_SYSTEM_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)
# Where a reply quotes the mail it answers: "Op 3 mei 2026 schreef ANTWOORD <a@b>:", "On … <a@b> wrote:",
# Outlook's "-----Oorspronkelijk bericht-----" and its "Van: … / Verzonden: …" block.
_QUOTE_STARTS = re.compile(
    # (Gmail may wrap its line before the address; Apple Mail says "heeft … het volgende geschreven")
    r"^(op .{4,200} schreef .{0,200}(\n.{0,200})?@.{0,200}:|on .{4,200}(\n.{0,200})?@.{0,200} wrote:|"
    r"op .{4,200} heeft .{0,200}@.{0,200} het volgende geschreven:|"
    r"-{2,} ?(oorspronkelijk bericht|original message) ?-{2,}|(_{8,}\n)?(van|from): .+\n(verzonden|sent): .+)$",
    re.IGNORECASE | re.MULTILINE,
)
# A forwarded letter is what the resident asks about: never cut as a quote.
_FORWARDED = re.compile(r"(forwarded message|doorgestuurd bericht|begin forwarded message)", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedMail:
    subject: str
    body: str
    # Where an answer goes (Reply-To, else From); empty when the header is missing or not an address.
    reply_to: str
    # The display name in From ("Jan Jansen <jan@…>"); empty when there is none.
    sender_name: str
    # Sent by a machine (RFC 3834, a mailing list, an auto-responder): never answered automatically.
    automated: bool
    # An auto-responder's reply or a bounce: nobody asks anything in it.
    machine_reply: bool
    # The mail answers an earlier one (In-Reply-To or References): a conversation, for a person.
    is_reply: bool
    # The Message-IDs it answers, nearest first: In-Reply-To, then References from its end (RFC 5322 lists a
    # thread oldest first, the parent last); at most MAX_REFERENCES.
    references: tuple[str, ...] = ()
    # The mail's own Message-ID when it is well-formed ("<…>"); empty otherwise: a reply naming it would reach
    # nothing in the sender's mailbox.
    message_id: str = ""
    # The names of the files attached (kept in the raw mail; the desk lists them).
    attachments: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Subject and body together: the question as the resident put it."""
        return "\n\n".join(part for part in (self.subject, self.body) if part)

    @property
    def thread(self) -> tuple[str, ...]:
        """The References of a reply to this mail, oldest first: the ids it answers, then its own (RFC 5322
        section 3.6.4); empty without a Message-ID of its own, which a reply's In-Reply-To would name."""
        return (*reversed(self.references), self.message_id) if self.message_id else ()


def message_id_of(raw: bytes) -> str:
    """The mail's Message-ID, or a stable one derived from its bytes when it has none (or a silly one)."""
    value = collapse_whitespace(
        _header(BytesParser(policy=compat32).parsebytes(raw, headersonly=True), "Message-ID")
    )
    if value and len(value) <= MAX_MESSAGE_ID_LENGTH:
        return value
    digest = hashlib.sha256(value.encode() if value else raw).hexdigest()
    return f"<sha256-{digest}@antwoord.intake>"


def _own_message_id(message: Message) -> str:
    value = collapse_whitespace(_header(message, "Message-ID"))
    return value if _MESSAGE_IDS.fullmatch(value) else ""


def parse_mail(raw: bytes) -> ParsedMail:
    message = message_from_bytes(raw, policy=compat32)
    subject = collapse_whitespace(_header(message, "Subject"))[:MAX_SUBJECT_LENGTH]
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    sender = _header(message, "From")
    machine_reply = (
        auto_submitted == "auto-replied"
        or precedence == "auto_reply"
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or message.get_content_type() == "multipart/report"  # a delivery or read report (RFC 6522)
        or bool(_SYSTEM_SENDERS.match(address_in(sender)))
    )
    is_reply = bool(message.get("In-Reply-To") or message.get("References"))
    referenced = [
        *_MESSAGE_IDS.findall(_header(message, "In-Reply-To")),
        *reversed(_MESSAGE_IDS.findall(_header(message, "References"))),
    ]
    body = _body(message)
    return ParsedMail(
        subject=subject,
        body=without_quote(body) if is_reply else body,
        reply_to=address_in(_header(message, "Reply-To")) or address_in(sender),
        sender_name=_display_name(sender),
        automated=machine_reply
        or auto_submitted not in ("", "no")
        or precedence in _BULK_PRECEDENCE
        or any(message.get(name) for name in _LIST_HEADERS),
        machine_reply=machine_reply,
        is_reply=is_reply,
        references=tuple(dict.fromkeys(referenced))[:MAX_REFERENCES],
        message_id=_own_message_id(message),
        attachments=_attachment_names(message),
    )


def without_quote(body: str) -> str:
    """The new text of a reply: from where it quotes the earlier mail on, and lines quoted with ">", go;
    a forwarded letter stays, and so does everything when nothing new would be left."""
    if _FORWARDED.search(body):
        return body
    start = _QUOTE_STARTS.search(body)
    kept = body[: start.start()] if start else body
    new = "\n".join(line for line in kept.splitlines() if not line.lstrip().startswith(">")).strip()
    return new or body


def _attachment_names(message: Message) -> tuple[str, ...]:
    """The files attached; an image shown inside the text (a logo in a signature) is none."""
    names = []
    for part in message.walk():
        if _is_attachment(part) or (part.get_filename() and part.get_content_disposition() != "inline"):
            name = collapse_whitespace(_unescape(str(part.get_filename() or "")))
            names.append(name[:MAX_ATTACHMENT_NAME_LENGTH] or "(zonder naam)")
    return tuple(names)


def _is_attachment(part: Message) -> bool:
    return not part.is_multipart() and part.get_content_disposition() == "attachment"


def _header(message: Message, name: str) -> str:
    # raw_items: get() would turn raw 8-bit bytes (UTF-8 as RFC 6532 allows) into replacement characters first.
    value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), None)
    if value is None:
        return ""
    text = _unescape(str(value))
    try:
        decoded = "".join(_words(decode_header(text)))
    except (HeaderParseError, ValueError):  # a broken encoded-word ("=?utf-8?b?a?=" is not base64)
        decoded = text
    return normalise_text(decoded)


def _words(parts: list[tuple[bytes | str, str | None]]) -> Iterator[str]:
    """Encoded words in their charset; an unknown or non-text charset is read as UTF-8, what does not fit
    replaced (make_header gives up on the whole header instead)."""
    for value, charset in parts:
        if isinstance(value, str):
            yield value
            continue
        if charset is None:  # the text between encoded words, which decode_header gives back this way
            yield value.decode("raw-unicode-escape")
            continue
        name = _text_charset(charset)
        try:
            yield value.decode(name, errors="replace")
        except UnicodeError:  # codecs such as idna do not support "replace"
            yield value.decode("utf-8", errors="replace")


def _unescape(text: str) -> str:
    """Raw 8-bit bytes in a header arrive as surrogates; read them as UTF-8, replacing what is not."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def address_in(value: str) -> str:
    """The first valid address in a header value (or an envelope address); empty when there is none."""
    for _name, address in getaddresses([value]):
        if len(address) > MAX_ADDRESS_LENGTH:  # valid by RFC, but longer than the address columns
            continue
        try:
            validate_email(address)
        except ValidationError:
            continue
        return address
    return ""


def _display_name(value: str) -> str:
    for name, _address in getaddresses([value]):
        if name.strip():
            return collapse_whitespace(name)[:MAX_NAME_LENGTH]
    return ""


def _body(message: Message) -> str:
    """The first plain-text part; else the first HTML part as plain text; attachments are ignored."""
    html = ""
    for part in message.walk():
        if part.is_multipart() or part.get_filename() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return normalise_text(_decoded(part))
        if kind == "text/html" and not html:
            html = _decoded(part)
    return markdown_to_text(html_to_markdown(html)) if html else ""


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = _text_charset(part.get_content_charset() or "utf-8")
    try:
        return payload.decode(charset, errors="replace")
    except UnicodeError:  # codecs such as idna do not support "replace"
        return payload.decode("utf-8", errors="replace")


def _text_charset(name: str) -> str:
    """The charset if it is a known text encoding; else UTF-8. A sender may name any codec Python has,
    including rot13, hex or base64, which do not turn bytes into text and raise when asked to."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name if getattr(info, "_is_text_encoding", True) else "utf-8"


_POSTCODE = re.compile(r"\b([1-9][0-9]{3}) ?[A-Z]{2}\b")


def postcode_in(text: str) -> str:
    """A Dutch postcode written in the mail ("2511 AB"), as its four digits; empty when there is none."""
    found = _POSTCODE.search(text)
    return found.group(1) if found else ""
