from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "antwoord.desk"
    verbose_name = "KCC-werkplek"
