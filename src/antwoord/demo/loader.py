"""Load the demo content written for ANTWOORD (content/*.yaml): a small, living counter.

Idempotent like the importers: loading twice changes nothing.
"""

import uuid
from datetime import date, time
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from antwoord.accounts.models import Membership, Role, User
from antwoord.appointments.models import OpeningHours, ServicePoint, Weekday
from antwoord.catalogue.models import Article, Offering, Product, Status
from antwoord.catalogue.services import record_revision
from antwoord.contacts.models import HandoverQuestion
from antwoord.importing.services import ImportReport, upsert
from antwoord.lib.text import collapse_whitespace, normalise_text
from antwoord.organisations.models import Kind, Layer, Organisation, Postcode, WaterBoardCoverage
from antwoord.organisations.reference import load_reference_data

CONTENT = Path(__file__).with_name("content")
CHANNELS = {
    "online": "channel_online",
    "balie": "channel_counter",
    "telefoon": "channel_phone",
    "post": "channel_post",
}
# Staff personas for exploring the demo; their password is printed by `antwoord load-demo --users`.
PERSONAS: list[tuple[str, str, list[tuple[str, Role]]]] = [
    ("beheerder", "Platformbeheerder", []),
    ("redacteur.denhaag", "Redacteur Den Haag", [("gm0518", Role.EDITOR)]),
    (
        "kennisbeheer.denhaag",
        "Kennisbeheerder Den Haag",
        [("gm0518", Role.EDITOR), ("gm0518", Role.REVIEWER)],
    ),
    ("redacteur.amsterdam", "Redacteur Amsterdam", [("gm0363", Role.EDITOR)]),
    ("redacteur.rijk", "Redacteur Rijksoverheid", [("rijksoverheid", Role.EDITOR)]),
    ("kennisbeheer.rijk", "Kennisbeheerder Rijksoverheid", [("rijksoverheid", Role.REVIEWER)]),
    ("kcc.denhaag", "Klantcontactmedewerker Den Haag", [("gm0518", Role.AGENT)]),
    ("kcc.rijk", "Klantcontactmedewerker Rijksoverheid (1400)", [("rijksoverheid", Role.AGENT)]),
    ("backoffice.denhaag", "Backoffice Den Haag", [("gm0518", Role.BACKOFFICE)]),
    ("backoffice.rijk", "Backoffice Rijksoverheid (1400)", [("rijksoverheid", Role.BACKOFFICE)]),
    ("manager.denhaag", "Manager Den Haag", [("gm0518", Role.MANAGER)]),
    ("backoffice.amsterdam", "Backoffice Amsterdam", [("gm0363", Role.BACKOFFICE)]),
]


def _read(name: str) -> Any:
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


def load_demo() -> list[ImportReport]:
    with transaction.atomic():
        reports = [
            load_reference_data(),
            _organisations(),
            _products(),
            _offerings(),
            _articles(),
            _service_points(),
            _handover_questions(),
        ]
    return reports


def _organisation(entry: dict[str, Any], layer: Layer, **extra: Any) -> dict[str, Any]:
    return {
        "code": entry["code"],
        "name": collapse_whitespace(entry["name"]),
        "official_name": entry.get("official_name", ""),
        "layer": layer,
        "kind": Kind(layer.value),
        "cbs_code": entry.get("cbs_code", ""),
        "tooi_uri": entry.get("tooi_uri", ""),
        "owms_uri": entry.get("owms_uri", ""),
        "website": entry.get("website", ""),
        "phone": entry.get("phone", ""),
        "is_active": True,
        **extra,
    }


def _organisations() -> ImportReport:
    report = ImportReport("demo organisations")
    data = _read("organisations.yaml")
    first_load = not Organisation.objects.filter(
        code__in=[e["code"] for e in data["municipalities"]]
    ).exists()
    rows = [(0, _organisation(e, Layer.PROVINCIE)) for e in data["provinces"]]
    rows += [(0, _organisation(e, Layer.WATERSCHAP)) for e in data["water_boards"]]
    _upsert_organisations(rows, report)
    provinces = {o.code: o for o in Organisation.objects.provinces()}
    rows = [
        (0, _organisation(e, Layer.GEMEENTE, province=provinces[e["province"]]))
        for e in data["municipalities"]
    ]
    _upsert_organisations(rows, report)
    by_code = {o.code: o for o in Organisation.objects.all()}
    for entry in data["municipalities"]:
        municipality = by_code[entry["code"]]
        for water_board in entry.get("water_boards", []):
            WaterBoardCoverage.objects.get_or_create(
                municipality=municipality, water_board=by_code[water_board]
            )
    postcodes = [
        (0, {"pc4": str(pc4), "municipality": by_code[entry["code"]]})
        for entry in data["municipalities"]
        for pc4 in entry.get("postcodes", [])
    ]
    upsert(Postcode, postcodes, key=lambda v: (v["pc4"],), existing_key=lambda o: (o.pc4,), report=report)
    if first_load:  # later loads leave the stand-ins as an administrator set them, also when he removed one
        for stand_in, codes in data.get("stand_ins", {}).items():
            Organisation.objects.filter(code__in=codes).update(stand_in=by_code[stand_in])
    return report


def _upsert_organisations(rows: list[tuple[int, dict[str, Any]]], report: ImportReport) -> None:
    upsert(Organisation, rows, key=lambda v: (v["code"],), existing_key=lambda o: (o.code,), report=report)


def _products() -> ImportReport:
    report = ImportReport("demo products")
    rows = []
    for entry in _read("products.yaml"):
        layers, audience, types = set(entry["layers"]), set(entry["audience"]), set(entry["types"])
        values = {
            "upl_uri": entry["uri"],
            "name": entry["name"],
            "sdg_codes": list(entry.get("sdg", [])),
            "for_burger": "burger" in audience,
            "for_ondernemer": "ondernemer" in audience,
        }
        values.update({f"layer_{layer}": layer in layers for layer in Layer.values})
        values.update(
            {f"is_{kind}": kind in types for kind in ("aanvraag", "subsidie", "melding", "verplichting")}
        )
        rows.append((0, values))
    upsert(Product, rows, key=lambda v: (v["upl_uri"],), existing_key=lambda o: (o.upl_uri,), report=report)
    return report


def _offerings() -> ImportReport:
    report = ImportReport("demo offerings")
    organisations = {o.code: o for o in Organisation.objects.all()}
    products = {p.upl_uri: p for p in Product.objects.all()}
    rows = []
    for entry in _read("offerings.yaml"):
        channels = set(entry.get("channels", []))
        audience = set(entry.get("audience", ["burger"]))
        values = {
            "organisation": organisations[entry["organisation"]],
            "key": entry["key"],
            "product": products.get(entry.get("product", "")),
            "published_upl_uris": [entry["product"]] if entry.get("product") else [],
            "title": collapse_whitespace(entry["title"]),
            "text": normalise_text(entry.get("text", "")),
            "url": entry.get("url", ""),
            "for_burger": "burger" in audience,
            "for_ondernemer": "ondernemer" in audience,
            "appointment_required": bool(entry.get("appointment_required")),
            "appointment_minutes": entry.get("appointment_minutes"),
            "costs": entry.get("costs", ""),
            "online_application_url": entry.get("online_application_url", ""),
        }
        values.update({field: name in channels for name, field in CHANNELS.items()})
        rows.append((0, values))
    upsert(
        Offering,
        rows,
        key=lambda v: (v["organisation"].pk, v["key"]),
        existing_key=lambda o: (o.organisation_id, o.key),
        report=report,
    )
    return report


def _article_files() -> list[Path]:
    return sorted((CONTENT / "articles").glob("*.yaml"))


def _articles() -> ImportReport:
    report = ImportReport("demo articles")
    organisations = {o.code: o for o in Organisation.objects.all()}
    entries = [
        entry for path in _article_files() for entry in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    rows = [(0, _article_values(entry, organisations)) for entry in entries]
    result = upsert(
        Article, rows, key=lambda v: (v["uuid"],), existing_key=lambda o: (o.uuid,), report=report
    )
    by_uuid = {str(a.uuid): a for a in Article.objects.all()}
    products = {p.upl_uri: p for p in Product.objects.all()}
    for entry in entries:
        article = by_uuid[str(entry["uuid"])]
        overrides = by_uuid.get(str(entry.get("overrides") or ""))
        if article.overrides_id != (overrides.pk if overrides else None):
            article.overrides = overrides
            article.save(update_fields=["overrides"])
        article.products.set([products[uri] for uri in entry.get("products", []) if uri in products])
    for article in result.created + result.updated:
        article.version += 1
        article.save(update_fields=["version"])
        record_revision(article, actor="demo", comment="Demo-inhoud geladen")
    return report


def _article_values(entry: dict[str, Any], organisations: dict[str, Organisation]) -> dict[str, Any]:
    audience = set(entry.get("audience", ["burger"]))
    return {
        "uuid": uuid.UUID(str(entry["uuid"])),
        "question": collapse_whitespace(entry["question"]),
        "alternative_questions": [collapse_whitespace(q) for q in entry.get("alternatives", [])],
        "answer": normalise_text(entry["answer"]),
        "keywords": list(entry.get("keywords", [])),
        "owner": organisations[entry["owner"]],
        "for_burger": "burger" in audience,
        "for_ondernemer": "ondernemer" in audience,
        "agent_note": normalise_text(entry.get("agent_note") or ""),
        "status": Status(entry.get("status", "published")),
        "valid_from": _optional_date(entry.get("valid_from")),
        "valid_until": _optional_date(entry.get("valid_until")),
        "source_format": "demo",
    }


def _optional_date(value: object) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _service_points() -> ImportReport:
    """Counter locations with their weekly opening hours (replaced as a whole when they changed)."""
    report = ImportReport("demo service points")
    organisations = {o.code: o for o in Organisation.objects.all()}
    weekdays = {label: value for value, label in Weekday.choices}
    for entry in _read("service_points.yaml"):
        values = {"name": entry["name"], "address": entry["address"], "desks": entry.get("desks", 1)}
        hours = sorted(
            (weekdays[day], time.fromisoformat(opens), time.fromisoformat(closes))
            for day, periods in entry["opening_hours"].items()
            for opens, closes in (period.split("-") for period in periods)
        )
        point, created = ServicePoint.objects.get_or_create(
            organisation=organisations[entry["organisation"]], key=entry["key"], defaults=values
        )
        current = sorted(point.opening_hours.values_list("weekday", "opens", "closes"))
        if not created and current == hours and all(getattr(point, k) == v for k, v in values.items()):
            report.unchanged += 1
            continue
        ServicePoint.objects.filter(pk=point.pk).update(**values)
        point.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(
            [OpeningHours(service_point=point, weekday=d, opens=o, closes=c) for d, o, c in hours]
        )
        report.created += created
        report.updated += not created
    return report


def _handover_questions() -> ImportReport:
    """Questions back offices want answered with every handover, in the file's order."""
    report = ImportReport("demo handover questions")
    organisations = {o.code: o for o in Organisation.objects.all()}
    for position, entry in enumerate(_read("handover_questions.yaml")):
        values = {"required": entry.get("required", False), "position": position}
        question, created = HandoverQuestion.objects.get_or_create(
            organisation=organisations[entry["organisation"]], text=entry["text"], defaults=values
        )
        if created:
            report.created += 1
        elif all(getattr(question, name) == value for name, value in values.items()):
            report.unchanged += 1
        else:
            HandoverQuestion.objects.filter(pk=question.pk).update(**values)
            report.updated += 1
    return report


def create_personas(password: str) -> list[str]:
    """Staff accounts for the demo, one per role; returns their user names."""
    organisations = {o.code: o for o in Organisation.objects.all()}
    for username, full_name, roles in PERSONAS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name, "is_staff": True, "is_superuser": not roles},
        )
        if created:
            user.set_password(password)
            user.save()
        for code, role in roles:
            Membership.objects.get_or_create(user=user, organisation=organisations[code], role=role)
    return [username for username, _, _ in PERSONAS]
