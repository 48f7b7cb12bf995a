"""A recording SMTP sink on a free loopback port, for outgoing mail."""

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
