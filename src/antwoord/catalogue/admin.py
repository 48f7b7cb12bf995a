import copy
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminTextareaWidget
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.timezone import localtime

from antwoord.accounts.services import PUBLISHING_ROLES, AnyUser, can_publish, has_role_anywhere
from antwoord.lib.text import markdown_problem, normalise_text, parse_json, word_diff
from antwoord.organisations.models import Layer

from .admin_scoping import OrganisationScopedAdmin
from .models import Article, Offering, Product, Revision, Status
from .services import (
    EMPTY,
    TRANSITIONS,
    becomes_proposal,
    check_article_change,
    proposal_changes,
    proposer_name,
    publish_proposal,
    reject_proposal,
    save_article,
    save_offering,
    shown_value,
    waiting_for_review,
)

PROPOSAL_SAVED = (
    "Uw wijziging is opgeslagen als voorstel. Een kennisbeheerder publiceert het of wijst het af."
)
NOTHING_PROPOSED = "U hebt niets gewijzigd. Er is geen voorstel opgeslagen."
EDITOR_HINT = (
    "Dit artikel is gepubliceerd. Wat u wijzigt, wordt een voorstel. De gepubliceerde tekst blijft staan "
    "tot een kennisbeheerder het voorstel publiceert. Een nieuw voorstel vervangt het vorige."
)
# The intermediate page of the reject action posts this field with the reason.
REJECTION_CONFIRMED = "reden_bevestigd"
MAX_REJECTION_LENGTH = 500
PROPOSAL_HINT = (
    "Een kennisbeheerder publiceert dit voorstel of wijst het af in de lijst met artikelen, "
    "met 'Voorstel publiceren' of 'Voorstel afwijzen'. Is een veld na het voorstel nog gewijzigd, dan kan het "
    "voorstel niet meer gepubliceerd worden: dan gaat die wijziging verloren."
)
CHANGED_SINCE = "\n(gewijzigd na het voorstel)"
CHANGED_MEANWHILE = (
    "Iemand anders heeft dit artikel gewijzigd nadat u het opende. Uw wijziging is niet opgeslagen. "
    "Open het artikel opnieuw en breng uw wijziging dan aan."
)


class LinesField(forms.Field):
    """A JSON list of phrases, typed one phrase per line. A JSON list typed as before (["a", "b"]) still reads
    as that list."""

    widget = AdminTextareaWidget(attrs={"rows": 4})

    def __init__(self, *, max_line_length: int, split_commas: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_line_length = max_line_length
        self.split_commas = split_commas

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(map(str, value)) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        text = str(value or "")
        try:
            typed = parse_json(text)
        except ValueError:
            typed = None
        lines = list(map(str, typed)) if isinstance(typed, list) else text.splitlines()
        if self.split_commas:  # "grofvuil, bankstel, matras" on one line are three keywords
            lines = [part for line in lines for part in line.split(",")]
        return [line.strip() for line in lines if line.strip()]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        errors = [
            f"Deze regel is te lang: {line[:40]}… Gebruik hoogstens {self.max_line_length} tekens per regel."
            for line in value
            if len(line) > self.max_line_length
        ]
        errors += [
            f"Deze regel staat er meer dan één keer in: {line}. Haal de dubbele regel weg."
            for line in dict.fromkeys(value)
            if value.count(line) > 1
        ]
        if errors:
            raise ValidationError(errors)


class LinesAdmin(admin.ModelAdmin[Any]):
    """Shows the JSON list fields in `lines_fields` (name: longest line) as a text box, one phrase per line."""

    lines_fields: dict[str, int] = {}
    # Fields of single words or short terms, where a comma can only separate two of them.
    comma_fields: frozenset[str] = frozenset()

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in self.lines_fields:
            return LinesField(
                max_line_length=self.lines_fields[db_field.name],
                split_commas=db_field.name in self.comma_fields,
                required=not db_field.blank,
                label=capfirst(db_field.verbose_name),
                help_text="Typ er één per regel"
                + (", of scheid ze met komma's." if db_field.name in self.comma_fields else "."),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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


def checked_markdown(text: str) -> str:
    """The text as typed, once nothing in it would be dropped from the page unseen (HTML, a javascript: link)."""
    problem = markdown_problem(text)
    if problem:
        raise ValidationError(problem)
    return text


class OfferingAdminForm(forms.ModelForm[Offering]):
    def clean_text(self) -> str:
        return checked_markdown(self.cleaned_data["text"])


class ArticleAdminForm(forms.ModelForm[Article]):
    """Runs the workflow and permission rules while the form can still show them as errors."""

    editor: AnyUser
    # The version the form was opened on: saving it over a later change would undo that change unseen.
    loaded_version = forms.IntegerField(label="Geopende versie", widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    # A browser sends a text area's lines with CRLF; kept as typed, an untouched answer would differ from the
    # stored one, and a reviewer's save would mark a pending proposal as overtaken.
    def clean_answer(self) -> str:
        return checked_markdown(normalise_text(self.cleaned_data["answer"]))

    def clean_agent_note(self) -> str:
        return normalise_text(self.cleaned_data["agent_note"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None and loaded != self.instance.version:
            self.add_error(None, CHANGED_MEANWHILE)
            return cleaned
        candidate = construct_instance(self, copy.copy(self.instance))
        try:
            check_article_change(candidate, self.editor)
        except (PermissionDenied, ValidationError) as error:
            self.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
        return cleaned


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Waarom wijst u het voorstel af? De redacteur leest dit.",
        max_length=MAX_REJECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        error_messages={
            "required": "Schrijf kort waarom, zodat de redacteur het voorstel kan verbeteren.",
            "max_length": f"Gebruik hoogstens {MAX_REJECTION_LENGTH} tekens.",
        },
    )


TO_REVIEW = "te-beoordelen"


class ProposalFilter(admin.SimpleListFilter):
    title = "voorstel"
    parameter_name = "voorstel"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        choices = [("ja", "met voorstel"), ("nee", "zonder voorstel")]
        if has_role_anywhere(request.user, PUBLISHING_ROLES):
            choices.append((TO_REVIEW, "door mij te beoordelen (ook nieuwe artikelen)"))
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == TO_REVIEW:
            return waiting_for_review(request.user, queryset)
        if self.value() not in ("ja", "nee"):
            return queryset
        return queryset.filter(proposal__isnull=self.value() == "nee")


# How a change is marked in the proposal's column (for a screen reader too: <del> and <ins> are announced).
DIFF_MARKS = {"same": "{}", "removed": "<del>{}</del>", "added": '<ins style="background: #e6ffe6">{}</ins>'}
DIFF_LEGEND = "Doorgestreept: gaat eruit. Onderstreept: komt erbij."


def marked_proposal(current: Any, proposed: Any) -> SafeString:
    """The proposed value with what it removes from and adds to the current one marked, word by word."""
    now, then = ("" if value in EMPTY else shown_value(value) for value in (current, proposed))
    if not then and not now:
        return format_html("{}", shown_value(proposed))
    # Each piece is escaped by format_html; together they are as safe.
    return SafeString("".join(format_html(DIFF_MARKS[kind], text) for kind, text in word_diff(now, then)))


def _reason(error: PermissionDenied | ValidationError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@admin.register(Article)
class ArticleAdmin(LinesAdmin, OrganisationScopedAdmin):
    organisation_field = "owner"
    lines_fields = {"alternative_questions": 500, "keywords": 100}
    comma_fields = frozenset({"keywords"})
    list_display = ["question", "owner", "status", "version", "has_proposal", "updated_at"]
    list_filter = ["status", ProposalFilter, "owner__layer", "for_ondernemer"]
    search_fields = ["question", "answer", "uuid"]
    autocomplete_fields = ["products"]
    readonly_fields = ["pending_proposal", "uuid", "version", "source_url", "source_modified"]
    inlines = [RevisionInline]
    actions = ["publish_proposals", "reject_proposals"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "question",
                    "alternative_questions",
                    "answer",
                    "keywords",
                    "agent_note",
                    "loaded_version",
                ]
            },
        ),
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

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        if becomes_proposal(obj, request.user):
            hint = EDITOR_HINT
        elif obj.proposal is not None:
            hint = PROPOSAL_HINT
        else:
            return fieldsets
        return [("Voorstel", {"fields": ["pending_proposal"], "description": hint}), *fieldsets]

    @admin.display(description="met voorstel", boolean=True, ordering="proposal_at")
    def has_proposal(self, obj: Article) -> bool:
        return obj.proposal is not None

    @admin.display(description="voorgestelde wijziging")
    def pending_proposal(self, obj: Article) -> str:
        if obj.proposal is None or obj.proposal_at is None:
            return "Er is geen voorstel."
        rows = format_html_join(
            "",
            '<tr><th>{}</th><td style="white-space: pre-wrap">{}</td><td style="white-space: pre-wrap">{}</td></tr>',
            (
                (
                    capfirst(change.label),
                    shown_value(change.current) + (CHANGED_SINCE if change.changed_since else ""),
                    marked_proposal(change.current, change.proposed),
                )
                for change in proposal_changes(obj)
            ),
        )
        return format_html(
            "<p>Voorgesteld door {} op {}. {}</p>"
            "<table><thead><tr><th>Veld</th><th>Nu</th><th>Voorstel</th></tr></thead><tbody>{}</tbody></table>",
            proposer_name(obj),
            date_format(localtime(obj.proposal_at), "DATETIME_FORMAT"),
            DIFF_LEGEND,
            rows,
        )

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        save_article(
            obj,
            request.user,
            products=form.cleaned_data.get("products"),
            comment="Gewijzigd in beheer" if change else "Aangemaakt in beheer",
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # save_model handed the products to save_article, which keeps them out of the live article when the
        # change is a proposal; the form must not set them after all.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        if not add and form.changed_data and becomes_proposal(form.instance, request.user):
            return "Voorstel: " + ", ".join(str(form.fields[name].label) for name in form.changed_data)
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request: HttpRequest, obj: Article) -> HttpResponse:
        if not becomes_proposal(obj, request.user):
            return super().response_change(request, obj)
        proposed = obj.proposal is not None and obj.proposal_author_id == request.user.pk
        self.message_user(request, PROPOSAL_SAVED if proposed else NOTHING_PROPOSED, messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """Deciding on proposals is for reviewers (kennisbeheerders): others are not offered it."""
        actions = super().get_actions(request)
        if not has_role_anywhere(request.user, PUBLISHING_ROLES):
            actions.pop("publish_proposals", None)
            actions.pop("reject_proposals", None)
        return actions

    @admin.action(description="Voorstel publiceren")
    def publish_proposals(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._decide(request, queryset, publish_proposal, "gepubliceerd")

    @admin.action(description="Voorstel afwijzen")
    def reject_proposals(self, request: HttpRequest, queryset: QuerySet[Article]) -> TemplateResponse | None:
        """Asks for the reason first: the proposer reads it, to improve the text. Someone who may not decide
        gets the refusal at once."""
        if not all(can_publish(request.user, article.owner_id) for article in queryset):
            self._decide(request, queryset, reject_proposal, "afgewezen")
            return None
        form = RejectionForm(request.POST if REJECTION_CONFIRMED in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide(request, queryset, lambda a, user: reject_proposal(a, user, reason), "afgewezen")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Voorstel afwijzen",
            "articles": list(queryset.select_related("proposal_author")),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirmed": REJECTION_CONFIRMED,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalogue/article/reject_proposals.html", context)

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[Article],
        decide: Callable[[Article, AnyUser], Article],
        outcome: str,
    ) -> None:
        """Decide on each selected article's proposal; the services check the role and the proposal."""
        decided = 0
        for article in queryset:
            try:
                decide(article, request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{article}: {_reason(error)}", messages.ERROR)
            else:
                decided += 1
        if decided:
            noun = "voorstel" if decided == 1 else "voorstellen"
            self.message_user(request, f"{decided} {noun} {outcome}.", messages.SUCCESS)


@admin.register(Offering)
class OfferingAdmin(OrganisationScopedAdmin):
    form = OfferingAdminForm
    organisation_field = "organisation"
    list_display = ["title", "organisation", "product", "appointment_required", "updated_at"]
    list_filter = ["organisation__layer", "appointment_required", "channel_online"]
    search_fields = ["title", "key", "organisation__name"]
    autocomplete_fields = ["product", "area"]
    readonly_fields = ["source_id", "source_modified", "published_upl_uris"]
    inlines = [RevisionInline]

    def save_model(self, request: HttpRequest, obj: Offering, form: Any, change: bool) -> None:
        save_offering(obj, request.user, comment="Gewijzigd in beheer" if change else "Aangemaakt in beheer")
