import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from antwoord.appointments.services import appointment_counts
from antwoord.contacts.jobs import register_counts
from antwoord.ops.services import catalogue_counts


class Command(BaseCommand):
    help = "Print the catalogue's counts and the register's: contacts, handovers, appointments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {
            **catalogue_counts(),
            "register": register_counts(),
            "appointments": appointment_counts(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(counts, indent=2))
        else:
            for name, value in counts.items():
                self.stdout.write(f"{name:32} {value}")
