"""The register in the shape of the VNG Klantinteracties API (read only)."""

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from .. import klantinteracties as ki
from .. import services
from ..models import Contact, Handover
from ..serializers import (
    ActorSerializer,
    BetrokkeneSerializer,
    InternetaakSerializer,
    KlantcontactSerializer,
    OnderwerpobjectSerializer,
)
from .common import CONTACT_NOT_FOUND, UUID_PATH, ApiView, Pages, errors, invalid, parse_uuid

KLANTCONTACT_FILTER = OpenApiParameter(
    "klantcontact", OpenApiTypes.UUID, description="Alleen die van dit klantcontact (uuid)."
)


class KlantinteractiesView(ApiView):
    """Read-only; the objects are mapped by contacts.klantinteracties."""

    pagination_class = Pages
    query_parameters = frozenset({"klantcontact"})

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "view_context": ki.MappingContext(self.request, self.user),
        }

    def contacts(self) -> QuerySet[Contact]:
        contacts = services.visible_contacts(self.user).prefetch_related(
            "handovers__organisation", "handovers__intended_for", "handovers__assigned_to"
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
