"""The back office's forms, and the extra questions every handover form asks: they check the shape of the input;
the services check the rules."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from antwoord.accounts.models import User
from antwoord.organisations.forms import OrganisationChoiceField
from antwoord.organisations.models import Organisation

from .jobs import MAX_PERIOD_DAYS
from .models import Handover, HandoverStatus, Team
from .questions import EXTRA_PREFIX, MAX_EXTRA_ANSWER_LENGTH, TOO_LONG, asking_organisation, questions_of
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
# The steering figures' periods: the last so many days, today included.
PERIODS = [("7", "Afgelopen 7 dagen"), ("30", "Afgelopen 30 dagen"), ("90", "Afgelopen 90 dagen")]
DEFAULT_PERIOD = "30"
# Dates outside these years are typing errors, and would overflow when turned into moments in time.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]  # what a date field sends, and what people type
DATE = {"class": "utrecht-textbox", "type": "date"}
BAD_DATE = "Deze datum klopt niet. Schrijf de datum zo: 31-12-2026."


class ExtraQuestionsForm(forms.Form):
    """A handover form that also asks the questions of the back office it goes to (`asking_for`, see
    questions.asking_organisation), each as a field EXTRA_PREFIX + its id. A required one left empty is said at
    its field (the service checks it again)."""

    required_answer_message = "Beantwoord deze vraag."

    def __init__(self, *args: Any, asking_for: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asking_for = asking_organisation(asking_for)
        self.question_ids: dict[str, int] = {}
        for question in questions_of(self.asking_for):
            name = f"{EXTRA_PREFIX}{question.pk}"
            self.question_ids[name] = question.pk
            self.fields[name] = forms.CharField(
                label=question.text if question.required else f"{question.text} (niet verplicht)",
                max_length=MAX_EXTRA_ANSWER_LENGTH,
                required=question.required,
                error_messages={"required": self.required_answer_message, "max_length": TOO_LONG},
                widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_ids]

    def extra_answers(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for name, pk in self.question_ids.items()}


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
    organisation = OrganisationChoiceField(
        label="Doorsturen naar",
        queryset=Organisation.objects.active().order_by("name"),
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": "Kies de organisatie die over de vraag gaat.",
            "invalid_choice": "Kies een organisatie uit de lijst.",
        },
    )
    note = forms.CharField(
        label="Waarom stuurt u de vraag door?",
        max_length=MAX_NOTE_LENGTH,
        error_messages={
            "required": "Schrijf kort waarom u de vraag doorstuurt; de andere organisatie leest het."
        },
        widget=forms.Textarea(attrs={**AREA, "rows": "3"}),
    )

    def __init__(self, *args: Any, handover: Handover, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.active().exclude(pk=handover.organisation_id).order_by("name")
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Antwoord aan de inwoner",
        max_length=MAX_ANSWER_LENGTH,
        error_messages={"required": "Schrijf het antwoord aan de inwoner."},
        widget=forms.Textarea(attrs=AREA),
    )


class FiguresFilterForm(forms.Form):
    """Which organisation and which days the steering figures are about; both dates, or else a period."""

    organisation = OrganisationChoiceField(
        label="Organisatie",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Kies een organisatie uit de lijst."},
    )
    period = forms.TypedChoiceField(
        label="Periode",
        choices=PERIODS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Kies een periode uit de lijst."},
    )
    start = forms.DateField(
        label="Eerste dag",
        help_text="Of kies zelf de dagen: vul de eerste en de laatste dag in. Dan telt de periode niet.",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"invalid": BAD_DATE},
    )
    end = forms.DateField(
        label="Laatste dag",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"invalid": BAD_DATE},
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], all_label: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["organisation"].empty_label = all_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """Adds first_day and last_day: the chosen dates, or the period up to today."""
        data = super().clean() or {}
        if self.has_error("start") or self.has_error("end"):
            return data
        try:
            data["first_day"], data["last_day"] = _chosen_days(
                data.get("start"), data.get("end"), data.get("period")
            )
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data


def _chosen_days(start: date | None, end: date | None, period: int | None) -> tuple[date, date]:
    if start is None and end is None:
        today = timezone.localdate()
        return today - timedelta(days=(period or int(DEFAULT_PERIOD)) - 1), today
    if start is None:
        raise forms.ValidationError({"start": "Vul ook de eerste dag in."})
    if end is None:
        raise forms.ValidationError({"end": "Vul ook de laatste dag in."})
    for field, day in (("start", start), ("end", end)):
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise forms.ValidationError(
                {field: f"Kies een datum tussen {_day(EARLIEST_DAY)} en {_day(LATEST_DAY)}."}
            )
    if start > end:
        raise forms.ValidationError({"end": "De laatste dag ligt voor de eerste dag. Kies een latere datum."})
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise forms.ValidationError({"end": f"Kies een periode van hoogstens {MAX_PERIOD_DAYS} dagen."})
    return start, end


def _day(day: date) -> str:
    return date_format(day, "j-n-Y")
