import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from antwoord.ops.services import catalogue_counts


class Command(BaseCommand):
    help = "Print the catalogue's counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = catalogue_counts()
        if options["json"]:
            self.stdout.write(json.dumps(counts, indent=2))
        else:
            for name, value in counts.items():
                self.stdout.write(f"{name:32} {value}")
