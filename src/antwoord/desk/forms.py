"""The agent desk's forms: they check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from antwoord.contacts.forms import ExtraQuestionsForm
from antwoord.contacts.models import (
    EMAIL_VALIDATOR,
    PHONE_VALIDATOR,
    Audience,
    Channel,
    Outcome,
    Priority,
    RequestedAction,
    validate_person_name,
)
from antwoord.contacts.routing import stand_ins
from antwoord.contacts.services import MAX_ANSWER_LENGTH, MAX_NOTE_LENGTH, MAX_QUESTION_LENGTH
from antwoord.organisations.forms import OrganisationChoiceField
from antwoord.organisations.models import Organisation

from .services import MAX_REPLY_LENGTH

TEXT = {"class": "utrecht-textbox"}
AREA = {"class": "utrecht-textarea", "rows": "4"}
SELECT = {"class": "utrecht-select"}
DESK_CHANNELS = [(c.value, c.label) for c in (Channel.PHONE, Channel.COUNTER, Channel.EMAIL, Channel.CHAT)]
CLOSING_OUTCOMES = [(o.value, o.label) for o in (Outcome.ANSWERED, Outcome.CLARIFIED, Outcome.ABANDONED)]
AUDIENCES = [
    ("", "Weet ik niet"),
    (Audience.RESIDENT.value, "Burger"),
    (Audience.ENTREPRENEUR.value, "Ondernemer"),
]


class OwnIdsForm(forms.Form):
    """A form that shares its page with another form with the same field names gets ids of its own, so
    its labels and error links point at its own fields."""

    ids = "id_%s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)


class SearchForm(OwnIdsForm):
    ids = "zoek-%s"  # the contact form beside it also has a postcode
    q = forms.CharField(
        label="Zoeken", max_length=500, widget=forms.TextInput(attrs={**TEXT, "type": "search"})
    )
    postcode = forms.CharField(
        label="Postcode voor lokale antwoorden (niet verplicht)",
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )


class CancelBookingForm(OwnIdsForm):
    """The channel of the call or visit in which a resident cancels his appointment by its reference."""

    ids = "afspraak-%s"
    channel = forms.ChoiceField(
        label="Kanaal",
        choices=DESK_CHANNELS,
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies het kanaal.", "invalid_choice": "Kies een kanaal uit de lijst."},
    )


class StartContactForm(forms.Form):
    channel = forms.ChoiceField(label="Kanaal", choices=DESK_CHANNELS, widget=forms.RadioSelect)
    question = forms.CharField(
        label="Vraag",
        max_length=MAX_QUESTION_LENGTH,
        error_messages={"required": "Vul de vraag van de inwoner in."},
        widget=forms.Textarea(attrs=AREA),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    municipality = forms.CharField(
        label="Of woonplaats of gemeente", max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    audience = forms.ChoiceField(
        label="Doelgroep", choices=AUDIENCES, required=False, widget=forms.RadioSelect
    )
    # Who asks, when the caller wants to say: then a handover needs no second asking.
    caller_name = forms.CharField(
        label="Naam beller (niet verplicht)",
        max_length=100,
        required=False,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    caller_email = forms.CharField(
        label="E-mailadres beller (niet verplicht)",
        max_length=254,
        required=False,
        validators=[EMAIL_VALIDATOR],
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    caller_phone = forms.CharField(
        label="Telefoonnummer beller (niet verplicht)",
        max_length=20,
        required=False,
        validators=[PHONE_VALIDATOR],
        widget=forms.TextInput(attrs={**TEXT, "type": "tel", "autocomplete": "off"}),
    )


class CloseContactForm(forms.Form):
    outcome = forms.ChoiceField(label="Uitkomst", choices=CLOSING_OUTCOMES, widget=forms.RadioSelect)
    answer_key = forms.CharField(label="Gebruikt antwoord", max_length=200, required=False)
    note = forms.CharField(
        label="Notitie (alleen voor medewerkers)",
        max_length=MAX_ANSWER_LENGTH,
        required=False,
        widget=forms.Textarea(attrs=AREA),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.ANSWERED and not data.get("answer_key"):
            self.add_error("answer_key", "Kies het antwoord dat u hebt gebruikt.")
        return data


class HandoverOrganisationField(OrganisationChoiceField):
    """Says of an organisation whose questions its stand-in works that the handover goes there."""

    via: dict[int, Organisation] = {}

    def label_from_instance(self, obj: Organisation) -> str:
        label = super().label_from_instance(obj)
        return f"{label}, via backoffice {self.via[obj.pk].name}" if obj.pk in self.via else label


class HandoverForm(OwnIdsForm, ExtraQuestionsForm):
    ids = "overdracht-%s"  # the close form beside it also has a note
    required_answer_message = "Vraag dit na bij de inwoner; de backoffice heeft het antwoord nodig."
    organisation = HandoverOrganisationField(
        label="Overdragen aan",
        queryset=Organisation.objects.active().select_related("stand_in").order_by("name"),
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Kies een organisatie uit de lijst."},
    )
    requested_action = forms.ChoiceField(
        label="Gevraagde actie", choices=RequestedAction.choices, widget=forms.RadioSelect
    )
    priority = forms.TypedChoiceField(
        label="Prioriteit",
        choices=[(p.value, p.label) for p in (Priority.NORMAL, Priority.HIGH, Priority.URGENT)],
        coerce=int,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label="Naam beller",
        max_length=100,
        required=False,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs=TEXT),
    )
    email = forms.CharField(
        label="E-mailadres beller",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label="Telefoonnummer beller",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "type": "tel", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label="Toelichting voor de backoffice",
        max_length=MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs=AREA),
    )
    # Whose questions the page showed (the page writes it): another organisation chosen since asks its own.
    questions_shown_for = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, HandoverOrganisationField)
        field.via = stand_ins(field.queryset or [])

    @classmethod
    def as_sent(cls, data: QueryDict) -> "HandoverForm":
        """The form as sent, with the questions of the organisation it names (none when it names none)."""
        try:
            organisation = cls.base_fields["organisation"].clean(data.get("organisation"))
        except ValidationError:
            organisation = None
        return cls(data, asking_for=organisation)

    def clean(self) -> dict[str, Any]:
        """Said to the agent, at the field: the service's own check words it for the resident."""
        data = super().clean() or {}
        action = data.get("requested_action")
        if action == RequestedAction.ANSWER_BY_EMAIL and not data.get("email", "").strip():
            self.add_error("email", "Vraag het e-mailadres van de beller, of kies terugbellen.")
        if action == RequestedAction.CALL_BACK and not data.get("phone", "").strip():
            self.add_error("phone", "Vraag het telefoonnummer van de beller, of kies antwoord per e-mail.")
        asking = self.asking_for
        if asking is not None and self.question_ids and data.get("questions_shown_for") != str(asking.pk):
            self.add_error(
                None, f"Stel eerst de vragen van {asking.name}. Ze staan nu onderaan het formulier."
            )
        return data


class RegisterFilterForm(forms.Form):
    kanaal = forms.ChoiceField(
        label="Kanaal",
        choices=[("", "Alle kanalen"), *Channel.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    uitkomst = forms.ChoiceField(
        label="Uitkomst",
        choices=[("", "Alle uitkomsten"), *Outcome.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )


class ReplyForm(OwnIdsForm):
    """The agent's answer to an e-mail. The service checks the text, so it is not limited here; the
    browser's maxlength only helps the agent."""

    ids = "antwoord-%s"  # the close form beside it also has an answer_key

    answer_key = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    reply = forms.CharField(
        label="Uw antwoord",
        required=False,
        widget=forms.Textarea(attrs={**AREA, "rows": "10", "maxlength": str(MAX_REPLY_LENGTH)}),
    )
