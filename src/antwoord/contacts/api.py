"""The contacts part of the REST API under /api/v1/: the contact register, handovers, and the register in
the shape of the VNG Klantinteracties API.

Authentication: a system sends "Authorization: Token <key>" (tokens are made in /beheer/ under
"Tokens"); staff in the browser use their session. Anonymous requests get 401.

Who sees what (the same rules as the staff screens):
- Contacts: a superuser sees all. Anyone else sees the contacts they took themselves, the contacts taken by
  an organisation in which they are klantcontactmedewerker, manager or beheerder, and the contacts handed
  over to an organisation in whose back office or management they work (backoffice, manager, beheerder).
  Registering a contact needs the role klantcontactmedewerker, manager or beheerder somewhere; the account
  that registers it is recorded as the agent, also when it is a system's account.
- Handovers: only those of organisations in whose back office the user works (services.visible_handovers);
  another organisation's handover is "not found" (404), never "forbidden", so its existence does not leak.
  How to reach the resident is shown only in GET /handovers/<reference> to someone who may work on it, and
  every such showing is written to the processing log (PersonalDataView).
- Klantinteracties: the same rules; a betrokkene's name and addresses only for those who may work on the
  contact's latest handover (and logged).

Errors are JSON with a Dutch `detail` and, for wrong fields, `errors` per field: 400 for wrong input, 401
without credentials, 403 for a missing role, 404 for unknown or invisible ids, 409 for a handover that is
already closed, a contact that already ended or was handed over, or a claim on a colleague's handover,
413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, 429 (with Retry-After) past the rate limit of
API_RATE requests per account (a brake on runaway scripts and on misuse of a stolen token). Every write
runs in one transaction: it happens completely or not at all.
"""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ParseError, Throttled, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle

from antwoord.accounts.models import User
from antwoord.answers.engine.decide import Answer
from antwoord.answers.serializers import ErrorSerializer
from antwoord.answers.services import current_engine
from antwoord.catalogue.models import Product
from antwoord.organisations.models import Organisation
from antwoord.organisations.services import UnknownPlaceError, find_place

from . import klantinteracties as ki
from . import services
from .models import Contact, Handover, Outcome, Team
from .serializers import (
    ActorSerializer,
    AssignSerializer,
    BetrokkeneSerializer,
    ContactCreateSerializer,
    ContactFilterSerializer,
    ContactSerializer,
    ForwardSerializer,
    HandoverAnswerSerializer,
    HandoverCreateSerializer,
    HandoverFilterSerializer,
    HandoverSerializer,
    InternetaakSerializer,
    KlantcontactSerializer,
    OnderwerpobjectSerializer,
)

app_name = "contacts_api"
F = TypeVar("F", bound=Callable[..., Any])

# Requests per account; far above what a person or a well-behaved integration makes.
API_RATE = "600/minute"


# --- shared machinery -----------------------------------------------------------------------------------


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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
    """API_RATE per account over all contacts endpoints (the default cache counts; per process)."""

    scope = "contacts"
    rate = API_RATE


class ApiView(generics.GenericAPIView[Any]):
    """Authenticated JSON views that turn the services' refusals into Dutch error responses."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [AccountRateThrottle]

    @property
    def user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)  # IsAuthenticated let only staff accounts through
        return user

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.ConflictError):
            return Response({"detail": str(exc)}, status=409)
        if isinstance(exc, Throttled):
            wait = int(getattr(exc, "wait", None) or 60)  # set by DRF's throttles; not in the stubs
            message = f"Te veel verzoeken. Probeer het over {wait} seconden opnieuw."
            return Response({"detail": message}, status=429, headers={"Retry-After": str(wait)})
        if isinstance(exc, services.ContactError):
            return Response({"detail": str(exc)}, status=400)
        if isinstance(exc, PermissionError):
            return Response({"detail": str(exc)}, status=403)
        if isinstance(exc, RequestDataTooBig):
            return Response({"detail": "Het verzoek is te groot."}, status=413)
        if isinstance(exc, ParseError):
            exc = ParseError("De inhoud van het verzoek is geen geldige JSON.")
        if isinstance(exc, ValidationError):
            return Response({"detail": "De invoer klopt niet.", "errors": exc.detail}, status=400)
        return super().handle_exception(exc)

    def valid(self, serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):  # a JSON list, string or null
            raise services.ContactError("Stuur een JSON-object met de gegevens.")
        serializer = serializer_class(data=data)
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


# --- contacts -------------------------------------------------------------------------------------------

CONTACT_NOT_FOUND = "Dit contact bestaat niet, of u mag het niet zien."


class ContactsView(ApiView, generics.ListAPIView[Contact]):
    serializer_class = ContactSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Contact]:
        filters = self.valid(ContactFilterSerializer, self.request.query_params)
        contacts = services.visible_contacts(self.user)
        if "channel" in filters:
            contacts = contacts.filter(channel=filters["channel"])
        if "outcome" in filters:
            contacts = contacts.filter(outcome=filters["outcome"])
        if "municipality" in filters:
            contacts = contacts.filter(municipality__code__iexact=filters["municipality"])
        if "started_from" in filters:
            contacts = contacts.filter(started_at__date__gte=filters["started_from"])
        if "started_until" in filters:
            contacts = contacts.filter(started_at__date__lte=filters["started_until"])
        return contacts

    @extend_schema(
        summary="Contacten in het register",
        parameters=[ContactFilterSerializer],
        responses={200: ContactSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Een contact registreren",
        description="Met uitkomst open blijft het contact lopen; beantwoord, verduidelijkt en afgebroken "
        "ronden het af. Overdragen gaat met POST /api/v1/handovers.",
        request=ContactCreateSerializer,
        responses={201: ContactSerializer, **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        if not services.may_register_contacts(self.user):
            return Response(
                {"detail": "Alleen klantcontactmedewerkers, managers en beheerders registreren contacten."},
                status=403,
            )
        values = self.valid(ContactCreateSerializer, request.data)
        with transaction.atomic():
            contact = services.start_contact(
                values["channel"],
                values["question"],
                agent=self.user,
                audience=values["audience"],
                municipality=_municipality(values["postcode"], values["municipality"]),
                started_at=values["started_at"],
            )
            answer = _answer(values["answer_key"], values["upl_uri"])
            if values["outcome"] != Outcome.OPEN:
                services.close_contact(contact, values["outcome"], answer=answer, note=values["note"])
            elif answer is not None or values["note"].strip():
                raise services.ContactError(
                    "Een antwoord of notitie hoort bij een afgerond contact. Kies beantwoord, "
                    "verduidelijkt of afgebroken als uitkomst."
                )
        return Response(ContactSerializer(contact).data, status=201)


def _municipality(postcode: str, code: str) -> Organisation | None:
    """The place of the contact, by postcode or by municipality (code or name)."""
    try:
        return find_place(postcode, code)
    except (ValueError, UnknownPlaceError) as error:
        raise invalid("postcode" if postcode.strip() else "municipality", str(error)) from None


def _answer(answer_key: str, upl_uri: str) -> Answer | None:
    """The answer the contact was about: one the engine knows by its key, or else a UPL product."""
    if answer_key.strip():
        answer = current_engine().answer_for(answer_key.strip())
        if answer is None:
            raise invalid("answer_key", "Dit antwoord kennen we niet.")
        return answer
    if upl_uri.strip():
        product = Product.objects.filter(upl_uri=upl_uri.strip()).first()
        if product is None:
            raise invalid("upl_uri", "Dit product staat niet in de Uniforme Productnamenlijst.")
        return Answer(
            key="", kind="product", source_id="", upl_uri=product.upl_uri, title=product.name, organisation={}
        )
    return None


class ContactView(ApiView, generics.RetrieveAPIView[Contact]):
    serializer_class = ContactSerializer

    def get_object(self) -> Contact:
        identity = parse_uuid(self.kwargs["uuid"], CONTACT_NOT_FOUND)
        contact = services.visible_contacts(self.user).filter(uuid=identity).first()
        if contact is None:
            raise NotFound(CONTACT_NOT_FOUND)
        return contact

    @extend_schema(
        summary="Eén contact", parameters=[UUID_PATH], responses={200: ContactSerializer, **errors(404)}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- handovers ------------------------------------------------------------------------------------------

HANDOVER_NOT_FOUND = "Deze overdracht bestaat niet, of u mag hem niet zien."


class HandoversView(ApiView, generics.ListAPIView[Handover]):
    serializer_class = HandoverSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Handover]:
        filters = self.valid(HandoverFilterSerializer, self.request.query_params)
        handovers = services.visible_handovers(self.user)
        if filters.get("status"):
            handovers = handovers.filter(status__in=filters["status"])
        if filters.get("overdue") is not None:
            overdue = handovers.overdue()
            handovers = overdue if filters["overdue"] else handovers.exclude(pk__in=overdue.values("pk"))
        if filters["mine"]:
            handovers = handovers.filter(assigned_to=self.user)
        if "team" in filters:
            handovers = handovers.filter(team__name__iexact=filters["team"])
        if "organisation" in filters:
            handovers = handovers.filter(organisation__code__iexact=filters["organisation"])
        return handovers

    @extend_schema(
        summary="Overdrachten in de backoffice-wachtrijen van uw organisaties",
        parameters=[HandoverFilterSerializer],
        responses={200: HandoverSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Een contact overdragen aan de backoffice van een organisatie",
        request=HandoverCreateSerializer,
        responses={201: HandoverSerializer, **errors(400, 409)},
    )
    def post(self, request: Request) -> Response:
        values = self.valid(HandoverCreateSerializer, request.data)
        contact = services.visible_contacts(self.user).filter(uuid=values["contact"]).first()
        if contact is None:
            raise invalid("contact", CONTACT_NOT_FOUND)
        organisation = _organisation(values["organisation"], "organisation")
        team = None
        if values["team"] is not None:
            team = Team.objects.filter(pk=values["team"], organisation=organisation).first()
            if team is None:
                raise invalid("team", "Dit team bestaat niet bij de gekozen organisatie.")
        handover = services.hand_over(
            contact,
            organisation,
            requested_action=values["requested_action"],
            name=values["name"],
            email=values["email"],
            phone=values["phone"],
            priority=int(values["priority"]),
            team=team,
            actor=self.user,
            note=values["note"],
        )
        return Response(HandoverSerializer(handover).data, status=201)


def _organisation(code: str, field: str) -> Organisation:
    organisation = Organisation.objects.active().filter(code__iexact=code.strip()).first()
    if organisation is None:
        raise invalid(field, "Deze organisatie kennen we niet. Gebruik de organisatiecode, bijv. gm0518.")
    return organisation


class HandoverMixin(ApiView):
    serializer_class = HandoverSerializer

    def get_object(self) -> Handover:
        reference = self.kwargs["reference"].strip().upper()
        handover = services.visible_handovers(self.user).filter(reference=reference).first()
        if handover is None:
            raise NotFound(HANDOVER_NOT_FOUND)
        return handover


class HandoverView(HandoverMixin, generics.RetrieveAPIView[Handover]):
    @extend_schema(
        summary="Eén overdracht, met de contactgegevens van de inwoner",
        description="Het bekijken van de contactgegevens wordt vastgelegd in het verwerkingslogboek.",
        parameters=[REFERENCE_PATH],
        responses={200: HandoverSerializer, **errors(404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        handover = self.get_object()
        show = services.can_work_on(self.user, handover)
        if show:
            services.log_personal_data_view(handover, self.user, "API: overdracht bekeken")
        return Response(HandoverSerializer(handover, context={"show_personal_data": show}).data)


class HandoverActionView(HandoverMixin):
    """POST /handovers/<reference>/<action>: the action runs on an open handover, or not at all (409)."""

    input_serializer: type[serializers.Serializer[Any]] | None = None

    def post(self, request: Request, reference: str) -> Response:
        handover = self.get_object()
        if not handover.is_open:  # checked again under the lock by the service (ConflictError: 409)
            return Response({"detail": services.HANDOVER_CLOSED}, status=409)
        values = self.valid(self.input_serializer, request.data) if self.input_serializer else {}
        result = self.act(handover, values)
        return Response(HandoverSerializer(result).data)

    def act(self, handover: Handover, values: dict[str, Any]) -> Handover:
        raise NotImplementedError


def _action_schema(summary: str, request: type[serializers.Serializer[Any]] | None) -> Callable[[F], F]:
    return extend_schema(
        summary=summary,
        parameters=[REFERENCE_PATH],
        request=request,
        responses={200: HandoverSerializer, **errors(400, 403, 404, 409)},
    )


class ClaimView(HandoverActionView):
    @_action_schema("Een overdracht oppakken (aan uzelf toewijzen)", None)
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def act(self, handover: Handover, values: dict[str, Any]) -> Handover:
        return services.claim(handover, self.user)


class AssignView(HandoverActionView):
    input_serializer = AssignSerializer

    @_action_schema("Een overdracht toewijzen aan een collega", AssignSerializer)
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def act(self, handover: Handover, values: dict[str, Any]) -> Handover:
        assignee = User.objects.filter(username=values["assignee"], is_active=True).first()
        if assignee is None:
            raise invalid("assignee", "Deze collega kennen we niet.")
        return services.assign(handover, self.user, assignee)


class ForwardView(HandoverActionView):
    input_serializer = ForwardSerializer

    @_action_schema(
        "Een overdracht doorsturen naar een andere organisatie (antwoord: de nieuwe overdracht)",
        ForwardSerializer,
    )
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def act(self, handover: Handover, values: dict[str, Any]) -> Handover:
        organisation = _organisation(values["organisation"], "organisation")
        return services.forward(handover, self.user, organisation, values["note"])


class AnswerView(HandoverActionView):
    input_serializer = HandoverAnswerSerializer

    @_action_schema("Een overdracht afhandelen met het antwoord aan de inwoner", HandoverAnswerSerializer)
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def act(self, handover: Handover, values: dict[str, Any]) -> Handover:
        return services.answer_handover(handover, self.user, values["answer"])


# --- Klantinteracties -------------------------------------------------------------------------------------

KLANTCONTACT_FILTER = OpenApiParameter(
    "klantcontact", OpenApiTypes.UUID, description="Alleen die van dit klantcontact (uuid)."
)


class KlantinteractiesView(ApiView):
    """Read-only; the objects are mapped by contacts.klantinteracties."""

    pagination_class = Pages

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "view_context": ki.MappingContext(self.request, self.user),
        }

    def contacts(self) -> QuerySet[Contact]:
        contacts = services.visible_contacts(self.user).prefetch_related(
            "handovers__organisation", "handovers__assigned_to"
        )
        value = self.request.query_params.get("klantcontact")
        if value is None:
            return contacts
        try:
            return contacts.filter(uuid=uuid.UUID(value))
        except ValueError:
            raise invalid("klantcontact", "Dit is geen geldig uuid.") from None


class KlantcontactenView(KlantinteractiesView, generics.ListAPIView[Contact]):
    serializer_class = KlantcontactSerializer

    def get_queryset(self) -> QuerySet[Contact]:
        return self.contacts()

    @extend_schema(
        summary="Klantcontacten",
        parameters=[KLANTCONTACT_FILTER],
        responses={200: KlantcontactSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class KlantcontactView(KlantinteractiesView, generics.RetrieveAPIView[Contact]):
    serializer_class = KlantcontactSerializer

    def get_object(self) -> Contact:
        identity = parse_uuid(self.kwargs["uuid"], CONTACT_NOT_FOUND)
        contact = self.contacts().filter(uuid=identity).first()
        if contact is None:
            raise NotFound(CONTACT_NOT_FOUND)
        return contact

    @extend_schema(
        summary="Eén klantcontact",
        parameters=[UUID_PATH],
        responses={200: KlantcontactSerializer, **errors(404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class BetrokkenenView(KlantinteractiesView, generics.ListAPIView[Contact]):
    """One betrokkene per klantcontact: the resident."""

    serializer_class = BetrokkeneSerializer

    def get_queryset(self) -> QuerySet[Contact]:
        return self.contacts()

    @extend_schema(
        summary="Betrokkenen (de inwoner bij elk klantcontact)",
        parameters=[KLANTCONTACT_FILTER],
        responses={200: BetrokkeneSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OnderwerpobjectenView(KlantinteractiesView, generics.ListAPIView[Any]):
    serializer_class = OnderwerpobjectSerializer

    def get_queryset(self) -> list[ki.Onderwerpobject]:  # type: ignore[override]
        about = Q(answer_key__gt="") | Q(answer_source_id__gt="") | Q(upl_uri__gt="")
        return [
            subject
            for contact in self.contacts().filter(about)
            for subject in ki.onderwerpobjecten_of(contact)
        ]

    @extend_schema(
        summary="Onderwerpobjecten (antwoord of product van een klantcontact)",
        parameters=[KLANTCONTACT_FILTER],
        responses={200: OnderwerpobjectSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ActorenView(KlantinteractiesView, generics.ListAPIView[Any]):
    serializer_class = ActorSerializer

    def get_queryset(self) -> list[ki.Actor]:  # type: ignore[override]
        found = (actor for contact in self.contacts() for actor in ki.actors_of(contact))
        return list(dict.fromkeys(found))

    @extend_schema(
        summary="Actoren (medewerkers, de antwoordmachine, organisaties)",
        parameters=[KLANTCONTACT_FILTER],
        responses={200: ActorSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class InternetakenView(KlantinteractiesView, generics.ListAPIView[Handover]):
    serializer_class = InternetaakSerializer

    def get_queryset(self) -> QuerySet[Handover]:
        handovers = services.visible_handovers(self.user)
        if "klantcontact" in self.request.query_params:
            handovers = handovers.filter(contact__in=self.contacts())
        return handovers

    @extend_schema(
        summary="Interne taken (overdrachten), met deadline en prioriteit",
        parameters=[KLANTCONTACT_FILTER],
        responses={200: InternetaakSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("contacts", ContactsView.as_view(), name="contacts"),
    path("contacts/<str:uuid>", ContactView.as_view(), name="contact"),
    path("handovers", HandoversView.as_view(), name="handovers"),
    path("handovers/<str:reference>", HandoverView.as_view(), name="handover"),
    path("handovers/<str:reference>/claim", ClaimView.as_view(), name="handover-claim"),
    path("handovers/<str:reference>/assign", AssignView.as_view(), name="handover-assign"),
    path("handovers/<str:reference>/forward", ForwardView.as_view(), name="handover-forward"),
    path("handovers/<str:reference>/answer", AnswerView.as_view(), name="handover-answer"),
    path("klantinteracties/klantcontacten", KlantcontactenView.as_view(), name="ki-klantcontacten"),
    path("klantinteracties/klantcontacten/<str:uuid>", KlantcontactView.as_view(), name="ki-klantcontact"),
    path("klantinteracties/betrokkenen", BetrokkenenView.as_view(), name="ki-betrokkenen"),
    path("klantinteracties/onderwerpobjecten", OnderwerpobjectenView.as_view(), name="ki-onderwerpobjecten"),
    path("klantinteracties/actoren", ActorenView.as_view(), name="ki-actoren"),
    path("klantinteracties/internetaken", InternetakenView.as_view(), name="ki-internetaken"),
]
