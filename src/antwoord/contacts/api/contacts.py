"""The contact register: list, register and read contacts."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from antwoord.answers.engine.decide import Answer
from antwoord.answers.services import current_engine
from antwoord.catalogue.models import Product
from antwoord.organisations.models import Organisation
from antwoord.organisations.services import UnknownPlaceError, find_place

from .. import services
from ..models import Contact, Outcome
from ..serializers import (
    ContactCreateSerializer,
    ContactFilterSerializer,
    ContactOutcomeSerializer,
    ContactSerializer,
)
from .common import CONTACT_NOT_FOUND, UUID_PATH, ApiView, Pages, errors, invalid, parse_uuid


class ContactsView(ApiView, generics.ListAPIView[Contact]):
    serializer_class = ContactSerializer
    pagination_class = Pages
    query_parameters = frozenset(ContactFilterSerializer().fields)

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


class ContactCloseView(ContactView):
    http_method_names = ["post", "options"]  # reading the contact is GET /contacts/<uuid>

    @extend_schema(
        summary="Een lopend contact afronden",
        description="Voor wie het contact nam, of wie het register van die organisatie bijhoudt. Overdragen "
        "gaat met POST /api/v1/handovers.",
        parameters=[UUID_PATH],
        request=ContactOutcomeSerializer,
        responses={200: ContactSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        if not services.may_close(self.user, contact):
            raise PermissionError("Alleen wie het contact nam of het register bijhoudt, rondt het af.")
        values = self.valid(ContactOutcomeSerializer, request.data)
        answer = _answer(values["answer_key"], values["upl_uri"])
        with transaction.atomic():
            services.pick_up(contact, self.user)
            services.close_contact(contact, values["outcome"], answer=answer, note=values["note"])
        return Response(ContactSerializer(contact).data)
