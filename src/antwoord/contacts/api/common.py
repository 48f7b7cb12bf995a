"""What every part of the contacts API shares: authentication, paging, throttling, errors."""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from antwoord.accounts.models import User
from antwoord.answers.serializers import ErrorSerializer
from antwoord.api import error_body, unknown_fields

from .. import services

F = TypeVar("F", bound=Callable[..., Any])

CONTACT_NOT_FOUND = "Dit contact bestaat niet, of u mag het niet zien."

# Requests per account; far above what a person or a well-behaved integration makes.
API_RATE = "600/minute"


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = "Het nummer van de pagina."
    page_size_query_description = (
        f"Hoeveel resultaten op een pagina (standaard {page_size}, hoogstens {max_page_size})."
    )

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        # DRF answers "abc" with a 404 and ignores a page size of -1: both are the caller's mistake.
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is not None and not _counting_number(value):
                raise invalid(name, "Geef een heel getal groter dan 0.")
        return super().paginate_queryset(queryset, request, view)


def _counting_number(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9 and int(value) > 0


PAGING = frozenset({Pages.page_query_param, Pages.page_size_query_param})


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="De invoer klopt niet."),
    401: OpenApiResponse(ErrorSerializer, description="Niet ingelogd: stuur een token."),
    403: OpenApiResponse(ErrorSerializer, description="U heeft hiervoor niet de juiste rol."),
    404: OpenApiResponse(ErrorSerializer, description="Bestaat niet, of u mag het niet zien."),
    409: OpenApiResponse(
        ErrorSerializer, description="Het contact of de overdracht is al afgerond, overgedragen of opgepakt."
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in (401, *codes)}


class AccountRateThrottle(UserRateThrottle):
    """API_RATE per account over all contacts endpoints (counted in the shared cache, see settings.CACHES)."""

    scope = "contacts"
    rate = API_RATE


class ApiView(generics.GenericAPIView[Any]):
    """Authenticated JSON views that turn the services' refusals into Dutch error responses."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [AccountRateThrottle]
    # The query parameters the view reads (besides paging). Any other is refused: a filter the API does not
    # have (one of Open Klant's, a typing error) must not silently give everything.
    query_parameters: frozenset[str] = frozenset()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # who asks, and may they, first
        known = self.query_parameters | (PAGING if self.pagination_class else frozenset())
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError({name: ["Deze parameter kent de API hier niet."] for name in unknown})

    @property
    def user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # IsAuthenticated let only staff accounts through
        return user

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.ConflictError):
            return Response({"detail": str(exc)}, status=409)
        if isinstance(exc, services.ContactError):
            body = error_body({exc.field: [str(exc)]}, str(exc)) if exc.field else {"detail": str(exc)}
            return Response(body, status=400)
        if isinstance(exc, PermissionError):
            return Response({"detail": str(exc)}, status=403)
        return super().handle_exception(exc)  # the rest as everywhere in the API (antwoord.api)

    def valid(self, serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):  # a JSON list, string or null
            raise services.ContactError("Stuur een JSON-object met de gegevens.")
        serializer = serializer_class(data=data)
        # Paging is read from the query, never from a body.
        paging = PAGING if data is self.request.query_params else frozenset()
        unknown = unknown_fields(data, serializer, allowed=paging)
        if unknown:
            raise ValidationError(unknown)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def parse_uuid(value: str, message: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(message) from None


UUID_PATH = OpenApiParameter("uuid", OpenApiTypes.UUID, OpenApiParameter.PATH)
REFERENCE_PATH = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="Het kenmerk, bijv. A-7K3M9QXZ."
)
