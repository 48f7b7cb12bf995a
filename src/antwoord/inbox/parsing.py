"""Reading incoming mail defensively: any bytes give a result, never an exception.

Mail from the internet is malformed often and hostile sometimes: headers in unknown charsets, bodies that
are not what their charset says, HTML only (with scripts), no subject, no Message-ID. Everything is
decoded with replacement characters, HTML becomes plain text without its scripts, and lengths are capped.
"""

import codecs
import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from antwoord.contacts.services import MAX_EMAIL_LENGTH as MAX_ADDRESS_LENGTH
from antwoord.contacts.services import MAX_NAME_LENGTH
from antwoord.lib.text import collapse_whitespace, html_to_markdown, markdown_to_plain, normalise_text

MAX_MESSAGE_ID_LENGTH = 200
MAX_SUBJECT_LENGTH = 300
# RFC 3834: mail sent by machines (auto-replies, mailing lists, bulk) must not be answered automatically,
# or two auto-responders answer each other for ever.
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})


@dataclass(frozen=True)
class ParsedMail:
    subject: str
    body: str
    # Where an answer goes (Reply-To, else From); empty when the header is missing or not an address.
    reply_to: str
    # The display name in From ("Jan Jansen <jan@…>"); empty when there is none.
    sender_name: str
    automated: bool

    @property
    def text(self) -> str:
        """Subject and body together: the question as the resident put it."""
        return "\n\n".join(part for part in (self.subject, self.body) if part)


def message_id_of(raw: bytes) -> str:
    """The mail's Message-ID, or a stable one derived from its bytes when it has none (or a silly one)."""
    value = collapse_whitespace(
        _header(BytesParser(policy=compat32).parsebytes(raw, headersonly=True), "Message-ID")
    )
    if value and len(value) <= MAX_MESSAGE_ID_LENGTH:
        return value
    digest = hashlib.sha256(value.encode() if value else raw).hexdigest()
    return f"<sha256-{digest}@antwoord.intake>"


def parse_mail(raw: bytes) -> ParsedMail:
    message = message_from_bytes(raw, policy=compat32)
    subject = collapse_whitespace(_header(message, "Subject"))[:MAX_SUBJECT_LENGTH]
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    sender = _header(message, "From")
    return ParsedMail(
        subject=subject,
        body=_body(message),
        reply_to=address_in(_header(message, "Reply-To")) or address_in(sender),
        sender_name=_display_name(sender),
        automated=auto_submitted not in ("", "no") or precedence in _BULK_PRECEDENCE,
    )


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    text = _unescape(str(value))
    try:
        decoded = str(make_header(decode_header(text)))
    # An unknown or non-text charset, or a broken encoded-word ("=?utf-8?b?a?=" is not base64).
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        decoded = text
    return normalise_text(decoded)


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
        if (
            part.is_multipart()
            or part.get_filename()
            or "attachment" in str(part.get("Content-Disposition", ""))
        ):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return normalise_text(_decoded(part)).strip()
        if kind == "text/html" and not html:
            html = _decoded(part)
    return markdown_to_plain(html_to_markdown(html)) if html else ""


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
