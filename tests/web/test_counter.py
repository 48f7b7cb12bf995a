"""The resident's counter: question box, answer page, feedback, handover form, confirmation and status."""

import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.test import Client

from antwoord.accounts.models import Role
from antwoord.answers.engine.decide import Answer, Response
from antwoord.answers.models import Feedback
from antwoord.appointments.models import ServicePoint
from antwoord.catalogue.models import Offering, Status
from antwoord.contacts import services as contacts
from antwoord.contacts.models import Channel, Contact, Handover, Outcome, RequestedAction
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation, PlaceName, PlaceNameSource
from antwoord.web import services
from tests.conftest import make_article, make_user

pytestmark = pytest.mark.django_db
PARKING_QUESTION = {"q": "parkeervergunning aanvragen", "postcode": "2511"}


def _page(client: Client, url: str, params: dict[str, str] | None = None, status: int = 200) -> str:
    response = client.get(url, params or {})
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found is not None, "the page carries no signed token"
    return found.group(1)


def _handover_data(token: str, **fields: str) -> dict[str, str]:
    return {
        "token": token,
        "vraag": "Mag ik twee auto's op mijn vergunning?",
        "antwoord_via": RequestedAction.ANSWER_BY_EMAIL,
        "email": "inwoner@example.nl",
        **fields,
    }


# --- base page and question box -----------------------------------------------------------------------


def test_home_has_the_question_box_in_the_nl_design_system_layout(client: Client, counter: object) -> None:
    page = _page(client, "/")
    assert '<html lang="nl"' in page and 'class="voorbeeld-theme utrecht-body"' in page
    assert "vendor/tokens/theme.css" in page and "vendor/utrecht/index.css" in page
    assert 'href="#inhoud"' in page and 'id="inhoud"' in page
    assert 'action="/vraag"' in page and 'for="id_q"' in page and 'for="id_postcode"' in page
    assert 'hx-get="/vraag/suggesties"' in page and "Vraag stellen" in page
    assert "/kcc/" not in page and "/backoffice/" not in page


def test_staff_see_the_links_to_the_desk_and_the_back_office_their_role_opens(
    client: Client, den_haag: Organisation
) -> None:
    client.force_login(make_user("bo", (den_haag, Role.BACKOFFICE)))
    page = _page(client, "/")
    assert 'href="/backoffice/"' in page and 'href="/kcc/"' not in page
    client.force_login(make_user("kcc", (den_haag, Role.AGENT)))
    page = _page(client, "/")
    assert 'href="/kcc/"' in page and 'href="/backoffice/"' not in page


# --- answers -------------------------------------------------------------------------------------------


def test_the_place_decides_the_answer_and_the_contact_is_registered(
    client: Client, counter: dict[str, Offering], den_haag: Organisation
) -> None:
    page = _page(client, "/vraag", PARKING_QUESTION)
    assert "Parkeervergunning voor bewoners aanvragen" in page and "Den Haag" in page
    assert "<strong>parkeervergunning</strong>" in page  # the offering's Markdown, rendered
    assert 'href="https://www.denhaag.nl/parkeren"' in page and "Direct online aanvragen" in page
    assert 'href="tel:14070"' in page and "Was dit nuttig?" in page
    contact = Contact.objects.get()
    assert (contact.channel, contact.outcome, contact.agent) == (Channel.WEB, Outcome.ANSWERED, None)
    assert contact.municipality == den_haag and contact.ended_at is not None
    assert contact.answer_key == f"offering:{counter['den_haag_parking'].pk}"
    assert contact.engine_status == "answered"


def test_a_former_municipality_named_in_the_question_is_the_place(
    client: Client, counter: dict[str, Offering], den_haag: Organisation
) -> None:
    PlaceName.objects.create(name="Loosduinen", municipality=den_haag, source=PlaceNameSource.TOOI)
    page = _page(client, "/vraag", {"q": "ik woon in Loosduinen, hoe vraag ik een parkeervergunning aan"})
    assert "Parkeervergunning voor bewoners aanvragen" in page
    assert "(voor Den Haag, waar Loosduinen bij hoort)" in page
    assert Contact.objects.get().municipality == den_haag


def test_asked_where_they_live_a_resident_may_name_their_place(
    client: Client, counter: dict[str, Offering], den_haag: Organisation
) -> None:
    PlaceName.objects.create(name="Scheveningen", municipality=den_haag)
    page = _page(client, "/vraag", {"q": "parkeervergunning aanvragen", "postcode": "Scheveningen"})
    assert "Parkeervergunning voor bewoners aanvragen" in page and "(voor Den Haag" in page
    assert Contact.objects.get().municipality == den_haag
    suggestions = _page(client, "/vraag/suggesties", {"q": "parkeervergunning", "postcode": "den haag"})
    assert "Parkeervergunning voor bewoners aanvragen" in suggestions


def test_an_offering_that_needs_an_appointment_links_to_booking_where_we_have_a_counter(
    client: Client, counter: dict[str, Offering], den_haag: Organisation
) -> None:
    """Without a service point of ours the booking page could only say no: the resident is told to call."""
    without_counter = _page(client, "/vraag", {"q": "paspoort aanvragen", "postcode": "2511"})
    assert (
        "Maak een afspraak aan de balie" not in without_counter and "Bel Den Haag: 14 070" in without_counter
    )

    ServicePoint.objects.create(organisation=den_haag, key="spui", name="Stadhuis", address="Spui 70")
    page = _page(client, "/vraag", {"q": "paspoort aanvragen", "postcode": "2511"})
    assert f'href="/afspraken/nieuw/?aanbod={counter["den_haag_passport"].pk}"' in page
    assert "Maak een afspraak aan de balie" in page


def test_without_a_place_the_counter_asks_for_the_postcode(client: Client, counter: object) -> None:
    page = _page(client, "/vraag", {"q": "parkeervergunning aanvragen"})
    assert "Waar woont u?" in page and 'name="postcode"' in page
    assert "Postcode of woonplaats</label>" in page and "(niet verplicht)" not in page  # now it is needed
    assert 'value="parkeervergunning aanvragen"' in page  # the question stays filled in
    assert Contact.objects.get().outcome == Outcome.CLARIFIED


def test_an_unknown_postcode_is_asked_again(client: Client, counter: object) -> None:
    page = _page(client, "/vraag", {"q": "parkeervergunning aanvragen", "postcode": "9999"})
    assert "Postcode 9999 staat niet in onze lijst" in page and "Waar woont u?" in page


def test_an_unanswerable_question_goes_straight_to_the_handover_form(client: Client, counter: object) -> None:
    page = _page(client, "/vraag", {"q": "eenhoorn in de tuin houden"})
    assert "Wij sturen uw vraag door" in page and 'action="/vraag/doorsturen"' in page
    assert "Rijksoverheid" in page  # nobody else is responsible: the national government helps
    # ... and says how to reach it directly, for who would rather do that
    assert (
        'Liever zelf contact opnemen met Rijksoverheid? Bel 1400 of kijk op <a class="utrecht-link" href="https://www.rijksoverheid.nl"'
        in page
    )
    assert Contact.objects.get().outcome == Outcome.OPEN


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Vul uw vraag in."),
        ({"q": "  \t  "}, "Vul uw vraag in."),
        ({"q": "paspoort\x00"}, "zonder vreemde tekens"),
        ({}, "Vul uw vraag in."),
        ({"q": "x" * 10_000}, "Uw vraag is te lang"),
        ({"q": "paspoort", "postcode": "12ab"}, "Dit is geen geldige postcode"),
        ({"q": "paspoort", "postcode": "Atlantis"}, "Deze woonplaats kennen we niet"),
        ({"q": "paspoort", "postcode": "<script>alert(1)</script>"}, "Deze woonplaats kennen we niet"),
        ({"q": "paspoort", "postcode": "1" * 500}, "4 cijfers"),
        ({"q": "paspoort", "doelgroep": "hacker"}, "Kies inwoner of ondernemer."),
    ],
)
def test_bad_questions_get_a_dutch_message_and_register_nothing(
    client: Client, counter: object, params: dict[str, str], message: str
) -> None:
    page = _page(client, "/vraag", params, status=400)
    assert message in page and 'role="alert"' in page
    assert not Contact.objects.exists()


def test_html_in_a_question_is_shown_as_text(client: Client, counter: object) -> None:
    page = _page(client, "/vraag", {"q": "<script>alert(1)</script> paspoort"})
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_suggestions_show_likely_questions_and_register_nothing(client: Client, counter: object) -> None:
    page = _page(client, "/vraag/suggesties", {"q": "parkeervergunning", "postcode": "2511"})
    assert "Parkeervergunning voor bewoners aanvragen" in page
    assert "/vraag?q=Parkeervergunning+voor+bewoners+aanvragen&amp;postcode=2511" in page
    unfinished = _page(client, "/vraag/suggesties", {"q": "parkeer", "postcode": "2511"})
    assert "Parkeervergunning voor bewoners aanvragen" in unfinished
    assert _page(client, "/vraag/suggesties", {"q": "pa"}).strip() == ""
    assert _page(client, "/vraag/suggesties", {"q": "x" * 10_000, "postcode": "<b>"}).strip() == ""
    assert not Contact.objects.exists()


# --- was dit nuttig? -----------------------------------------------------------------------------------


def test_yes_records_a_vote_for_the_answer(client: Client, counter: dict[str, Offering]) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    response = client.post("/vraag/nuttig", {"token": token, "nuttig": "ja"})
    assert response.status_code == 200 and "Dank u wel" in response.content.decode()
    vote = Feedback.objects.get()
    assert vote.helpful and vote.document_key == f"offering:{counter['den_haag_parking'].pk}"


def test_no_records_a_vote_and_leads_to_the_handover_form(client: Client, counter: object) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    response = client.post("/vraag/nuttig", {"token": token, "nuttig": "nee"})
    assert response.status_code == 302 and response["Location"].startswith("/vraag/doorsturen?token=")
    assert not Feedback.objects.get().helpful
    form = _page(client, response["Location"])
    assert "Den Haag" in form and "parkeervergunning aanvragen</textarea>" in form
    Organisation.objects.filter(code="gm0518").update(phone="14 070", website="")
    assert "Liever zelf contact opnemen met Den Haag? Bel 14 070." in _page(client, response["Location"])
    assert "Wij gebruiken uw gegevens alleen" in form


@pytest.mark.parametrize("nuttig", ["", "misschien"])
def test_feedback_without_a_choice_is_refused(client: Client, counter: object, nuttig: str) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    assert client.post("/vraag/nuttig", {"token": token, "nuttig": nuttig}).status_code == 400
    assert not Feedback.objects.exists()


def test_feedback_with_a_tampered_token_is_refused(client: Client, counter: object) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    response = client.post("/vraag/nuttig", {"token": token[:-2] + "xx", "nuttig": "ja"})
    assert response.status_code == 400 and "verlopen of klopt niet" in response.content.decode()
    assert client.get("/vraag/nuttig").status_code == 405
    assert not Feedback.objects.exists()


# --- handover ------------------------------------------------------------------------------------------


def test_handover_by_email_gives_a_reference_a_dutch_date_and_a_status_link(
    client: Client, counter: object, den_haag: Organisation
) -> None:
    make_user("bo", (den_haag, Role.BACKOFFICE))
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    response = client.post("/vraag/doorsturen", _handover_data(token, naam="  Ina   de Vries "))
    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/vraag/doorgestuurd/{handover.reference}/{handover.status_secret}/"
    assert handover.organisation == den_haag and handover.requested_action == RequestedAction.ANSWER_BY_EMAIL
    assert (handover.resident_email, handover.resident_phone, handover.resident_name) == (
        "inwoner@example.nl",
        "",
        "Ina de Vries",
    )
    # The register keeps what was asked; the resident's new wording goes with the handover.
    assert handover.contact.question == "parkeervergunning aanvragen"
    assert contacts.handover_note(handover) == "Mag ik twee auto's op mijn vergunning?"
    assert handover.contact.outcome == Outcome.HANDED_OVER
    assert OutgoingMail.objects.get().to == "inwoner@example.nl"

    page = _page(client, response["Location"])
    assert handover.reference in page
    assert _dutch(handover.due_on) in page
    assert f'href="/status/{handover.reference}/{handover.status_secret}/"' in page


def test_no_date_is_promised_for_an_organisation_nobody_here_works_for(
    client: Client, counter: object, den_haag: Organisation
) -> None:
    """Den Haag has no back office in ANTWOORD (and no stand-in): the question is kept, but the resident is not
    told a date nobody will keep; he is pointed to Den Haag itself, before and after sending and in the mail."""
    not_here = "Den Haag beantwoordt nog geen vragen via ANTWOORD."
    kept = f"{not_here} Wij hebben uw vraag bewaard, maar wij weten niet wanneer u antwoord krijgt."
    form = _page(client, "/vraag/doorsturen", {"token": _token(_page(client, "/vraag", PARKING_QUESTION))})
    assert f"{not_here} Als u uw vraag verstuurt, bewaren wij die." in form
    assert "Bel 14 070" in form and "helpt u verder" not in form
    response = client.post("/vraag/doorsturen", _handover_data(_token(form)))
    handover = Handover.objects.get()
    done = _page(client, response["Location"])
    assert "Uw vraag is bewaard" in done and kept in done and "Bel 14 070" in done
    assert "antwoordt uiterlijk" not in done and _dutch(handover.due_on) not in done
    mail = OutgoingMail.objects.get().body
    assert "Wij hebben uw vraag ontvangen.\n" in mail and "doorgegeven aan" not in mail
    assert kept in mail and "Neem dan zelf contact op met Den Haag: bel 14 070." in mail
    assert "uiterlijk" not in mail
    status = _page(client, f"/status/{handover.reference}/{handover.status_secret}/")
    assert "<dd>Nog niet bekend</dd>" in status and kept in status
    # Once Den Haag works with ANTWOORD, its deadline holds again.
    make_user("bo", (den_haag, Role.BACKOFFICE))
    status = _page(client, f"/status/{handover.reference}/{handover.status_secret}/")
    assert _dutch(handover.due_on) in status and not_here not in status
    # The link is the key: the page stays out of caches and search engines.
    for url in (response["Location"], f"/status/{handover.reference}/{handover.status_secret}/"):
        headers = client.get(url).headers
        assert "no-store" in headers["Cache-Control"] and headers["X-Robots-Tag"] == "noindex, nofollow"


def _dutch(day: date) -> str:
    weekdays = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    months = "januari februari maart april mei juni juli augustus september oktober november december"
    return f"{weekdays[day.weekday()]} {day.day} {months.split()[day.month - 1]} {day.year}"


def test_a_call_back_needs_only_the_phone_number(client: Client, counter: object) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    data = _handover_data(token, antwoord_via=RequestedAction.CALL_BACK, telefoon="070 123 45 67")
    assert client.post("/vraag/doorsturen", data).status_code == 302
    handover = Handover.objects.get()
    assert (handover.resident_phone, handover.resident_email) == ("070 123 45 67", "")
    assert not OutgoingMail.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": ""}, "Vul uw e-mailadres in"),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in"),
        ({"email": "<script>@x"}, "Vul een geldig e-mailadres in"),
        ({"email": "jan@localhost"}, "Vul een geldig e-mailadres in"),  # no answer would arrive there
        ({"email": "jan@[10.0.0.1]"}, "Vul een geldig e-mailadres in"),
        ({"antwoord_via": RequestedAction.CALL_BACK}, "Vul uw telefoonnummer in"),
        ({"antwoord_via": RequestedAction.CALL_BACK, "telefoon": "bel me"}, "geldig telefoonnummer"),
        ({"antwoord_via": "duif"}, "Kies per e-mail of terugbellen."),
        ({"vraag": ""}, "Vul uw vraag in."),
        ({"vraag": "x" * 10_000}, "Uw vraag is te lang"),
        ({"naam": "n" * 500}, "Uw naam is te lang"),
        ({"naam": "12345 <img src=x>"}, "Gebruik in uw naam alleen letters"),
    ],
)
def test_bad_handover_input_gets_a_dutch_message_and_writes_nothing(
    client: Client, counter: object, fields: dict[str, str], message: str
) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    response = client.post("/vraag/doorsturen", _handover_data(token, **fields))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Handover.objects.exists() and not OutgoingMail.objects.exists()
    contact = Contact.objects.get()
    assert contact.question == "parkeervergunning aanvragen" and contact.outcome == Outcome.ANSWERED


@pytest.mark.parametrize("token", ["", "123", "eyJjIjoiMSJ9:abc:def"])
def test_a_made_up_token_cannot_touch_any_contact(client: Client, counter: object, token: str) -> None:
    _page(client, "/vraag", PARKING_QUESTION)
    assert client.get("/vraag/doorsturen", {"token": token}).status_code == 400
    response = client.post("/vraag/doorsturen", _handover_data(token))
    assert response.status_code == 400 and "Stel uw vraag opnieuw" in response.content.decode()
    assert not Handover.objects.exists()


def test_a_token_for_an_other_channel_contact_is_refused(client: Client, counter: object) -> None:
    phone_contact = contacts.start_contact(Channel.PHONE, "Iemands eigen vraag")
    forged = services.sign(phone_contact, "", None)
    assert client.post("/vraag/doorsturen", _handover_data(forged)).status_code == 400
    old = signing.dumps({"c": str(phone_contact.uuid)}, salt="andere-salt")
    assert client.post("/vraag/doorsturen", _handover_data(old)).status_code == 400
    assert not Handover.objects.exists()


def test_the_same_question_is_handed_over_once(client: Client, counter: object) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    assert client.post("/vraag/doorsturen", _handover_data(token)).status_code == 302
    again = client.post("/vraag/doorsturen", _handover_data(token))
    assert again.status_code == 409 and "al doorgestuurd" in again.content.decode()
    assert client.get("/vraag/doorsturen", {"token": token}).status_code == 409
    assert Handover.objects.count() == 1


def test_the_form_sent_twice_at_once_says_it_went_through(
    client: Client, counter: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second request passed the first check while the first was still handing the question over."""
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    hand_over = services.hand_over_from_the_web

    def the_other_request_first(signed: services.ContactToken, **fields: Any) -> object:
        hand_over(signed, **fields)
        return hand_over(signed, **fields)

    monkeypatch.setattr(services, "hand_over_from_the_web", the_other_request_first)
    again = client.post("/vraag/doorsturen", _handover_data(token))
    assert again.status_code == 409 and "al doorgestuurd" in again.content.decode()
    assert "Dit contact" not in again.content.decode() and Handover.objects.count() == 1


# --- the responsible organisation ----------------------------------------------------------------------


def _answer(code: str) -> Answer:
    return Answer("k", "offering", "s", "", "t", {"code": code, "name": code})


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (Response("handover", 0, "", handover_to={"code": "gm0599"}, place={"code": "gm0518"}), "gm0599"),
        (Response("answered", 1, "", answer=_answer("gm0518"), place={"code": "gm0599"}), "gm0518"),
        (Response("handover", 0, "", handover_to={"code": "gm9999"}, place={"code": "gm0599"}), "gm0599"),
        (Response("handover", 0, "", answer=_answer(""), place={"code": "gm0518"}), "gm0518"),
        (Response("handover", 0, ""), "rijksoverheid"),
        (Response("handover", 0, "", handover_to={"code": "onbekend"}), "rijksoverheid"),
    ],
)
def test_who_gets_a_handed_over_question(counter: object, response: Response, expected: str) -> None:
    found = services.responsible_organisation(response)
    assert found is not None and found.code == expected


def test_without_any_organisation_nobody_is_named(db: None) -> None:
    assert services.responsible_organisation(Response("handover", 0, "")) is None


# --- status page ---------------------------------------------------------------------------------------


def _handed_over(client: Client) -> Handover:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    client.post("/vraag/doorsturen", _handover_data(token))
    return Handover.objects.get()


def test_the_status_page_follows_the_handover_until_it_is_answered(
    client: Client, counter: object, den_haag: Organisation, rotterdam: Organisation
) -> None:
    worker = make_user("bo", (den_haag, Role.BACKOFFICE))
    handover = _handed_over(client)
    handover.due_on = date(2026, 12, 4)
    handover.save(update_fields=["due_on"])
    url = f"/status/{handover.reference}/{handover.status_secret}/"
    page = _page(client, url)
    assert "Ontvangen" in page and "vrijdag 4 december 2026" in page and "Den Haag" in page
    assert "Mag ik twee auto&#x27;s op mijn vergunning?" in page  # as the resident reworded it when sending

    contacts.claim(handover, worker)
    assert "In behandeling" in _page(client, url)

    successor = contacts.forward(handover, worker, rotterdam, "Gaat over Rotterdam")
    page = _page(client, url)
    assert "Doorgestuurd" not in page and "In behandeling" not in page and "Ontvangen" in page
    assert "doorgestuurd van Den Haag naar Rotterdam" in page

    rotterdam_worker = make_user("rbo", (rotterdam, Role.BACKOFFICE))
    back = contacts.forward(successor, rotterdam_worker, den_haag, "Toch Den Haag")
    assert "doorgestuurd van Rotterdam naar Den Haag" in _page(
        client, url
    )  # not "van Den Haag naar Den Haag"
    contacts.answer_handover(
        back,
        worker,
        "Ja, dat mag als de auto <3500 kg weegt & van u is.\nZie https://www.denhaag.nl/parkeren.",
    )
    page = _page(client, url)
    assert "Beantwoord" in page and "Ja, dat mag als de auto &lt;3500 kg weegt &amp; van u is." in page
    assert '<a href="https://www.denhaag.nl/parkeren" rel="nofollow">' in page  # a link in the answer works


def test_a_question_for_an_organisation_not_yet_in_antwoord_says_who_works_it(
    client: Client, counter: object, national: Organisation, den_haag: Organisation
) -> None:
    """Until the responsible organisation has a back office here, its stand-in's does the work: the resident is
    told so before sending, on the confirmation, in the mail and on the status page."""
    national.stand_in = den_haag
    national.save(update_fields=["stand_in"])
    worker = make_user("bo", (den_haag, Role.BACKOFFICE))
    page = _page(client, "/vraag", {"q": "eenhoorn in de tuin houden"})
    said = "Uw vraag is voor Rijksoverheid. Die organisatie werkt nog niet met ANTWOORD."
    assert f"{said} Daarom helpt een medewerker van <strong>Den Haag</strong> u verder." in page
    assert "Liever zelf contact opnemen met Rijksoverheid? Bel 1400" in page
    response = client.post("/vraag/doorsturen", _handover_data(_token(page)))
    handover = Handover.objects.get()
    assert handover.organisation == den_haag and handover.intended_for == national
    done = _page(client, response["Location"])
    assert f"{said} Daarom behandelt Den Haag uw vraag. Den Haag antwoordt uiterlijk op" in done
    assert f"{said} Daarom behandelt Den Haag uw vraag." in OutgoingMail.objects.get().body
    url = f"/status/{handover.reference}/{handover.status_secret}/"
    assert f"{said} Daarom behandelt Den Haag uw vraag." in _page(client, url)
    # Once the national government works with ANTWOORD itself, Den Haag sends the question on to it.
    make_user("rijk", (national, Role.BACKOFFICE))
    contacts.forward(handover, worker, national, "Werkt nu zelf met ANTWOORD")
    status = _page(client, url)
    assert "Rijksoverheid werkt nu zelf met ANTWOORD en behandelt uw vraag." in status and said not in status
    # The confirmation page of the first handover now leads to where the question stands.
    again = client.get(response["Location"])
    assert again.status_code == 302 and again["Location"] == url


def test_a_wrong_reference_or_secret_is_simply_not_found(client: Client, counter: object) -> None:
    handover = _handed_over(client)
    other = "A-ZZZZZZZZ" if handover.reference != "A-ZZZZZZZZ" else "A-YYYYYYYY"
    # The secret is random and may itself end in "x"; change its last character for sure.
    changed_last = "y" if handover.status_secret.endswith("x") else "x"
    for url in (
        f"/status/{handover.reference}/{handover.status_secret[:-1]}{changed_last}/",
        f"/status/{other}/{handover.status_secret}/",
        f"/status/{handover.reference}/%3Cscript%3E/",
        f"/vraag/doorgestuurd/{handover.reference}/fout/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        # The same words for any wrong half, and what to do about it.
        assert "Gebruik de hele link uit de e-mail" in response.content.decode(), url
    assert client.get(f"/status/{handover.reference.lower()}/{handover.status_secret}/").status_code == 200


def test_the_no_button_link_carries_only_the_token(client: Client, counter: object) -> None:
    page = _page(client, "/vraag", PARKING_QUESTION)
    link = re.search(r'href="(/vraag/doorsturen\?[^"]+)"', page)
    assert link is not None
    assert set(parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)) == {"token"}


def test_an_article_answer_is_rendered_safely(
    client: Client, counter: object, national: Organisation
) -> None:
    make_article(
        national,
        "Hoe lang is mijn rijbewijs geldig?",
        answer="Een rijbewijs is **tien jaar** geldig.<script>alert(1)</script>",
        status=Status.PUBLISHED,
    )
    page = _page(client, "/vraag", {"q": "hoe lang is mijn rijbewijs geldig"})
    assert "<strong>tien jaar</strong>" in page and "<script>alert" not in page
    assert "Dit antwoord komt van <strong>Rijksoverheid</strong>" in page


def test_a_reload_is_still_one_contact_but_a_new_question_is_another(client: Client, counter: object) -> None:
    first = _page(client, "/vraag", PARKING_QUESTION)
    again = _page(client, "/vraag", PARKING_QUESTION)
    assert Contact.objects.count() == 1 and "Parkeervergunning voor bewoners aanvragen" in again
    assert client.post("/vraag/nuttig", {"token": _token(again), "nuttig": "nee"}).status_code == 302
    assert client.post("/vraag/doorsturen", _handover_data(_token(first))).status_code == 302
    _page(client, "/vraag", PARKING_QUESTION)  # the first was handed over: asking again is a new contact
    _page(client, "/vraag", {"q": "paspoort aanvragen", "postcode": "2511"})
    assert Contact.objects.count() == 3
    assert Client().get("/vraag", PARKING_QUESTION).status_code == 200  # another visitor: their own contact
    assert Contact.objects.count() == 4


def test_a_resident_may_explain_the_question_at_length_for_a_person(client: Client, counter: object) -> None:
    """The handover form's question goes to a person: longer than a search, as long as a contact's question."""
    explained = ("Ik heb twee auto's en werk in ploegendiensten. " * 40).strip()
    assert 1500 < len(explained) <= 2000
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    response = client.post("/vraag/doorsturen", _handover_data(token, vraag=explained))
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert contacts.question_as_sent(handover) == explained
    too_long = _token(_page(client, "/vraag", {"q": "eenhoorn in de tuin houden"}))
    refused = client.post("/vraag/doorsturen", _handover_data(too_long, vraag="x" * 2001))
    assert refused.status_code == 400 and "hoogstens 2000 tekens" in refused.content.decode()
