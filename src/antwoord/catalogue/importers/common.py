"""Validation shared by the catalogue importers."""

from urllib.parse import urlsplit

from antwoord.importing.services import RowError
from antwoord.lib.text import collapse_whitespace


def required_line(value: str | None, name: str, max_length: int) -> str:
    text = collapse_whitespace(value or "")
    if not text:
        raise RowError(f"{name} is empty")
    if len(text) > max_length:
        raise RowError(f"{name} is longer than {max_length} characters")
    return text


def optional_url(value: str | None, name: str, max_length: int = 800) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    return required_url(text, name, max_length)


def required_url(value: str | None, name: str, max_length: int = 800) -> str:
    text = (value or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise RowError(f"{name} '{text[:80]}' is not a web address (http or https)")
    if len(text) > max_length:
        raise RowError(f"{name} is longer than {max_length} characters")
    return text
