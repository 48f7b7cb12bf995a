"""Admin for the back office's settings (service norms, teams) and a read-only view of the register.

Everything is scoped to the staff member's organisations, as for the catalogue. The resident's contact
details are left out: they are shown only on the back-office page, where every look is logged.
"""

from collections.abc import Collection
from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest

from antwoord.accounts.models import Role, User
from antwoord.accounts.services import has_role, organisation_ids_with_role
from antwoord.catalogue.admin_scoping import OrganisationScopedAdmin

from .models import Contact, Handover, HandoverQuestion, ServiceNorm, Team
from .services import BACKOFFICE_ROLES, MANAGING_ROLES, REGISTER_ROLES

# The kinds of answer the engine gives (Contact.answer_kind) in words for staff.
ANSWER_KIND_LABELS = {"article": "artikel", "offering": "productaanbod", "product": "product (UPL)"}


class ScopedByRoles(OrganisationScopedAdmin):
    """Scoped to the organisations where the user holds one of `view_roles`; None owners: superusers only."""

    view_roles: frozenset[Role] = MANAGING_ROLES

    def _scope(self, request: HttpRequest) -> set[int]:
        return organisation_ids_with_role(request.user, self.view_roles)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.organisation_field}__in": self._scope(request)})

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_staff and bool(user.is_superuser or self._scope(request))

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return request.user.is_superuser or self.owner_id(obj) in self._scope(request)


class ManagedSettingsAdmin(ScopedByRoles):
    """A back office's own settings: its managers and administrators change them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(self._scope(request))

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return has_role(request.user, self.owner_id(obj), MANAGING_ROLES)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return obj is not None and self.has_change_permission(request, obj)

    def choosable_organisations(self, request: HttpRequest) -> Collection[int]:
        return self._scope(request)


class ReadOnlyAdmin(ScopedByRoles):
    """The register is written by the channels, never by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(ServiceNorm)
class ServiceNormAdmin(ManagedSettingsAdmin):
    list_display = ["organisation", "channel", "working_days"]
    list_filter = ["channel"]


@admin.register(Team)
class TeamAdmin(ManagedSettingsAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name"]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> "ModelMultipleChoiceField[Any] | None":
        if db_field.name == "members" and not request.user.is_superuser:
            staff = organisation_ids_with_role(request.user, MANAGING_ROLES)
            kwargs["queryset"] = User.objects.filter(
                memberships__organisation__in=staff, memberships__role__in=list(BACKOFFICE_ROLES)
            ).distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(HandoverQuestion)
class HandoverQuestionAdmin(ManagedSettingsAdmin):
    list_display = ["text", "organisation", "required", "position"]
    list_filter = ["required"]
    search_fields = ["text"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    organisation_field = "taken_by"
    view_roles = REGISTER_ROLES
    list_display = ["started_at", "channel", "question", "outcome", "agent", "taken_by"]
    list_filter = ["channel", "outcome"]
    date_hierarchy = "started_at"
    # The caller's details are for the desk that took the contact, where each showing is logged; the contact it
    # follows may be another organisation's (its name would show that question). The engine's codes are shown
    # in words instead.
    exclude = ["caller_name", "caller_email", "caller_phone", "follows", "answer_kind", "engine_status"]
    readonly_fields = ["answer_kind_label", "engine_status_label"]

    @admin.display(description="soort antwoord")
    def answer_kind_label(self, contact: Contact) -> str:
        return ANSWER_KIND_LABELS.get(contact.answer_kind, contact.answer_kind)

    @admin.display(description="voorstel van de zoekmachine")
    def engine_status_label(self, contact: Contact) -> str:
        return contact.engine_status_label


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    view_roles = frozenset(BACKOFFICE_ROLES)
    list_display = ["reference", "organisation", "status", "priority", "due_on", "assigned_to"]
    list_filter = ["status", "priority"]
    search_fields = ["reference"]
    exclude = ["resident_name", "resident_email", "resident_phone", "status_secret", "extra_answers"]
