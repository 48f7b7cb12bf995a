"""The SMTP intake on a free loopback port, a recording SMTP sink for outgoing mail, and mail builders."""

import email
import smtplib
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP, default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from antwoord.demo.loader import load_demo
from antwoord.mail.intake import Intake

# Every test decides with the fixed default calibration and its own index file.
from tests.answers.conftest import own_index_folder  # noqa: F401

DEN_HAAG_DESK = "gm0518@antwoord.localhost"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("Waited in vain")
        time.sleep(0.05)


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


@dataclass
class Sink:
    """An SMTP server on loopback that keeps what it receives."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    # How many mails to refuse (temporarily) before accepting again.
    refuse: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            self.refuse -= 1
            return "451 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    recorder = Sink(free_port())
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    # pytest-django swaps in the in-memory backend; these tests want the real SMTP one.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", recorder.port
    yield recorder
    controller.stop()
