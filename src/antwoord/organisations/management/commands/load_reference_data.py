from typing import Any

from django.core.management.base import BaseCommand

from antwoord.organisations.reference import load_reference_data


class Command(BaseCommand):
    help = "Load the national organisations every installation needs (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load_reference_data().write(self.stdout)
