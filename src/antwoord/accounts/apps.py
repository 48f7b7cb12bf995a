from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "antwoord.accounts"
    verbose_name = "Gebruikers en rollen"
