from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "antwoord.demo"
    verbose_name = "Demo-inhoud"
