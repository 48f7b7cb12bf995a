from collections.abc import Callable

from antwoord.catalogue.importers.sc import SC_SRU_URL, import_sc_csv, import_sc_xml
from antwoord.importing.commands import ImportCommand
from antwoord.importing.services import ImportReport
from antwoord.lib.sources import sniff_format


class Command(ImportCommand):
    help = "Import Samenwerkende Catalogi records: the CSV harvest or SC XML (also SRU responses)."
    default_sources = [SC_SRU_URL]

    def importer(self, source: str) -> Callable[[str], ImportReport]:
        return import_sc_xml if sniff_format(source) == "xml" else import_sc_csv
