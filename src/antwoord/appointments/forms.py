from datetime import datetime
from typing import Any

from django import forms
from django.utils.dateparse import parse_datetime

from .services import NAME_MAX_LENGTH

CHOOSE_TIME = "Kies een tijd."


def parse_start(value: str) -> datetime | None:
    """An ISO 8601 time with offset, as the slot lists give it; None when it is not one."""
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


class StartForm(forms.Form):
    start = forms.CharField(
        max_length=40, error_messages={"required": CHOOSE_TIME, "max_length": CHOOSE_TIME}
    )

    def clean_start(self) -> datetime:
        start = parse_start(self.cleaned_data["start"])
        if start is None:
            raise forms.ValidationError(CHOOSE_TIME)
        return start


class BookingForm(StartForm):
    """The few details we need; the rules themselves live in services.check_resident."""

    name = forms.CharField(
        label="Uw naam",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Vul uw naam in.",
            "max_length": f"Uw naam mag hoogstens {NAME_MAX_LENGTH} tekens lang zijn.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Not required here: the service says whether it is (a resident needs one, an agent may give a phone).
    email = forms.CharField(
        label="Uw e-mailadres",
        max_length=254,
        required=False,
        error_messages={"max_length": "Dit e-mailadres is te lang."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Uw telefoonnummer (niet verplicht)",
        max_length=20,
        required=False,
        error_messages={"max_length": "Dit telefoonnummer is te lang."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def for_agent(self) -> "BookingForm":
        """Labels for an agent who books for a caller: the details are the resident's, not the agent's."""
        self.fields["name"].label = "Naam van de inwoner"
        self.fields["email"].label = "E-mailadres van de inwoner"
        self.fields["phone"].label = "Telefoonnummer van de inwoner"
        return self

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "email": data["email"], "phone": data["phone"]}
