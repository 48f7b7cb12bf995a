"""Geography: which organisation of which layer serves a postcode or a municipality."""

import re
import unicodedata

from django.db.models import QuerySet

from .models import Layer, Organisation, PlaceName, Postcode

_PC4 = re.compile(r"^\s*(\d{4})\s*(?:[a-zA-Z]{2})?\s*$")


class UnknownPlaceError(LookupError):
    """The postcode or municipality is not in the catalogue."""


def parse_pc4(postcode: str) -> str:
    """'1011 AB', '1011ab' and '1011' all give '1011'; anything else is refused."""
    match = _PC4.match(postcode)
    if match is None or match.group(1).startswith("0"):
        raise ValueError(f"'{postcode}' is geen geldige postcode. Gebruik 4 cijfers, bijvoorbeeld 3511.")
    return match.group(1)


def municipality_for_postcode(postcode: str) -> Organisation:
    pc4 = parse_pc4(postcode)
    found = Postcode.objects.select_related("municipality__province").filter(pc4=pc4).first()
    if found is None:
        raise UnknownPlaceError(f"Postcode {pc4} staat niet in onze lijst.")
    return found.municipality


def find_municipality(code_or_name: str) -> Organisation:
    """A municipality by TOOI code (gm0363), CBS code (0363) or name (Amsterdam, 's-Gravenhage)."""
    value = code_or_name.strip()
    municipalities = Organisation.objects.active().municipalities().select_related("province")
    for lookup in ("code__iexact", "cbs_code", "name__iexact", "official_name__iexact"):
        found = municipalities.filter(**{lookup: value}).first()
        if found is not None:
            return found
    found = municipalities.filter(official_name__iexact=f"gemeente {value}").first()
    if found is None:
        named = place_name(value)
        found = named.municipality if named else None
    if found is None:
        found = _written_otherwise(value, municipalities)
    if found is None:
        raise UnknownPlaceError(f"Gemeente '{value}' kennen we niet.")
    return found


def _place_key(name: str) -> str:
    """A place name as people write it in many ways: "Den  Haag", "den-haag", "s-Gravenhage", "Sûdwest-Fryslân"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


def _written_otherwise(value: str, municipalities: QuerySet[Organisation]) -> Organisation | None:
    """The municipality whose name, official name or place name matches `value` but for spaces, hyphens,
    apostrophes and accents. Read only when the exact lookups failed: a few thousand short rows."""
    key = _place_key(value)
    if not key:
        return None
    for municipality in municipalities:
        official = municipality.official_name.removeprefix("gemeente ")
        if key in (_place_key(municipality.name), _place_key(official)):
            return municipality
    names = PlaceName.objects.select_related("municipality").filter(municipality__is_active=True)
    return next((n.municipality for n in names.iterator() if _place_key(n.name) == key), None)


def place_name(name: str) -> PlaceName | None:
    """A name of a place within a municipality of today (a village, a former municipality), in any case."""
    return (
        PlaceName.objects.select_related("municipality")
        .filter(name__iexact=name.strip(), municipality__is_active=True)
        .first()
    )


def municipality_names() -> list[tuple[str, Organisation]]:
    """Every name a municipality goes by: its own, its official one ('s-Gravenhage), former municipalities
    and other names (place names)."""
    municipalities = list(Organisation.objects.active().municipalities().select_related("province"))
    names = [(m.name, m) for m in municipalities] + [
        (m.official_name.removeprefix("gemeente "), m) for m in municipalities if m.official_name
    ]
    names += [
        (p.name, p.municipality)
        for p in PlaceName.objects.filter(municipality__is_active=True).select_related(
            "municipality__province"
        )
    ]
    return names


def postcode_or_place(value: str) -> tuple[str, str]:
    """What a resident typed where we ask "postcode of woonplaats": (postcode, "") or ("", place name)."""
    value = value.strip()
    return (value, "") if value[:1].isdigit() else ("", value)


def find_place(postcode: str = "", municipality: str = "") -> Organisation | None:
    """The municipality of a postcode, else of a municipality code or name; None when neither is given.
    Raises ValueError (malformed postcode) or UnknownPlaceError (not in our lists)."""
    if postcode.strip():
        return municipality_for_postcode(postcode)
    return find_municipality(municipality) if municipality.strip() else None


def serving_organisations(
    layer: Layer | str, *, postcode: str | None = None, municipality: Organisation | None = None
) -> list[Organisation]:
    """The organisations of `layer` that serve a place: its municipality, its province, its water boards,
    or every national organisation (they serve the whole country)."""
    if municipality is None:
        if postcode is None:
            raise ValueError("Geef een postcode of een gemeente.")
        municipality = municipality_for_postcode(postcode)
    layer = Layer(layer)
    if layer == Layer.GEMEENTE:
        return [municipality]
    if layer == Layer.PROVINCIE:
        return [municipality.province] if municipality.province else []
    if layer == Layer.WATERSCHAP:
        return list(municipality.water_boards.filter(is_active=True).order_by("name"))
    return list(Organisation.objects.active().national().order_by("name"))


def organisations_serving_place(municipality: Organisation) -> list[Organisation]:
    """Every organisation whose area includes the municipality, local first."""
    return [
        organisation
        for layer in (Layer.GEMEENTE, Layer.PROVINCIE, Layer.WATERSCHAP, Layer.RIJK)
        for organisation in serving_organisations(layer, municipality=municipality)
    ]
