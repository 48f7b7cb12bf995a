from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "antwoord.answers"
    verbose_name = "Antwoorden"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the content-changed signals)
