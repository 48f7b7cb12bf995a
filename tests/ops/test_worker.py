"""The job worker: each periodic job runs, a failing one does not stop the rest, and it stops on a signal."""

import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from antwoord.answers import services as answers
from antwoord.contacts.models import Channel, Handover, RequestedAction
from antwoord.contacts.services import hand_over, start_contact
from antwoord.inbox.inbound import store_inbound
from antwoord.inbox.models import InboundMail
from antwoord.mail.models import OutgoingMail
from antwoord.mail.services import queue_mail
from antwoord.ops import worker
from antwoord.organisations.models import Organisation

# The fixed calibration and an own index file for every test; the SMTP sink for the outbox.
from tests.answers.conftest import own_index_folder  # noqa: F401
from tests.conftest import make_article
from tests.inbox.conftest import raw_mail
from tests.mail import conftest as mail_fixtures
from tests.mail.conftest import Sink

sink = mail_fixtures.sink


def a_handover(organisation: Organisation) -> Handover:
    contact = start_contact(Channel.WEB, "Waar blijft mijn vergunning?")
    return hand_over(
        contact, organisation, requested_action=RequestedAction.ANSWER_BY_EMAIL, email="inwoner@example.nl"
    )


@pytest.mark.django_db
def test_run_once_runs_every_job_and_a_second_run_has_nothing_left(
    den_haag: Organisation,
    national: Organisation,
    sink: Sink,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(answers, "CHECK_INTERVAL_SECONDS", 0.0)
    store_inbound(raw_mail(), "inwoner@example.nl", ["gm0518@antwoord.localhost"])
    overdue = a_handover(den_haag)
    Handover.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    expired = a_handover(den_haag)
    long_ago = timezone.now() - timedelta(days=settings.RETENTION_DAYS + 1)
    Handover.objects.filter(pk=expired.pk).update(status="afgehandeld", done_at=long_ago)
    make_article(national, "Mag ik een eenhoorn houden?", status="published")
    old_mail = queue_mail("inwoner@example.nl", "auto_reply", {"answer": {"title": "t"}})
    OutgoingMail.objects.filter(pk=old_mail.pk).update(sent_at=long_ago)

    results = worker.run_once()

    assert results["inbound_mail"] == 1 and InboundMail.objects.get().contact is not None
    assert results["outbox"] == 2 and len(sink.messages) == 2  # both "we received your question" mails
    assert results["handovers"] == 1 and Handover.objects.get(pk=overdue.pk).escalated_at is not None
    assert results["erased"] == 1 and Handover.objects.get(pk=expired.pk).resident_email == ""
    assert results["erased_bookings"] == 0  # ran; bookings' erasure itself is tested with appointments
    assert results["erased_mail"] == 1 and not OutgoingMail.objects.filter(pk=old_mail.pk).exists()
    assert results["index_version"] == answers.content_version() > 0
    assert answers.index_path().exists()

    make_article(national, "Mag ik een draak houden?", status="published")
    again = worker.run_once()
    assert again == {**dict.fromkeys(results, 0), "index_version": answers.content_version()}
    assert (again["index_version"] or 0) > (
        results["index_version"] or 0
    )  # the published index followed the edit


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> int:
        raise RuntimeError("relay kapot")

    monkeypatch.setitem(worker.JOBS, "outbox", broken)
    results = worker.run_once()
    assert results["outbox"] is None and results["inbound_mail"] == 0 and results["erased"] == 0
    assert "Job outbox failed" in caplog.text


@pytest.mark.django_db
def test_the_outbox_waits_when_no_relay_listens(settings: Any) -> None:
    """The embedded default points at a relay on port 25 that is usually not there."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # the discard port: nobody listens
    queue_mail("inwoner@example.nl", "auto_reply", {"answer": {"title": "t"}})
    assert worker.run_once()["outbox"] == 0
    assert OutgoingMail.objects.get().sent_at is None


def test_repeat_until_stopped_stops_when_told() -> None:
    stop = threading.Event()
    rounds: list[int] = []

    def job() -> None:
        rounds.append(1)
        if len(rounds) == 3:
            stop.set()

    worker.repeat_until_stopped(job, stop, interval=0.01)
    assert len(rounds) == 3


@pytest.mark.django_db
def test_the_worker_command_runs_once_and_prints_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("worker", "--once")
    assert set(json.loads(capsys.readouterr().out)) == set(worker.JOBS)
