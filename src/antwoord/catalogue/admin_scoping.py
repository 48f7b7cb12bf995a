"""Admin behaviour shared by everything an organisation owns: staff see and change only their own."""

from collections.abc import Collection
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from antwoord.accounts.services import can_publish, can_write, has_any_writing_role, organisation_ids_of
from antwoord.organisations.forms import OrganisationChoiceField
from antwoord.organisations.models import Organisation


class OrganisationScopedAdmin(admin.ModelAdmin[Any]):
    """`organisation_field` names the foreign key to the owning organisation."""

    organisation_field = "organisation"
    # An address typed without its scheme ("www.denhaag.nl") is a government site: https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def owner_id(self, obj: models.Model) -> int | None:
        """None for an object of no organisation (feedback on a national text): superusers only reach it."""
        value = getattr(obj, f"{self.organisation_field}_id")
        return None if value is None else int(value)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.organisation_field}__in": organisation_ids_of(request.user)})

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Look outside the user's scope so that someone else's object gives 403, not a silent redirect.
        model = self.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return model._default_manager.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and bool(request.user.is_superuser or organisation_ids_of(request.user))
        )

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return request.user.is_superuser or self.owner_id(obj) in organisation_ids_of(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_any_writing_role(request.user)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if obj is None:
            return has_any_writing_role(request.user)
        return can_write(request.user, self.owner_id(obj))

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return obj is not None and can_publish(request.user, self.owner_id(obj))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> "ModelChoiceField[Any] | None":
        if db_field.related_model is Organisation:  # "Groningen" is a province and a municipality
            kwargs.setdefault("form_class", OrganisationChoiceField)
        if db_field.name == self.organisation_field and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=self.choosable_organisations(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """Someone who writes for one organisation only finds it chosen on a new object."""
        initial = super().get_changeform_initial_data(request)
        choosable = self.choosable_organisations(request)
        if len(choosable) == 1:
            initial.setdefault(self.organisation_field, str(next(iter(choosable))))
        return initial

    def choosable_organisations(self, request: HttpRequest) -> Collection[int]:
        """The organisations a new or changed object may be given to."""
        return _writable_ids(request)


def _writable_ids(request: HttpRequest) -> list[int]:
    return [pk for pk in organisation_ids_of(request.user) if can_write(request.user, pk)]


class SuperuserOnlyAdmin(admin.ModelAdmin[Any]):
    """Read-only, and only for platform administrators: for records full of personal data."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
