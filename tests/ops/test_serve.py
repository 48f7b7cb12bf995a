"""`antwoord serve` runs the web server, the SMTP intake and the worker together, and stops with SIGTERM."""

import os
import signal
import smtplib
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from antwoord.answers.engine.decide import MAX_QUESTION_LENGTH
from tests.inbox.conftest import build_mail
from tests.mail.conftest import free_port

T = TypeVar("T")
STARTUP_SECONDS = 120.0


def eventually(attempt: Callable[[], T | None], seconds: float, what: str, log: Path) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = attempt()
        except OSError:
            result = None
        if result is not None:
            return result
        time.sleep(0.2)
    pytest.fail(f"No {what} within {seconds:g} s. Log:\n{log.read_text(errors='replace')[-3000:]}")


def query(log: Path, sql: str) -> tuple[object, ...] | None:
    """One statement on the served database (beside the log), committed; its first row."""
    database = sqlite3.connect(Path(log.parent, "antwoord.sqlite3"), timeout=10)
    try:
        with database:
            row: tuple[object, ...] | None = database.execute(sql).fetchone()
            return row
    finally:
        database.close()


def refused(port: int) -> bool:
    try:
        smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
    except OSError:
        return True
    return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple["subprocess.Popen[bytes]", int, int, Path]]:
    web, smtp = free_port(), free_port()
    env = {**os.environ, "ANTWOORD_DATA_DIR": str(tmp_path), "ANTWOORD_SMTP_PORT": str(free_port())}
    env.pop("DATABASE_URL", None)
    env.pop("ANTWOORD_SITE_URL", None)
    log = tmp_path / "serve.log"
    ports = ["--port", str(web), "--smtp-port", str(smtp)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "antwoord.cli",
                "serve",
                *ports,
                "--workers",
                "1",
                "--worker-interval",
                "1",
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    yield process, web, smtp, log
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_runs_web_smtp_and_worker_and_stops_on_sigterm(
    served: tuple["subprocess.Popen[bytes]", int, int, Path],
) -> None:
    process, web, smtp, log = served

    def home() -> int | None:
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/", timeout=5) as response:
            return int(response.status)

    assert eventually(home, STARTUP_SECONDS, "web page", log) == 200
    # Safe without set-up: no debug pages, a secret key of its own that only its owner can read.
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"http://127.0.0.1:{web}/bestaat-niet", timeout=5)
    assert missing.value.code == 404 and "Deze pagina bestaat niet" in missing.value.read().decode()
    assert (log.parent / "secret-key").stat().st_mode & 0o777 == 0o600
    emoji = urllib.parse.quote("😀" * MAX_QUESTION_LENGTH)
    with urllib.request.urlopen(f"http://127.0.0.1:{web}/vraag?q={emoji}", timeout=30) as asked:
        assert asked.status == 200  # the longest question fits in the address, however it is written
    query(
        log,
        "INSERT INTO mail_mailsettings (organisation_id, auto_reply_enabled) "
        "SELECT id, 1 FROM organisations_organisation WHERE code = 'gm0518'",
    )
    with smtplib.SMTP(timeout=10) as client:
        code, banner = client.connect("127.0.0.1", smtp)
        assert code == 220 and b"ANTWOORD intake" in banner
        assert client.send_message(build_mail()) == {}

    def contact() -> tuple[str, str] | None:
        row = query(log, "SELECT channel, engine_status FROM contacts_contact WHERE channel != 'web'")
        return (str(row[0]), str(row[1])) if row else None

    assert eventually(contact, 60, "contact", log) == ("email", "answered")

    def reply() -> str | None:
        row = query(log, "SELECT body FROM mail_outgoingmail")
        return str(row[0]) if row else None

    # The automatic reply's link leads to this server, not to the default port.
    assert f"http://127.0.0.1:{web}/" in eventually(reply, 30, "reply mail", log)

    eventually(lambda: "The worker runs" in log.read_text() or None, 30, "worker", log)
    # The worker made the contact: the intake did not load the search index a second time.
    assert "It only stores mail; the worker turns it into contacts." in log.read_text()
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    assert refused(smtp)  # the intake stopped with it
    assert {"The SMTP intake stopped.", "The worker stopped."} <= set(log.read_text().splitlines())
