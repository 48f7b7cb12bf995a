"""The back office's forms: they check the shape of the input; the services check the rules."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from antwoord.accounts.models import User
from antwoord.organisations.models import Organisation

from .models import Handover, HandoverStatus, Team
from .services import MAX_ANSWER_LENGTH, MAX_NOTE_LENGTH

SELECT = {"class": "utrecht-select"}
AREA = {"class": "utrecht-textarea", "rows": "6"}
OPEN = "open"
STATUS_FILTERS = [(OPEN, "Nieuw en in behandeling"), ("", "Alle"), *HandoverStatus.choices]
# Why someone looks at a resident's contact details: logged with every look (processing register).
PURPOSES = [
    ("beantwoorden", "Om de vraag te beantwoorden"),
    ("terugbellen", "Om terug te bellen"),
    ("controle", "Voor controle of klachtbehandeling"),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=STATUS_FILTERS, required=False, widget=forms.Select(attrs=SELECT)
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Alle teams",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Kies een team uit de lijst."},
    )
    mine = forms.BooleanField(label="Alleen aan mij toegewezen", required=False)
    overdue = forms.BooleanField(label="Alleen te laat", required=False)

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class PurposeForm(forms.Form):
    doel = forms.ChoiceField(
        label="Waarom wilt u de contactgegevens zien?", choices=PURPOSES, widget=forms.Select(attrs=SELECT)
    )


class ClaimForm(forms.Form):
    """Claiming needs no input; a form all the same, so that every action goes the same way."""


class AssignForm(forms.Form):
    """Who works on the handover, and in which team's queue it is; shown with the current choices."""

    assignee = forms.ModelChoiceField(
        label="Toewijzen aan",
        queryset=User.objects.none(),
        required=False,
        empty_label="Niet wijzigen",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Kies een collega uit de lijst."},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Geen team",
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Kies een team uit de lijst."},
    )

    def __init__(self, *args: Any, handover: Handover, colleagues: QuerySet[User], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee": handover.assigned_to_id, "team": handover.team_id})
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            organisation=handover.organisation_id
        ).order_by("name")


class ForwardForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Doorsturen naar",
        queryset=Organisation.objects.active().order_by("name"),
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Kies een organisatie uit de lijst."},
    )
    note = forms.CharField(
        label="Waarom stuurt u de vraag door?",
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={**AREA, "rows": "3"}),
    )

    def __init__(self, *args: Any, handover: Handover, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.active().exclude(pk=handover.organisation_id).order_by("name")
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Antwoord aan de inwoner", max_length=MAX_ANSWER_LENGTH, widget=forms.Textarea(attrs=AREA)
    )
