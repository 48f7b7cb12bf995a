from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .models import KEY_START, Membership, SystemToken, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(User)
class StaffUserAdmin(UserAdmin[User]):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]


# A system's token is its password: the list and the form show only its start, and the whole key is shown
# once, to whoever makes it (as a message after saving), to be copied into the system that uses it.
admin.site.unregister(TokenProxy)


@admin.register(SystemToken)
class SystemTokenAdmin(TokenAdmin):
    list_display = ("key_start", "user", "created")

    @admin.display(description="sleutel")
    def key_start(self, token: SystemToken) -> str:
        return f"{token.key[:KEY_START]}…"

    def save_model(self, request: HttpRequest, obj: SystemToken, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"De sleutel van {obj.user} is {obj.key}. Kopieer hem nu: hij wordt hierna niet meer getoond.",
                messages.WARNING,
            )
