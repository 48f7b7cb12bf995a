"""The labelled benchmark questions (bench/questions/*.jsonl) point to real records of ../shared/data.

The checks are those of bench/questions/README.md, "Validation". Each one lists every bad record, so one
run shows every wrong label. The records are matched the way the catalogue imports them: organisations and
postcodes are imported (the SC importer's authority matching needs them in the database), the other sources
are read with the importers' own readers, since importing all articles and offerings would take half a minute.
"""

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bench.questions import QUESTIONS_DIR
from django.db import transaction

from antwoord.answers.engine.routing import AGENCIES
from antwoord.catalogue.importers import sc, upl
from antwoord.catalogue.importers.vac import import_vac_csv, import_vac_json
from antwoord.importing.services import ImportReport, RowError
from antwoord.lib.sources import csv_rows, is_url, read_text
from antwoord.lib.text import collapse_whitespace
from antwoord.ops.public_data import PLAN
from antwoord.organisations.importers import import_postcodes, import_tooi_register
from antwoord.organisations.models import Postcode
from tests.conftest import public_data_folder

# The tests only read plain data, but pytest-django sets up the test database only for marked tests, and the
# public_data fixture imports organisations into it.
pytestmark = pytest.mark.django_db

Record = dict[str, Any]
Importer = Callable[[str], ImportReport]

LABELLED_FILES = ("dev.jsonl", "test.jsonl", "named-places.jsonl")
QUESTION_KEYS = {"id", "question", "postcode", "audience", "category", "expected"}
# named-places.jsonl: the municipality the question names ("" when it names none); it stands for the postcode.
OPTIONAL_QUESTION_KEYS = {"municipality"}
# status -> (keys `expected` must have, keys it may have)
EXPECTED_KEYS = {
    "answered": ({"status", "kind", "source_id", "alternatives"}, set()),
    "clarify": ({"status", "upl_uri"}, {"reason"}),
    "handover": ({"status"}, {"organisation_code"}),
}
STATUS_OF_CATEGORY = {
    "article": "answered",
    "offering": "answered",
    "clarify": "clarify",
    "handover": "handover",
}
AUDIENCES = {"", "burger", "ondernemer"}
AGENCY_CODES = frozenset(agency.code for agency in AGENCIES)
OWN_CASE_KEYS = {"id", "kind", "organisation", "question"}
OWN_CASE_ORGANISATIONS = AGENCY_CODES | {"gemeente"}


@dataclass(frozen=True)
class JsonLines:
    records: list[Record]
    problems: list[str]  # lines that are not a JSON object


@dataclass(frozen=True)
class PublicData:
    municipality_of_pc4: dict[str, str]  # "1011" -> "gm0363"
    vac_ids: frozenset[str]
    publishers_of_url: dict[str, frozenset[str]]  # SC url -> codes of the organisations that publish it
    upl_uris: frozenset[str]


# Loading


def read_jsonl(*paths: Path) -> JsonLines:
    records: list[Record] = []
    problems: list[str] = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"{path.name} line {number}: not JSON ({error})")
                continue
            if isinstance(value, dict):
                records.append(value)
            else:
                problems.append(f"{path.name} line {number}: not a JSON object")
    return JsonLines(records, problems)


def sources(folder: Path, *importers: Importer) -> list[Path]:
    """The files that the public-data import (ops/public_data.PLAN) reads with these importers."""
    return [folder / path for importer, path in PLAN if importer in importers]


def readable_rows(location: Path, required: set[str]) -> Iterator[dict[str, str]]:
    """The importer rejects unreadable rows, so no label may point to them."""
    return (row for _, row in csv_rows(location, required=required) if "__error__" not in row)


def municipality_of_pc4(folder: Path) -> dict[str, str]:
    """Imported, not read: the SC importer matches authorities to the organisations in the database."""
    for importer, path in PLAN:
        if importer in (import_tooi_register, import_postcodes):
            importer(str(folder / path))
    return dict(Postcode.objects.values_list("pc4", "municipality__code"))


def vac_ids(folder: Path) -> frozenset[str]:
    """The ids as the catalogue stores them (Article.uuid): the CSV's id, the SQuAD JSON's title."""
    raw = [row["id"] for path in sources(folder, import_vac_csv) for row in readable_rows(path, {"id"})]
    raw += [
        item["title"]
        for path in sources(folder, import_vac_json)
        for item in json.loads(read_text(path))["data"]
    ]
    return frozenset(str(uuid.UUID(value.strip())) for value in raw)


def publishers_of_url(folder: Path) -> dict[str, frozenset[str]]:
    """SC names a municipality in its own spelling ('s-Gravenhage, Utrecht (Utr)); the importer's matching
    turns it into the organisation the postcodes point to."""
    authorities = sc.Authorities()
    publishers: defaultdict[str, set[str]] = defaultdict(set)
    for path in sources(folder, sc.import_sc_csv):
        for record in readable_rows(path, sc.CSV_COLUMNS):
            try:
                organisation = authorities.resolve(
                    record["authority_uri"].strip(),
                    record["authority_scheme"].strip(),
                    collapse_whitespace(record["authority"]),
                )
            except RowError:
                continue  # rejected by the importer too
            publishers[record["url"].strip()].add(organisation.code)
    return {url: frozenset(codes) for url, codes in publishers.items()}


def upl_uris(folder: Path) -> frozenset[str]:
    rows = (
        row for path in sources(folder, upl.import_upl) for row in readable_rows(path, upl.REQUIRED_COLUMNS)
    )
    return frozenset(row["URI"].strip() for row in rows)


@pytest.fixture(scope="module")
def public_data(django_db_setup: None, django_db_blocker: Any) -> PublicData:
    folder = public_data_folder()  # once per module, not through the per-test shared_data fixture
    with django_db_blocker.unblock(), transaction.atomic():
        data = PublicData(
            municipality_of_pc4(folder), vac_ids(folder), publishers_of_url(folder), upl_uris(folder)
        )
        transaction.set_rollback(True)  # the other tests start from an empty database
    return data


@pytest.fixture(scope="module")
def labelled() -> JsonLines:
    return read_jsonl(*(QUESTIONS_DIR / name for name in LABELLED_FILES))


@pytest.fixture(scope="module")
def own_case() -> JsonLines:
    return read_jsonl(QUESTIONS_DIR / "own-case.jsonl")


# Checks: each returns one line per problem, naming the record


def known(value: object, values: Container[str]) -> bool:
    """A label of the wrong type is reported by the shape check; here it is simply not known."""
    return isinstance(value, str) and value in values


def ident(record: Record) -> str:
    return str(record.get("id", "(no id)"))


def expected_of(record: Record) -> Record:
    expected = record.get("expected")
    return expected if isinstance(expected, dict) else {}


def label_ids(record: Record) -> list[object]:
    """source_id and the alternatives: every source id that counts as the right answer."""
    expected = expected_of(record)
    alternatives = expected.get("alternatives")
    return [expected.get("source_id"), *(alternatives if isinstance(alternatives, list) else [])]


def with_category(records: list[Record], category: str) -> list[Record]:
    return [record for record in records if record.get("category") == category]


def municipality_of(record: Record, data: PublicData) -> str | None:
    """The municipality the question names, else that of its postcode."""
    if named := record.get("municipality"):
        return named if isinstance(named, str) else None
    postcode = record.get("postcode")
    return data.municipality_of_pc4.get(postcode) if isinstance(postcode, str) else None


def key_problems(record: Record, found: set[str], required: set[str], allowed: set[str]) -> list[str]:
    problems = []
    if missing := required - found:
        problems.append(f"{ident(record)}: missing key(s) {sorted(missing)}")
    if unknown := found - required - allowed:
        problems.append(f"{ident(record)}: unknown key(s) {sorted(unknown)}")
    return problems


def text_problems(record: Record, keys: tuple[str, ...]) -> list[str]:
    """Only for the keys present: a missing one is reported as missing."""
    return [f"{ident(record)}: {key} is not text" for key in keys if not isinstance(record.get(key, ""), str)]


def ids_are_text(expected: Record) -> bool:
    alternatives = expected.get("alternatives")
    return (
        isinstance(expected.get("source_id"), str)
        and isinstance(alternatives, list)
        and all(isinstance(alternative, str) for alternative in alternatives)
    )


def shape_problems(records: list[Record]) -> list[str]:
    return [problem for record in records for problem in record_shape_problems(record)]


def record_shape_problems(record: Record) -> list[str]:
    problems = key_problems(record, set(record), QUESTION_KEYS, OPTIONAL_QUESTION_KEYS)
    problems += text_problems(record, ("id", "question", "postcode", "audience", "category", "municipality"))
    question = record.get("question")
    if isinstance(question, str) and not question.strip():
        problems.append(f"{ident(record)}: the question is empty")
    expected = record.get("expected")
    if not isinstance(expected, dict) or not known(expected.get("status"), EXPECTED_KEYS):
        return [*problems, f"{ident(record)}: expected has no status of {sorted(EXPECTED_KEYS)}"]
    expected_problems = key_problems(record, set(expected), *EXPECTED_KEYS[expected["status"]])
    if expected["status"] == "answered" and not expected_problems and not ids_are_text(expected):
        expected_problems.append(f"{ident(record)}: source_id must be text, alternatives a list of text")
    return problems + expected_problems


def duplicate_id_problems(records: list[Record]) -> list[str]:
    counts = Counter(ident(record) for record in records)
    return [f"{record_id}: the id occurs {count} times" for record_id, count in counts.items() if count > 1]


def duplicate_question_problems(records: list[Record]) -> list[str]:
    ids_of_question: defaultdict[str, list[str]] = defaultdict(list)
    for record in records:
        ids_of_question[str(record.get("question", "")).strip().casefold()].append(ident(record))
    return [f"{', '.join(ids)}: the same question" for ids in ids_of_question.values() if len(ids) > 1]


def category_problems(records: list[Record]) -> list[str]:
    problems = []
    for record in records:
        category, expected = record.get("category"), expected_of(record)
        status = STATUS_OF_CATEGORY.get(category) if isinstance(category, str) else None
        if status is None:
            problems.append(f"{ident(record)}: category {category!r} is none of {sorted(STATUS_OF_CATEGORY)}")
        elif expected.get("status") != status:
            problems.append(f"{ident(record)}: category {category} with status {expected.get('status')!r}")
        elif category in ("article", "offering") and expected.get("kind") != category:
            problems.append(f"{ident(record)}: category {category} with kind {expected.get('kind')!r}")
    return problems


def place_problems(records: list[Record], data: PublicData) -> list[str]:
    problems = []
    for record in records:
        postcode, audience = record.get("postcode"), record.get("audience")
        if postcode != "" and not known(postcode, data.municipality_of_pc4):
            problems.append(f"{ident(record)}: postcode {postcode!r} is not in the pc4 file")
        if not known(audience, AUDIENCES):
            problems.append(f"{ident(record)}: audience {audience!r} is none of {sorted(AUDIENCES)}")
        named = record.get("municipality", "")
        if named != "" and not known(named, set(data.municipality_of_pc4.values())):
            problems.append(f"{ident(record)}: municipality {named!r} has no postcode in the pc4 file")
    return problems


def article_problems(records: list[Record], data: PublicData) -> list[str]:
    return [
        f"{ident(record)}: {source_id!r} is not one of the VAC UUIDs"
        for record in with_category(records, "article")
        for source_id in label_ids(record)
        if not known(source_id, data.vac_ids)
    ]


def offering_problems(records: list[Record], data: PublicData) -> list[str]:
    problems = []
    for record in with_category(records, "offering"):
        municipality = municipality_of(record, data)
        if municipality is None:
            problems.append(
                f"{ident(record)}: an offering needs a postcode of the pc4 file or a municipality"
            )
        problems += [
            f"{ident(record)}: {problem}"
            for url in label_ids(record)
            if (problem := url_problem(url, municipality, data))
        ]
    return problems


def url_problem(url: object, municipality: str | None, data: PublicData) -> str | None:
    if not isinstance(url, str) or not is_url(url):
        return f"{url!r} is not an http(s) address"
    publishers = data.publishers_of_url.get(url)
    if publishers is None:
        return f"{url!r} is not an SC url"
    if municipality is not None and municipality not in publishers:
        return f"{url!r} is published by {', '.join(sorted(publishers))}, not by {municipality}"
    return None


def clarify_problems(records: list[Record], data: PublicData) -> list[str]:
    problems = []
    for record in with_category(records, "clarify"):
        expected = expected_of(record)
        if expected.get("reason", "place") != "place":
            problems.append(f"{ident(record)}: reason {expected.get('reason')!r} is not 'place'")
        if record.get("postcode") != "":
            problems.append(f"{ident(record)}: a place question is for a question without a postcode")
        if not known(expected.get("upl_uri"), data.upl_uris):
            problems.append(f"{ident(record)}: upl_uri {expected.get('upl_uri')!r} is not in UPL-actueel")
    return problems


def handover_problems(records: list[Record], data: PublicData) -> list[str]:
    problems = []
    for record in with_category(records, "handover"):
        if problem := organisation_problem(record, data):
            problems.append(f"{ident(record)}: {problem}")
    return problems


def organisation_problem(record: Record, data: PublicData) -> str | None:
    """No code (nobody can be inferred), an agency slug, or gm + CBS code of the question's municipality (the
    one it names, else its postcode's)."""
    code = expected_of(record).get("organisation_code")
    if code is None or known(code, AGENCY_CODES):
        return None
    if not isinstance(code, str) or not code.startswith("gm"):
        return f"organisation_code {code!r} is neither an agency nor a municipality"
    municipality = municipality_of(record, data)
    if municipality is None:
        return f"{code} needs a postcode of that municipality, not {record.get('postcode')!r}"
    return None if code == municipality else f"{code} is not {municipality}, the question's municipality"


def own_case_problems(records: list[Record]) -> list[str]:
    problems = duplicate_id_problems(records)
    for record in records:
        problems += key_problems(record, set(record), OWN_CASE_KEYS, set())
        problems += text_problems(record, ("id", "question"))
        if not known(record.get("kind"), ("own", "general")):
            problems.append(f"{ident(record)}: kind {record.get('kind')!r} is not 'own' or 'general'")
        if not known(record.get("organisation"), OWN_CASE_ORGANISATIONS):
            problems.append(f"{ident(record)}: organisation {record.get('organisation')!r} is unknown")
    return problems


# Tests


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_record_has_the_documented_shape(labelled: JsonLines) -> None:
    problems = labelled.problems + shape_problems(labelled.records)
    assert not problems, report(problems)


def test_ids_are_unique_over_every_file(labelled: JsonLines) -> None:
    problems = duplicate_id_problems(labelled.records)
    assert not problems, report(problems)


def test_question_texts_are_unique_over_every_file(labelled: JsonLines) -> None:
    problems = duplicate_question_problems(labelled.records)
    assert not problems, report(problems)


def test_the_category_agrees_with_the_expected_status(labelled: JsonLines) -> None:
    problems = category_problems(labelled.records)
    assert not problems, report(problems)


def test_postcodes_and_audiences_are_known(labelled: JsonLines, public_data: PublicData) -> None:
    problems = place_problems(labelled.records, public_data)
    assert not problems, report(problems)


def test_articles_are_vacs_of_the_data(labelled: JsonLines, public_data: PublicData) -> None:
    problems = article_problems(labelled.records, public_data)
    assert not problems, report(problems)


def test_offerings_are_sc_pages_of_the_questions_municipality(
    labelled: JsonLines, public_data: PublicData
) -> None:
    problems = offering_problems(labelled.records, public_data)
    assert not problems, report(problems)


def test_place_questions_name_a_upl_product(labelled: JsonLines, public_data: PublicData) -> None:
    problems = clarify_problems(labelled.records, public_data)
    assert not problems, report(problems)


def test_handovers_go_to_the_questions_municipality_or_a_known_agency(
    labelled: JsonLines, public_data: PublicData
) -> None:
    problems = handover_problems(labelled.records, public_data)
    assert not problems, report(problems)


def test_own_case_questions_have_the_documented_shape(own_case: JsonLines) -> None:
    problems = own_case.problems + own_case_problems(own_case.records)
    assert not problems, report(problems)
