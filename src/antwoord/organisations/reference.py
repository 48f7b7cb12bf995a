"""Reference data every installation needs: the national organisations and everyday names of municipalities
(see reference.yaml)."""

from pathlib import Path
from typing import Any

import yaml

from antwoord.importing.services import ImportReport, upsert

from .models import Kind, Layer, Organisation

REFERENCE_FILE = Path(__file__).with_name("reference.yaml")


def load_reference_data() -> ImportReport:
    report = ImportReport("load-reference-data")
    entries = yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8"))["national"]
    rows = [(number, _values(entry)) for number, entry in enumerate(entries, start=1)]
    upsert(
        Organisation,
        rows,
        key=lambda values: (values["code"],),
        existing_key=lambda obj: (obj.code,),
        report=report,
        existing=Organisation.objects.national(),
    )
    return report


def _values(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": entry["code"],
        "name": entry["name"],
        "official_name": entry.get("official_name", ""),
        "layer": Layer.RIJK,
        "kind": Kind(entry["kind"]),
        "website": entry.get("website", ""),
        "phone": entry.get("phone", ""),
        "is_active": True,
    }


def reference_place_names() -> list[tuple[str, str]]:
    """(name, municipality code): names everybody uses that no register holds, such as Den Bosch."""
    entries = yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8"))["place_names"]
    return [(entry["name"], entry["municipality"]) for entry in entries]
