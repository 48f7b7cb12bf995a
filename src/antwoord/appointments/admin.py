import itertools
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from antwoord.catalogue.admin_scoping import OrganisationScopedAdmin, SuperuserOnlyAdmin

from . import services
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


class ServicePointPartInline(admin.TabularInline[Any, ServicePoint]):
    """Opening hours and closing days are part of the service point: who may change it, may change them
    (Django would ask for model permissions that the organisation's staff do not have)."""

    extra = 0

    def _service_point_admin(self) -> admin.ModelAdmin[Any]:
        return self.admin_site.get_model_admin(ServicePoint)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._service_point_admin().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._service_point_admin().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)


class OpeningHoursInline(ServicePointPartInline):
    model = OpeningHours
    formset = OpeningHoursFormSet


class ClosureInline(ServicePointPartInline):
    model = Closure


class ServicePointForm(forms.ModelForm[ServicePoint]):
    def clean(self) -> dict[str, Any]:
        """Only the organisation's own offerings can be booked at its counter."""
        cleaned = super().clean() or {}
        organisation, offerings = cleaned.get("organisation"), cleaned.get("offerings") or []
        others = [o for o in offerings if organisation is not None and o.organisation_id != organisation.pk]
        if others:
            self.add_error(
                "offerings",
                f"Kies alleen aanbod van {organisation}. Dit aanbod is van een andere organisatie: "
                f"{', '.join(o.title for o in others)}.",
            )
        return cleaned


@admin.register(ServicePoint)
class ServicePointAdmin(OrganisationScopedAdmin):
    form = ServicePointForm
    list_display = ["name", "organisation", "desks", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "address", "organisation__name"]
    autocomplete_fields = ["offerings"]
    inlines = [OpeningHoursInline, ClosureInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Bookings at times the service point no longer opens (a closing day, shorter opening hours, switched
        off) are cancelled and the residents mailed; those without an e-mail address are named, and the desk lists
        them to be called."""
        super().save_related(request, form, formsets, change)
        cancelled = services.cancel_on_closed_days(form.instance)
        if not cancelled:
            return
        unmailed = [b.reference for b in cancelled if not b.email]
        count = "1 afspraak is" if len(cancelled) == 1 else f"{len(cancelled)} afspraken zijn"
        message = f"{count} geannuleerd, omdat het servicepunt dan gesloten is. Wie een e-mailadres gaf, kreeg bericht."
        if unmailed:
            message += (
                f" Zonder e-mailadres: {', '.join(unmailed)}. Het klantcontactcentrum ziet deze afspraken bij"
                " 'Inwoners bellen' en belt de inwoners."
            )
        self.message_user(request, message, messages.WARNING)


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
