from collections.abc import Callable

from antwoord.importing.commands import ImportCommand
from antwoord.importing.services import ImportReport
from antwoord.organisations.importers import TOOI_REGISTER_URLS, import_tooi_register


class Command(ImportCommand):
    help = "Import TOOI registers (JSON-LD) of provinces, municipalities and water boards, in that order."
    default_sources = list(TOOI_REGISTER_URLS.values())

    def importer(self, source: str) -> Callable[[str], ImportReport]:
        return import_tooi_register
