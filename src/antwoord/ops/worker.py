"""The job worker: the periodic jobs every installation needs, run by `antwoord worker` (or `serve`).

Every job is idempotent and keeps its state in the database, so running it too often is harmless and a
crash is repaired by the next run: stored incoming mail becomes contacts, the outbox is sent (mails stay
in the outbox while the relay cannot be reached), handovers are reminded and escalated, personal data
and old mail past their retention time are erased, and the published search index follows content
changes. One failing job is logged and never stops the others.
"""

import logging
import os
import signal
import threading
from collections.abc import Callable

from django.db import close_old_connections

from antwoord.answers.services import current_engine
from antwoord.appointments.services import erase_personal_data as erase_booking_personal_data
from antwoord.contacts.jobs import (
    abandon_stale_contacts,
    erase_personal_data,
    remind_and_escalate,
    return_to_own_back_offices,
)
from antwoord.inbox.inbound import erase_old_inbound, process_pending_inbound
from antwoord.mail.services import erase_old_mail, send_pending

logger = logging.getLogger(__name__)


def refresh_index() -> int:
    """Load the newest index, building and publishing it when content changed since the last build,
    so the first question after an edit does not wait for the rebuild. Returns the index version."""
    return int(current_engine().index.version or 0)


def _handovers() -> int:
    counts = remind_and_escalate()
    return counts["reminded"] + counts["escalated"]


JOBS: dict[str, Callable[[], int]] = {
    "inbound_mail": process_pending_inbound,
    "outbox": send_pending,
    "handovers": _handovers,
    "returned_from_stand_ins": return_to_own_back_offices,
    "abandoned": abandon_stale_contacts,
    "erased": erase_personal_data,
    "erased_bookings": erase_booking_personal_data,
    "erased_mail": erase_old_mail,
    "erased_inbound_mail": erase_old_inbound,
    "index_version": refresh_index,
}


def run_once() -> dict[str, int | None]:
    """Run every job once; the result per job is its count, or None when it failed (and was logged)."""
    results: dict[str, int | None] = {}
    for name, job in JOBS.items():
        try:
            results[name] = job()
        except Exception:  # one broken job must not stop the others; it is retried next round
            logger.exception("Job %s failed", name)
            results[name] = None
    return results


def run_round() -> None:
    """One round of a long-running worker: drop broken or expired database connections, run the jobs."""
    close_old_connections()
    run_once()
    close_old_connections()


def repeat_until_stopped(
    job: Callable[[], object], stop: threading.Event, interval: float, stop_with_parent: bool = False
) -> None:
    """Run `job` every `interval` seconds until `stop` is set, or, with `stop_with_parent`, until the
    process that started this one is gone (a child of `antwoord serve` must not run on as an orphan)."""
    parent = os.getppid()
    while True:
        job()
        if stop.wait(interval) or (stop_with_parent and os.getppid() != parent):
            return


def stop_on_signals() -> threading.Event:
    """An event that SIGINT (Ctrl+C) and SIGTERM set, so a long-running command can stop cleanly."""
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    return stop
