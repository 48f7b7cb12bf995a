"""Mail is personal data too: sent mail is deleted after the retention time, unsent mail stays."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from antwoord.mail.models import OutgoingMail
from antwoord.mail.services import erase_old_mail, queue_mail


def outgoing(sent_days_ago: int | None, created_days_ago: int = 0) -> OutgoingMail:
    mail = queue_mail("inwoner@example.nl", "auto_reply", {"answer": {"title": "Paspoort"}})
    now = timezone.now()
    sent_at = None if sent_days_ago is None else now - timedelta(days=sent_days_ago)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=sent_at, created_at=now - timedelta(days=created_days_ago)
    )
    return mail


@pytest.mark.django_db
def test_old_sent_mail_is_deleted_and_everything_else_stays(settings: Any) -> None:
    days = settings.RETENTION_DAYS
    old_sent, recent_sent = outgoing(days + 1, days + 2), outgoing(days - 1, days + 2)
    # Never sent (the relay refused it for ever): an administrator still has to look at it.
    unsent = outgoing(None, days + 30)

    assert erase_old_mail() == 1
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {recent_sent.pk, unsent.pk}
    assert not OutgoingMail.objects.filter(pk=old_sent.pk).exists()
    assert erase_old_mail() == 0  # a second run has nothing left


@pytest.mark.django_db
def test_the_moment_is_a_parameter(settings: Any) -> None:
    mail = outgoing(0)
    assert erase_old_mail(timezone.now() + timedelta(days=settings.RETENTION_DAYS - 1)) == 0
    assert erase_old_mail(timezone.now() + timedelta(days=settings.RETENTION_DAYS + 1)) == 1
    assert not OutgoingMail.objects.filter(pk=mail.pk).exists()
