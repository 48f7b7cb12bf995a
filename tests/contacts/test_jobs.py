"""The periodic jobs (reminders, escalation, erasing personal data, abandoned web contacts) and the register's counts."""

import importlib
from datetime import timedelta

from django.apps import apps as django_apps
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.contacts import jobs, services
from antwoord.contacts.models import (
    Channel,
    Contact,
    EventKind,
    Handover,
    HandoverEvent,
    Outcome,
    Priority,
    RequestedAction,
)
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import an_answer, events

# --- periodic jobs --------------------------------------------------------------------------------------


def test_reminder_on_the_due_day_goes_to_the_assignee_once(handover: Handover, worker: User) -> None:
    services.claim(handover, worker)
    OutgoingMail.objects.all().delete()
    assert jobs.remind_and_escalate(handover.due_on) == {"reminded": 1, "escalated": 0}
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["dirk@denhaag.example"]
    assert jobs.remind_and_escalate(handover.due_on) == {"reminded": 0, "escalated": 0}
    assert OutgoingMail.objects.count() == 1
    handover.refresh_from_db()
    assert handover.reminded_at is not None and EventKind.REMINDED in events(handover)


def test_overdue_handovers_are_escalated_to_the_manager_once(
    handover: Handover, worker: User, manager: User
) -> None:
    OutgoingMail.objects.all().delete()
    later = handover.due_on + timedelta(days=1)
    assert jobs.remind_and_escalate(later) == {"reminded": 0, "escalated": 1}
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["marja@denhaag.example"]
    handover.refresh_from_db()
    assert handover.priority == Priority.URGENT and handover.escalated_at is not None
    assert jobs.remind_and_escalate(later + timedelta(days=1)) == {"reminded": 0, "escalated": 0}
    assert OutgoingMail.objects.count() == 1


def test_an_overdue_handover_of_an_organisation_without_managers_goes_to_the_platform_administrators(
    handover: Handover, rotterdam: Organisation
) -> None:
    """Rotterdam has nobody in ANTWOORD: its overdue question must not go unnoticed."""
    forwarded = services.forward(
        handover, make_user("bo", (handover.organisation, Role.BACKOFFICE)), rotterdam, "Rotterdam"
    )
    User.objects.create_superuser("root", "beheer@antwoord.example", "geheim-wachtwoord-123")
    OutgoingMail.objects.all().delete()
    assert jobs.remind_and_escalate(forwarded.due_on + timedelta(days=1))["escalated"] == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["beheer@antwoord.example"]


def test_closed_handovers_are_neither_reminded_nor_escalated(handover: Handover, worker: User) -> None:
    services.answer_handover(handover, worker, "Klaar.")
    assert jobs.remind_and_escalate(handover.due_on) == {"reminded": 0, "escalated": 0}
    assert jobs.remind_and_escalate(handover.due_on + timedelta(days=30)) == {
        "reminded": 0,
        "escalated": 0,
    }


def test_personal_data_is_erased_after_the_retention_time(
    handover: Handover, worker: User, settings: object
) -> None:
    services.answer_handover(handover, worker, "Klaar.")
    now = timezone.now()
    assert jobs.erase_personal_data(now) == 0
    later = now + timedelta(days=181)
    assert jobs.erase_personal_data(later) == 1
    handover.refresh_from_db()
    assert (handover.resident_name, handover.resident_email, handover.answer) == ("", "", "[gewist]")
    assert handover.contact.question == "[gewist]" and handover.personal_data_erased_at is not None
    assert jobs.erase_personal_data(later) == 0
    assert EventKind.ERASED in events(handover)


def test_erasing_also_clears_notes_caller_details_and_contacts_never_handed_over(
    handover: Handover, worker: User, agent: User, rotterdam: Organisation
) -> None:
    Contact.objects.filter(pk=handover.contact_id).update(
        caller_name="Fatima", caller_email="fatima@example.org", caller_phone="0612345678"
    )
    successor = services.forward(handover, worker, rotterdam, "Fatima woont in Rotterdam")
    services.answer_handover(successor, make_user("rbo", (rotterdam, Role.BACKOFFICE)), "Klaar.")
    answered = services.start_contact(Channel.PHONE, "Ik ben Jan, BSN 123", agent=agent)
    Contact.objects.filter(pk=answered.pk).update(caller_name="Jan", caller_phone="0612345678")
    services.close_contact(answered, Outcome.ANSWERED, note="Jan belde over zijn BSN")
    still_open = services.start_contact(Channel.PHONE, "Nog bezig", agent=agent)
    later = timezone.now() + timedelta(days=181)

    assert jobs.erase_personal_data(later) == 3  # two handovers of one chain, and one contact
    for erased in (handover.contact, answered):
        erased.refresh_from_db()
        assert (erased.question, erased.note) == ("[gewist]", "")
        assert (erased.caller_name, erased.caller_email, erased.caller_phone) == ("", "", "")
    notes = HandoverEvent.objects.exclude(note="").values_list("note", flat=True)
    assert not notes, list(notes)
    still_open.refresh_from_db()
    assert still_open.question == "Nog bezig"
    assert jobs.erase_personal_data(later) == 0  # idempotent


def test_a_recently_ended_contact_keeps_its_question(agent: User) -> None:
    answered = services.start_contact(Channel.PHONE, "Paspoort", agent=agent)
    services.close_contact(answered, Outcome.ANSWERED)
    assert jobs.erase_personal_data(timezone.now() + timedelta(days=179)) == 0
    assert Contact.objects.get().question == "Paspoort"


def test_web_contacts_left_open_are_closed_as_abandoned(
    agent: User, contact: Contact, den_haag: Organisation
) -> None:
    now = timezone.now()
    left = services.start_contact(Channel.WEB, "Eenhoorn in de tuin", started_at=now - timedelta(hours=25))
    services.start_contact(Channel.WEB, "Net gevraagd", started_at=now - timedelta(hours=23))
    handed = services.start_contact(Channel.WEB, "Doorgestuurd", started_at=now - timedelta(hours=30))
    services.hand_over(handed, den_haag, requested_action=RequestedAction.CALL_BACK, phone="0701234567")
    Contact.objects.filter(pk=contact.pk).update(started_at=now - timedelta(days=3))  # phone: an agent's

    assert jobs.abandon_stale_contacts(now) == 1
    left.refresh_from_db()
    assert (left.outcome, left.ended_at) == (Outcome.ABANDONED, now)
    outcomes = dict(Contact.objects.exclude(pk=left.pk).values_list("question", "outcome"))
    assert outcomes == {
        "Net gevraagd": Outcome.OPEN,
        "Doorgestuurd": Outcome.HANDED_OVER,
        "Waar blijft mijn parkeervergunning?": Outcome.OPEN,
    }
    assert jobs.abandon_stale_contacts(now) == 0  # idempotent
    assert jobs.abandon_stale_contacts(now, hours=1) == 1  # the recent one, with a shorter wait


def test_handovers_forwarded_before_lose_their_copy_of_the_residents_details(
    handover: Handover, worker: User, rotterdam: Organisation
) -> None:
    successor = services.forward(handover, worker, rotterdam, "Woont in Rotterdam")
    Handover.objects.filter(pk=handover.pk).update(
        resident_email="fatima@example.org"
    )  # as forwarding left it
    migration = importlib.import_module(
        "antwoord.contacts.migrations.0009_forwarded_handovers_without_resident_details"
    )
    migration.forget_forwarded_details(django_apps, None)
    handover.refresh_from_db()
    successor.refresh_from_db()
    assert (handover.resident_email, successor.resident_email) == ("", "fatima@example.org")


def test_a_forwarded_question_is_kept_while_the_next_organisation_works_on_it(
    handover: Handover, worker: User, rotterdam: Organisation
) -> None:
    successor = services.forward(handover, worker, rotterdam, "Woont in Rotterdam")
    assert jobs.erase_personal_data(timezone.now() + timedelta(days=365)) == 0
    handover.refresh_from_db()
    successor.refresh_from_db()
    assert (handover.resident_email, successor.resident_email) == ("", "fatima@example.org")  # went along
    assert successor.contact.question == "Waar blijft mijn parkeervergunning?"


# --- the register's counts -------------------------------------------------------------------------------


def test_register_counts(handover: Handover, agent: User) -> None:
    answered = services.start_contact(Channel.PHONE, "Paspoort", agent=agent)
    services.close_contact(answered, Outcome.ANSWERED, answer=an_answer())
    services.start_contact(Channel.WEB, "Afval")
    Handover.objects.filter(pk=handover.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    counts = jobs.register_counts()
    assert counts["contacts"] == {
        "total": 3,
        "per_channel": {"telefoon": {"overgedragen": 1, "beantwoord": 1}, "web": {"open": 1}},
    }
    assert counts["first_contact_resolution"] == 0.5  # of the two that ended; the open one may yet be
    assert counts["handovers"] == {"per_status": {"nieuw": 1}, "overdue": 1}
