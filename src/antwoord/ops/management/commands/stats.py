import dataclasses
import json
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from antwoord.appointments.services import appointment_counts
from antwoord.contacts.jobs import MAX_PERIOD_DAYS, register_counts, steering_figures
from antwoord.ops.services import catalogue_counts


class Command(BaseCommand):
    help = (
        "Print the catalogue's counts and the register's: contacts, handovers, appointments; with --json also "
        "the steering figures of all organisations over the last --days days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--days", type=int, default=30, help="days of steering figures, today included (30)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts: dict[str, Any] = {
            **catalogue_counts(),
            "register": register_counts(),
            "appointments": appointment_counts(),
        }
        if not options["json"]:
            for name, value in counts.items():
                self.stdout.write(f"{name:32} {value}")
            return
        days = options["days"]
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise CommandError(f"--days must lie between 1 and {MAX_PERIOD_DAYS}.")
        today = timezone.localdate()
        figures = steering_figures(today - timedelta(days=days - 1), today)
        counts["steering"] = dataclasses.asdict(figures)
        self.stdout.write(json.dumps(counts, indent=2, default=str))  # dates as 2026-11-29
