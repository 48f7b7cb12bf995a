"""`antwoord smtp-intake`: the SMTP server that turns incoming mail into contacts (antwoord.inbox.intake)."""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from antwoord.inbox.inbound import intake_domains
from antwoord.inbox.intake import Intake
from antwoord.ops.worker import repeat_until_stopped, stop_on_signals

# How often a process started by `antwoord serve` checks that serve still runs.
PARENT_CHECK_SECONDS = 2.0


class Command(BaseCommand):
    help = (
        "Run the SMTP intake: mail to an address at the intake domains (ANTWOORD_MAIL_DOMAINS) becomes a "
        "contact with the engine's suggested answer. Runs until Ctrl+C or SIGTERM; `antwoord serve` starts "
        "one too, in production run it as its own process (behind the public mail server)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
        parser.add_argument("--port", type=int, default=2525, help="port to listen on (2525)")
        parser.add_argument(
            "--no-processing",
            action="store_true",
            help="only store mail; `antwoord worker` turns it into contacts",
        )
        # Set by `antwoord serve`: stop when the serve process is gone instead of running on as an orphan.
        parser.add_argument("--stop-with-parent", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        stop = stop_on_signals()
        intake = Intake(options["host"], options["port"], process_at_once=not options["no_processing"])
        try:
            intake.start()
        except (OSError, RuntimeError) as error:
            address = f"{options['host']}:{options['port']}"
            raise CommandError(f"The SMTP intake cannot listen on {address}: {error}") from error
        domains = ", ".join(sorted(intake_domains()))
        self.stdout.write(f"The SMTP intake listens on {options['host']}:{options['port']} for @{domains}.")
        if options["no_processing"]:
            self.stdout.write("It only stores mail; the worker turns it into contacts.")
        self.stdout.flush()
        try:
            repeat_until_stopped(lambda: None, stop, PARENT_CHECK_SECONDS, options["stop_with_parent"])
        finally:
            intake.stop()
        self.stdout.write("The SMTP intake stopped.")
