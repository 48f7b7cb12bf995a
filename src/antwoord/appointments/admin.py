from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from antwoord.catalogue.admin_scoping import OrganisationScopedAdmin, SuperuserOnlyAdmin

from .models import Booking, Closure, OpeningHours, ServicePoint


class OpeningHoursInline(admin.TabularInline[OpeningHours, ServicePoint]):
    model = OpeningHours
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
