from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "antwoord.web"
    verbose_name = "Website"
