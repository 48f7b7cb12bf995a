"""The extra questions an organisation's back office asks with every handover (HandoverQuestion): the desk
asks them (the web form too: tests/web/test_handover_questions.py), the back office and the API show the answers as asked, a forward takes them along, the retention
erases them, and only the organisation's managers keep its questions."""

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
        ({}, "Stel deze vraag aan de beller; de backoffice heeft het antwoord nodig."),
        ({answer: "<script>alert(1)</script>"}, "gewone tekst, zonder HTML-codes"),
        ({answer: "x" * 501}, "niet meer dan 500 tekens"),
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
    district = HandoverQuestion.objects.create(
        organisation=amsterdam, text="In welk stadsdeel?", required=True
    )
    contact = started(agent_client)
    # Den Haag's questions were on the page; Amsterdam's own are asked once it is chosen.
    response = hand_over(agent_client, contact, amsterdam, **{f"extra_{plate.pk}": "12-ABC-3"})
    page = response.content.decode()
    assert response.status_code == 400 and "Vragen van Amsterdam" in page
    assert "In welk stadsdeel?" in page and PLATE not in page
    assert (
        hand_over(agent_client, contact, amsterdam, **{f"extra_{district.pk}": "Centrum"}).status_code == 302
    )
    assert Handover.objects.get().extra_answers == [["In welk stadsdeel?", "Centrum"]]


def test_the_api_hands_over_without_them_and_unknown_questions_are_refused(
    den_haag: Organisation, plate: HandoverQuestion
) -> None:
    by_api = services.start_contact(Channel.WEB, "Mijn kliko is kapot")  # as the API's handover does
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
