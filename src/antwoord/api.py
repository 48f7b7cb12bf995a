"""What every part of the REST API under /api/v1/ shares: its errors, and text fields that take only text.

Every error is JSON with a plain Dutch `detail`; wrong fields are also listed per field in `errors`. DRF's
own messages are English, or stiff Dutch, and name the technique (JSON parse errors quote Python), so the
exception handler (settings.REST_FRAMEWORK) replaces the ones that people meet for common mistakes.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.exceptions import (
    APIException,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    ParseError,
    PermissionDenied,
    Throttled,
    UnsupportedMediaType,
    ValidationError,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from antwoord.lib.text import normalise_text

INVALID_INPUT = "De invoer klopt niet."
NOT_JSON = "De inhoud van het verzoek is geen geldige JSON."
TOO_BIG = "Het verzoek is te groot."
CSRF_FAILED = (
    "De CSRF-controle van dit verzoek uit een browsersessie is mislukt. Stuur het CSRF-token mee vanaf deze "
    "site, of gebruik een API-sleutel (Authorization: Token ...)."
)
UNKNOWN_FIELD = "Dit veld kent de API hier niet."
UNKNOWN_PATH = "Dit adres bestaat niet in de API. Kijk in /api/v1/schema/ welke adressen er zijn."
PLAIN_DUTCH: dict[type[APIException], str] = {
    ParseError: NOT_JSON,
    UnsupportedMediaType: "Stuur de gegevens als JSON, met Content-Type: application/json.",
    NotAcceptable: "De API geeft alleen JSON. Vraag om application/json.",
}


def error_body(errors: Any, detail: str = INVALID_INPUT) -> dict[str, Any]:
    """The shape of every error about wrong input: what went wrong, and per field why."""
    return {"detail": detail, "errors": errors}


def unknown_fields(
    data: Any, serializer: serializers.Serializer[Any], allowed: Any = ()
) -> dict[str, list[str]]:
    """Per field of `data` that the serializer does not have: a typing error, or another API's name, must not be
    lost silently."""
    return {name: [UNKNOWN_FIELD] for name in sorted(set(data) - set(serializer.fields) - set(allowed))}


class Text(serializers.CharField):
    """Text, and only text: DRF's CharField would quietly turn a number into a string."""

    default_error_messages = {"invalid": "Dit moet tekst zijn."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class NormalisedText(Text):
    """Text as ANTWOORD stores it (lib.text.normalise_text): its length limit counts what is kept, so a line end
    sent as CRLF counts once and invisible characters not at all."""

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        ProhibitNullCharactersValidator()(text)  # refused, as by any text field, not quietly dropped
        return normalise_text(text)


class DutchSchema(AutoSchema):
    """The OpenAPI document speaks Dutch: an operation is described where its view says so in Dutch
    (extend_schema), never by the English docstrings written for developers."""

    def get_description(self, *args: Any, **kwargs: Any) -> str:
        return ""


def without_developer_docs(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A hook after the OpenAPI document is made (SPECTACULAR_SETTINGS): the serializers' docstrings are
    written for developers, in English, and leave the document; the fields' Dutch help texts stay."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        if schema.get("type") == "object":
            schema.pop("description", None)
    return result


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a Dutch `detail` on every error it answers."""
    if isinstance(exc, RequestDataTooBig):  # not DRF's: Django would answer with an HTML page
        return Response({"detail": TOO_BIG}, status=413)
    if isinstance(exc, Throttled):
        return _throttled(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException):
        response.data = _in_dutch(exc, response.data, context["request"].method)
    return response


def _throttled(exc: Throttled) -> Response:
    wait = int(getattr(exc, "wait", None) or 60)  # set by DRF's throttles; not in the stubs
    message = f"Te veel verzoeken. Probeer het over {wait} seconden opnieuw."
    return Response({"detail": message}, status=429, headers={"Retry-After": str(wait)})


def _in_dutch(exc: APIException, data: Any, method: str) -> Any:
    """The body DRF made, with its messages for common mistakes in plain Dutch (ours it leaves alone)."""
    if isinstance(exc, ValidationError):
        errors = (
            exc.detail if isinstance(exc.detail, dict) else {api_settings.NON_FIELD_ERRORS_KEY: exc.detail}
        )
        return error_body(errors)
    if isinstance(exc, MethodNotAllowed):
        return {"detail": f"Dit adres werkt niet met {method}."}
    if isinstance(exc, PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return {"detail": CSRF_FAILED}
    return {"detail": PLAIN_DUTCH[type(exc)]} if type(exc) in PLAIN_DUTCH else data


class UnknownPathView(APIView):
    """Any path under /api/v1/ without an endpoint: a JSON 404, not Django's HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []
    schema = None  # not an endpoint: left out of the OpenAPI document

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise NotFound(UNKNOWN_PATH)
