from datetime import UTC, datetime

from antwoord.appointments import ics

START = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
END = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def make(**fields: object) -> str:
    values: dict[str, object] = {
        "uid": "B-ABCDEFGH@antwoord",
        "starts_at": START,
        "ends_at": END,
        "summary": "Afspraak: paspoort",
        "location": "Stadhuis Spui, Spui 70, Den Haag",
        "description": "Regel 1\nRegel 2; met \\ backslash",
    }
    values.update(fields)
    return ics.calendar(ics.Event(**values), now=datetime(2026, 11, 28, 12, 0, tzinfo=UTC))  # type: ignore[arg-type]


def test_structure_and_crlf() -> None:
    text = make()
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    fields = dict(line.split(":", 1) for line in lines)
    assert fields["VERSION"] == "2.0"
    assert fields["UID"] == "B-ABCDEFGH@antwoord"
    assert fields["DTSTAMP"] == "20261128T120000Z"
    assert fields["DTSTART"] == "20261201T083000Z"
    assert fields["DTEND"] == "20261201T090000Z"
    assert fields["STATUS"] == "CONFIRMED" and fields["METHOD"] == "PUBLISH"
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")


def test_escaping_of_text_values() -> None:
    fields = dict(line.split(":", 1) for line in unfold(make())[:-1])
    assert fields["LOCATION"] == "Stadhuis Spui\\, Spui 70\\, Den Haag"
    assert fields["DESCRIPTION"] == "Regel 1\\nRegel 2\\; met \\\\ backslash"


def test_times_are_converted_to_utc() -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    fields = dict(line.split(":", 1) for line in unfold(make(starts_at=local, ends_at=local))[:-1])
    assert fields["DTSTART"] == "20260701T080000Z"


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    summary = "Afspraak: " + "één paspoort en identiteitskaart " * 8
    text = make(summary=summary)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # never half a character
    assert any(line.startswith(" ") for line in text.split("\r\n"))
    assert dict(line.split(":", 1) for line in unfold(text)[:-1])["SUMMARY"] == summary


def test_cancellation() -> None:
    fields = dict(line.split(":", 1) for line in unfold(make(cancelled=True, sequence=2))[:-1])
    assert fields["STATUS"] == "CANCELLED" and fields["METHOD"] == "CANCEL" and fields["SEQUENCE"] == "2"


def test_organiser_and_attendee_with_a_name_that_cannot_break_the_line() -> None:
    text = make(
        organiser_name='Gemeente "Den Haag";\r\nX',
        organiser="noreply@antwoord.example",
        attendee="jan@example.nl",
        cancelled=True,
    )
    lines = unfold(text)
    assert "ORGANIZER;CN=\"Gemeente 'Den Haag';  X\":mailto:noreply@antwoord.example" in lines
    assert "ATTENDEE:mailto:jan@example.nl" in lines
    assert not any(line.startswith("ORGANIZER") for line in unfold(make()))
    assert "ATTENDEE" not in make(attendee="jan@example.nl")  # a PUBLISH names none
