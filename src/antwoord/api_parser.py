"""The REST API's JSON parser (settings.REST_FRAMEWORK). Apart from api.py: DRF imports it while its views
module loads, so it may not import DRF's views."""

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's parser; JSON nested deeper than Python follows (two kilobytes of brackets) is bad JSON like any
    other (antwoord.api says so in Dutch), not a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError() from None
