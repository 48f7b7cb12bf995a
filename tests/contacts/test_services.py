"""The contact register and the back-office rules, through the service functions every channel uses."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.answers.engine.decide import Answer, Response
from antwoord.contacts import jobs, services
from antwoord.contacts.models import (
    Channel,
    Contact,
    EventKind,
    Handover,
    HandoverEvent,
    HandoverStatus,
    Outcome,
    PersonalDataView,
    Priority,
    RequestedAction,
    ServiceNorm,
    Team,
)
from antwoord.contacts.services import ContactError
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Kind, Layer, Organisation
from tests.conftest import make_municipality, make_user

from .conftest import at


def an_answer(key: str = "article:1234") -> Answer:
    return Answer(
        key=key,
        kind="article",
        source_id="1234",
        upl_uri="http://standaarden.overheid.nl/owms/terms/parkeervergunning",
        title="Hoe vraag ik een parkeervergunning aan?",
        organisation={"code": "gm0518", "name": "Den Haag"},
    )


def events(handover: Handover) -> list[str]:
    return list(handover.events.values_list("kind", flat=True))


# --- contacts -------------------------------------------------------------------------------------------


def test_start_contact_records_the_agent_and_his_organisation(agent: User, den_haag: Organisation) -> None:
    contact = services.start_contact(Channel.COUNTER, "  Paspoort kwijt  ", agent=agent, audience="burger")
    assert contact.question == "Paspoort kwijt"
    assert contact.taken_by == den_haag and contact.agent == agent
    assert contact.outcome == Outcome.OPEN and contact.started_at is not None and contact.ended_at is None


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
    assert services.due_date(den_haag, Channel.PHONE, date(2026, 1, 9)) == date(2026, 1, 13)
    assert services.due_date(den_haag, Channel.WEB, date(2026, 1, 9)) == date(2026, 1, 16)


def test_the_default_norm_skips_christmas_and_new_year(den_haag: Organisation) -> None:
    # Thursday 24 December 2026: 25/26 December, the weekend and 1 January are no working days.
    assert services.due_date(den_haag, Channel.EMAIL, date(2026, 12, 24)) == date(2027, 1, 4)


def test_an_organisations_own_norm_wins_and_skips_kings_day(
    den_haag: Organisation, rotterdam: Organisation
) -> None:
    ServiceNorm.objects.create(organisation=den_haag, channel=Channel.PHONE, working_days=3)
    # Friday 24 April 2026; Monday 27 April is King's Day.
    assert services.due_date(den_haag, Channel.PHONE, date(2026, 4, 24)) == date(2026, 4, 30)
    assert services.due_date(rotterdam, Channel.PHONE, date(2026, 4, 24)) == date(2026, 4, 29)


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
    assert handover.due_on == services.due_date(handover.organisation, Channel.PHONE, timezone.localdate())
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
    handover: Handover, worker: User, rotterdam: Organisation
) -> None:
    successor = services.forward(handover, worker, rotterdam, "Intern: woont in Rotterdam")
    mail = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert mail is not None and successor.reference in mail.subject
    assert "Beste Fatima de Vries" in mail.body and "doorgestuurd naar Rotterdam" in mail.body
    assert f"{successor.due_on.day} " in mail.body and successor.status_secret in mail.body
    assert "Intern" not in mail.body  # the note is for the organisations


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


# --- organisations that do not work with ANTWOORD yet -----------------------------------------------------


def test_a_question_for_an_organisation_without_a_back_office_goes_to_its_stand_in(
    contact: Contact, waterschap: Organisation, den_haag: Organisation, worker: User, agent: User
) -> None:
    ServiceNorm.objects.create(organisation=den_haag, channel=Channel.PHONE, working_days=2)
    team = Team.objects.create(organisation=waterschap, name="Heffingen")
    handover = services.hand_over(
        contact,
        waterschap,
        requested_action=RequestedAction.ANSWER_BY_EMAIL,
        email="fatima@example.org",
        team=team,
        actor=agent,
    )
    assert handover.organisation == den_haag and handover.intended_for == waterschap
    assert handover.team is None  # the water board's team works nowhere
    assert handover.due_on == services.due_date(den_haag, Channel.PHONE, timezone.localdate())
    assert list(services.visible_handovers(worker)) == [handover] and services.can_work_on(worker, handover)
    mail = OutgoingMail.objects.get(to="fatima@example.org")
    assert "doorgegeven aan Den Haag" in mail.body
    assert (
        "Uw vraag is voor Hoogheemraadschap van Delfland. Die organisatie werkt nog niet met ANTWOORD"
        in mail.body
    )


def test_once_it_has_a_back_office_of_its_own_its_questions_go_there(
    contact: Contact, waterschap: Organisation, worker: User
) -> None:
    make_user("manon", (waterschap, Role.MANAGER))  # reads the figures; works no queue
    assert services.receiving_organisation(waterschap) != waterschap
    own = make_user("wim", (waterschap, Role.BACKOFFICE))
    handover = services.hand_over(
        contact, waterschap, requested_action=RequestedAction.ANSWER_BY_EMAIL, email="a@b.nl"
    )
    assert handover.organisation == waterschap and handover.intended_for is None
    assert list(services.visible_handovers(own)) == [handover]


def test_a_stand_in_without_a_back_office_of_its_own_is_passed_by(
    contact: Contact, waterschap: Organisation
) -> None:
    """Nobody would work it there either: the question stays with the organisation it is for."""
    assert services.receiving_organisation(waterschap) == waterschap
    handover = services.hand_over(
        contact, waterschap, requested_action=RequestedAction.CALL_BACK, phone="0612345678"
    )
    assert handover.organisation == waterschap and handover.intended_for is None


def test_a_stand_in_corrects_for_whom_it_works_a_question(
    handover: Handover, worker: User, waterschap: Organisation
) -> None:
    """Den Haag took the question as its own, but it is the water board's, whose questions Den Haag works."""
    successor = services.forward(handover, worker, waterschap, "Gaat over de waterschapsbelasting")
    assert successor.organisation == handover.organisation and successor.intended_for == waterschap
    mail = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert mail is not None and "gaat niet over Den Haag" in mail.body
    assert "doorgestuurd naar Hoogheemraadschap van Delfland" in mail.body
    with pytest.raises(ContactError, match="al voor Hoogheemraadschap van Delfland"):
        services.forward(successor, worker, waterschap, "Nog eens")
    assert Handover.objects.count() == 2


def test_when_the_organisation_works_with_antwoord_itself_its_question_is_sent_on_to_it(
    contact: Contact, waterschap: Organisation, worker: User
) -> None:
    routed = services.hand_over(
        contact, waterschap, requested_action=RequestedAction.ANSWER_BY_EMAIL, email="fatima@example.org"
    )
    make_user("wim", (waterschap, Role.BACKOFFICE))
    successor = services.forward(routed, worker, waterschap, "Het waterschap werkt nu zelf met ANTWOORD")
    assert successor.organisation == waterschap and successor.intended_for is None
    mail = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert mail is not None and "Hoogheemraadschap van Delfland werkt nu zelf met ANTWOORD." in mail.body
    assert "gaat niet over" not in mail.body


def test_forwarding_to_an_organisation_with_a_stand_in_reaches_the_stand_in(
    handover: Handover, worker: User, rotterdam: Organisation, den_haag: Organisation, outsider: User
) -> None:
    waterschap = Organisation.objects.create(
        code="ws0155",
        name="Waterschap Aa en Maas",
        layer=Layer.WATERSCHAP,
        kind=Kind.WATERSCHAP,
        stand_in=rotterdam,
    )
    successor = services.forward(handover, worker, waterschap, "Gaat over het waterschap")
    assert successor.organisation == rotterdam and successor.intended_for == waterschap
    assert list(services.visible_handovers(outsider)) == [successor]
    mail = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert mail is not None and "doorgestuurd naar Waterschap Aa en Maas" in mail.body
    assert "Daarom behandelt Rotterdam uw vraag" in mail.body


@pytest.mark.parametrize(
    "case", ["itself", "a stand-in with a stand-in", "one that stands in for others", "an inactive one"]
)
def test_a_stand_in_must_work_its_own_questions(
    case: str, den_haag: Organisation, rotterdam: Organisation, waterschap: Organisation
) -> None:
    merged = make_municipality("gm0001", "Opgeheven gemeente")
    merged.is_active = False
    merged.save()
    organisation, stand_in = {
        "itself": (rotterdam, rotterdam),
        "a stand-in with a stand-in": (rotterdam, waterschap),  # the water board's questions go to Den Haag
        "one that stands in for others": (den_haag, rotterdam),  # Den Haag works the water board's
        "an inactive one": (rotterdam, merged),
    }[case]
    organisation.stand_in = stand_in
    with pytest.raises(ValidationError) as raised:
        organisation.full_clean()
    assert list(raised.value.message_dict) == ["stand_in"]


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
    services.log_personal_data_view(handover, worker, "Beantwoorden")
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.purpose, view.handover) == (worker, "Beantwoorden", handover)
    Handover.objects.filter(pk=handover.pk).update(resident_name="", resident_email="", resident_phone="")
    handover.refresh_from_db()
    services.log_personal_data_view(handover, worker, "Beantwoorden")
    assert PersonalDataView.objects.count() == 1


def test_looking_at_the_caller_details_of_a_contact_is_logged(contact: Contact, agent: User) -> None:
    services.log_contact_details_view(contact, agent, "Klantcontactcentrum")
    assert not PersonalDataView.objects.exists()  # no caller details on the contact: nothing seen
    Contact.objects.filter(pk=contact.pk).update(caller_phone="0701234567")
    contact.refresh_from_db()
    services.log_contact_details_view(contact, agent, "Klantcontactcentrum")
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
    services.log_personal_data_view(handover, worker, "Beantwoorden")
    assert str(PersonalDataView.objects.get()) == f"dirk zag overdracht {handover.reference} (Beantwoorden)"


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


def test_a_forwarded_question_is_kept_while_the_next_organisation_works_on_it(
    handover: Handover, worker: User, rotterdam: Organisation
) -> None:
    successor = services.forward(handover, worker, rotterdam, "Woont in Rotterdam")
    assert jobs.erase_personal_data(timezone.now() + timedelta(days=365)) == 0
    handover.refresh_from_db()
    successor.refresh_from_db()
    assert handover.resident_email == "fatima@example.org"
    assert successor.contact.question == "Waar blijft mijn parkeervergunning?"


# --- figures --------------------------------------------------------------------------------------------


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


@pytest.mark.parametrize("name", ["Jan-Willem van 't Hof", "Zoë Ørsted", "J. de Vries", "O’Brien", ""])
def test_names_of_people_are_taken(contact: Contact, den_haag: Organisation, name: str) -> None:
    handover = services.hand_over(
        contact, den_haag, requested_action=RequestedAction.CALL_BACK, phone="0701234567", name=name
    )
    assert handover.resident_name == name
