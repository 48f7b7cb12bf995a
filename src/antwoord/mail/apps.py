from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "antwoord.mail"
    verbose_name = "E-mail"
