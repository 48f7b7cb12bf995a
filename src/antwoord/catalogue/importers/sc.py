"""Samenwerkende Catalogi (SC): every government's product pages, with authority, area, audience and UPL.

Two shapes: the CSV harvest (one row per record) and the SC XML of live feeds (scproducten documents or
SRU search responses that wrap scproduct elements). Both become the same offering values.
"""

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXML
from defusedxml import DefusedXmlException

from antwoord.catalogue.models import Offering, Product
from antwoord.importing.services import ImportReport, RowError, upsert
from antwoord.lib.sources import SourceError, csv_rows, read_bytes
from antwoord.lib.text import collapse_whitespace, html_to_markdown
from antwoord.organisations.models import Layer, Organisation, OrganisationAlias

from .common import optional_url, required_line, required_url

SC_SRU_URL = "https://zoekservice.overheid.nl/sru/Search?x-connection=sc&operation=searchRetrieve&version=2.0"
PLACEHOLDER_UPL = "http://standaarden.overheid.nl/owms/terms/UPL-naam_nog_niet_beschikbaar"
_LAYER_OF_SCHEME = {
    "overheid:Gemeente": Layer.GEMEENTE,
    "overheid:Provincie": Layer.PROVINCIE,
    "overheid:Waterschap": Layer.WATERSCHAP,
}
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
CSV_COLUMNS = {"authority", "authority_scheme", "authority_uri", "title", "url"}


class Authorities:
    """Finds the organisation a record names: by OWMS URI, by a known alias, or by its name."""

    def __init__(self) -> None:
        active = list(Organisation.objects.active())
        self.by_uri = {o.owms_uri: o for o in active if o.owms_uri}
        self.by_uri.update(
            {a.uri: a.organisation for a in OrganisationAlias.objects.select_related("organisation")}
        )
        self.by_name: dict[tuple[str, str], list[Organisation]] = {}
        for organisation in active:
            for name in {organisation.name, organisation.official_name.split(" ", 1)[-1]}:
                self.by_name.setdefault((organisation.layer, name.casefold()), []).append(organisation)
        self.new_aliases: dict[str, Organisation] = {}

    def resolve(self, uri: str, scheme: str, label: str) -> Organisation:
        found = self.by_uri.get(uri) or self.new_aliases.get(uri)
        if found is not None:
            return found
        layer = _LAYER_OF_SCHEME.get(scheme)
        name = _QUALIFIER.sub("", label).casefold()
        candidates = self.by_name.get((layer, name), []) if layer else []
        if len(candidates) != 1:
            raise RowError(
                f"authority '{label or uri}' ({scheme or 'no scheme'}) is not a known organisation"
            )
        if uri:
            self.new_aliases[uri] = candidates[0]
        return candidates[0]

    def save_new_aliases(self) -> None:
        OrganisationAlias.objects.bulk_create(
            [OrganisationAlias(uri=uri, organisation=org) for uri, org in self.new_aliases.items()],
            ignore_conflicts=True,
        )


def _offering_values(
    record: dict[str, Any], authorities: Authorities, products: dict[str, Product]
) -> dict[str, Any]:
    organisation = authorities.resolve(
        record["authority_uri"].strip(),
        record["authority_scheme"].strip(),
        collapse_whitespace(record["authority"]),
    )
    url = required_url(record["url"], "url")
    upl_uris = [uri.strip() for uri in record.get("upl_uri", "").split(";") if uri.strip()]
    audience = {a.strip().lower() for a in record.get("audience", "").split(";")}
    online = record.get("onlineAanvragen", "").strip().lower()
    return {
        "organisation": organisation,
        "key": url,
        "url": url,
        "title": required_line(record["title"], "title", 300),
        "text": html_to_markdown(record.get("abstract") or ""),
        "product": next((products[u] for u in upl_uris if u in products and u != PLACEHOLDER_UPL), None),
        "published_upl_uris": upl_uris,
        "for_burger": "particulier" in audience or "ondernemer" not in audience,
        "for_ondernemer": "ondernemer" in audience,
        "channel_online": online in ("ja", "digid"),
        "online_application_url": optional_url(record.get("aanvraagURL"), "aanvraagURL"),
        "subject": collapse_whitespace(record.get("subject") or "")[:200],
        "language": (record.get("language") or "nl").strip().lower()[:10] or "nl",
        "source_id": (record.get("productID") or "").strip()[:100],
        "source_modified": _date(record.get("modified")),
    }


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10]) if value and value.strip() else None
    except ValueError:
        raise RowError(f"modified '{(value or '')[:20]}' is not a date (YYYY-MM-DD)") from None


def _save(records: Iterator[tuple[int, dict[str, Any]]], report: ImportReport) -> ImportReport:
    authorities = Authorities()
    products = {p.upl_uri: p for p in Product.objects.all()}
    rows = []
    for position, record in records:
        try:
            if "__error__" in record:
                raise RowError(record["__error__"])
            rows.append((position, _offering_values(record, authorities, products)))
        except RowError as error:
            report.reject(position, str(error))
    authorities.save_new_aliases()
    upsert(
        Offering,
        rows,
        key=lambda values: (values["organisation"].pk, values["key"]),
        existing_key=lambda obj: (obj.organisation_id, obj.key),
        report=report,
    )
    return report


def import_sc_csv(location: str | Path) -> ImportReport:
    report = ImportReport(f"import-sc {Path(str(location)).name}")
    return _save(csv_rows(location, required=CSV_COLUMNS), report)


def import_sc_xml(location: str | Path) -> ImportReport:
    report = ImportReport(f"import-sc {Path(str(location)).name}")
    try:
        root = SafeXML.fromstring(read_bytes(location))
    except (SafeXML.ParseError, DefusedXmlException) as error:
        raise SourceError(f"{location}: not valid or not safe XML ({error})") from error
    return _save(_xml_records(root), report)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_records(root: Element) -> Iterator[tuple[int, dict[str, Any]]]:
    products = [el for el in root.iter() if _local(el.tag) == "scproduct"]
    for number, product in enumerate(products, start=1):
        yield number, _xml_record(product)


def _xml_record(product: Element) -> dict[str, str]:
    by_name: dict[str, list[Element]] = {}
    for element in product.iter():
        by_name.setdefault(_local(element.tag), []).append(element)

    def text(name: str) -> str:
        return "".join(by_name[name][0].itertext()) if name in by_name else ""

    def attribute(name: str, attr: str) -> str:
        return by_name[name][0].get(attr, "") if name in by_name else ""

    return {
        "authority": text("authority"),
        "authority_scheme": attribute("authority", "scheme"),
        "authority_uri": attribute("authority", "resourceIdentifier"),
        "title": text("title"),
        "url": text("identifier"),
        "abstract": text("abstract"),
        "upl_uri": ";".join(
            el.get("resourceIdentifier", "") for el in by_name.get("uniformeProductnaam", [])
        ),
        "audience": ";".join("".join(el.itertext()) for el in by_name.get("audience", [])),
        "subject": text("subject"),
        "onlineAanvragen": text("onlineAanvragen"),
        "aanvraagURL": attribute("aanvraagURL", "resourceIdentifier") or text("aanvraagURL"),
        "productID": text("productID"),
        "language": text("language"),
        "modified": text("modified"),
    }
