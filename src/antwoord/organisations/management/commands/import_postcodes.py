from collections.abc import Callable

from antwoord.importing.commands import ImportCommand
from antwoord.importing.services import ImportReport
from antwoord.organisations.importers import import_postcodes


class Command(ImportCommand):
    help = "Import 4-digit postcode areas: a CSV with columns pc4 and gemeentecode (CBS)."

    def importer(self, source: str) -> Callable[[str], ImportReport]:
        return import_postcodes
