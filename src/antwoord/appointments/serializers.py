from datetime import date
from typing import Any

from django.utils import timezone
from django_stubs_ext import StrPromise
from rest_framework import serializers

from antwoord.api import Text
from antwoord.catalogue.models import Offering

from .models import Booking, ServicePoint
from .services import (
    MAX_DAYS_AHEAD,
    MAX_DAYS_PER_REQUEST,
    NAME_MAX_LENGTH,
    AppointmentError,
    check_first_day,
    duration,
)

REQUIRED = "Dit veld is verplicht."
START_ERRORS: dict[str, str | StrPromise] = {
    "required": REQUIRED,
    "invalid": "Geef de tijd als ISO 8601, bijvoorbeeld 2026-12-01T09:00:00+01:00.",
    "overflow": "Deze tijd ligt te ver weg. Kies een tijd uit de lijst met vrije tijden.",
}


class OfferingSummarySerializer(serializers.ModelSerializer[Offering]):
    minutes = serializers.SerializerMethodField(
        help_text="Duur van de afspraak, afgerond op hele tijdvakken."
    )

    class Meta:
        model = Offering
        fields = ["id", "title", "minutes"]

    def get_minutes(self, offering: Offering) -> int:
        return int(duration(offering).total_seconds() // 60)


class ServicePointSerializer(serializers.ModelSerializer[ServicePoint]):
    organisation: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    offerings = serializers.SerializerMethodField()

    class Meta:
        model = ServicePoint
        fields = ["id", "name", "address", "organisation", "organisation_name", "desks", "offerings"]

    def get_offerings(self, point: ServicePoint) -> list[dict[str, Any]]:
        # The view passes every point's offerings at once (services.offerings_at), not a query per point.
        offerings = self.context["offerings"][point.pk]
        return list(OfferingSummarySerializer(offerings, many=True).data)


class SlotQuerySerializer(serializers.Serializer[dict[str, Any]]):
    aanbod = serializers.IntegerField(
        min_value=1,
        help_text="ID van het aanbod (product van de organisatie) waarvoor de afspraak is.",
        error_messages={
            "required": "Geef het aanbod op (aanbod=<id>).",
            "invalid": "Het aanbod moet een getal zijn.",
        },
    )
    van = serializers.DateField(
        required=False,
        help_text=f"Eerste dag (JJJJ-MM-DD): vandaag tot hoogstens {MAX_DAYS_AHEAD} dagen vooruit; standaard vandaag.",
        error_messages={"invalid": "Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2026-12-01."},
    )
    dagen = serializers.IntegerField(
        required=False,
        default=7,
        min_value=1,
        max_value=MAX_DAYS_PER_REQUEST,
        help_text=f"Aantal dagen (1 tot en met {MAX_DAYS_PER_REQUEST}).",
        error_messages={
            "invalid": "Het aantal dagen moet een getal zijn.",
            "min_value": "Vraag ten minste 1 dag op.",
            "max_value": f"Vraag hoogstens {MAX_DAYS_PER_REQUEST} dagen tegelijk op.",
        },
    )

    def validate_van(self, value: date) -> date:
        try:
            check_first_day(value, timezone.localdate())
        except AppointmentError as error:
            raise serializers.ValidationError(error.message) from None
        return value


class SlotSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")


class SlotListSerializer(serializers.Serializer[Any]):
    service_point = serializers.IntegerField()
    offering = serializers.IntegerField()
    slots = SlotSerializer(many=True)


class BookingRequestSerializer(serializers.Serializer[dict[str, Any]]):
    service_point = serializers.IntegerField(
        error_messages={"required": REQUIRED, "invalid": "Geef het ID van het servicepunt."}
    )
    offering = serializers.IntegerField(
        error_messages={"required": REQUIRED, "invalid": "Geef het ID van het aanbod."}
    )
    start = serializers.DateTimeField(
        help_text="Begintijd zoals de lijst met vrije tijden hem geeft (ISO 8601 met tijdzone).",
        error_messages=START_ERRORS,
    )
    name = Text(
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": REQUIRED,
            "blank": "Vul de naam in.",
            "max_length": f"De naam mag hoogstens {NAME_MAX_LENGTH} tekens lang zijn.",
        },
    )
    # An agent books for a caller: an e-mail address for the confirmation, or else a phone number (the service
    # refuses neither).
    email = Text(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": "Dit e-mailadres is te lang."},
    )
    phone = Text(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": "Dit telefoonnummer is te lang."},
    )


class TokenSerializer(serializers.Serializer[dict[str, Any]]):
    token = Text(
        max_length=100,
        help_text="Het geheim uit de link in de bevestigingsmail.",
        error_messages={"required": REQUIRED, "blank": REQUIRED},
    )


class MoveRequestSerializer(TokenSerializer):
    start = serializers.DateTimeField(error_messages=START_ERRORS)


class BookingSerializer(serializers.ModelSerializer[Booking]):
    service_point: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    offering: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(read_only=True)
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    # Declared, not derived: the derived bounds of a small integer differ between SQLite and PostgreSQL,
    # and the committed OpenAPI document must be the same on both.
    desk = serializers.IntegerField(read_only=True, min_value=1, max_value=32767, label="Balie")

    class Meta:
        model = Booking
        fields = ["reference", "status", "service_point", "offering", "start", "end", "desk"]


class CreatedBookingSerializer(BookingSerializer):
    manage_url = serializers.SerializerMethodField(help_text="De geheime link om de afspraak te wijzigen.")
    token = serializers.CharField(read_only=True)

    class Meta(BookingSerializer.Meta):
        fields = [*BookingSerializer.Meta.fields, "token", "manage_url"]

    def get_manage_url(self, booking: Booking) -> str:
        return str(self.context["manage_url"])
