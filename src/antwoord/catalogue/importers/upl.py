"""The Uniforme Productnamenlijst (UPL-actueel.csv): one row per product and legal basis."""

from pathlib import Path
from typing import Any

from antwoord.catalogue.models import Product
from antwoord.importing.services import ImportReport, RowError, upsert
from antwoord.lib.sources import csv_rows

from .common import optional_url, required_line, required_url

UPL_URL = "https://standaarden.overheid.nl/owms/oquery/UPL-actueel.csv"
_FLAGS = {
    "layer_rijk": "Rijk",
    "layer_provincie": "Provincie",
    "layer_waterschap": "Waterschap",
    "layer_gemeente": "Gemeente",
    "for_burger": "Burger",
    "for_ondernemer": "Bedrijf",
    "dienstenwet": "Dienstenwet",
    "autonomie": "Autonomie",
    "medebewind": "Medebewind",
    "is_aanvraag": "Aanvraag",
    "is_subsidie": "Subsidie",
    "is_melding": "Melding",
    "is_verplichting": "Verplichting",
}
REQUIRED_COLUMNS = {"UniformeProductnaam", "URI", "SDG", *_FLAGS.values()}


def _flag(row: dict[str, str], column: str) -> bool:
    value = row[column].strip().upper()
    if value not in ("", "X"):
        raise RowError(f"column {column} must be 'X' or empty, not '{value[:20]}'")
    return value == "X"


def _product_values(row: dict[str, str]) -> dict[str, Any]:
    if "__error__" in row:
        raise RowError(row["__error__"])
    values: dict[str, Any] = {
        "upl_uri": required_url(row["URI"], "URI", 300),
        "name": required_line(row["UniformeProductnaam"], "UniformeProductnaam", 200),
        "sdg_codes": [code.strip() for code in row["SDG"].split(";") if code.strip()],
    }
    values.update({field: _flag(row, column) for field, column in _FLAGS.items()})
    return values


def _legal_basis(row: dict[str, str]) -> dict[str, str] | None:
    uri = optional_url(row.get("Grondslag"), "Grondslag", 300)
    label = (row.get("Grondslaglabel") or "").strip()[:500]
    link = optional_url(row.get("Grondslaglink"), "Grondslaglink", 500)
    return {"uri": uri, "label": label, "link": link} if uri or label or link else None


def import_upl(location: str | Path) -> ImportReport:
    """Rows of one product (one per legal basis) must agree on name and flags; their bases are merged."""
    report = ImportReport(f"import-upl {Path(str(location)).name}")
    products: dict[str, tuple[int, dict[str, Any]]] = {}
    for line, row in csv_rows(location, required=REQUIRED_COLUMNS):
        try:
            values = _product_values(row)
            basis = _legal_basis(row)
        except RowError as error:
            report.reject(line, str(error))
            continue
        first = products.get(values["upl_uri"])
        if first is None:
            values["legal_bases"] = [basis] if basis else []
            products[values["upl_uri"]] = (line, values)
            continue
        first_line, known = first
        conflicts = [name for name, value in values.items() if known[name] != value]
        if conflicts:
            report.reject(line, f"{', '.join(conflicts)} differ(s) from line {first_line} for the same URI")
        elif basis and basis not in known["legal_bases"]:
            known["legal_bases"].append(basis)
    upsert(
        Product,
        products.values(),
        key=lambda values: (values["upl_uri"],),
        existing_key=lambda obj: (obj.upl_uri,),
        report=report,
    )
    return report
