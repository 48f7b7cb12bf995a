"""The `antwoord` command wraps the management commands with dashed names."""

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from antwoord.cli import main
from antwoord.organisations.models import Organisation


@pytest.mark.django_db
def test_dashed_commands_run_and_stats_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    main(["antwoord", "load-reference-data"])
    main(["antwoord", "stats", "--json"])
    output = capsys.readouterr().out
    counts = json.loads(output[output.index("{") :])
    assert counts["national_organisations"] == Organisation.objects.count() == 12


@pytest.mark.django_db
def test_an_unreadable_source_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    from django.core.management import call_command

    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_upl", str(tmp_path / "bestaat-niet.csv"))
    with pytest.raises(CommandError, match="missing"):
        call_command("import_public_data", str(tmp_path))
