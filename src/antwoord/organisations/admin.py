from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Organisation, OrganisationAlias, PlaceName, Postcode, WaterBoardCoverage


class WaterBoardInline(admin.TabularInline[WaterBoardCoverage, Organisation]):
    model = WaterBoardCoverage
    fk_name = "municipality"
    extra = 1
    autocomplete_fields = ["water_board"]


class StaffMayViewAdmin(admin.ModelAdmin[Any]):
    """Registers are platform data: every staff member may look them up, platform administrators edit."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


@admin.register(Organisation)
class OrganisationAdmin(StaffMayViewAdmin):
    list_display = ["name", "code", "layer", "province", "is_active", "stand_in"]
    list_filter = ["layer", "kind", "is_active"]
    search_fields = ["name", "official_name", "code", "cbs_code"]
    autocomplete_fields = ["stand_in"]
    list_select_related = ["province", "stand_in"]
    inlines = [WaterBoardInline]


@admin.register(Postcode)
class PostcodeAdmin(StaffMayViewAdmin):
    list_display = ["pc4", "municipality"]
    search_fields = ["pc4", "municipality__name"]
    autocomplete_fields = ["municipality"]


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(StaffMayViewAdmin):
    list_display = ["uri", "organisation"]
    search_fields = ["uri", "organisation__name"]


@admin.register(PlaceName)
class PlaceNameAdmin(StaffMayViewAdmin):
    """Other names for where people live; a village added here is understood in questions and at
    "Waar woont u?"."""

    list_display = ["name", "municipality", "source"]
    list_filter = ["source"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]
