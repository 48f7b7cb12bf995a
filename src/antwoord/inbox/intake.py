"""The SMTP intake: a real mail server that stores every accepted mail before it says "250".

Accepted recipients: any address at one of the intake domains (settings.MAIL_INTAKE_DOMAINS, environment
variable ANTWOORD_MAIL_DOMAINS); the local part tells the organisation (see antwoord.inbox.inbound). Mail
for other domains is refused (550), so the intake is never an open relay. At most MAX_RECIPIENTS per
mail (452 for more); mail larger than settings.MAIL_MAX_BYTES is refused with 552, before it is stored.
When storing fails the sender hears 451 (try again later), so a mail is never lost and never half-taken.
"""

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connections

from .inbound import intake_domains, process_inbound, store_inbound

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 20
T = TypeVar("T")


def _with_own_connection(function: Callable[..., T], *args: Any) -> T:
    """Run database work in an executor thread, and close that thread's connection afterwards."""
    try:
        return function(*args)
    finally:
        connections.close_all()


class IntakeHandler:
    """aiosmtpd handler. Storing runs in threads (the ORM is synchronous); processing follows the "250"
    in the background when `process_at_once` is set; the worker processes whatever is left."""

    def __init__(self, process_at_once: bool = True) -> None:
        self.process_at_once = process_at_once
        self._store = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail-store")
        self._process = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-process")

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd calls
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        if address.rpartition("@")[2].lower() not in intake_domains():
            return "550 5.7.1 Mailbox unavailable: this server only accepts mail for its own domains"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        loop = asyncio.get_running_loop()
        raw = bytes(envelope.original_content or envelope.content or b"")
        try:
            mail, created = await loop.run_in_executor(
                self._store,
                _with_own_connection,
                store_inbound,
                raw,
                str(envelope.mail_from or ""),
                list(envelope.rcpt_tos),
            )
        except Exception:  # the database is down or locked too long: the sender must try again
            logger.exception("Storing an incoming mail failed")
            return "451 4.3.0 Temporary failure, please try again later"
        if created and self.process_at_once:
            loop.run_in_executor(self._process, _with_own_connection, process_inbound, mail.pk)
        return "250 2.0.0 Message accepted"

    def close(self) -> None:
        self._store.shutdown(wait=True)
        self._process.shutdown(wait=True)


class Intake:
    """The intake server on host:port, running in its own thread until stop()."""

    def __init__(self, host: str, port: int, process_at_once: bool = True) -> None:
        self.handler = IntakeHandler(process_at_once)
        self.controller = Controller(
            self.handler,
            hostname=host,
            port=port,
            data_size_limit=settings.MAIL_MAX_BYTES,
            ident="ANTWOORD intake",
        )

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.handler.close()
