"""Handovers: the back office's queue and its actions (claim, assign, forward, answer)."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from antwoord.accounts.models import User
from antwoord.organisations.models import Organisation

from .. import access, services
from ..models import Handover, HandoverQuestion, Team
from ..questions import EXTRA_PREFIX, extra_questions
from ..serializers import (
    AssignSerializer,
    ForwardSerializer,
    HandedOverSerializer,
    HandoverAnswerSerializer,
    HandoverCreateSerializer,
    HandoverFilterSerializer,
    HandoverQuestionSerializer,
    HandoverQuestionsFilterSerializer,
    HandoverSerializer,
)
from .common import CONTACT_NOT_FOUND, REFERENCE_PATH, ApiView, F, Pages, errors, invalid

HANDOVER_NOT_FOUND = "Deze overdracht bestaat niet, of u mag hem niet zien."


class HandoversView(ApiView, generics.ListAPIView[Handover]):
    serializer_class = HandoverSerializer
    pagination_class = Pages
    query_parameters = frozenset(HandoverFilterSerializer().fields)

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
        description="`warning` is gevuld als niemand in ANTWOORD de vragen van de organisatie behandelt (zij heeft "
        "hier geen backoffice en geen vervanger): verwijs de inwoner dan ook rechtstreeks naar haar. De aanvullende "
        "vragen van de organisatie staan in GET /handover-questions; stuur de antwoorden in `extra_answers`.",
        request=HandoverCreateSerializer,
        responses={201: HandedOverSerializer, **errors(400, 409)},
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
        try:
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
                extra_answers=_extra_answers(values["extra_answers"]),
            )
        except services.ContactError as error:
            if error.field.startswith(EXTRA_PREFIX):  # said at the API's own field
                raise invalid("extra_answers", str(error)) from None
            raise
        return Response(HandedOverSerializer(handover).data, status=201)


def _extra_answers(given: dict[str, str] | None) -> dict[int, str] | None:
    """The answers per question id; the ids come as JSON object keys, so as text."""
    if given is None:
        return None
    if not all(key.isascii() and key.isdigit() and len(key) <= 9 for key in given):
        raise invalid("extra_answers", 'Gebruik als sleutel het nummer (id) van de vraag, bijv. {"12": "…"}.')
    return {int(key): answer for key, answer in given.items()}


class HandoverQuestionsView(ApiView, generics.ListAPIView[HandoverQuestion]):
    serializer_class = HandoverQuestionSerializer
    query_parameters = frozenset(HandoverQuestionsFilterSerializer().fields)

    def get_queryset(self) -> Any:
        filters = self.valid(HandoverQuestionsFilterSerializer, self.request.query_params)
        return extra_questions(_organisation(filters["organisation"], "organisation"))

    @extend_schema(
        summary="De aanvullende vragen bij een overdracht aan een organisatie",
        description="De vragen die de backoffice wil laten beantwoorden (van de vervanger als die de vragen van "
        "de organisatie behandelt). Stuur de antwoorden mee in `extra_answers` van POST /handovers.",
        parameters=[HandoverQuestionsFilterSerializer],
        responses={200: HandoverQuestionSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


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
        show = handover.keeps_resident_details and services.can_work_on(self.user, handover)
        if show:
            access.log_personal_data_view(handover, self.user, "API: overdracht bekeken")
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
