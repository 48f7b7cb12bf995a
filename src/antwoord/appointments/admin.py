from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from antwoord.catalogue.admin_scoping import OrganisationScopedAdmin

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
class BookingAdmin(admin.ModelAdmin[Booking]):
    """Read-only overview for platform administrators; residents and agents change bookings elsewhere."""

    list_display = ["reference", "starts_at", "service_point", "offering", "status"]
    list_filter = ["status"]
    search_fields = ["reference"]
    date_hierarchy = "starts_at"
    exclude = ["name", "email", "phone"]  # personal data stays out of the overview

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
