import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from antwoord.lib.sources import SourceError
from antwoord.ops.public_data import import_public_data


class Command(BaseCommand):
    help = "Import every public source in the data folder (default: ../shared/data) in the right order."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=str(settings.SHARED_DATA_DIR))
        parser.add_argument("--json", action="store_true", help="print the reports as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        progress = None if options["json"] else (lambda report: report.write(self.stdout))
        try:
            reports = import_public_data(folder, progress=progress)
        except SourceError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps([r.as_dict() for r in reports], indent=2))
