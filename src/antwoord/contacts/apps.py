from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "antwoord.contacts"
    verbose_name = "Contacten en overdrachten"
