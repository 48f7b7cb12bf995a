"""Incoming mail in /beheer/. Mails hold residents' personal data, so only administrators (superusers) see
them; an organisation's manager or beheerder switches its own automatic replies on or off."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from antwoord.catalogue.admin_scoping import SuperuserOnlyAdmin
from antwoord.contacts.admin import ManagedSettingsAdmin

from .inbound import process_inbound
from .models import InboundMail, MailSettings
from .parsing import parse_mail


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
        "thread",
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


@admin.register(MailSettings)
class MailSettingsAdmin(ManagedSettingsAdmin):
    """Only an organisation's managers and administrators switch its automatic replies."""

    list_display = ["organisation", "auto_reply_enabled"]
    list_select_related = ["organisation"]
