from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "antwoord.appointments"
    verbose_name = "Afspraken"
