"""Settings that keep the embedded default safe without any set-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from antwoord.settings import _secret_key

SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def test_the_secret_key_is_made_once_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTWOORD_SECRET_KEY", raising=False)
    key = _secret_key(tmp_path)
    assert len(key) >= 50 and _secret_key(tmp_path) == key
    assert (tmp_path / "secret-key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret-key"]  # no draft left behind
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _secret_key(elsewhere) != key  # made at random, not derived


def test_a_configured_secret_key_wins_and_no_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTWOORD_SECRET_KEY", "from-the-environment")
    assert _secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret-key").exists()


def test_debug_pages_are_off_unless_asked_for_and_cookies_secure_over_https(tmp_path: Path) -> None:
    env = {**os.environ, "ANTWOORD_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "antwoord.settings"}
    for name in ("ANTWOORD_DEBUG", "ANTWOORD_SECRET_KEY", "DATABASE_URL", "ANTWOORD_SITE_URL"):
        env.pop(name, None)

    def debug(**extra: str) -> str:
        shown = subprocess.run(
            [sys.executable, "-c", SHOW_SETTINGS],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        return shown.stdout.strip()

    assert debug() == "False False False"  # on http://127.0.0.1 a browser would drop secure cookies
    assert (tmp_path / "secret-key").exists()
    assert debug(ANTWOORD_DEBUG="1") == "True False False"
    assert debug(ANTWOORD_SITE_URL="https://antwoord.example.nl") == "False True True"
