"""iCalendar (RFC 5545) text for one appointment, written by hand: the format is small and exact."""

from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
# RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    # RFC 5546: who sends the event, and whose calendar a cancellation leaves; mail addresses.
    organiser_name: str = ""
    organiser: str = ""
    attendee: str = ""
    sequence: int = 0
    cancelled: bool = False

    @property
    def method(self) -> str:
        """The iTIP method, also named in the mail's Content-Type so mail programs act on it (RFC 6047)."""
        return "CANCEL" if self.cancelled else "PUBLISH"


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines start with one space, which counts towards their 75 octets.
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _param(value: str) -> str:
    """A parameter value (RFC 5545 3.2): quoted, without the characters a quoted value cannot hold."""
    return '"' + value.replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def calendar(event: Event, now: datetime) -> str:
    """A VCALENDAR with one VEVENT; a cancellation keeps the UID so calendars remove the same event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ANTWOORD//Afspraken//NL",
        "CALSCALE:GREGORIAN",
        f"METHOD:{event.method}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        *(
            [f"ORGANIZER;CN={_param(event.organiser_name)}:mailto:{event.organiser}"]
            if event.organiser
            else []
        ),
        # RFC 5546 3.2: a PUBLISH has no attendees (mail programs would treat it as an invitation to answer)
        *([f"ATTENDEE:mailto:{event.attendee}"] if event.attendee and event.cancelled else []),
        f"DTSTAMP:{utc_stamp(now)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)
