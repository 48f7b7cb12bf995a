"""The resident's forms. Every message is plain Dutch; nothing here writes to the database."""

from typing import Any

from django import forms
from django.urls import reverse_lazy

from antwoord.answers.engine.decide import MAX_QUESTION_LENGTH
from antwoord.contacts.forms import ExtraQuestionsForm
from antwoord.contacts.models import EMAIL_VALIDATOR, RequestedAction, is_phone_number
from antwoord.contacts.services import MAX_NOTE_LENGTH as MAX_HANDOVER_QUESTION_LENGTH
from antwoord.lib.text import PERSON_NAME_HINT, is_person_name, normalise_text
from antwoord.organisations.services import (
    UnknownPlaceError,
    find_municipality,
    parse_pc4,
    postcode_or_place,
)

NULL_CHARACTERS = "Schrijf uw vraag zonder vreemde tekens."
PLACE_MAX_LENGTH = 100  # the longest municipality name has 29 characters


def _clean_text(value: str) -> str:
    cleaned = normalise_text(value)
    if not cleaned:
        raise forms.ValidationError("Vul uw vraag in.")
    return cleaned


class QuestionForm(forms.Form):
    q = forms.CharField(
        label="Uw vraag",
        max_length=MAX_QUESTION_LENGTH,
        error_messages={
            "required": "Vul uw vraag in.",
            "max_length": f"Uw vraag is te lang. Gebruik hoogstens {MAX_QUESTION_LENGTH} tekens.",
            "null_characters_not_allowed": NULL_CHARACTERS,
        },
        # Suggestions as you type (htmx); without JavaScript the form simply submits.
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "autocomplete": "off",
                "hx-get": reverse_lazy("web:suggestions"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#suggesties",
                "hx-include": "closest form",
                "aria-controls": "suggesties",
            }
        ),
    )
    postcode = forms.CharField(
        label="Postcode of woonplaats (niet verplicht)",
        required=False,
        max_length=PLACE_MAX_LENGTH,
        help_text="Dan krijgt u het antwoord van uw eigen gemeente. Bijvoorbeeld: 2511 of Den Haag.",
        error_messages={
            "max_length": "Vul een postcode van 4 cijfers of een woonplaats in, bijvoorbeeld 2511."
        },
        widget=forms.TextInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "postal-code"}
        ),
    )
    doelgroep = forms.ChoiceField(
        label="Ik vraag dit als",
        required=False,
        choices=[("", "Maakt niet uit"), ("burger", "Inwoner"), ("ondernemer", "Ondernemer")],
        error_messages={"invalid_choice": "Kies inwoner of ondernemer."},
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )

    def ask_for_the_place(self) -> None:
        """On "Waar woont u?" the place is what we need: not optional, and the field to type in first."""
        place = self["postcode"]  # the bound field: validation has already made it, with its label
        place.label = "Postcode of woonplaats"
        place.field.widget.attrs["autofocus"] = True

    def clean_q(self) -> str:
        return _clean_text(self.cleaned_data["q"])

    def clean_postcode(self) -> str:
        """A 4-digit postcode, or the name of a municipality or another place name we know (Haren)."""
        postcode, place = postcode_or_place(normalise_text(self.cleaned_data["postcode"]))
        try:
            if place:
                find_municipality(place)
                return place
            return parse_pc4(postcode) if postcode else ""
        except ValueError:
            raise forms.ValidationError(
                "Dit is geen geldige postcode. Vul 4 cijfers in, bijvoorbeeld 2511."
            ) from None
        except UnknownPlaceError:
            raise forms.ValidationError(
                "Deze woonplaats kennen we niet. Vul uw postcode in, bijvoorbeeld 2511."
            ) from None


class FeedbackForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    nuttig = forms.ChoiceField(
        choices=[("ja", "Ja"), ("nee", "Nee")],
        error_messages={"required": "Kies ja of nee.", "invalid_choice": "Kies ja of nee."},
    )


class HandoverForm(ExtraQuestionsForm):
    """The question as the resident sends it on (it goes with the handover as its note), how to reach them,
    and the questions of the organisation it goes to."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    vraag = forms.CharField(
        label="Uw vraag",
        max_length=MAX_HANDOVER_QUESTION_LENGTH,
        error_messages={
            "required": "Vul uw vraag in.",
            "max_length": f"Uw vraag is te lang. Gebruik hoogstens {MAX_HANDOVER_QUESTION_LENGTH} tekens.",
            "null_characters_not_allowed": NULL_CHARACTERS,
        },
        widget=forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}),
    )
    antwoord_via = forms.ChoiceField(
        label="Hoe wilt u antwoord krijgen?",
        choices=[
            (RequestedAction.ANSWER_BY_EMAIL, "Per e-mail"),
            (RequestedAction.CALL_BACK, "Bel mij terug"),
        ],
        initial=RequestedAction.ANSWER_BY_EMAIL,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
        error_messages={
            "required": "Kies hoe u antwoord wilt krijgen.",
            "invalid_choice": "Kies per e-mail of terugbellen.",
        },
    )
    email = forms.CharField(
        label="E-mailadres",
        required=False,
        max_length=254,
        validators=[EMAIL_VALIDATOR],
        error_messages={"invalid": "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."},
        widget=forms.EmailInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "email"}
        ),
    )
    telefoon = forms.CharField(
        label="Telefoonnummer",
        required=False,
        max_length=20,
        error_messages={"max_length": "Vul een geldig telefoonnummer in, bijvoorbeeld 070 123 45 67."},
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "autocomplete": "tel",
                "type": "tel",
            }
        ),
    )
    naam = forms.CharField(
        label="Uw naam (niet verplicht)",
        required=False,
        max_length=100,
        error_messages={"max_length": "Uw naam is te lang. Gebruik hoogstens 100 tekens."},
        widget=forms.TextInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "name"}
        ),
    )

    def clean_vraag(self) -> str:
        return _clean_text(self.cleaned_data["vraag"])

    def clean_naam(self) -> str:
        name = " ".join(normalise_text(self.cleaned_data["naam"]).split())
        if not is_person_name(name):
            raise forms.ValidationError(PERSON_NAME_HINT)
        return name

    def clean_telefoon(self) -> str:
        phone: str = self.cleaned_data["telefoon"].strip()
        if phone and not is_phone_number(phone):
            raise forms.ValidationError("Vul een geldig telefoonnummer in, bijvoorbeeld 070 123 45 67.")
        return phone

    def clean(self) -> dict[str, Any]:
        """Only what is needed: the e-mail address for an answer by mail, the number for a call back."""
        data = super().clean() or {}
        action = data.get("antwoord_via")
        if action == RequestedAction.ANSWER_BY_EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Vul uw e-mailadres in, dan kunnen wij u antwoorden.")
        if action == RequestedAction.CALL_BACK and not data.get("telefoon") and "telefoon" not in self.errors:
            self.add_error("telefoon", "Vul uw telefoonnummer in, dan kunnen wij u terugbellen.")
        if action == RequestedAction.ANSWER_BY_EMAIL:
            data["telefoon"] = ""
        elif action == RequestedAction.CALL_BACK:
            data["email"] = ""
        return data
