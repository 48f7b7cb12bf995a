"""`antwoord worker`: run the periodic jobs (see antwoord.ops.worker) until stopped."""

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from antwoord.ops.worker import repeat_until_stopped, run_once, run_round, stop_on_signals


class Command(BaseCommand):
    help = (
        "Run the periodic jobs: incoming mail to contacts, the outbox, reminders and escalation, erasing "
        "personal data, the search index. Runs until Ctrl+C or SIGTERM; `antwoord serve` starts one too, "
        "in production run it as its own process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between rounds (10)")
        parser.add_argument("--once", action="store_true", help="run every job once, print the counts, stop")
        # Set by `antwoord serve`: stop when the serve process is gone instead of running on as an orphan.
        parser.add_argument("--stop-with-parent", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.stdout.write(json.dumps(run_once()))
            return
        stop = stop_on_signals()
        self.stdout.write(f"The worker runs every {options['interval']:g} s. Stop with Ctrl+C.")
        self.stdout.flush()
        repeat_until_stopped(run_round, stop, options["interval"], options["stop_with_parent"])
        self.stdout.write("The worker stopped.")
