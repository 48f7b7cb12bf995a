"""The appointments part of the REST API under /api/v1/.

Anyone may list service points and free times. Agents (klantcontactmedewerkers of any organisation: the
KCC answers for all of government) and systems with an agent's token book for a resident; the resident's
secret token from the confirmation mail is what authorises cancelling and moving.
"""

from typing import Any, NoReturn

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from antwoord.accounts.models import User
from antwoord.api import INVALID_INPUT, error_body, unknown_fields
from antwoord.catalogue.models import Offering

from . import services
from .models import ServicePoint
from .serializers import (
    BookingRequestSerializer,
    BookingSerializer,
    CreatedBookingSerializer,
    MoveRequestSerializer,
    ServicePointSerializer,
    SlotListSerializer,
    SlotQuerySerializer,
    TokenSerializer,
)

NOT_A_JSON_OBJECT = "Stuur een JSON-object."
ERRORS = OpenApiResponse(description="Foute invoer: per veld een melding in het Nederlands.")
NOT_FOUND = OpenApiResponse(description="Onbekend servicepunt of afspraak, of een verkeerd geheim.")
TAKEN = OpenApiResponse(description="Deze tijd is net door iemand anders geboekt.")


def _errors(errors: Any, status: int = 400, detail: str = INVALID_INPUT) -> Response:
    return Response(error_body(errors, detail), status=status)


def _error(error: services.AppointmentError) -> Response:
    if isinstance(error, services.BookingNotFoundError):
        return Response({"detail": error.message}, status=404)
    status = 409 if isinstance(error, services.BookingConflictError) else 400
    return _errors({error.field or "non_field_errors": [error.message]}, status, detail=error.message)


def _refused(data: dict[str, Any], serializer: Serializer[Any]) -> Response | None:
    """The errors for fields the API does not have, else for wrong values; None when the input is right."""
    errors = unknown_fields(data, serializer) or (None if serializer.is_valid() else serializer.errors)
    return _errors(errors) if errors else None


def _body(request: Request) -> dict[str, Any] | None:
    """The JSON object sent, or None when the body is not one (malformed JSON included)."""
    try:
        data = request.data
    except exceptions.ParseError:
        return None
    return data if isinstance(data, dict) else None


class IsAgent(BasePermission):
    message = "Alleen klantcontactmedewerkers mogen een afspraak maken voor een inwoner."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.user is not None and services.books_for_residents(request.user)


class ServicePointListView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="Servicepunten waar u een afspraak kunt maken",
        responses=ServicePointSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        points = list(ServicePoint.objects.filter(is_active=True).select_related("organisation"))
        context = {"offerings": services.offerings_at(points)}
        return Response(ServicePointSerializer(points, many=True, context=context).data)


class SlotListView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="Vrije tijden van een servicepunt voor één aanbod",
        parameters=[SlotQuerySerializer],
        responses={200: SlotListSerializer, 400: ERRORS, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        point = ServicePoint.objects.filter(pk=pk, is_active=True).first()
        if point is None:
            return Response({"detail": "Dit servicepunt bestaat niet."}, status=404)
        query = SlotQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return _errors(query.errors)
        values = query.validated_data
        offering = Offering.objects.filter(pk=values["aanbod"]).first()
        if offering is None or not services.is_offered(point, offering):
            return _errors({"aanbod": [services.NOT_OFFERED_MESSAGE]})
        first = values.get("van") or timezone.localdate()
        slots = services.free_slots(point, offering, first, values["dagen"])
        result = {"service_point": point.pk, "offering": offering.pk, "slots": slots}
        return Response(SlotListSerializer(result).data)


class BookingCreateView(APIView):
    permission_classes = [IsAgent]

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated("Log in, of stuur een token mee (Authorization: Token ...).")
        super().permission_denied(request, message, code)

    @extend_schema(
        summary="Afspraak maken voor een inwoner (klantcontactmedewerker of systeem)",
        request=BookingRequestSerializer,
        responses={201: CreatedBookingSerializer, 400: ERRORS, 409: TAKEN},
    )
    def post(self, request: Request) -> Response:
        data = _body(request)
        if data is None:
            return Response({"detail": NOT_A_JSON_OBJECT}, status=400)
        serializer = BookingRequestSerializer(data=data)
        if (refused := _refused(data, serializer)) is not None:
            return refused
        values = serializer.validated_data
        point = ServicePoint.objects.filter(pk=values["service_point"]).first()
        if point is None:
            return _errors({"service_point": ["Dit servicepunt bestaat niet."]})
        offering = Offering.objects.filter(pk=values["offering"]).first()
        if offering is None:
            return _errors({"offering": ["Dit aanbod bestaat niet."]})
        try:
            booking = services.book(
                point,
                offering,
                values["start"],
                name=values["name"],
                email=values["email"],
                phone=values["phone"],
                booked_by=request.user if isinstance(request.user, User) else None,
            )
        except services.AppointmentError as error:
            return _error(error)
        context = {"manage_url": request.build_absolute_uri(services.manage_path(booking))}
        return Response(CreatedBookingSerializer(booking, context=context).data, status=201)


class BookingCancelView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="Afspraak annuleren met het geheim uit de bevestigingsmail",
        request=TokenSerializer,
        responses={200: BookingSerializer, 400: ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, reference: str) -> Response:
        data = _body(request)
        if data is None:
            return Response({"detail": NOT_A_JSON_OBJECT}, status=400)
        serializer = TokenSerializer(data=data)
        if (refused := _refused(data, serializer)) is not None:
            return refused
        token = serializer.validated_data["token"]
        try:
            booking = services.cancel(services.find_booking(reference, token), token)
        except services.AppointmentError as error:
            return _error(error)
        return Response(BookingSerializer(booking).data)


class BookingMoveView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="Afspraak verzetten met het geheim uit de bevestigingsmail",
        request=MoveRequestSerializer,
        responses={200: BookingSerializer, 400: ERRORS, 404: NOT_FOUND, 409: TAKEN},
    )
    def post(self, request: Request, reference: str) -> Response:
        data = _body(request)
        if data is None:
            return Response({"detail": NOT_A_JSON_OBJECT}, status=400)
        serializer = MoveRequestSerializer(data=data)
        if (refused := _refused(data, serializer)) is not None:
            return refused
        values = serializer.validated_data
        try:
            booking = services.move(
                services.find_booking(reference, values["token"]), values["token"], values["start"]
            )
        except services.AppointmentError as error:
            return _error(error)
        return Response(BookingSerializer(booking).data)


urlpatterns = [
    path("servicepoints", ServicePointListView.as_view(), name="api-servicepoint-list"),
    path("servicepoints/<int:pk>/slots", SlotListView.as_view(), name="api-servicepoint-slots"),
    path("appointments", BookingCreateView.as_view(), name="api-appointment-create"),
    path("appointments/<str:reference>/cancel", BookingCancelView.as_view(), name="api-appointment-cancel"),
    path("appointments/<str:reference>/move", BookingMoveView.as_view(), name="api-appointment-move"),
]
