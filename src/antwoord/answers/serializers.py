from typing import Any

from rest_framework import serializers

from antwoord.api import Text

from .services import AUDIENCES

MAX_ACCEPTED_LENGTH = 20_000  # longer bodies are refused outright; the engine itself explains its own limit


class AskSerializer(serializers.Serializer[dict[str, str]]):
    question = Text(
        max_length=MAX_ACCEPTED_LENGTH,
        allow_blank=True,
        trim_whitespace=False,
        error_messages={"required": "Stel een vraag.", "max_length": "Uw vraag is veel te lang."},
    )
    postcode = Text(max_length=20, required=False, allow_blank=True, default="")
    municipality = Text(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Zonder postcode: de gemeente (naam of code) of een andere plaatsnaam, zoals een voormalige "
        "gemeente (Haren). Zonder beide geldt een plaats die de vraag zelf noemt.",
    )
    audience = serializers.ChoiceField(
        choices=list(AUDIENCES),
        required=False,
        default="",
        error_messages={"invalid_choice": "Kies burger of ondernemer."},
    )


class FeedbackSerializer(serializers.Serializer[dict[str, object]]):
    question = Text(max_length=500, error_messages={"required": "Geef de vraag mee."})
    answer_key = Text(max_length=200, error_messages={"required": "Geef het antwoord mee."})
    helpful = serializers.BooleanField(
        error_messages={
            "required": "Geef aan of het antwoord nuttig was.",
            "invalid": "Geef true (nuttig) of false (niet nuttig).",
        }
    )


# --- responses, described for the OpenAPI document (the views build them from the engine's Response) ---


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    """An error: `detail` says what went wrong; `errors` names the fields that are wrong."""

    detail = serializers.CharField()
    # A declared field leaves the class attribute `errors` alone at runtime (the metaclass takes it out).
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class MessageSerializer(serializers.Serializer[dict[str, str]]):
    message = serializers.CharField()


class EngineAnswerSerializer(serializers.Serializer[dict[str, Any]]):
    key = serializers.CharField(help_text="Sleutel van het antwoord, voor feedback en het contactregister.")
    kind = serializers.ChoiceField(choices=["article", "offering", "product"])
    source_id = serializers.CharField(help_text="VAC-UUID, SC-product-URL of UPL-URI.")
    upl_uri = serializers.CharField()
    title = serializers.CharField()
    organisation = serializers.DictField(child=serializers.CharField())
    url = serializers.CharField()
    snippet = serializers.CharField()
    score = serializers.FloatField()
    matched_terms = serializers.ListField(child=serializers.CharField())
    last_revision = serializers.CharField()


class AskResponseSerializer(serializers.Serializer[dict[str, Any]]):
    # Plain text, not an enum: "status" is the name of the handover status enum in the same document.
    status = serializers.CharField(help_text="answered, clarify of handover.")
    confidence = serializers.FloatField()
    message = serializers.CharField()
    answer = EngineAnswerSerializer(allow_null=True)
    alternatives = EngineAnswerSerializer(many=True)
    handover_to = serializers.DictField(child=serializers.CharField(), allow_null=True)
    clarify = serializers.DictField(allow_null=True)
    place = serializers.DictField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="De gemeente van het antwoord: municipality en code; named als de vraag of het veld "
        "municipality een plaats in die gemeente noemde (ook een voormalige gemeente, zoals Haren voor Groningen).",
    )
    explanation = serializers.DictField()
