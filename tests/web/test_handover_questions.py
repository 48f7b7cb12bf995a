"""The resident answers the questions of the organisation his question goes to on the web handover form."""

import pytest
from django.test import Client

from antwoord.contacts.models import Handover, HandoverQuestion
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation

from .test_counter import PARKING_QUESTION, _handover_data, _page, _token

pytestmark = pytest.mark.django_db
PLATE = "Welk kenteken heeft uw auto?"


def test_the_resident_answers_the_organisations_questions_on_the_web(
    client: Client, counter: object, den_haag: Organisation
) -> None:
    plate = HandoverQuestion.objects.create(organisation=den_haag, text=PLATE, required=True)
    HandoverQuestion.objects.create(organisation=den_haag, text="Hebt u al een vergunning?")
    page = _page(client, "/vraag/doorsturen", {"token": _token(_page(client, "/vraag", PARKING_QUESTION))})
    assert "Vragen van Den Haag" in page and f">{PLATE}</label>" in page
    assert ">Hebt u al een vergunning? (niet verplicht)</label>" in page

    token = _token(page)
    answer = f"extra_{plate.pk}"
    for fields, message in (
        ({}, "Beantwoord deze vraag."),
        ({answer: "<script>alert(1)</script>"}, "Gebruik geen &lt; en &gt; in het antwoord."),
        ({answer: "x" * 501}, "Het antwoord is te lang. Gebruik hoogstens 500 tekens."),
    ):
        refused = client.post("/vraag/doorsturen", _handover_data(token, **fields))
        assert refused.status_code == 400 and message in refused.content.decode()
        assert "<script>alert(1)" not in refused.content.decode()
        assert not Handover.objects.exists() and not OutgoingMail.objects.exists()

    sent = client.post("/vraag/doorsturen", _handover_data(token, **{answer: "12-ABC-3"}))
    assert sent.status_code == 302
    assert Handover.objects.get().extra_answers == [[PLATE, "12-ABC-3"]]


def test_the_answer_page_asks_them_too_when_it_shows_the_handover_form(
    client: Client, counter: object, den_haag: Organisation
) -> None:
    HandoverQuestion.objects.create(organisation=den_haag, text=PLATE, required=True)
    page = _page(client, "/vraag", {"q": "mijn buurman zaagt elke nacht hout", "postcode": "2511"})
    assert 'action="/vraag/doorsturen"' in page, "the engine did not hand this question over"
    assert "Vragen van Den Haag" in page and PLATE in page
