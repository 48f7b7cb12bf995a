"""The contact register's periodic jobs and figures: reminders and escalation, erasure after the retention
time, closing abandoned web contacts, and the counts for steering. Run by the job worker and `antwoord stats`."""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from antwoord.accounts.models import Membership, Role
from antwoord.lib.retention import retention_cutoff
from antwoord.mail.services import queue_mail

from .models import Channel, Contact, EventKind, Handover, Outcome, Priority
from .services import ERASED, add_event

# Open web contacts that nobody touched for this long are closed as abandoned.
ABANDON_AFTER_HOURS = 24


# --- periodic jobs --------------------------------------------------------------------------------------


def remind_and_escalate(today: date | None = None) -> dict[str, int]:
    """Remind the back office the working day a handover falls due; escalate once it is overdue.

    Idempotent: each handover is reminded once and escalated once, however often the job runs.
    """
    today = today or timezone.localdate()
    open_handovers = Handover.objects.open()
    reminded = 0
    for handover in open_handovers.filter(due_on=today, reminded_at__isnull=True):
        with transaction.atomic():
            _notify_staff(handover, "handover_reminder", [Role.BACKOFFICE])
            handover.reminded_at = timezone.now()
            handover.save(update_fields=["reminded_at"])
            add_event(handover, EventKind.REMINDED, None)
        reminded += 1
    escalated = 0
    for handover in open_handovers.filter(due_on__lt=today, escalated_at__isnull=True):
        with transaction.atomic():
            _notify_staff(handover, "handover_overdue", [Role.MANAGER])
            handover.escalated_at = timezone.now()
            handover.priority = Priority.URGENT
            handover.save(update_fields=["escalated_at", "priority"])
            add_event(handover, EventKind.ESCALATED, None, f"Over de uiterste datum ({handover.due_on})")
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def _notify_staff(handover: Handover, template: str, roles: list[Role]) -> None:
    """Mail the assignee, or else everyone with one of the roles in the organisation."""
    if handover.assigned_to and handover.assigned_to.email and Role.MANAGER not in roles:
        recipients = {handover.assigned_to.email}
    else:
        members = Membership.objects.filter(organisation=handover.organisation_id, role__in=roles)
        recipients = {m.user.email for m in members.select_related("user") if m.user.email}
    for address in sorted(recipients):
        queue_mail(address, template, {"handover": handover})


def erase_personal_data(now: datetime | None = None) -> int:
    """Erase what identifies a resident once the retention time has passed; returns how many handovers and
    contacts were erased. Idempotent: what is erased stays erased and is not counted again.

    Handovers closed longer ago lose the contact details, the answer, the notes in their history and the
    question; a forwarded handover waits for the end of its chain, as the question is still being worked
    on. Contacts never handed over lose question, note and caller details once they ended that long ago.
    """
    cutoff = retention_cutoff(settings.RETENTION_DAYS, now)
    expired = (
        Handover.objects.filter(done_at__lt=cutoff, personal_data_erased_at__isnull=True)
        .exclude(contact__handovers__done_at__isnull=True)
        .exclude(contact__handovers__done_at__gte=cutoff)
    )
    erased = 0
    for handover in expired.select_related("contact"):
        with transaction.atomic():
            handover.resident_name = handover.resident_email = handover.resident_phone = ""
            handover.answer = ERASED
            handover.personal_data_erased_at = timezone.now()
            handover.save()
            handover.events.update(note="")
            _erase_contact(handover.contact)
            add_event(handover, EventKind.ERASED, None)
        erased += 1
    return erased + _erase_ended_contacts(cutoff)


def _erase_contact(contact: Contact) -> None:
    contact.question = ERASED
    contact.note = contact.caller_name = contact.caller_email = contact.caller_phone = ""
    contact.save(update_fields=["question", "note", "caller_name", "caller_email", "caller_phone"])


def _erase_ended_contacts(cutoff: datetime) -> int:
    """Contacts without handovers that ended before the cutoff; one bulk update, as nothing else changes."""
    return (
        Contact.objects.filter(ended_at__lt=cutoff, handovers__isnull=True)
        .exclude(question=ERASED, note="", caller_name="", caller_email="", caller_phone="")
        .update(question=ERASED, note="", caller_name="", caller_email="", caller_phone="")
    )


def abandon_stale_contacts(now: datetime | None = None, hours: int = ABANDON_AFTER_HOURS) -> int:
    """Close web contacts still open after `hours` as abandoned: the resident left without an answer
    (for instance when the engine proposed a handover). Returns how many; idempotent."""
    now = now or timezone.now()
    stale = Contact.objects.filter(
        channel=Channel.WEB,
        outcome=Outcome.OPEN,
        ended_at__isnull=True,
        started_at__lt=now - timedelta(hours=hours),
    )
    return stale.filter(handovers__isnull=True).update(outcome=Outcome.ABANDONED, ended_at=now)


# --- figures --------------------------------------------------------------------------------------------


def register_counts() -> dict[str, Any]:
    """The register in figures, for `antwoord stats` and steering."""
    per_channel: dict[str, dict[str, int]] = {}
    # order_by() drops the models' default ordering, which would otherwise split the groups.
    for channel, outcome, n in (
        Contact.objects.order_by().values_list("channel", "outcome").annotate(Count("pk"))
    ):
        per_channel.setdefault(channel, {})[outcome] = n
    handovers = Handover.objects.order_by().values_list("status").annotate(Count("pk"))
    overdue = Handover.objects.overdue().count()
    total = sum(sum(v.values()) for v in per_channel.values())
    answered = sum(v.get(Outcome.ANSWERED, 0) for v in per_channel.values())
    return {
        "contacts": {"total": total, "per_channel": per_channel},
        "first_contact_resolution": round(answered / total, 3) if total else None,
        "handovers": {"per_status": dict(handovers), "overdue": overdue},
    }
