"""The extra questions an organisation's back office asks with every handover (HandoverQuestion): the desk
asks them (the web form too: tests/web/test_handover_questions.py), the back office and the API show the
answers as asked, a forward takes them along, the retention erases them, a stand-in asks its own, and only
the organisation's managers keep its questions."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.contacts import jobs, services
from antwoord.contacts.models import Channel, Handover, HandoverQuestion, RequestedAction
from antwoord.contacts.services import ContactError
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .test_views import hand_over, started

PLATE = "Welk kenteken heeft de auto?"
SINCE = "Sinds wanneer woont de beller op dit adres?"


@pytest.fixture
def plate(den_haag: Organisation) -> HandoverQuestion:
    HandoverQuestion.objects.create(organisation=den_haag, text=SINCE, position=2)
    return HandoverQuestion.objects.create(organisation=den_haag, text=PLATE, required=True, position=1)


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_desk_asks_the_back_offices_questions_and_the_back_office_reads_the_answers(
    agent_client: Client, den_haag: Organisation, plate: HandoverQuestion
) -> None:
    contact = started(agent_client)
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    assert "Vragen van Den Haag" in page and f">{PLATE}</label>" in page
    assert f">{SINCE} (niet verplicht)</label>" in page
    assert page.index(PLATE) < page.index(SINCE)  # in the order the back office chose

    answer = f"extra_{plate.pk}"
    for fields, message in (
        ({}, "Vraag dit na bij de inwoner; de backoffice heeft het antwoord nodig."),
        ({answer: "<script>alert(1)</script>"}, "Gebruik geen &lt; en &gt; in het antwoord."),
        ({answer: "x" * 501}, "Het antwoord is te lang. Gebruik hoogstens 500 tekens."),
    ):
        refused = hand_over(agent_client, contact, den_haag, **fields)
        assert refused.status_code == 400 and message in refused.content.decode()
        assert "<script>alert(1)" not in refused.content.decode()
        assert not Handover.objects.exists()

    assert hand_over(agent_client, contact, den_haag, **{answer: "  12-ABC-3 "}).status_code == 302
    handover = Handover.objects.get()
    assert handover.extra_answers == [[PLATE, "12-ABC-3"]]  # the one left empty is not kept

    plate.text = "Kenteken?"  # changed later: the answer stays with the question as it was asked
    plate.save()
    worker = _logged_in(make_user("bo", (den_haag, Role.BACKOFFICE)))
    detail = worker.get(reverse("contacts:handover-detail", args=[handover.reference])).content.decode()
    assert f"<dt>{PLATE}</dt><dd>12-ABC-3</dd>" in detail
    api = worker.get(f"/api/v1/handovers/{handover.reference}")
    assert api.json()["extra_answers"] == [{"question": PLATE, "answer": "12-ABC-3"}]


def test_the_questions_of_the_organisation_the_agent_chooses_are_asked(
    agent_client: Client, den_haag: Organisation, amsterdam: Organisation, plate: HandoverQuestion
) -> None:
    district = HandoverQuestion.objects.create(organisation=amsterdam, text="In welk stadsdeel?")  # optional
    contact = started(agent_client)
    # Den Haag's questions were on the page: Amsterdam's own are asked first once it is chosen, optional or not.
    shown_for_den_haag = {"questions_shown_for": str(den_haag.pk), f"extra_{plate.pk}": "12-ABC-3"}
    response = hand_over(agent_client, contact, amsterdam, **shown_for_den_haag)
    page = response.content.decode()
    assert response.status_code == 400 and "Stel eerst de vragen van Amsterdam." in page
    assert (
        "Vragen van Amsterdam" in page and "In welk stadsdeel? (niet verplicht)" in page and PLATE not in page
    )
    assert f'name="questions_shown_for" value="{amsterdam.pk}"' in page and not Handover.objects.exists()
    sent = hand_over(agent_client, contact, amsterdam, **{f"extra_{district.pk}": "Centrum"})
    assert sent.status_code == 302
    assert Handover.objects.get().extra_answers == [["In welk stadsdeel?", "Centrum"]]


def test_a_handover_without_answers_comes_without_them_and_unknown_questions_are_refused(
    den_haag: Organisation, plate: HandoverQuestion
) -> None:
    by_api = services.start_contact(Channel.WEB, "Mijn kliko is kapot")  # the API without `extra_answers`
    handover = services.hand_over(
        by_api, den_haag, requested_action=RequestedAction.ANSWER_BY_EMAIL, email="jan@example.nl"
    )
    assert handover.extra_answers == []
    other = services.start_contact(Channel.PHONE, "Mijn kliko is weer kapot")
    with pytest.raises(ContactError, match="hoort niet bij de gekozen organisatie"):
        services.hand_over(
            other,
            den_haag,
            requested_action=RequestedAction.CALL_BACK,
            phone="0701234567",
            extra_answers={0: "x"},
        )
    assert not other.handovers.exists()


def test_a_forward_takes_the_answers_along_and_the_retention_erases_them(
    den_haag: Organisation, amsterdam: Organisation, plate: HandoverQuestion
) -> None:
    contact = services.start_contact(Channel.PHONE, "Ik heb een boete gekregen")
    handover = services.hand_over(
        contact,
        den_haag,
        requested_action=RequestedAction.CALL_BACK,
        phone="0701234567",
        extra_answers={plate.pk: "12-ABC-3"},
    )
    worker = make_user("bo", (den_haag, Role.BACKOFFICE))
    successor = services.forward(handover, worker, amsterdam, "Boete is van Amsterdam")
    assert successor.extra_answers == [[PLATE, "12-ABC-3"]]
    handover.refresh_from_db()
    assert handover.extra_answers == []  # they went along, as the resident's details do
    services.answer_handover(successor, make_user("bo.ams", (amsterdam, Role.BACKOFFICE)), "Geregeld.")
    assert jobs.erase_personal_data(timezone.now() + timedelta(days=400)) >= 2
    for erased in (handover, successor):
        erased.refresh_from_db()
        assert erased.extra_answers == []


def test_only_the_organisations_managers_keep_its_questions(
    den_haag: Organisation, amsterdam: Organisation, agent_client: Client
) -> None:
    manager = _logged_in(make_user("regie", (den_haag, Role.MANAGER)))
    add = "/beheer/contacts/handoverquestion/add/"
    data = {"organisation": den_haag.pk, "text": PLATE, "required": "on", "position": "1"}
    before = HandoverQuestion.objects.count()  # the demo's
    assert manager.post(add, data).status_code == 302
    assert HandoverQuestion.objects.get(text=PLATE).organisation == den_haag
    html = manager.post(add, {**data, "text": "<b>Kenteken</b>"})
    assert html.status_code == 200 and "zonder HTML-codes" in html.content.decode()
    elsewhere = manager.post(add, {**data, "organisation": amsterdam.pk})
    assert elsewhere.status_code == 200 and HandoverQuestion.objects.count() == before + 1  # not his
    assert agent_client.post(add, data).status_code == 403
    assert HandoverQuestion.objects.count() == before + 1
    twice = manager.post(add, data)
    assert (
        twice.status_code == 200
        and "Deze vraag staat al in de lijst van deze organisatie." in twice.content.decode()
    )
    # Another organisation's question: not changed, not deleted.
    theirs = HandoverQuestion.objects.create(organisation=amsterdam, text="In welk stadsdeel?")
    change = f"/beheer/contacts/handoverquestion/{theirs.pk}/change/"
    assert manager.post(change, {**data, "text": "Gewijzigd"}).status_code == 403
    assert (
        manager.post(f"/beheer/contacts/handoverquestion/{theirs.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    theirs.refresh_from_db()
    assert theirs.text == "In welk stadsdeel?" and theirs.organisation == amsterdam


def test_a_stand_ins_back_office_asks_its_own_questions(
    den_haag: Organisation, amsterdam: Organisation
) -> None:
    """A handover for an organisation without a back office here is worked by its stand-in's: its questions."""
    make_user("bo", (den_haag, Role.BACKOFFICE))
    amsterdam.stand_in = den_haag
    amsterdam.save()
    HandoverQuestion.objects.create(
        organisation=amsterdam, text="Een vraag die hier niemand leest", required=True
    )
    plate = HandoverQuestion.objects.create(organisation=den_haag, text=PLATE, required=True)
    contact = services.start_contact(Channel.PHONE, "Ik heb een boete gekregen in Amsterdam")
    handover = services.hand_over(
        contact,
        amsterdam,
        requested_action=RequestedAction.CALL_BACK,
        phone="0701234567",
        extra_answers={plate.pk: "12-ABC-3"},
    )
    assert handover.organisation == den_haag and handover.extra_answers == [[PLATE, "12-ABC-3"]]


def test_an_organisation_id_that_is_no_number_asks_no_questions_and_is_refused(
    agent_client: Client, plate: HandoverQuestion
) -> None:
    contact = started(agent_client)
    url = reverse("desk:contact-handover", args=[contact.uuid])
    for odd in ("abc", "9" * 30, "<script>"):
        response = agent_client.post(
            url, {"organisation": odd, "requested_action": "terugbellen", "phone": "070 1234567"}
        )
        assert (
            response.status_code == 400 and "Kies een organisatie uit de lijst." in response.content.decode()
        )
    assert not Handover.objects.exists()
