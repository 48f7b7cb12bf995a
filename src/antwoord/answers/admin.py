from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from antwoord.catalogue.admin import LinesAdmin
from antwoord.catalogue.admin_scoping import OrganisationScopedAdmin

from .learning import forget_votes
from .models import Feedback, Synonym


@admin.register(Synonym)
class SynonymAdmin(LinesAdmin):
    list_display = ["term", "meanings", "both_ways"]
    search_fields = ["term"]
    lines_fields = {"synonyms": 100}
    comma_fields = frozenset({"synonyms"})

    @admin.display(description="betekent ook")
    def meanings(self, synonym: Synonym) -> str:
        return ", ".join(synonym.synonyms)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


@admin.register(Feedback)
class FeedbackAdmin(OrganisationScopedAdmin):
    """Each organisation sees the votes on its own answers, and can withdraw them (e.g. a spam wave)."""

    organisation_field = "organisation"
    list_display = ["question", "document_key", "helpful", "source", "withdrawn", "created_at"]
    list_filter = ["helpful", "source", "withdrawn"]
    search_fields = ["question", "document_key"]
    readonly_fields = [
        "signature",
        "question",
        "document_key",
        "organisation",
        "helpful",
        "source",
        "created_at",
    ]
    exclude = ["voter"]
    actions = ["withdraw", "restore"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Intrekken: telt niet meer mee")
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Feedback]) -> None:
        self._set_withdrawn(request, queryset, True)

    @admin.action(description="Terugzetten: telt weer mee")
    def restore(self, request: HttpRequest, queryset: QuerySet[Feedback]) -> None:
        self._set_withdrawn(request, queryset, False)

    def _set_withdrawn(self, request: HttpRequest, queryset: QuerySet[Feedback], value: bool) -> None:
        allowed = [f.pk for f in queryset if self.has_change_permission(request, f)]
        count = Feedback.objects.filter(pk__in=allowed).update(withdrawn=value)
        forget_votes()
        self.message_user(request, f"{count} beoordeling(en) bijgewerkt.", messages.SUCCESS)
