from collections.abc import Callable

from antwoord.catalogue.importers.vac import VAC_API_URL, import_vac_csv, import_vac_json
from antwoord.importing.commands import ImportCommand
from antwoord.importing.services import ImportReport
from antwoord.lib.sources import sniff_format


class Command(ImportCommand):
    help = "Import Rijksoverheid Q&A articles: the CSV with HTML answers, the API JSON or SQuAD-style JSON."
    default_sources = [VAC_API_URL]

    def importer(self, source: str) -> Callable[[str], ImportReport]:
        return import_vac_csv if sniff_format(source) == "csv" else import_vac_json
