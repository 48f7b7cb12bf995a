"""Importers for the official registers: TOOI (provinces, municipalities, water boards) and PC4 areas."""

from datetime import date
from pathlib import Path
from typing import Any

from antwoord.importing.services import ImportReport, RowError, upsert
from antwoord.lib.sources import SourceError, csv_rows, read_json
from antwoord.lib.text import collapse_whitespace

from .models import Kind, Layer, Organisation, PlaceName, PlaceNameSource, Postcode
from .reference import reference_place_names

TOOI = "https://identifier.overheid.nl/tooi/def/ont/"
PROV = "http://www.w3.org/ns/prov#"
TOOI_REGISTER_URLS = {
    "provincies": "https://repository.officiele-overheidspublicaties.nl/waardelijsten/rwc_provincies_compleet/1/json/rwc_provincies_compleet_1.json",
    "gemeenten": "https://repository.officiele-overheidspublicaties.nl/waardelijsten/rwc_gemeenten_compleet/4/json/rwc_gemeenten_compleet_4.json",
    "waterschappen": "https://repository.officiele-overheidspublicaties.nl/waardelijsten/rwc_waterschappen_compleet/2/json/rwc_waterschappen_compleet_2.json",
}
_LAYER_OF_TYPE = {
    "Provincie": Layer.PROVINCIE,
    "Gemeente": Layer.GEMEENTE,
    "Waterschap": Layer.WATERSCHAP,
}
_CODE_FIELD = {
    Layer.PROVINCIE: "provinciecode",
    Layer.GEMEENTE: "gemeentecode",
    Layer.WATERSCHAP: "waterschapscode",
}


def _value(item: dict[str, Any], name: str) -> str:
    values = item.get(TOOI + name) or []
    if not values:
        return ""
    first = values[0]
    return str(first.get("@value") or first.get("@id") or "")


def _layer(item: dict[str, Any]) -> Layer | None:
    types = {t.rsplit("/", 1)[-1] for t in item.get("@type", [])}
    if "HistorischeVersie" in types:
        return None
    return next((layer for name, layer in _LAYER_OF_TYPE.items() if name in types), None)


def _has_ended(item: dict[str, Any], today: date) -> bool:
    """Whether it ended before today (a malformed date was already reported as a rejected row)."""
    try:
        return date.fromisoformat(_value(item, "einddatum")) < today
    except ValueError:
        return False


def _name(item: dict[str, Any]) -> str:
    return collapse_whitespace(
        _value(item, "voorkeursnaamExclSoort") or _value(item, "officieleNaamExclSoort")
    )


def _is_current(item: dict[str, Any], today: date) -> bool:
    begins, ends = _value(item, "begindatum"), _value(item, "einddatum")
    return (not begins or date.fromisoformat(begins) <= today) and (
        not ends or date.fromisoformat(ends) >= today
    )


def _organisation_values(
    item: dict[str, Any], layer: Layer, provinces: dict[str, Organisation]
) -> dict[str, Any]:
    code = _value(item, "organisatiecode")
    name = _name(item)
    if not code or not name:
        raise RowError("no organisatiecode or name")
    values: dict[str, Any] = {
        "code": code,
        "name": name,
        "official_name": collapse_whitespace(_value(item, "officieleNaamInclSoort")),
        "layer": layer,
        "kind": Kind(layer.value),
        "cbs_code": _value(item, _CODE_FIELD[layer]),
        "tooi_uri": str(item.get("@id", "")),
        "owms_uri": _value(item, "owmsId"),
        "is_active": True,
    }
    if layer == Layer.GEMEENTE:
        province_uri = _value(item, "ligtInProvincie")
        province = provinces.get(province_uri.rsplit("/", 1)[-1])
        if province is None:
            raise RowError(f"province {province_uri or '(none)'} is unknown; import the provinces first")
        values["province"] = province
    return values


def import_tooi_register(location: str | Path, *, today: date | None = None) -> ImportReport:
    """A TOOI register in JSON-LD (rwc_*_compleet): only organisations that exist today are kept."""
    today = today or date.today()
    items = read_json(location)
    if not isinstance(items, list):
        raise SourceError(f"{location}: expected a JSON-LD list of register entries")
    report = ImportReport(f"import-tooi {Path(str(location)).name}")
    provinces = {p.code: p for p in Organisation.objects.provinces()}
    rows = []
    for number, item in enumerate(items, start=1):
        layer = _layer(item) if isinstance(item, dict) else None
        if layer is None:
            report.skip("not an organisation (change record, historic version or register header)")
            continue
        try:
            if not _is_current(item, today):
                report.skip("no longer exists (einddatum in the past) or does not exist yet")
                continue
            rows.append((number, _organisation_values(item, layer, provinces)))
        except (RowError, ValueError) as error:
            report.reject(number, f"entry {item.get('@id', '?')}: {error}")
    upsert(
        Organisation,
        rows,
        key=lambda values: (values["code"],),
        existing_key=lambda obj: (obj.code,),
        report=report,
    )
    if any(values["layer"] == Layer.GEMEENTE for _, values in rows):
        _import_place_names(items, today, report)
    return report


def _import_place_names(items: list[Any], today: date, report: ImportReport) -> None:
    """People still name the municipality they lived in before a merger (Haren, Delfzijl): each former
    municipality becomes a place name of the one it is part of today, following TOOI's change records; so
    do the everyday names of reference.yaml (Den Bosch). Names an administrator keeps are left alone."""
    entries = [i for i in items if isinstance(i, dict)]
    successors: dict[str, set[str]] = {}
    for change in entries:
        for old in _codes(change, PROV + "invalidated"):
            new = _codes(change, PROV + "generated") + _codes(change, PROV + "used")
            successors.setdefault(old, set()).update(c for c in new if c != old)
    current = {o.code: o for o in Organisation.objects.active().municipalities()}
    taken = {o.name.casefold() for o in current.values()} | {
        p.name.casefold() for p in PlaceName.objects.filter(source=PlaceNameSource.EDITOR)
    }
    rows = [
        (0, {"name": name, "municipality": current[code], "source": PlaceNameSource.REFERENCE})
        for name, code in reference_place_names()
        if code in current and name.casefold() not in taken
    ]
    for number, item in enumerate(entries, start=1):
        code, name = _value(item, "organisatiecode"), _name(item)
        if _layer(item) != Layer.GEMEENTE or code in current or not name or not _has_ended(item, today):
            continue
        now_part_of = {current[c] for c in _current_successors(code, successors, current)}
        if len(now_part_of) != 1:
            report.skip("former municipality not part of exactly one municipality today (no place name)")
        elif name.casefold() in taken:
            report.skip("former municipality's name is in use (kept as it is)")
        else:
            rows.append(
                (number, {"name": name, "municipality": now_part_of.pop(), "source": PlaceNameSource.TOOI})
            )
    upsert(
        PlaceName,
        rows,
        key=lambda values: (values["name"].casefold(),),
        existing_key=lambda obj: (obj.name.casefold(),),
        report=report,
        existing=PlaceName.objects.exclude(source=PlaceNameSource.EDITOR),
    )


def _codes(item: dict[str, Any], name: str) -> list[str]:
    return [str(v.get("@id", "")).rsplit("/", 1)[-1] for v in item.get(name) or [] if isinstance(v, dict)]


def _current_successors(
    code: str,
    successors: dict[str, set[str]],
    current: dict[str, Organisation],
    seen: frozenset[str] = frozenset(),
) -> set[str]:
    """The municipalities of today a former one became part of, through every later merger."""
    if code in current:
        return {code}
    return {
        today
        for successor in successors.get(code, ())
        if successor not in seen
        for today in _current_successors(successor, successors, current, seen | {code})
    }


def import_postcodes(location: str | Path) -> ImportReport:
    """PC4 -> municipality CSV with columns pc4 and gemeentecode (CBS code, e.g. 0363)."""
    report = ImportReport(f"import-postcodes {Path(str(location)).name}")
    municipalities = {m.cbs_code: m for m in Organisation.objects.active().municipalities()}
    if not municipalities:
        raise SourceError("no municipalities in the catalogue yet; import the TOOI registers first")
    rows = []
    for line, row in csv_rows(location, required={"pc4", "gemeentecode"}):
        try:
            rows.append((line, _postcode_values(row, municipalities)))
        except RowError as error:
            report.reject(line, str(error))
    upsert(
        Postcode,
        rows,
        key=lambda values: (values["pc4"],),
        existing_key=lambda obj: (obj.pc4,),
        report=report,
    )
    return report


def _postcode_values(row: dict[str, str], municipalities: dict[str, Organisation]) -> dict[str, Any]:
    if "__error__" in row:
        raise RowError(row["__error__"])
    pc4, cbs_code = row["pc4"].strip(), row["gemeentecode"].strip().zfill(4)
    if len(pc4) != 4 or not pc4.isdigit() or pc4.startswith("0"):
        raise RowError(f"'{pc4}' is not a 4-digit postcode")
    municipality = municipalities.get(cbs_code)
    if municipality is None:
        raise RowError(f"municipality code '{cbs_code}' is unknown")
    return {"pc4": pc4, "municipality": municipality}
