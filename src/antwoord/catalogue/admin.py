import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance
from django.http import HttpRequest

from antwoord.accounts.services import AnyUser, can_publish
from antwoord.organisations.models import Layer

from .admin_scoping import OrganisationScopedAdmin
from .models import Article, Offering, Product, Revision, Status
from .services import TRANSITIONS, check_article_change, save_article, save_offering


class RevisionInline(GenericTabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = ("number", "created_at", "author", "actor", "comment")
    readonly_fields = ("number", "created_at", "author", "actor", "comment")
    ordering = ["-number"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    """The UPL is a national list: it comes from the importer; staff may look, not edit."""

    list_display = ["name", "upl_uri", "layer_rijk", "layer_provincie", "layer_waterschap", "layer_gemeente"]
    list_filter = ["layer_rijk", "layer_provincie", "layer_waterschap", "layer_gemeente", "for_ondernemer"]
    search_fields = ["name", "upl_uri"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


def allowed_statuses(user: AnyUser, article: Article | None) -> list[tuple[str, str]]:
    current = article.status if article else Status.CONCEPT
    may_publish = can_publish(user, article.owner_id) if article else user.is_superuser
    allowed = [
        target
        for (source, target), needs_review in TRANSITIONS.items()
        if source == current and (may_publish or not needs_review)
    ]
    if article is None and not may_publish:
        allowed = [Status.REVIEW]
    return [(s.value, s.label) for s in Status if s == current or s in allowed]


class ArticleAdminForm(forms.ModelForm[Article]):
    """Runs the workflow and permission rules while the form can still show them as errors."""

    editor: AnyUser

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        candidate = construct_instance(self, copy.copy(self.instance))
        try:
            check_article_change(candidate, self.editor)
        except (PermissionDenied, ValidationError) as error:
            self.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        return cleaned


@admin.register(Article)
class ArticleAdmin(OrganisationScopedAdmin):
    organisation_field = "owner"
    list_display = ["question", "owner", "status", "version", "updated_at"]
    list_filter = ["status", "owner__layer", "for_ondernemer"]
    search_fields = ["question", "answer", "uuid"]
    autocomplete_fields = ["products"]
    readonly_fields = ["uuid", "version", "source_url", "source_modified"]
    inlines = [RevisionInline]
    fieldsets = [
        (None, {"fields": ["question", "alternative_questions", "answer", "keywords", "agent_note"]}),
        ("Eigenaar en status", {"fields": ["owner", "status", "overrides"]}),
        ("Doelgroep en producten", {"fields": ["for_burger", "for_ondernemer", "products"]}),
        ("Geldigheid", {"fields": ["valid_from", "valid_until"]}),
        ("Herkomst", {"fields": ["uuid", "version", "source_url", "source_modified"]}),
    ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = type("ArticleForm", (ArticleAdminForm,), {"editor": request.user})
        form = super().get_form(request, obj, change=change, **kwargs)
        status = form.base_fields["status"]
        if isinstance(status, forms.ChoiceField):
            status.choices = allowed_statuses(request.user, obj)
        overrides = form.base_fields.get("overrides")
        if isinstance(overrides, forms.ModelChoiceField):
            overrides.queryset = Article.objects.published().filter(owner__layer=Layer.RIJK)
        return form

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        save_article(
            obj,
            request.user,
            products=form.cleaned_data.get("products"),
            comment="Gewijzigd in beheer" if change else "Aangemaakt in beheer",
        )


@admin.register(Offering)
class OfferingAdmin(OrganisationScopedAdmin):
    organisation_field = "organisation"
    list_display = ["title", "organisation", "product", "appointment_required", "updated_at"]
    list_filter = ["organisation__layer", "appointment_required", "channel_online"]
    search_fields = ["title", "key", "organisation__name"]
    autocomplete_fields = ["product", "area"]
    readonly_fields = ["source_id", "source_modified", "published_upl_uris"]
    inlines = [RevisionInline]

    def save_model(self, request: HttpRequest, obj: Offering, form: Any, change: bool) -> None:
        save_offering(obj, request.user, comment="Gewijzigd in beheer" if change else "Aangemaakt in beheer")
