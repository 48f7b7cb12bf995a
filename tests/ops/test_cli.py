"""The `antwoord` command wraps the management commands with dashed names."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def antwoord(data_dir: Path, *args: str) -> str:
    """Run the real command in its own process, on its own SQLite database."""
    env = {**os.environ, "ANTWOORD_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "antwoord.cli", *args], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_dashed_commands_run_and_stats_prints_json(tmp_path: Path) -> None:
    antwoord(tmp_path, "migrate", "-v0")
    assert "created 12" in antwoord(tmp_path, "load-reference-data")
    counts = json.loads(antwoord(tmp_path, "stats", "--json"))
    assert counts["national_organisations"] == counts["organisations"] == 12
    assert counts["products"] == 0


@pytest.mark.parametrize("migrated_to", ["", "0003"])
def test_a_database_not_set_up_or_not_up_to_date_is_a_clear_error_not_a_traceback(
    tmp_path: Path, migrated_to: str
) -> None:
    """Never migrated, or not since a new version added a column (organisations 0004)."""
    if migrated_to:
        antwoord(tmp_path, "migrate", "organisations", migrated_to, "-v0")
    env = {**os.environ, "ANTWOORD_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "antwoord.cli", "load-demo"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Run `antwoord migrate` first" in result.stderr


@pytest.mark.django_db
def test_an_unreadable_source_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_upl", str(tmp_path / "bestaat-niet.csv"))
    with pytest.raises(CommandError, match="missing"):
        call_command("import_public_data", str(tmp_path))
