from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "antwoord.organisations"
    verbose_name = "Organisaties en gebied"
