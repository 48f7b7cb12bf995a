from rest_framework import serializers

MAX_ACCEPTED_LENGTH = 20_000  # longer bodies are refused outright; the engine itself explains its own limit


class AskSerializer(serializers.Serializer[dict[str, str]]):
    question = serializers.CharField(
        max_length=MAX_ACCEPTED_LENGTH,
        allow_blank=True,
        trim_whitespace=False,
        error_messages={"required": "Stel een vraag.", "max_length": "Uw vraag is veel te lang."},
    )
    postcode = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    municipality = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    audience = serializers.ChoiceField(
        choices=["", "burger", "ondernemer"],
        required=False,
        default="",
        error_messages={"invalid_choice": "Kies burger of ondernemer."},
    )


class FeedbackSerializer(serializers.Serializer[dict[str, object]]):
    question = serializers.CharField(max_length=500, error_messages={"required": "Geef de vraag mee."})
    answer_key = serializers.CharField(max_length=200, error_messages={"required": "Geef het antwoord mee."})
    helpful = serializers.BooleanField(error_messages={"required": "Geef aan of het antwoord nuttig was."})
