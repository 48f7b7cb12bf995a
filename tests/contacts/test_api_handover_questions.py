"""The API asks the extra questions too: GET /handover-questions lists an organisation's, and POST /handovers
takes the answers in `extra_answers` (without it the handover comes without them)."""

from typing import Any

import pytest

from antwoord.accounts.models import User
from antwoord.contacts.models import Handover, HandoverQuestion
from antwoord.organisations.models import Organisation

from .conftest import client_for, register
from .test_api_handovers import hand_over

pytestmark = pytest.mark.django_db
PLATE = "Welk kenteken heeft de auto?"


@pytest.fixture
def plate(den_haag: Organisation) -> HandoverQuestion:
    HandoverQuestion.objects.create(organisation=den_haag, text="Hebt u al een vergunning?", position=2)
    return HandoverQuestion.objects.create(organisation=den_haag, text=PLATE, required=True, position=1)


def test_a_system_lists_the_questions_and_sends_the_answers(agent: User, plate: HandoverQuestion) -> None:
    client = client_for(agent)
    listed = client.get("/api/v1/handover-questions", {"organisation": "GM0518"})
    assert listed.status_code == 200
    assert [(q["question"], q["required"]) for q in listed.json()] == [
        (PLATE, True),
        ("Hebt u al een vergunning?", False),
    ]
    assert listed.json()[0]["id"] == plate.pk

    contact = register(client).json()["uuid"]
    missing = hand_over(client, contact, extra_answers={})
    assert missing.status_code == 400 and missing.json()["errors"]["extra_answers"] == [
        f"Beantwoord de vraag: {PLATE}"
    ]
    sent = hand_over(client, contact, extra_answers={str(plate.pk): "12-ABC-3"})
    assert sent.status_code == 201, sent.json()
    assert sent.json()["extra_answers"] == [{"question": PLATE, "answer": "12-ABC-3"}]


def test_without_extra_answers_the_handover_comes_without_them(agent: User, plate: HandoverQuestion) -> None:
    client = client_for(agent)
    sent = hand_over(client, register(client).json()["uuid"])
    assert sent.status_code == 201 and sent.json()["extra_answers"] == []


@pytest.mark.parametrize(
    ("extra_answers", "message"),
    [
        ({"kenteken": "12-ABC-3"}, "Gebruik als sleutel het nummer (id) van de vraag"),
        ({"999999": "x"}, "Deze aanvullende vraag hoort niet bij de gekozen organisatie."),
        ({"PLATE": 12}, "Dit moet tekst zijn."),
        (["12-ABC-3"], "Stuur een JSON-object met per vraag-id het antwoord"),
        ({"PLATE": "<script>alert(1)</script>"}, "Gebruik geen < en > in het antwoord."),
        ({"PLATE": "x" * 501}, "Het antwoord is te lang. Gebruik hoogstens 500 tekens."),
    ],
)
def test_wrong_extra_answers_are_refused_and_nothing_is_written(
    agent: User, plate: HandoverQuestion, extra_answers: Any, message: str
) -> None:
    if isinstance(extra_answers, dict) and "PLATE" in extra_answers:
        extra_answers = {str(plate.pk): extra_answers["PLATE"]}
    client = client_for(agent)
    refused = hand_over(client, register(client).json()["uuid"], extra_answers=extra_answers)
    assert refused.status_code == 400 and message in str(refused.json()), refused.json()
    assert not Handover.objects.exists()


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({}, 400),
        ({"organisation": "gm9999"}, 400),
        ({"organisation": "<script>"}, 400),
        ({"org": "gm0518"}, 400),
    ],
)
def test_the_questions_of_an_unknown_organisation_are_refused(
    agent: User, plate: HandoverQuestion, query: dict[str, str], status: int
) -> None:
    response = client_for(agent).get("/api/v1/handover-questions", query)
    assert response.status_code == status and "<script>" not in response.content.decode()
