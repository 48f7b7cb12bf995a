from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "antwoord.catalogue"
    verbose_name = "Catalogus en kennisbank"
