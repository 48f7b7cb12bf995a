"""Import all of the public data folder (../shared/data) in dependency order."""

from collections.abc import Callable
from pathlib import Path

from antwoord.catalogue.importers.sc import import_sc_csv
from antwoord.catalogue.importers.upl import import_upl
from antwoord.catalogue.importers.vac import import_vac_csv, import_vac_json
from antwoord.importing.services import ImportReport
from antwoord.lib.sources import SourceError
from antwoord.organisations.importers import import_postcodes, import_tooi_register
from antwoord.organisations.reference import load_reference_data

# (importer, path inside the data folder); organisations before what refers to them.
PLAN: list[tuple[Callable[[str], ImportReport], str]] = [
    (import_tooi_register, "tooi-registers/rwc_provincies_compleet_1.json"),
    (import_tooi_register, "tooi-registers/rwc_gemeenten_compleet_4.json"),
    (import_tooi_register, "tooi-registers/rwc_waterschappen_compleet_2.json"),
    (import_postcodes, "pc4-gemeente-cbs2025/pc4_gemeente_2025.csv"),
    (import_upl, "upl-2025-nl-portal/UPL-actueel.csv"),
    (import_vac_csv, "govbench-rijksoverheid-vac/rijksoverheid_vacs_bzk.csv"),
    (import_vac_csv, "govbench-rijksoverheid-vac/rijksoverheid_vacs_omgevingswet.csv"),
    (import_vac_json, "policyqa-rijksoverheid-vac-2022/policyqa-train.json"),
    (import_vac_json, "policyqa-rijksoverheid-vac-2022/policyqa-test.json"),
    (import_sc_csv, "samenwerkende-catalogi-gemeenten-2023/sc_products_per_gemeente_2023-10.csv.gz"),
]


def import_public_data(
    folder: Path, *, progress: Callable[[ImportReport], None] | None = None
) -> list[ImportReport]:
    missing = [path for _, path in PLAN if not (folder / path).is_file()]
    if missing:
        raise SourceError(f"{folder}: missing {', '.join(missing)}")
    reports = [load_reference_data()]
    if progress:
        progress(reports[0])
    for importer, path in PLAN:
        reports.append(importer(str(folder / path)))
        if progress:
            progress(reports[-1])
    return reports
