"""Rijksoverheid Q&A articles (VACs) in the shapes they are published in.

- the CSV export with HTML answers (columns id, question, reference_answer_html, canonical, ...);
- the open-data API JSON (one VAC object, a list of them, or the API's list endpoint for live use);
- the SQuAD-style JSON of the PolicyQA set (title = VAC UUID, lower-cased answer text as context).

One VAC may arrive in several shapes. A poorer shape (the lower-cased SQuAD text) never overwrites an
article that came from a richer one, so importing every shape in any order, twice, changes nothing.
"""

import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any

from antwoord.catalogue.models import Article, Status
from antwoord.catalogue.services import record_revision
from antwoord.importing.services import ImportReport, RowError, upsert
from antwoord.lib.sources import SourceError, csv_rows, is_url, read_json
from antwoord.lib.text import html_to_markdown, normalise_text
from antwoord.organisations.models import Organisation

from .common import optional_url, required_line

VAC_API_URL = "https://opendata.rijksoverheid.nl/v1/infotypes/faq"
NATIONAL_OWNER_CODE = "rijksoverheid"
# Higher is richer: original case and structure beat the lower-cased SQuAD context.
FORMAT_RANK = {"squad": 1, "csv": 2, "api": 2}
_SQUAD_SECTION = re.compile(r"\s*title:\s*(.*?),\s*:\s*")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+|\n)([a-zà-ÿ])")


def _owner() -> Organisation:
    owner = Organisation.objects.filter(code=NATIONAL_OWNER_CODE).first()
    if owner is None:
        raise SourceError("the organisation 'rijksoverheid' is missing; run 'antwoord load-reference-data'")
    return owner


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise RowError(f"'{str(value)[:60]}' is not a VAC UUID") from None


def _modified(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f"lastmodified '{value[:40]}' is not a date and time") from None


def _keywords(*groups: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for word in group:
            word = normalise_text(word)
            if word:
                seen.setdefault(word, None)
    return list(seen)


def _article_values(
    owner: Organisation,
    *,
    vac_id: object,
    question: str | None,
    answer: str,
    source_format: str,
    **extra: Any,
) -> dict[str, Any]:
    answer = answer.strip()
    if not answer:
        raise RowError("the answer is empty")
    return {
        "uuid": _uuid(vac_id),
        "question": required_line(question, "question", 500),
        "answer": answer,
        "owner": owner,
        "status": Status.PUBLISHED,
        "for_burger": True,
        "source_format": source_format,
        **extra,
    }


def _csv_values(row: dict[str, str], owner: Organisation) -> dict[str, Any]:
    if "__error__" in row:
        raise RowError(row["__error__"])
    html = row.get("reference_answer_html") or ""
    answer = html_to_markdown(html) if html.strip() else normalise_text(row.get("reference_answer") or "")
    return _article_values(
        owner,
        vac_id=row["id"],
        question=row["question"],
        answer=answer,
        source_format="csv",
        keywords=_keywords(row.get("subjects", "").split("|"), row.get("themes", "").split("|")),
        source_url=optional_url(row.get("canonical"), "canonical", 500),
        source_modified=_modified(row.get("lastmodified")),
    )


def _api_values(item: Any, owner: Organisation) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise RowError("expected a VAC object")
    parts = [html_to_markdown(str(item.get("introduction") or ""))]
    for paragraph in item.get("content") or []:
        if isinstance(paragraph, dict):
            title = normalise_text(str(paragraph.get("paragraphtitle") or ""))
            parts.append(
                (f"## {title}\n\n" if title else "") + html_to_markdown(str(paragraph.get("paragraph") or ""))
            )
    return _article_values(
        owner,
        vac_id=item.get("id"),
        question=item.get("question"),
        answer="\n\n".join(part for part in parts if part.strip()),
        source_format="api",
        keywords=_keywords(_strings(item.get("subjects")), _strings(item.get("themes"))),
        source_url=optional_url(item.get("canonical"), "canonical", 500),
        source_modified=_modified(item.get("lastmodified")),
    )


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def squad_context_to_markdown(context: str) -> str:
    """'intro title: heading, : body, title: ...' -> Markdown with headings, sentences capitalised again."""
    pieces = _SQUAD_SECTION.split(normalise_text(context))
    blocks = [_capitalise(pieces[0])]
    for heading, body in zip(pieces[1::2], pieces[2::2], strict=True):
        blocks.append(f"## {_capitalise(heading)}")
        blocks.append(_capitalise(body.rstrip(", ")))
    return "\n\n".join(block for block in blocks if block.strip())


def _capitalise(text: str) -> str:
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text.strip())


def _squad_values(item: Any, owner: Organisation) -> dict[str, Any]:
    try:
        paragraph = item["paragraphs"][0]
        question = paragraph["qas"][0]["question"]
        context = str(paragraph["context"])
    except (KeyError, IndexError, TypeError):
        raise RowError("expected title, paragraphs[0].context and paragraphs[0].qas[0].question") from None
    return _article_values(
        owner,
        vac_id=item.get("title"),
        question=question,
        answer=squad_context_to_markdown(unescape(context)),
        source_format="squad",
        keywords=[],
        source_url="",
        source_modified=None,
    )


def _save(rows: list[tuple[int, dict[str, Any]]], report: ImportReport) -> ImportReport:
    """Upsert the parsed rows, skipping those that would replace a richer version, and version them."""
    ranks = {
        key: FORMAT_RANK.get(fmt, 3)
        for key, fmt in Article.objects.filter(uuid__in=[v["uuid"] for _, v in rows]).values_list(
            "uuid", "source_format"
        )
    }
    keep = []
    for line, values in rows:
        if ranks.get(values["uuid"], 0) > FORMAT_RANK[values["source_format"]]:
            report.skip("already imported from a richer source")
        else:
            keep.append((line, values))
    result = upsert(
        Article,
        keep,
        key=lambda values: (values["uuid"],),
        existing_key=lambda obj: (obj.uuid,),
        report=report,
        existing=Article.objects.filter(uuid__in=[v["uuid"] for _, v in keep]),
    )
    for article in result.created + result.updated:
        article.version += 1
        article.save(update_fields=["version"])
        record_revision(article, actor="import-vac", comment=f"Geïmporteerd ({article.source_format})")
    return report


def import_vac_csv(location: str | Path) -> ImportReport:
    report = ImportReport(f"import-vac {Path(str(location)).name}")
    owner = _owner()
    rows = []
    for line, row in csv_rows(location, required={"id", "question", "reference_answer_html"}):
        try:
            rows.append((line, _csv_values(row, owner)))
        except RowError as error:
            report.reject(line, str(error))
    return _save(rows, report)


def import_vac_json(location: str | Path) -> ImportReport:
    """The API JSON (object, list, or the list endpoint) or the SQuAD-style JSON; the shape is detected."""
    report = ImportReport(f"import-vac {Path(str(location)).name}")
    owner = _owner()
    document = read_json(location)
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        parse, items = _squad_values, document["data"]
    else:
        parse, items = _api_values, document if isinstance(document, list) else [document]
        if is_url(str(location)):
            items = [_api_detail(item) for item in items]
    rows = []
    for number, item in enumerate(items, start=1):
        try:
            rows.append((number, parse(item, owner)))
        except RowError as error:
            report.reject(number, f"item {number}: {error}")
    return _save(rows, report)


def _api_detail(item: Any) -> Any:
    """The API's list endpoint gives summaries; the full VAC lives at its dataurl."""
    if isinstance(item, dict) and "introduction" not in item and is_url(str(item.get("dataurl", ""))):
        return read_json(str(item["dataurl"]))
    return item
