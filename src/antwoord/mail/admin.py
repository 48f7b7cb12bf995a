"""Outgoing mail in /beheer/. Mails hold residents' personal data, so only administrators (superusers) see
them."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from antwoord.catalogue.admin_scoping import SuperuserOnlyAdmin

from .models import OutgoingMail


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
