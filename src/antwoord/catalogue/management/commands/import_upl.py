from collections.abc import Callable

from antwoord.catalogue.importers.upl import UPL_URL, import_upl
from antwoord.importing.commands import ImportCommand
from antwoord.importing.services import ImportReport


class Command(ImportCommand):
    help = "Import the Uniforme Productnamenlijst (UPL-actueel.csv)."
    default_sources = [UPL_URL]

    def importer(self, source: str) -> Callable[[str], ImportReport]:
        return import_upl
