"""Mail in /beheer/. Mails hold residents' personal data, so only administrators (superusers) see them;
an organisation's manager or beheerder switches its own automatic replies on or off."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from antwoord.accounts.models import Role
from antwoord.accounts.services import has_role, organisation_ids_with_role
from antwoord.catalogue.admin_scoping import SuperuserOnlyAdmin
from antwoord.organisations.models import Organisation

from .inbound import process_inbound
from .models import InboundMail, MailSettings, OutgoingMail
from .parsing import parse_mail

SETTINGS_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)


@admin.register(InboundMail)
class InboundMailAdmin(SuperuserOnlyAdmin):
    list_display = ["received_at", "mail_from", "subject", "processed_at", "contact", "error"]
    list_filter = ["processed_at"]
    search_fields = ["mail_from", "message_id", "recipients"]
    readonly_fields = [
        "message_id",
        "mail_from",
        "recipients",
        "received_at",
        "processed_at",
        "contact",
        "attempts",
        "error",
        "text",
    ]
    actions = ["process_again"]

    @admin.display(description="onderwerp")
    def subject(self, mail: InboundMail) -> str:
        return parse_mail(bytes(mail.raw)).subject

    @admin.display(description="tekst")
    def text(self, mail: InboundMail) -> str:
        return parse_mail(bytes(mail.raw)).text

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    @admin.action(description="Opnieuw verwerken (mails zonder contact)")
    def process_again(self, request: HttpRequest, queryset: QuerySet[InboundMail]) -> None:
        retry = queryset.filter(contact__isnull=True)
        retry.update(processed_at=None, attempts=0, error="")
        done = sum(process_inbound(pk) for pk in retry.values_list("pk", flat=True))
        self.message_user(request, f"{done} e-mail(s) verwerkt.", messages.SUCCESS)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(SuperuserOnlyAdmin):
    list_display = ["created_at", "to", "subject", "sent_at", "attempts", "last_error"]
    list_filter = ["sent_at"]
    search_fields = ["to", "subject", "message_id"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]
    actions = ["send_again"]

    @admin.action(description="Opnieuw proberen te versturen")
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = queryset.filter(sent_at__isnull=True).update(attempts=0, last_error="")
        self.message_user(request, f"{count} e-mail(s) gaan opnieuw mee met de volgende verzendronde.")


@admin.register(MailSettings)
class MailSettingsAdmin(admin.ModelAdmin[MailSettings]):
    list_display = ["organisation", "auto_reply_enabled"]

    def _own(self, request: HttpRequest) -> set[int]:
        return organisation_ids_with_role(request.user, SETTINGS_ROLES)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MailSettings]:
        queryset = super().get_queryset(request).select_related("organisation")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation__in=self._own(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and (user.is_superuser or self._own(request)))

    def has_view_permission(self, request: HttpRequest, obj: MailSettings | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: MailSettings | None = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return request.user.is_superuser or has_role(request.user, obj.organisation_id, SETTINGS_ROLES)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: MailSettings | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> "ModelChoiceField[Any] | None":
        if db_field.name == "organisation" and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=self._own(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
