"""The whole public data folder imported into the catalogue, twice."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from antwoord.catalogue.models import Offering
from antwoord.importing.services import ImportReport
from antwoord.ops.public_data import import_public_data
from antwoord.ops.services import catalogue_counts
from antwoord.organisations.services import municipality_for_postcode, serving_organisations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def imported(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[ImportReport]]:
    with django_db_blocker.unblock():
        first = import_public_data(Path(settings.SHARED_DATA_DIR))
        second = import_public_data(Path(settings.SHARED_DATA_DIR))
        yield [*first, *second]
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_counts_are_exactly_those_of_the_sources(imported: list[ImportReport]) -> None:
    counts = catalogue_counts()
    assert counts["products"] == 1214
    assert counts["municipalities"] == 342
    assert counts["provinces"] == 12
    assert counts["water_boards"] == 21
    assert counts["postcodes"] == 3775
    assert counts["articles"] == 633  # 179 + 500 VACs, 46 of them in both sets
    assert counts["municipalities_with_offerings"] == 342
    assert counts["offerings"] == 51568


@pytest.mark.django_db
def test_nothing_is_rejected_and_a_second_import_changes_nothing(imported: list[ImportReport]) -> None:
    half = len(imported) // 2
    first, second = imported[:half], imported[half:]
    assert all(not report.rejected for report in imported)
    assert sum(report.created for report in first) > 0
    assert [(r.name, r.created, r.updated) for r in second] == [(r.name, 0, 0) for r in second]


@pytest.mark.django_db
def test_postcode_1011_is_amsterdam_in_noord_holland(imported: list[ImportReport]) -> None:
    amsterdam = municipality_for_postcode("1011 AB")
    assert (amsterdam.code, amsterdam.name) == ("gm0363", "Amsterdam")
    assert amsterdam.province is not None and amsterdam.province.name == "Noord-Holland"
    assert [o.code for o in serving_organisations("provincie", postcode="1011")] == ["pv27"]


@pytest.mark.django_db
def test_utrecht_offerings_published_under_an_outdated_uri_belong_to_utrecht(
    imported: list[ImportReport],
) -> None:
    assert Offering.objects.filter(organisation__code="gm0344").count() == 294


@pytest.mark.django_db
def test_stats_command_prints_the_counts_as_json(
    imported: list[ImportReport], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("stats", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed["articles"] == 633 and printed["organisations"] == 387
