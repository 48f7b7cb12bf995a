from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "antwoord.ops"
    verbose_name = "Beheer en import"
