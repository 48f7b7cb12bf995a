"""Reading import sources: a local file or an official URL, plain or gzipped, strictly UTF-8."""

import csv
import gzip
import io
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from antwoord.lib.text import parse_json

MAX_SOURCE_BYTES = 512 * 1024 * 1024
_TIMEOUT_SECONDS = 60


class SourceError(Exception):
    """The source cannot be read as a whole (missing, too large, not UTF-8, wrong columns)."""


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def read_bytes(location: str | Path) -> bytes:
    """The bytes of a file or URL, gunzipped when they are gzip data."""
    location = str(location)
    try:
        if is_url(location):
            request = urllib.request.Request(location, headers={"User-Agent": "ANTWOORD-importer"})
            with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
                data: bytes = response.read(MAX_SOURCE_BYTES + 1)
        else:
            with open(location, "rb") as handle:
                data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as error:
        raise SourceError(f"{location}: cannot be read ({error})") from error
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise SourceError(f"{location}: damaged gzip data ({error})") from error
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"{location}: larger than {MAX_SOURCE_BYTES // 1024 // 1024} MB")
    return data


def read_text(location: str | Path) -> str:
    data = read_bytes(location)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"{location}: not valid UTF-8 (byte {error.start}); save the file as UTF-8 and try again"
        ) from error


def read_json(location: str | Path) -> Any:
    try:
        return parse_json(read_text(location))
    except ValueError as error:
        raise SourceError(f"{location}: not valid JSON ({error})") from error


def csv_rows(
    location: str | Path, *, required: set[str], delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every record; the line number is where the record starts in the file."""
    text = read_text(location)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise SourceError(f"{location}: the file is empty") from None
    except csv.Error as error:
        raise SourceError(f"{location}: line 1: {error}") from error
    missing = required - set(header)
    if missing:
        raise SourceError(f"{location}: missing column(s) {', '.join(sorted(missing))}")
    yield from _records(reader, header)


def _records(reader: Any, header: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, {"__error__": f"unreadable CSV ({error})"}
            line = reader.line_num + 1
            continue
        if values:
            if len(values) != len(header):
                yield line, {"__error__": f"expected {len(header)} columns, found {len(values)}"}
            else:
                yield line, dict(zip(header, values, strict=True))
        line = reader.line_num + 1


def sniff_format(location: str | Path) -> str:
    """'csv', 'json' or 'xml', from the name or else from the first character of the content."""
    name = str(location).lower().removesuffix(".gz")
    for suffix in ("csv", "json", "xml"):
        if name.endswith("." + suffix):
            return suffix
    start = read_bytes(location)[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        return "xml"
    if start.startswith((b"{", b"[")):
        return "json"
    return "csv"
