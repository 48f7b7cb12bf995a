from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "antwoord.inbox"
    verbose_name = "E-mail binnen"
