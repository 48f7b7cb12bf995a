"""What the contacts API reads and writes: contacts, handovers, and the Klantinteracties shape.

Input serializers only check form (types, choices, sizes of identifiers); the rules themselves (question
length, how to reach the resident, who may do what) live in contacts.services, whose Dutch messages the
API passes on. Texts are stored and returned as plain text; JSON is never rendered as HTML.
"""

from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from antwoord.api import NormalisedText, Text
from antwoord.lib.retention import retention_cutoff
from antwoord.organisations.models import Organisation

from . import klantinteracties
from .models import Audience, Channel, Contact, Handover, HandoverQuestion, Outcome, Priority, RequestedAction
from .routing import no_back_office_warning
from .services import MAX_QUESTION_LENGTH

# Outcomes a contact can be registered with; "overgedragen" goes through POST /handovers instead.
CLOSING_OUTCOMES = [Outcome.ANSWERED, Outcome.CLARIFIED, Outcome.ABANDONED]
MAX_TEXT = 20_000  # refused outright above this; the services give the real, smaller limits


def _choice(choices: Any, message: str, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, error_messages={"invalid_choice": message}, **kwargs)


def _text(**kwargs: Any) -> serializers.CharField:
    return Text(max_length=MAX_TEXT, trim_whitespace=False, **kwargs)


def _optional_link(slug_field: str, help_text: str | None = None) -> serializers.SlugRelatedField[Any]:
    """A related record named by one of its fields; read-only, null when there is none."""
    return serializers.SlugRelatedField(
        slug_field=slug_field, read_only=True, allow_null=True, help_text=help_text
    )


# --- contacts -------------------------------------------------------------------------------------------


class ContactOutcomeSerializer(serializers.Serializer[dict[str, Any]]):
    """How a contact ended: its outcome, the answer used (by the engine's key, or a UPL product), a note."""

    answer_key = Text(
        max_length=200, required=False, allow_blank=True, default="", help_text="Sleutel uit /api/v1/ask."
    )
    upl_uri = Text(max_length=300, required=False, allow_blank=True, default="")
    outcome = _choice(
        CLOSING_OUTCOMES,
        "Kies beantwoord, verduidelijkt of afgebroken. Overdragen gaat via /api/v1/handovers.",
    )
    note = _text(required=False, allow_blank=True, default="")


class ContactCreateSerializer(ContactOutcomeSerializer):
    channel = _choice(Channel.choices, "Kies web, telefoon, email, balie of chat.")
    question = NormalisedText(
        max_length=MAX_QUESTION_LENGTH,
        trim_whitespace=False,
        error_messages={
            "required": "Vul een vraag in.",
            "blank": "Vul een vraag in.",
            "max_length": f"De vraag is te lang. Gebruik hoogstens {MAX_QUESTION_LENGTH} tekens.",
        },
    )
    audience = _choice(Audience.values, "Kies burger of ondernemer.", required=False, default="")
    postcode = Text(max_length=20, required=False, allow_blank=True, default="")
    municipality = Text(
        max_length=100, required=False, allow_blank=True, default="", help_text="Gemeentecode, bijv. gm0518."
    )
    outcome = _choice(
        [Outcome.OPEN, *CLOSING_OUTCOMES],
        "Kies open, beantwoord, verduidelijkt of afgebroken. Overdragen gaat via /api/v1/handovers.",
        required=False,
        default=Outcome.OPEN,
    )
    started_at = serializers.DateTimeField(required=False, default=None, allow_null=True)

    def validate_question(self, value: str) -> str:
        """Invisible and control characters alone are no question (the register would show an empty row)."""
        if not value:
            raise serializers.ValidationError("Vul een vraag in.")
        return value

    def validate_started_at(self, value: Any) -> Any:
        if value is not None and value > timezone.now():
            raise serializers.ValidationError("Het begin van het contact kan niet in de toekomst liggen.")
        # Older than the retention time: a typing error, or personal data ANTWOORD may no longer keep.
        if value is not None and value < retention_cutoff(settings.RETENTION_DAYS):
            raise serializers.ValidationError(
                f"Het contact is ouder dan de bewaartermijn van {settings.RETENTION_DAYS} dagen. "
                "Registreer alleen recente contacten."
            )
        return value


class ContactSerializer(serializers.ModelSerializer[Contact]):
    municipality = _optional_link("code", "Gemeentecode van de plaats, als die bekend is.")
    taken_by = _optional_link(
        "code", "Code van de organisatie die het contact behandelt; null voor een vraag op de website."
    )
    intended_for = _optional_link(
        "code", "Code van de organisatie waarvoor een e-mail bedoeld was, als een ander die behandelt."
    )
    agent = _optional_link(
        "username", "Gebruikersnaam van de medewerker; null als geen medewerker het contact behandelde."
    )
    audience = serializers.ChoiceField(choices=Audience.values, read_only=True)
    automated = serializers.BooleanField(
        source="is_automated",
        read_only=True,
        help_text="Behandeld zonder medewerker; een e-mail die nog op een medewerker wacht, is dat (nog) niet.",
    )
    follows = _optional_link("uuid", "Het eerdere contact waarop de inwoner met deze e-mail reageerde.")

    class Meta:
        model = Contact
        fields = [
            "uuid",
            "channel",
            "started_at",
            "ended_at",
            "question",
            "audience",
            "municipality",
            "taken_by",
            "intended_for",
            "outcome",
            "answer_key",
            "answer_kind",
            "answer_source_id",
            "answer_title",
            "upl_uri",
            "agent",
            "automated",
            "engine_status",
            "engine_confidence",
            "note",
            "follows",
        ]
        read_only_fields = fields


class ContactFilterSerializer(serializers.Serializer[dict[str, Any]]):
    channel = _choice(Channel.choices, "Onbekend kanaal.", required=False)
    outcome = _choice(Outcome.choices, "Onbekende uitkomst.", required=False)
    municipality = serializers.CharField(
        max_length=40, required=False, help_text="Gemeentecode, bijv. gm0518."
    )
    started_from = serializers.DateField(required=False, help_text="Begonnen op of na deze datum.")
    started_until = serializers.DateField(required=False, help_text="Begonnen op of voor deze datum.")


# --- handovers ------------------------------------------------------------------------------------------


class HandoverCreateSerializer(serializers.Serializer[dict[str, Any]]):
    contact = serializers.UUIDField(error_messages={"invalid": "Dit is geen geldig contactnummer (uuid)."})
    organisation = Text(max_length=40, help_text="Organisatiecode, bijv. gm0518.")
    requested_action = _choice(RequestedAction.choices, "Kies email of terugbellen.")
    name = Text(max_length=200, required=False, allow_blank=True, default="")
    email = Text(max_length=254, required=False, allow_blank=True, default="")
    phone = Text(max_length=40, required=False, allow_blank=True, default="")
    priority = _choice(Priority.choices, "Kies 0 (spoed), 1 (hoog) of 2 (normaal).", default=Priority.NORMAL)
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = _text(required=False, allow_blank=True, default="")
    extra_answers = serializers.DictField(
        child=Text(allow_blank=True),
        required=False,
        allow_null=True,
        default=None,
        # DRF formats its messages: {{ and }} are braces.
        error_messages={
            "not_a_dict": 'Stuur een JSON-object met per vraag-id het antwoord, bijv. {{"12": "…"}}.'
        },
        help_text="De antwoorden op de aanvullende vragen van de organisatie (GET /handover-questions), per `id` "
        "van de vraag. Zonder dit veld komt de overdracht zonder antwoorden; met dit veld moeten de verplichte "
        "vragen beantwoord zijn.",
    )


class HandoverQuestionSerializer(serializers.Serializer[HandoverQuestion]):
    id = serializers.IntegerField()
    question = serializers.CharField(source="text")
    # DRF takes declared fields out of the class, so this does not replace Field.required; mypy cannot know.
    required = serializers.BooleanField()  # type: ignore[assignment]


class HandoverQuestionsFilterSerializer(serializers.Serializer[dict[str, Any]]):
    organisation = Text(max_length=40, help_text="Organisatiecode, bijv. gm0518.")


class ResidentSerializer(serializers.Serializer[Handover]):
    name = serializers.CharField(source="resident_name")
    email = serializers.CharField(source="resident_email")
    phone = serializers.CharField(source="resident_phone")


class ExtraAnswerSerializer(serializers.Serializer[dict[str, str]]):
    question = serializers.CharField(
        help_text="Een aanvullende vraag van de organisatie, zoals die gesteld is."
    )
    answer = serializers.CharField()


class HandoverSerializer(serializers.ModelSerializer[Handover]):
    """A handover; `resident` (how to reach the resident) is only filled in for GET /handovers/<reference>
    by someone who may work on it, and is null everywhere else."""

    contact: serializers.SlugRelatedField[Contact] = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True
    )
    question = serializers.CharField(source="contact.question", read_only=True)
    channel = serializers.CharField(source="contact.channel", read_only=True)
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    intended_for = _optional_link(
        "code",
        "De verantwoordelijke organisatie, als `organisation` de vraag voor haar behandelt "
        "(zij werkt nog niet met ANTWOORD); anders null.",
    )
    team = _optional_link("name")
    assigned_to = _optional_link("username")
    forwarded_from = _optional_link("reference")
    overdue = serializers.SerializerMethodField()
    extra_answers = serializers.SerializerMethodField()
    resident = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        fields = [
            "reference",
            "contact",
            "question",
            "channel",
            "organisation",
            "organisation_name",
            "intended_for",
            "team",
            "status",
            "priority",
            "requested_action",
            "created_at",
            "due_on",
            "overdue",
            "assigned_to",
            "answer",
            "done_at",
            "forwarded_from",
            "extra_answers",
            "resident",
        ]
        read_only_fields = fields

    def get_overdue(self, handover: Handover) -> bool:
        return handover.is_overdue

    @extend_schema_field(ExtraAnswerSerializer(many=True))
    def get_extra_answers(self, handover: Handover) -> list[dict[str, str]]:
        return [{"question": question, "answer": answer} for question, answer in handover.extra_answers]

    @extend_schema_field(ResidentSerializer(allow_null=True))
    def get_resident(self, handover: Handover) -> dict[str, Any] | None:
        if not self.context.get("show_personal_data"):
            return None
        return dict(ResidentSerializer(handover).data)


class HandedOverSerializer(HandoverSerializer):
    """The handover just made, with a warning when nobody in ANTWOORD will work it."""

    warning = serializers.SerializerMethodField()

    class Meta(HandoverSerializer.Meta):
        fields = [*HandoverSerializer.Meta.fields, "warning"]

    def get_warning(self, handover: Handover) -> str | None:
        return no_back_office_warning(handover.organisation)


class HandoverFilterSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.MultipleChoiceField(
        choices=Handover._meta.get_field("status").choices or [],
        required=False,
        error_messages={"invalid_choice": "Onbekende status."},
    )
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    mine = serializers.BooleanField(required=False, default=False, help_text="Alleen aan mij toegewezen.")
    team = serializers.CharField(max_length=100, required=False, help_text="Naam van het team.")
    organisation = serializers.CharField(max_length=40, required=False, help_text="Organisatiecode.")


class AssignSerializer(serializers.Serializer[dict[str, Any]]):
    assignee = Text(max_length=150, help_text="Gebruikersnaam van de collega.")


class ForwardSerializer(serializers.Serializer[dict[str, Any]]):
    organisation = Text(max_length=40, help_text="Organisatiecode, bijv. gm0599.")
    note = _text(error_messages={"required": "Schrijf kort waarom u de vraag doorstuurt."})


class HandoverAnswerSerializer(serializers.Serializer[dict[str, Any]]):
    answer = _text(error_messages={"required": "Schrijf het antwoord aan de inwoner."})


# --- Klantinteracties -------------------------------------------------------------------------------------
# The VNG standard's camelCase names are the JSON keys. The fields below describe the shape for the OpenAPI
# document; klantinteracties.py produces the values, so the two cannot drift (a test compares them).


class _Mapped(serializers.Serializer[Any]):
    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self.represent(instance, self.context["view_context"])

    def represent(self, instance: Any, context: "klantinteracties.MappingContext") -> dict[str, Any]:
        raise NotImplementedError


class ReferentieSerializer(serializers.Serializer[dict[str, str]]):
    uuid = serializers.UUIDField()
    url = serializers.CharField(allow_blank=True)


def _ref(**kwargs: Any) -> ReferentieSerializer:
    return ReferentieSerializer(**kwargs)


class KlantcontactSerializer(_Mapped):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "uuid": serializers.UUIDField(),
            "url": serializers.CharField(),
            "kanaal": serializers.CharField(),
            "onderwerp": serializers.CharField(),
            "inhoud": serializers.CharField(),
            "indicatieContactGelukt": serializers.BooleanField(allow_null=True),
            "taal": serializers.CharField(),
            "vertrouwelijk": serializers.BooleanField(),
            "plaatsgevondenOp": serializers.DateTimeField(),
            "hadBetrokkenen": _ref(many=True),
            "gingOverOnderwerpobjecten": _ref(many=True),
            "hadBetrokkenActoren": _ref(many=True),
            "leiddeTotInterneTaken": _ref(many=True),
        }

    def represent(self, instance: Contact, context: "klantinteracties.MappingContext") -> dict[str, Any]:
        return klantinteracties.klantcontact(instance, context)


class ContactnaamSerializer(serializers.Serializer[dict[str, str]]):
    voorletters = serializers.CharField(allow_blank=True)
    voornaam = serializers.CharField(allow_blank=True)
    voorvoegselAchternaam = serializers.CharField(allow_blank=True)  # noqa: N815 (the standard's name)
    achternaam = serializers.CharField(allow_blank=True)


class DigitaalAdresSerializer(serializers.Serializer[dict[str, str]]):
    soortDigitaalAdres = serializers.CharField()  # noqa: N815 (the standard's name)
    adres = serializers.CharField()
    omschrijving = serializers.CharField(allow_blank=True)


class BetrokkeneSerializer(_Mapped):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "uuid": serializers.UUIDField(),
            "hadKlantcontact": _ref(),
            "wasPartij": _ref(allow_null=True),
            "rol": serializers.CharField(),
            "initiator": serializers.BooleanField(),
            "organisatienaam": serializers.CharField(allow_blank=True),
            "contactnaam": ContactnaamSerializer(allow_null=True),
            "volledigeNaam": serializers.CharField(allow_blank=True),
            "digitaleAdressen": DigitaalAdresSerializer(many=True),
        }

    def represent(self, instance: Contact, context: "klantinteracties.MappingContext") -> dict[str, Any]:
        return klantinteracties.betrokkene(instance, context)


class IdentificatorSerializer(serializers.Serializer[dict[str, str]]):
    objectId = serializers.CharField()  # noqa: N815 (the standard's name)
    codeObjecttype = serializers.CharField()  # noqa: N815
    codeRegister = serializers.CharField()  # noqa: N815
    codeSoortObjectId = serializers.CharField()  # noqa: N815


class OnderwerpobjectSerializer(_Mapped):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "uuid": serializers.UUIDField(),
            "klantcontact": _ref(),
            "wasKlantcontact": _ref(allow_null=True),
            "onderwerpobjectidentificator": IdentificatorSerializer(),
            "omschrijving": serializers.CharField(allow_blank=True),
        }

    def represent(
        self, instance: "klantinteracties.Onderwerpobject", context: "klantinteracties.MappingContext"
    ) -> dict[str, Any]:
        return klantinteracties.onderwerpobject(instance, context)


class ActorSerializer(_Mapped):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "uuid": serializers.UUIDField(),
            "naam": serializers.CharField(),
            "soortActor": serializers.ChoiceField(choices=klantinteracties.ACTOR_KINDS),
            "indicatieActief": serializers.BooleanField(),
            "actoridentificator": IdentificatorSerializer(),
        }

    def represent(
        self, instance: "klantinteracties.Actor", context: "klantinteracties.MappingContext"
    ) -> dict[str, Any]:
        return klantinteracties.actor(instance)


class InternetaakSerializer(_Mapped):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "uuid": serializers.UUIDField(),
            "nummer": serializers.CharField(),
            "gevraagdeHandeling": serializers.CharField(),
            "aanleidinggevendKlantcontact": _ref(),
            "toegewezenAanActoren": _ref(many=True),
            "toelichting": serializers.CharField(allow_blank=True),
            # Plain text, not an enum: "status" is already the name of the handover status enum.
            "status": serializers.CharField(help_text="te_verwerken of verwerkt."),
            "toegewezenOp": serializers.DateTimeField(),
            "afgehandeldOp": serializers.DateTimeField(allow_null=True),
            "deadline": serializers.DateField(help_text="Uiterste datum (ANTWOORD; niet in de standaard)."),
            "prioriteit": serializers.ChoiceField(
                choices=["spoed", "hoog", "normaal"], help_text="ANTWOORD; niet in de standaard."
            ),
            "bedoeldVoor": _ref(
                allow_null=True,
                help_text="De organisatie waarvoor de toegewezen organisatie de vraag behandelt, omdat die nog "
                "niet met ANTWOORD werkt; anders leeg (ANTWOORD; niet in de standaard).",
            ),
        }

    def represent(self, instance: Handover, context: "klantinteracties.MappingContext") -> dict[str, Any]:
        return klantinteracties.internetaak(instance, context)
