from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from antwoord.demo.loader import create_personas, load_demo


class Command(BaseCommand):
    help = "Load the demo content (idempotent); with --users also demo staff accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--users",
            metavar="PASSWORD",
            help="create demo staff accounts with this password (only for a local demo)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for report in load_demo():
            report.write(self.stdout)
        if options["users"]:
            names = create_personas(options["users"])
            self.stdout.write(f"Demo accounts (password as given): {', '.join(names)}")
