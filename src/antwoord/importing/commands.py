"""The base of every import command: sources from the command line, one report per source."""

import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from antwoord.lib.sources import SourceError

from .services import ImportReport


class ImportCommand(BaseCommand):
    """Subclasses set `default_sources` (the official URLs, for live use) and implement `importer`."""

    default_sources: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "sources",
            nargs="*",
            help="files or URLs; without one the official source is fetched"
            if self.default_sources
            else "files or URLs",
        )
        parser.add_argument("--json", action="store_true", help="print the reports as JSON")

    def importer(self, source: str) -> Callable[[str], ImportReport]:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        sources = options["sources"] or self.default_sources
        if not sources:
            raise CommandError("Give at least one file or URL to import.")
        reports = [run_import(self.importer(source), source) for source in sources]
        if options["json"]:
            self.stdout.write(json.dumps([r.as_dict() for r in reports], indent=2))
        else:
            for report in reports:
                report.write(self.stdout)


def run_import(importer: Callable[[str], ImportReport], source: str) -> ImportReport:
    try:
        return importer(source)
    except SourceError as error:
        raise CommandError(str(error)) from error
