"""Incoming mail is personal data too: processed mail is deleted after the retention time, nothing else."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from antwoord.inbox.inbound import erase_old_inbound
from antwoord.inbox.models import InboundMail


def inbound(processed_days_ago: int | None, received_days_ago: int = 0) -> InboundMail:
    now = timezone.now()
    mail = InboundMail.objects.create(message_id=f"<{processed_days_ago}-{received_days_ago}@x>", raw=b"x")
    processed_at = None if processed_days_ago is None else now - timedelta(days=processed_days_ago)
    InboundMail.objects.filter(pk=mail.pk).update(
        processed_at=processed_at, received_at=now - timedelta(days=received_days_ago)
    )
    return mail


@pytest.mark.django_db
def test_old_processed_mail_is_deleted_and_everything_else_stays(settings: Any) -> None:
    days = settings.RETENTION_DAYS
    old_processed, recent_processed = inbound(days + 1, days + 2), inbound(days - 1, days + 2)
    # Never processed (unreadable, or the worker has not come round): it is still needed.
    unprocessed = inbound(None, days + 30)

    assert erase_old_inbound() == 1
    assert set(InboundMail.objects.values_list("pk", flat=True)) == {recent_processed.pk, unprocessed.pk}
    assert not InboundMail.objects.filter(pk=old_processed.pk).exists()
    assert erase_old_inbound() == 0
    assert erase_old_inbound(timezone.now() + timedelta(days=days + 1)) == 1  # the moment is a parameter
