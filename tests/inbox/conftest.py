"""The SMTP intake on a free loopback port, and mail builders."""

import smtplib
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.policy import SMTP
from typing import Any

import pytest
from django.db import OperationalError

from antwoord.demo.loader import load_demo
from antwoord.inbox.intake import Intake

# Every test decides with the fixed default calibration and its own index file.
from tests.answers.conftest import own_index_folder  # noqa: F401
from tests.mail.conftest import free_port

DEN_HAAG_DESK = "gm0518@antwoord.localhost"


def build_mail(
    subject: str | None = "Parkeervergunning",
    body: str = "Hoe vraag ik een parkeervergunning aan?",
    *,
    message_id: str | None = "<vraag-1@inwoner.example>",
    sender: str = "Inwoner <inwoner@example.nl>",
    to: str = DEN_HAAG_DESK,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if subject is not None:
        message["Subject"] = subject
    if message_id is not None:
        message["Message-ID"] = message_id
    message.set_content(body)
    return message


def raw_mail(**fields: Any) -> bytes:
    """The mail as it travels over SMTP: CRLF line ends (smtplib does not fix those in bytes)."""
    return build_mail(**fields).as_bytes(policy=SMTP)


def send_raw(port: int, raw: bytes, to: list[str] | None = None) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("inwoner@example.nl", to or [DEN_HAAG_DESK], raw)


def wait_for(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not _holds(condition):
        if time.monotonic() > deadline:
            pytest.fail("Waited in vain")
        time.sleep(0.05)


def _holds(condition: Callable[[], bool]) -> bool:
    """SQLite's shared in-memory test database refuses a read at once ("table is locked", no busy wait in
    shared-cache mode) while the intake's thread writes the mail: not yet."""
    try:
        return condition()
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return False


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.fixture
def start_intake(transactional_db: None) -> Iterator[Callable[..., int]]:
    """Starts the intake on a free port (with the settings of that moment) and returns the port."""
    servers: list[Intake] = []

    def start(process_at_once: bool = False) -> int:
        port = free_port()
        servers.append(Intake("127.0.0.1", port, process_at_once=process_at_once))
        servers[-1].start()
        return port

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def intake(start_intake: Callable[..., int]) -> int:
    """The intake without processing at once: tests process explicitly, as the worker would."""
    return start_intake()
