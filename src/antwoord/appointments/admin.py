import itertools
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from antwoord.catalogue.admin_scoping import OrganisationScopedAdmin, SuperuserOnlyAdmin

from .models import Booking, Closure, OpeningHours, ServicePoint, Weekday


class OpeningHoursFormSet(BaseInlineFormSet[OpeningHours, ServicePoint, Any]):
    def clean(self) -> None:
        """Two periods on one day may not overlap: every slot in both would be offered twice."""
        super().clean()
        periods = sorted(
            (form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"])
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data.get("opens")
            and form.cleaned_data.get("closes")
            and form.cleaned_data.get("weekday") is not None
            and not form.cleaned_data.get("DELETE")
        )
        for (day, opens, closes), (next_day, next_opens, next_closes) in itertools.pairwise(periods):
            if day == next_day and next_opens < closes:
                raise ValidationError(
                    f"Op {Weekday(day).label.lower()} overlappen twee openingstijden "
                    f"({opens:%H:%M}–{closes:%H:%M} en {next_opens:%H:%M}–{next_closes:%H:%M}). "
                    "Pas een van beide aan of voeg ze samen."
                )


class OpeningHoursInline(admin.TabularInline[OpeningHours, ServicePoint]):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0


class ClosureInline(admin.TabularInline[Closure, ServicePoint]):
    model = Closure
    extra = 0


@admin.register(ServicePoint)
class ServicePointAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation", "desks", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address", "organisation__name"]
    autocomplete_fields = ["offerings"]
    inlines = [OpeningHoursInline, ClosureInline]


@admin.register(Booking)
class BookingAdmin(SuperuserOnlyAdmin):
    """Read-only overview for platform administrators; residents and agents change bookings elsewhere."""

    list_display = ["reference", "starts_at", "service_point", "offering", "status"]
    list_filter = ["status"]
    search_fields = ["reference"]
    date_hierarchy = "starts_at"
    exclude = ["name", "email", "phone"]  # personal data stays out of the overview

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a deleted booking would leave its slots taken; residents cancel instead
