"""The contact register and the back-office rules, through the service functions every channel uses."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.answers.engine.decide import Response
from antwoord.contacts import access, routing, services
from antwoord.contacts.models import (
    Channel,
    Contact,
    EventKind,
    Handover,
    HandoverStatus,
    Outcome,
    PersonalDataView,
    RequestedAction,
    ServiceNorm,
    Team,
    is_email_address,
)
from antwoord.contacts.services import ContactError
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import an_answer, at, events

# --- contacts -------------------------------------------------------------------------------------------


def test_start_contact_records_the_agent_and_his_organisation(agent: User, den_haag: Organisation) -> None:
    contact = services.start_contact(Channel.COUNTER, "  Paspoort kwijt  ", agent=agent, audience="burger")
    assert contact.question == "Paspoort kwijt"
    assert contact.taken_by == den_haag and contact.agent == agent
    assert contact.outcome == Outcome.OPEN and contact.started_at is not None and contact.ended_at is None


def test_a_managers_contact_goes_in_his_organisations_register_and_an_agents_where_he_is_agent(
    manager: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    assert services.start_contact(Channel.PHONE, "Paspoort", agent=manager).taken_by == den_haag
    both = make_user("sam", (den_haag, Role.MANAGER), (rotterdam, Role.AGENT))
    assert services.start_contact(Channel.PHONE, "Paspoort", agent=both).taken_by == rotterdam
    reader = make_user("bo", (den_haag, Role.BACKOFFICE))
    assert services.start_contact(Channel.PHONE, "Paspoort", agent=reader).taken_by is None


@pytest.mark.parametrize(
    ("channel", "question", "audience", "message"),
    [
        (Channel.PHONE, "   ", "", "Vul een vraag in"),
        (Channel.PHONE, "x" * 10_000, "", "te lang"),
        ("fax", "Paspoort", "", "Onbekend kanaal"),
        (Channel.PHONE, "Paspoort", "toerist", "burger of ondernemer"),
    ],
)
@pytest.mark.django_db
def test_start_contact_refuses_bad_input(channel: str, question: str, audience: str, message: str) -> None:
    with pytest.raises(ContactError, match=message):
        services.start_contact(channel, question, audience=audience)
    assert not Contact.objects.exists()


def test_the_engine_response_and_the_answer_used_are_remembered(contact: Contact) -> None:
    services.note_engine_response(contact, Response("answered", 0.834567, "", answer=an_answer()))
    contact.refresh_from_db()
    assert (contact.engine_status, contact.engine_confidence) == ("answered", 0.8346)
    assert contact.answer_key == "article:1234" and contact.upl_uri.endswith("parkeervergunning")

    services.close_contact(contact, Outcome.ANSWERED, answer=an_answer("offering:7"), at=at(2026, 3, 2, 11))
    contact.refresh_from_db()
    assert contact.outcome == Outcome.ANSWERED and contact.answer_key == "offering:7"
    assert contact.ended_at == at(2026, 3, 2, 11)


def test_a_contact_is_closed_once(contact: Contact) -> None:
    services.close_contact(contact, Outcome.ABANDONED)
    with pytest.raises(ContactError, match="al afgerond"):
        services.close_contact(contact, Outcome.ANSWERED, answer=an_answer())
    contact.refresh_from_db()
    assert contact.outcome == Outcome.ABANDONED and contact.answer_key == ""


def test_a_stale_copy_of_a_contact_cannot_close_it_again(contact: Contact) -> None:
    stale = Contact.objects.get(pk=contact.pk)
    services.close_contact(contact, Outcome.CLARIFIED)
    with pytest.raises(ContactError, match="al afgerond"):
        services.close_contact(stale, Outcome.ANSWERED)


@pytest.mark.parametrize(
    ("outcome", "note"), [(Outcome.HANDED_OVER, ""), ("gewonnen", ""), ("beantwoord", "x" * 10_000)]
)
def test_close_contact_refuses_bad_outcomes_and_notes(contact: Contact, outcome: str, note: str) -> None:
    with pytest.raises(ContactError):
        services.close_contact(contact, outcome, note=note)
    contact.refresh_from_db()
    assert contact.outcome == Outcome.OPEN and contact.ended_at is None


# --- deadlines ------------------------------------------------------------------------------------------


def test_the_default_norm_counts_working_days_over_the_weekend(den_haag: Organisation) -> None:
    # Friday 9 January 2026; a call-back within two working days is due on Tuesday.
    assert routing.due_date(den_haag, Channel.PHONE, date(2026, 1, 9)) == date(2026, 1, 13)
    assert routing.due_date(den_haag, Channel.WEB, date(2026, 1, 9)) == date(2026, 1, 16)


def test_the_default_norm_skips_christmas_and_new_year(den_haag: Organisation) -> None:
    # Thursday 24 December 2026: 25/26 December, the weekend and 1 January are no working days.
    assert routing.due_date(den_haag, Channel.EMAIL, date(2026, 12, 24)) == date(2027, 1, 4)


def test_an_organisations_own_norm_wins_and_skips_kings_day(
    den_haag: Organisation, rotterdam: Organisation
) -> None:
    ServiceNorm.objects.create(organisation=den_haag, channel=Channel.PHONE, working_days=3)
    # Friday 24 April 2026; Monday 27 April is King's Day.
    assert routing.due_date(den_haag, Channel.PHONE, date(2026, 4, 24)) == date(2026, 4, 30)
    assert routing.due_date(rotterdam, Channel.PHONE, date(2026, 4, 24)) == date(2026, 4, 29)


def test_a_handover_made_on_saturday_counts_from_monday(
    contact: Contact, den_haag: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 1, 10))
    handover = services.hand_over(
        contact, den_haag, requested_action=RequestedAction.CALL_BACK, phone="0701234567"
    )
    assert handover.due_on == date(2026, 1, 14)


# --- handing over ---------------------------------------------------------------------------------------


def test_hand_over_closes_the_contact_and_tells_the_resident(handover: Handover, agent: User) -> None:
    contact = handover.contact
    contact.refresh_from_db()
    assert contact.outcome == Outcome.HANDED_OVER and contact.ended_at is not None
    assert handover.status == HandoverStatus.NEW and handover.reference.startswith("A-")
    assert handover.due_on == routing.due_date(handover.organisation, Channel.PHONE, timezone.localdate())
    assert events(handover) == [EventKind.CREATED]
    assert handover.events.get().actor == agent
    mail = OutgoingMail.objects.get()
    assert mail.to == "fatima@example.org" and handover.reference in mail.body


def test_a_contact_is_handed_over_once(handover: Handover, den_haag: Organisation) -> None:
    with pytest.raises(ContactError, match="al overgedragen"):
        services.hand_over(
            handover.contact, den_haag, requested_action=RequestedAction.CALL_BACK, phone="070 123 4567"
        )
    assert Handover.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"requested_action": "postduif"}, "per e-mail of door terug te bellen"),
        ({"requested_action": RequestedAction.ANSWER_BY_EMAIL}, "e-mailadres in"),
        ({"requested_action": RequestedAction.CALL_BACK}, "telefoonnummer in"),
        (
            {"requested_action": RequestedAction.ANSWER_BY_EMAIL, "email": "geen-adres"},
            "e-mailadres klopt niet",
        ),
        ({"requested_action": RequestedAction.ANSWER_BY_EMAIL, "email": "a" * 250 + "@x.nl"}, "klopt niet"),
        ({"requested_action": RequestedAction.ANSWER_BY_EMAIL, "email": "jan@localhost"}, "klopt niet"),
        ({"requested_action": RequestedAction.CALL_BACK, "phone": "1" * 30}, "telefoonnummer klopt niet"),
        ({"requested_action": RequestedAction.CALL_BACK, "phone": "<script>"}, "telefoonnummer klopt niet"),
        ({"requested_action": RequestedAction.CALL_BACK, "phone": "1-----1"}, "telefoonnummer klopt niet"),
        ({"requested_action": RequestedAction.CALL_BACK, "phone": "0701234567", "priority": 7}, "spoed"),
        ({"requested_action": RequestedAction.CALL_BACK, "phone": "0701234567", "name": "n" * 101}, "naam"),
        (
            {
                "requested_action": RequestedAction.CALL_BACK,
                "phone": "0701234567",
                "name": "12345 <img src=x>",
            },
            "alleen letters",
        ),
        (
            {"requested_action": RequestedAction.CALL_BACK, "phone": "0701234567", "note": "n" * 2001},
            "toelichting",
        ),
    ],
)
def test_hand_over_refuses_bad_input_and_writes_nothing(
    contact: Contact, den_haag: Organisation, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ContactError, match=message):
        services.hand_over(contact, den_haag, **fields)  # type: ignore[arg-type]
    contact.refresh_from_db()
    assert contact.outcome == Outcome.OPEN and not Handover.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_a_team_must_belong_to_the_organisation(
    contact: Contact, den_haag: Organisation, rotterdam: Organisation
) -> None:
    team = Team.objects.create(organisation=rotterdam, name="Parkeren")
    with pytest.raises(ContactError, match="team"):
        services.hand_over(
            contact, den_haag, requested_action=RequestedAction.CALL_BACK, phone="0701234567", team=team
        )
    assert not Handover.objects.exists()


# --- the back office ------------------------------------------------------------------------------------


def test_claim_takes_the_handover_into_work(handover: Handover, worker: User) -> None:
    services.claim(handover, worker)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.IN_PROGRESS and handover.assigned_to == worker
    assert events(handover) == [EventKind.CREATED, EventKind.CLAIMED]


def test_someone_of_another_organisation_or_role_may_not_touch_it(
    handover: Handover, outsider: User, agent: User, colleague: User
) -> None:
    for stranger in (outsider, agent):
        with pytest.raises(PermissionError):
            services.claim(handover, stranger)
        with pytest.raises(PermissionError):
            services.assign(handover, stranger, colleague)
        with pytest.raises(PermissionError):
            services.answer_handover(handover, stranger, "Geregeld.")
        with pytest.raises(PermissionError):
            services.forward(handover, stranger, handover.organisation, "Verkeerd")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW and handover.assigned_to is None
    assert events(handover) == [EventKind.CREATED]


def test_a_colleagues_handover_is_not_taken_by_claiming(
    handover: Handover, worker: User, colleague: User
) -> None:
    services.claim(handover, colleague)
    with pytest.raises(services.ConflictError, match="dana werkt al aan deze vraag"):
        services.claim(handover, worker)
    handover.refresh_from_db()
    assert handover.assigned_to == colleague
    services.claim(handover, colleague)  # claiming one's own again changes nothing, and records nothing
    assert handover.assigned_to == colleague
    assert events(handover) == [EventKind.CREATED, EventKind.CLAIMED]
    services.assign(handover, worker, worker)  # a deliberate reassignment stays possible, with a trace
    handover.refresh_from_db()
    assert handover.assigned_to == worker
    assert handover.events.last().note == "Toegewezen aan dirk (was dana)"  # type: ignore[union-attr]


def test_a_handover_goes_into_a_team_of_its_own_organisation(
    handover: Handover, worker: User, rotterdam: Organisation
) -> None:
    parking = Team.objects.create(organisation=handover.organisation, name="Parkeren")
    services.set_team(handover, worker, parking)
    assert Handover.objects.get().team == parking
    with pytest.raises(ContactError, match="hoort niet bij de organisatie"):
        services.set_team(handover, worker, Team.objects.create(organisation=rotterdam, name="Parkeren"))
    services.set_team(handover, worker, None)
    assert Handover.objects.get().team is None
    assert [e.note for e in handover.events.filter(kind=EventKind.ASSIGNED)] == [
        "Team: Parkeren",
        "Geen team",
    ]


def test_assign_to_a_colleague_but_not_to_an_outsider(
    handover: Handover, worker: User, colleague: User, outsider: User
) -> None:
    services.assign(handover, worker, colleague)
    handover.refresh_from_db()
    assert handover.assigned_to == colleague
    assigned = handover.events.get(kind=EventKind.ASSIGNED)
    assert assigned.actor == worker and "dana" in assigned.note
    with pytest.raises(ContactError, match="werkt niet in de backoffice"):
        services.assign(handover, worker, outsider)
    handover.refresh_from_db()
    assert handover.assigned_to == colleague


def test_forward_keeps_the_history_and_moves_the_work(
    handover: Handover, worker: User, outsider: User, rotterdam: Organisation
) -> None:
    successor = services.forward(handover, worker, rotterdam, "Woont in Rotterdam")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.FORWARDED and handover.done_at is not None
    assert successor.organisation == rotterdam and successor.status == HandoverStatus.NEW
    assert successor.resident_email == "fatima@example.org" and successor.contact_id == handover.contact_id
    assert successor.due_on >= timezone.localdate()
    assert services.chain_of(successor) == [handover, successor]
    assert services.current_of(handover) == successor
    assert "Doorgestuurd door Den Haag" in successor.events.get().note
    # Each organisation sees its own part.
    assert list(services.visible_handovers(outsider)) == [successor]
    assert list(services.visible_handovers(worker)) == [handover]
    with pytest.raises(ContactError, match="al afgehandeld of doorgestuurd"):
        services.forward(handover, worker, rotterdam, "Nog eens")


def test_the_resident_is_told_where_the_forwarded_question_went_and_the_new_deadline(
    handover: Handover, worker: User, outsider: User, rotterdam: Organisation
) -> None:
    successor = services.forward(handover, worker, rotterdam, "Intern: woont in Rotterdam")
    mail = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert mail is not None and successor.reference in mail.subject
    assert "Beste Fatima de Vries" in mail.body and "doorgestuurd naar Rotterdam" in mail.body
    assert f"{successor.due_on.day} " in mail.body and successor.status_secret in mail.body
    assert "Intern" not in mail.body  # the note is for the organisations


def test_a_question_forwarded_to_an_organisation_nobody_here_works_for_gets_no_date(
    handover: Handover, worker: User, rotterdam: Organisation
) -> None:
    services.forward(handover, worker, rotterdam, "Woont in Rotterdam")
    mail = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert mail is not None and "Rotterdam beantwoordt nog geen vragen via ANTWOORD" in mail.body
    assert "uiterlijk" not in mail.body and "\n\n\n" not in mail.body  # no phone or website: no empty line


def test_a_note_as_long_as_allowed_is_kept_whole_also_with_the_organisations_name_added(
    handover: Handover, worker: User, outsider: User, rotterdam: Organisation
) -> None:
    """A forward's history line puts the organisation's name before the note (PostgreSQL refused a line
    longer than its column)."""
    note = "n" * services.MAX_NOTE_LENGTH
    successor = services.forward(handover, worker, rotterdam, note)
    assert handover.events.get(kind=EventKind.FORWARDED).note == f"Naar Rotterdam: {note}"
    assert successor.events.get().note == f"Doorgestuurd door Den Haag: {note}"
    services.answer_handover(successor, outsider, "Opgelost.")


def test_forward_needs_another_organisation_and_a_reason(
    handover: Handover, worker: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    with pytest.raises(ContactError, match="andere organisatie"):
        services.forward(handover, worker, den_haag, "Zelfde")
    with pytest.raises(ContactError, match="waarom"):
        services.forward(handover, worker, rotterdam, "   ")
    with pytest.raises(ContactError, match="te lang"):
        services.forward(handover, worker, rotterdam, "x" * 10_000)
    assert Handover.objects.count() == 1
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW


def test_answer_closes_the_handover_and_mails_the_resident(handover: Handover, worker: User) -> None:
    services.answer_handover(handover, worker, "  Uw vergunning is verstuurd.  ")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DONE and handover.answer == "Uw vergunning is verstuurd."
    assert handover.assigned_to == worker and handover.done_at is not None
    received, answered = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk")
    assert received.body.startswith("Beste Fatima de Vries,")
    assert (
        answered.body.startswith("Beste Fatima de Vries,") and "Uw vergunning is verstuurd." in answered.body
    )
    # The question as the agent took it on the phone.
    assert "Waar blijft mijn parkeervergunning?" in answered.body
    # A person wrote it (no Auto-Submitted), and a reply to it reaches Den Haag's intake, not the national one.
    assert answered.by_person and answered.reply_to == "gm0518@antwoord.localhost" and not received.by_person
    with pytest.raises(ContactError, match="al afgehandeld"):
        services.answer_handover(handover, worker, "Nog een keer")
    assert handover.events.filter(kind=EventKind.ANSWERED).count() == 1
    assert answered.body.rstrip().endswith("Met vriendelijke groet,\nDen Haag")


def test_an_answer_signed_by_its_writer_gets_no_second_closing(handover: Handover, worker: User) -> None:
    services.answer_handover(handover, worker, "Uw vergunning is verstuurd.\n\nMet vriendelijke groet,\nDirk")
    answered = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert answered is not None and answered.body.count("vriendelijke groet") == 1
    assert answered.body.rstrip().endswith(f"/status/{handover.reference}/{handover.status_secret}/")


def test_the_answer_mail_quotes_the_question_as_the_resident_sent_it(
    worker: User, den_haag: Organisation
) -> None:
    """On the web the resident may reword the question in the handover form; without a name, "Beste inwoner"."""
    contact = services.start_contact(Channel.WEB, "parkeren", municipality=den_haag)
    handover = services.hand_over(
        contact,
        den_haag,
        requested_action=RequestedAction.ANSWER_BY_EMAIL,
        email="anoniem@example.org",
        note="Mag ik twee auto's op mijn parkeervergunning zetten?",
    )
    services.answer_handover(handover, worker, "Nee, één auto per vergunning.")
    answered = OutgoingMail.objects.filter(to="anoniem@example.org").order_by("pk").last()
    assert answered is not None and answered.body.startswith("Beste inwoner,")
    assert "Mag ik twee auto's op mijn parkeervergunning zetten?" in answered.body
    assert "\nparkeren\n" not in answered.body


@pytest.mark.parametrize(("text", "message"), [("   ", "Schrijf het antwoord"), ("x" * 10_000, "te lang")])
def test_answer_refuses_empty_or_huge_text(handover: Handover, worker: User, text: str, message: str) -> None:
    with pytest.raises(ContactError, match=message):
        services.answer_handover(handover, worker, text)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW and handover.answer == ""


def test_superusers_see_everything_and_anonymous_nothing(handover: Handover) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "geheim-wachtwoord-123")
    assert list(services.visible_handovers(admin)) == [handover]
    assert not services.visible_handovers(AnonymousUser()).exists()
    assert services.can_work_on(admin, handover)


def test_the_status_link_needs_both_halves(handover: Handover) -> None:
    assert services.find_for_resident(handover.reference.lower(), handover.status_secret) == handover
    assert services.find_for_resident(handover.reference, "raden") is None
    assert services.find_for_resident("A-ONBEKEND", handover.status_secret) is None
    assert services.find_for_resident(handover.reference, "éé") is None  # not a TypeError


def test_a_contact_that_ended_is_handed_over_only_from_the_web(
    contact: Contact, den_haag: Organisation
) -> None:
    services.close_contact(contact, Outcome.ANSWERED, answer=an_answer())
    with pytest.raises(services.ConflictError, match="al afgerond"):
        services.hand_over(contact, den_haag, requested_action=RequestedAction.CALL_BACK, phone="0701234567")
    assert Contact.objects.get().outcome == Outcome.ANSWERED and not Handover.objects.exists()
    ended_at = Contact.objects.get().ended_at
    services.hand_over(
        contact, den_haag, requested_action=RequestedAction.CALL_BACK, phone="0701234567", reopen_ended=True
    )
    contact.refresh_from_db()
    assert contact.outcome == Outcome.HANDED_OVER and contact.ended_at == ended_at


def test_looking_at_personal_data_is_logged(handover: Handover, worker: User, contact: Contact) -> None:
    access.log_personal_data_view(handover, worker, "Beantwoorden")
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.purpose, view.handover) == (worker, "Beantwoorden", handover)
    Handover.objects.filter(pk=handover.pk).update(resident_name="", resident_email="", resident_phone="")
    handover.refresh_from_db()
    access.log_personal_data_view(handover, worker, "Beantwoorden")
    assert PersonalDataView.objects.count() == 1


def test_looking_at_the_caller_details_of_a_contact_is_logged(contact: Contact, agent: User) -> None:
    access.log_contact_details_view(contact, agent, "Klantcontactcentrum")
    assert not PersonalDataView.objects.exists()  # no caller details on the contact: nothing seen
    Contact.objects.filter(pk=contact.pk).update(caller_phone="0701234567")
    contact.refresh_from_db()
    access.log_contact_details_view(contact, agent, "Klantcontactcentrum")
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.purpose, view.contact, view.handover) == (
        agent,
        "Klantcontactcentrum",
        contact,
        None,
    )
    assert str(view) == f"kcc zag contact {contact.pk} (Klantcontactcentrum)"


def test_a_log_entry_is_about_a_handover_or_a_contact_never_both_or_neither(
    handover: Handover, worker: User, contact: Contact
) -> None:
    for fields in ({}, {"handover": handover, "contact": contact}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PersonalDataView.objects.create(viewer=worker, purpose="Beantwoorden", **fields)
    access.log_personal_data_view(handover, worker, "Beantwoorden")
    assert str(PersonalDataView.objects.get()) == f"dirk zag overdracht {handover.reference} (Beantwoorden)"


@pytest.mark.parametrize("name", ["Jan-Willem van 't Hof", "Zoë Ørsted", "J. de Vries", "O’Brien", ""])
def test_names_of_people_are_taken(contact: Contact, den_haag: Organisation, name: str) -> None:
    handover = services.hand_over(
        contact, den_haag, requested_action=RequestedAction.CALL_BACK, phone="0701234567", name=name
    )
    assert handover.resident_name == name


@pytest.mark.parametrize(
    ("address", "reachable"),
    [
        ("jan.de.vries@example.nl", True),
        ("j+vraag@post.gemeente.example", True),
        ("jan@café.nl", True),  # an internationalised domain
        ("jan@localhost", False),  # Django's own check takes it; mail from outside never gets there
        ("jan@[127.0.0.1]", False),
        ("jan@intranet", False),
        ("a" * 250 + "@x.nl", False),  # longer than the columns
        ("", False),
    ],
)
def test_an_email_address_must_be_one_mail_can_reach(address: str, reachable: bool) -> None:
    assert is_email_address(address) is reachable
