"""Organisations that do not work with ANTWOORD yet: a stand-in's back office works their questions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.contacts import jobs, routing, services
from antwoord.contacts.models import (
    Channel,
    Contact,
    EventKind,
    Handover,
    HandoverEvent,
    RequestedAction,
    ServiceNorm,
    Team,
)
from antwoord.contacts.services import ContactError
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Kind, Layer, Organisation
from tests.conftest import make_municipality, make_user


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
    assert handover.due_on == routing.due_date(den_haag, Channel.PHONE, timezone.localdate())
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
    assert routing.receiving_organisation(waterschap) != waterschap
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
    assert routing.receiving_organisation(waterschap) == waterschap
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


def test_once_the_organisation_works_with_antwoord_its_untaken_questions_return_to_it(
    contact: Contact, agent: User, den_haag: Organisation, waterschap: Organisation, worker: User
) -> None:
    """The worker sends them; one the stand-in took up is finished where it is."""
    second = services.start_contact(Channel.PHONE, "Klopt mijn aanslag?", agent=agent, municipality=den_haag)
    waiting, taken = (
        services.hand_over(c, waterschap, requested_action=RequestedAction.ANSWER_BY_EMAIL, email="a@b.nl")
        for c in (contact, second)
    )
    services.claim(taken, worker)
    assert jobs.return_to_own_back_offices() == 0  # the water board has no back office yet

    wim = make_user("wim", (waterschap, Role.BACKOFFICE))
    ServiceNorm.objects.create(organisation=waterschap, channel=Channel.PHONE, working_days=10)
    assert jobs.return_to_own_back_offices() == 1
    assert jobs.return_to_own_back_offices() == 0  # once
    returned = Handover.objects.get(forwarded_from=waiting)
    assert returned.organisation == waterschap and returned.intended_for is None
    assert returned.due_on == waiting.due_on  # the date promised stands, though its own norm is longer
    assert list(services.visible_handovers(wim)) == [returned]
    taken.refresh_from_db()
    assert taken.is_open and taken.organisation == den_haag
    mail = OutgoingMail.objects.filter(to="a@b.nl").order_by("pk").last()
    assert mail is not None and "Hoogheemraadschap van Delfland werkt nu zelf met ANTWOORD." in mail.body
    note = HandoverEvent.objects.get(handover=waiting, kind=EventKind.FORWARDED).note
    assert (
        note
        == "Naar Hoogheemraadschap van Delfland: Hoogheemraadschap van Delfland werkt nu zelf met ANTWOORD."
    )


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


def test_the_back_offices_reminder_and_escalation_say_for_whom_it_works_the_question(
    contact: Contact, waterschap: Organisation, worker: User, manager: User
) -> None:
    routed = services.hand_over(
        contact, waterschap, requested_action=RequestedAction.CALL_BACK, phone="0612345678"
    )
    services.claim(routed, worker)
    jobs.remind_and_escalate(routed.due_on)
    jobs.remind_and_escalate(routed.due_on + timedelta(days=1))
    reminder, escalation = OutgoingMail.objects.order_by("pk")
    for mail in (reminder, escalation):
        assert "Uw organisatie behandelt deze vraag voor Hoogheemraadschap van Delfland." in mail.body
    assert (
        escalation.subject == f"Te laat: {routed.reference} (Den Haag, voor Hoogheemraadschap van Delfland)"
    )
