"""The agent desk through the test client: search, start a contact, close it or hand it over."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from antwoord.accounts.models import Role, User
from antwoord.catalogue.models import Article, Status
from antwoord.contacts import routing
from antwoord.contacts import services as contacts
from antwoord.contacts.models import Channel, Contact, Handover, Outcome, Priority
from antwoord.organisations.models import Organisation, PlaceName, PlaceNameSource
from tests.conftest import make_user

PARKING = "Hoe vraag ik een parkeervergunning aan?"


def start(client: Client, **fields: str) -> Any:
    data = {"channel": "telefoon", "question": PARKING, "postcode": "2511", "audience": "burger", **fields}
    return client.post(reverse("desk:contact-start"), data)


def started(client: Client, **fields: str) -> Contact:
    response = start(client, **fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Contact.objects.get(uuid=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def hand_over(client: Client, contact: Contact, organisation: Organisation, **fields: object) -> Any:
    """The desk's handover form, filled in as for a call-back unless `fields` say otherwise, sent from a page
    that showed the chosen organisation's extra questions."""
    data = {
        "organisation": organisation.pk,
        "questions_shown_for": str(routing.receiving_organisation(organisation).pk),
        "requested_action": "terugbellen",
        "priority": 2,
        "phone": "0701234567",
    }
    return client.post(reverse("desk:contact-handover", args=[contact.uuid]), {**data, **fields})


def first_answer_key(client: Client, contact: Contact) -> str:
    page = client.get(reverse("desk:contact", args=[contact.uuid]))
    assert page.status_code == 200
    answers = page.context["answers"]
    assert answers, "the engine found no answer"
    key = str(answers[0][0].key)
    assert f'value="{key}" checked' in page.content.decode()  # the engine's answer is ticked
    return key


# --- access ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/kcc/", "/kcc/register/", "/backoffice/", "/backoffice/A-ABCDEFGH/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str, db: None) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/kcc/inloggen/?next=")


def test_staff_without_the_role_get_403(client: Client, den_haag: Organisation) -> None:
    client.force_login(make_user("redacteur", (den_haag, Role.EDITOR)))
    assert client.get(reverse("desk:home")).status_code == 403
    assert client.post(reverse("desk:contact-start"), {}).status_code == 403
    assert client.get(reverse("desk:register")).status_code == 403


def test_login_sends_an_agent_to_the_desk_and_back_office_staff_to_the_queue(
    client: Client, agent: User, den_haag: Organisation
) -> None:
    page = client.get(reverse("desk:login"))
    assert page.status_code == 200 and "Inloggen" in page.content.decode()
    wrong = client.post(reverse("desk:login"), {"username": "kcc.denhaag", "password": "fout"})
    assert wrong.status_code == 200 and "klopt niet" in wrong.content.decode()
    right = client.post(
        reverse("desk:login"), {"username": "kcc.denhaag", "password": "geheim-wachtwoord-123"}
    )
    assert right["Location"] == reverse("desk:home")
    assert client.post(reverse("desk:logout"))["Location"] == reverse("desk:login")
    make_user("bo.denhaag", (den_haag, Role.BACKOFFICE))
    back = client.post(reverse("desk:login"), {"username": "bo.denhaag", "password": "geheim-wachtwoord-123"})
    assert back["Location"] == reverse("contacts:queue")


def test_login_sends_an_editor_to_the_admin(client: Client, den_haag: Organisation) -> None:
    make_user("redacteur", (den_haag, Role.EDITOR))
    login = {"username": "redacteur", "password": "geheim-wachtwoord-123"}
    assert client.post(reverse("desk:login"), login)["Location"] == reverse("admin:index")


def test_the_staff_pages_and_the_admin_link_to_each_other(client: Client, den_haag: Organisation) -> None:
    client.force_login(make_user("manager", (den_haag, Role.MANAGER)))
    figures = client.get(reverse("contacts:figures")).content.decode()
    assert f'href="{reverse("admin:index")}">Beheer</a>' in figures
    admin_index = client.get(reverse("admin:index")).content.decode()
    assert (
        "Uw werkplek" in admin_index
        and f'href="{reverse("contacts:figures")}">Stuurinformatie' in admin_index
    )
    assert f'href="{reverse("desk:home")}"' not in admin_index  # only the pages the person may open


# --- searching ------------------------------------------------------------------------------------------


def test_the_desk_speaks_to_the_agent_not_to_the_resident(agent_client: Client) -> None:
    # (Not a question naming a country: the synonyms make it "buitenland", which demo texts speak of.)
    page = agent_client.get(reverse("desk:home"), {"q": "hoeveel poten heeft een spin"}).content.decode()
    assert "Geen goed antwoord gevonden" in page and "uw vraag door" not in page
    page = agent_client.get(reverse("desk:home"), {"q": "parkeervergunning aanvragen"}).content.decode()
    assert "vraag de postcode of woonplaats" in page


def test_search_shows_the_note_for_agents(agent_client: Client) -> None:
    Article.objects.create(
        owner=Organisation.objects.get(code="rijksoverheid"),
        question="Mag ik een eenhoorn houden in mijn tuin?",
        answer="Nee, een eenhoorn is een fabeldier.",
        agent_note="Vraag of de beller een pony bedoelt.",
        status=Status.PUBLISHED,
    )
    page = agent_client.get(reverse("desk:home"), {"q": "eenhoorn houden in de tuin"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mag ik een eenhoorn houden in mijn tuin?" in html
    assert "Vraag of de beller een pony bedoelt." in html
    assert html.count('id="id_postcode"') == 1 and html.count('id="zoek-postcode"') == 1


# --- closing --------------------------------------------------------------------------------------------


def test_an_agents_phone_contact_marked_beantwoord_is_in_the_register_as_answered_at_first_contact(
    agent_client: Client, agent: User, den_haag: Organisation
) -> None:
    contact = started(agent_client)
    assert contact.started_at is not None and contact.ended_at is None
    key = first_answer_key(agent_client, contact)
    closed = agent_client.post(
        reverse("desk:contact-close", args=[contact.uuid]), {"outcome": "beantwoord", "answer_key": key}
    )
    assert closed.status_code == 302

    contact.refresh_from_db()
    assert contact.outcome == Outcome.ANSWERED and contact.channel == Channel.PHONE
    assert contact.agent == agent and contact.taken_by == den_haag and not contact.is_automated
    assert contact.ended_at is not None and contact.ended_at >= contact.started_at
    assert contact.answer_key == key and contact.answer_title
    register = agent_client.get(reverse("desk:register"), {"kanaal": "telefoon", "uitkomst": "beantwoord"})
    assert list(register.context["page"].object_list) == [contact]
    assert "Beantwoord bij eerste contact" in register.content.decode()


def test_the_start_form_sent_again_opens_the_same_contact(agent_client: Client) -> None:
    first = started(agent_client)
    again = start(agent_client)  # the back button and "Contact starten" once more
    assert again.status_code == 302 and again["Location"] == reverse("desk:contact", args=[first.uuid])
    assert Contact.objects.count() == 1
    started(agent_client, question="Een andere vraag over parkeren")  # another question is another contact
    assert Contact.objects.count() == 2


def test_clarified_and_abandoned_need_no_answer(agent_client: Client) -> None:
    for outcome in (Outcome.CLARIFIED, Outcome.ABANDONED):
        contact = started(agent_client)
        response = agent_client.post(reverse("desk:contact-close", args=[contact.uuid]), {"outcome": outcome})
        assert response.status_code == 302
        contact.refresh_from_db()
        assert contact.outcome == outcome and contact.ended_at is not None


# --- handing over ---------------------------------------------------------------------------------------


def test_the_desk_hands_over_to_the_suggested_organisation_with_a_deadline(
    agent_client: Client, agent: User, den_haag: Organisation
) -> None:
    contact = started(agent_client)
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    assert page.context["suggestion"] == den_haag
    assert f'<option value="{den_haag.pk}" selected>' in page.content.decode()
    assert f'name="questions_shown_for" value="{den_haag.pk}"' in page.content.decode()  # its questions shown
    response = agent_client.post(
        reverse("desk:contact-handover", args=[contact.uuid]),
        {
            "organisation": den_haag.pk,
            "questions_shown_for": den_haag.pk,
            "requested_action": "terugbellen",
            "priority": Priority.HIGH,
            "name": "Fatima de Vries",
            "phone": "070 123 4567",
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.organisation == den_haag and handover.priority == Priority.HIGH
    assert handover.due_on == routing.due_date(den_haag, Channel.PHONE, handover.created_at.date())
    assert handover.events.get().actor == agent
    contact.refresh_from_db()
    assert contact.outcome == Outcome.HANDED_OVER and contact.ended_at is not None
    followed = agent_client.get(response["Location"])
    assert handover.reference in followed.content.decode()
    assert f"kenmerk {handover.reference}, uiterlijk" in followed.content.decode()
    assert ": nieuw</dd>" in followed.content.decode()  # the resident who calls back hears where it stands
    # The engine's answer was not used: it is shown as what the engine found, here and in the register.
    assert contact.answer_title and "Gebruikt antwoord" not in followed.content.decode()
    assert f"<dd>{contact.answer_title}</dd>" in followed.content.decode().replace("&#x27;", "'")
    assert f"{contact.answer_title} (voorstel)" in agent_client.get(reverse("desk:register")).content.decode()


def test_the_back_offices_answer_shows_on_the_contact_for_the_desk_that_took_it(
    agent_client: Client, den_haag: Organisation
) -> None:
    contact = started(agent_client, caller_name="Fatima de Vries", caller_phone="070 123 4567")
    hand_over(agent_client, contact, den_haag)
    handover = Handover.objects.get()
    contacts.answer_handover(
        handover, make_user("bo", (den_haag, Role.BACKOFFICE)), "U kunt twee auto's aanmelden."
    )
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    assert ": afgehandeld op " in page and "Antwoord: U kunt twee auto&#x27;s aanmelden." in page


def test_a_reference_read_out_by_a_caller_finds_where_the_question_stands(
    agent_client: Client, den_haag: Organisation, amsterdam: Organisation
) -> None:
    contact = started(agent_client)
    hand_over(agent_client, contact, den_haag)
    handover = Handover.objects.get()
    worker = make_user("bo", (den_haag, Role.BACKOFFICE))
    successor = contacts.forward(handover, worker, amsterdam, "Gaat over Amsterdam")
    spoken = f"{handover.reference[:6].lower()} {handover.reference[6:].lower()}"  # "a-4682 hucw"
    page = agent_client.get(reverse("desk:home"), {"q": spoken}).content.decode()
    assert f"Vraag {successor.reference}" in page and "doorgestuurd van Den Haag" in page
    assert "Resultaten" not in page  # no answer search for a reference
    # Another organisation's desk learns nothing from a reference that is not its own.
    stranger = Client()
    stranger.force_login(make_user("kcc.elders", (Organisation.objects.get(code="gm0014"), Role.AGENT)))
    other = stranger.get(reverse("desk:home"), {"q": handover.reference}).content.decode()
    assert (
        f"Vraag {successor.reference}" not in other and handover.reference not in other.split("</form>")[-1]
    )


def test_the_agents_note_stays_off_the_residents_status_page(
    agent_client: Client, den_haag: Organisation
) -> None:
    contact = started(agent_client)
    hand_over(agent_client, contact, den_haag, note="Beller klonk boos; eerder al twee keer gebeld.")
    handover = Handover.objects.get()
    page = Client().get(f"/status/{handover.reference}/{handover.status_secret}/").content.decode()
    assert contact.question in page and "Beller klonk boos" not in page


def test_the_agent_may_choose_another_organisation(agent_client: Client, amsterdam: Organisation) -> None:
    contact = started(agent_client)
    response = hand_over(agent_client, contact, amsterdam, requested_action="email", email="a@example.org")
    assert response.status_code == 302
    assert Handover.objects.get().organisation == amsterdam


def test_a_province_and_a_municipality_of_the_same_name_differ_in_the_handover_list(
    agent_client: Client,
) -> None:
    html = agent_client.get(reverse("desk:contact", args=[started(agent_client).uuid])).content.decode()
    assert ">Groningen (gemeente)</option>" in html and ">Groningen (provincie)</option>" in html


def test_a_place_the_caller_names_in_the_question_becomes_the_contacts_place(
    agent_client: Client, den_haag: Organisation
) -> None:
    contact = started(agent_client, postcode="", question="parkeervergunning aanvragen in Den Haag")
    assert contact.municipality == den_haag and contact.engine_status == "answered"


def test_the_caller_may_give_a_former_municipality_or_village(
    agent_client: Client, den_haag: Organisation
) -> None:
    PlaceName.objects.create(name="Loosduinen", municipality=den_haag, source=PlaceNameSource.TOOI)
    contact = started(agent_client, postcode="", municipality="loosduinen")
    assert contact.municipality == den_haag


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"question": ""}, "Vul de vraag van de inwoner in."),
        ({"question": "x" * 10_000}, "niet meer dan 2000 tekens"),
        ({"channel": "fax"}, "Kies een mogelijkheid uit de lijst."),
        ({"postcode": "9999"}, "9999"),
        ({"postcode": "", "municipality": "Atlantis"}, "Atlantis"),
    ],
)
def test_a_bad_start_is_refused_with_a_message(
    agent_client: Client, fields: dict[str, str], message: str
) -> None:
    response = start(agent_client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_bad_closing_input_is_refused_and_nothing_is_written(agent_client: Client) -> None:
    contact = started(agent_client)
    url = reverse("desk:contact-close", args=[contact.uuid])
    for data, message in (
        ({"outcome": "beantwoord"}, "Kies het antwoord"),
        ({"outcome": "beantwoord", "answer_key": "article:verzonnen"}, "uit de lijst"),
        ({"outcome": "gewonnen"}, "Kies een mogelijkheid uit de lijst."),
        ({"outcome": "afgebroken", "note": "x" * 10_000}, "niet meer dan 5000 tekens"),
    ):
        response = agent_client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode()
    contact.refresh_from_db()
    assert contact.outcome == Outcome.OPEN and contact.ended_at is None


def test_a_contact_is_closed_or_handed_over_once(agent_client: Client, den_haag: Organisation) -> None:
    contact = started(agent_client)
    close_url = reverse("desk:contact-close", args=[contact.uuid])
    assert agent_client.post(close_url, {"outcome": "afgebroken"}).status_code == 302
    again = agent_client.post(close_url, {"outcome": "verduidelijkt"})
    # A refusal, not a mistake to correct: said on top, not in the form's error summary.
    assert again.status_code == 409 and "al afgerond" in again.content.decode()
    assert "Controleer wat u invulde" not in again.content.decode()
    handover = hand_over(agent_client, contact, den_haag)
    assert handover.status_code == 409 and "al afgerond" in handover.content.decode()
    contact.refresh_from_db()
    assert contact.outcome == Outcome.ABANDONED and not Handover.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"organisation": "999999"}, "Kies een organisatie uit de lijst"),
        ({"organisation": "<script>"}, "Kies een organisatie uit de lijst"),
        ({"phone": "bel me"}, "telefoonnummer klopt niet"),
        (
            {"requested_action": "email", "phone": ""},
            'href="#overdracht-email">Vraag het e-mailadres van de beller',
        ),
        ({"phone": ""}, 'href="#overdracht-phone">Vraag het telefoonnummer van de beller'),
        ({"priority": "9"}, "Kies een mogelijkheid uit de lijst."),
        ({"note": "x" * 10_000}, "niet meer dan 2000 tekens"),
    ],
)
def test_bad_handover_input_is_refused_and_nothing_is_written(
    agent_client: Client, den_haag: Organisation, fields: dict[str, str], message: str
) -> None:
    contact = started(agent_client)
    data = {
        "organisation": str(den_haag.pk),
        "requested_action": "terugbellen",
        "priority": "2",
        "questions_shown_for": str(den_haag.pk),
        "phone": "0701234567",
    }
    response = agent_client.post(reverse("desk:contact-handover", args=[contact.uuid]), {**data, **fields})
    assert response.status_code == 400 and message in response.content.decode()
    contact.refresh_from_db()
    assert contact.outcome == Outcome.OPEN and not Handover.objects.exists()


# --- whose contacts -------------------------------------------------------------------------------------


def test_agents_of_another_organisation_neither_open_nor_list_the_contact(
    agent_client: Client, amsterdam: Organisation
) -> None:
    contact = started(agent_client)
    other = Client()
    other.force_login(make_user("kcc.amsterdam", (amsterdam, Role.AGENT)))
    assert other.get(reverse("desk:contact", args=[contact.uuid])).status_code == 404
    closing = other.post(reverse("desk:contact-close", args=[contact.uuid]), {"outcome": "afgebroken"})
    assert closing.status_code == 404
    assert not other.get(reverse("desk:register")).context["page"].object_list
    contact.refresh_from_db()
    assert contact.outcome == Outcome.OPEN


def test_a_manager_reads_the_register_and_bad_filters_get_400(
    agent_client: Client, den_haag: Organisation
) -> None:
    contact = started(agent_client)
    manager = Client()
    manager.force_login(make_user("manager", (den_haag, Role.MANAGER)))
    assert list(manager.get(reverse("desk:register")).context["page"].object_list) == [contact]
    assert manager.get(reverse("desk:register"), {"kanaal": "web"}).context["page"].paginator.count == 0
    assert manager.get(reverse("desk:register"), {"kanaal": "duif"}).status_code == 400


def test_the_register_links_to_the_pages_the_reader_may_open(
    agent_client: Client, den_haag: Organisation
) -> None:
    contact = started(agent_client)
    hand_over(agent_client, contact, den_haag)
    handover = Handover.objects.get()
    contact_link = f'href="{reverse("desk:contact", args=[contact.uuid])}"'
    handover_link = f'href="{reverse("contacts:handover-detail", args=[handover.reference])}"'
    as_agent = agent_client.get(reverse("desk:register")).content.decode()
    assert contact_link in as_agent and handover_link not in as_agent  # not in Den Haag's back office
    manager = Client()
    manager.force_login(make_user("manager", (den_haag, Role.MANAGER)))
    as_manager = manager.get(reverse("desk:register")).content.decode()
    assert contact_link not in as_manager and handover_link in as_manager  # no desk, but the back office
    assert handover.reference in as_agent and contact.question[:40] in as_manager


# --- caller details -------------------------------------------------------------------------------------


def test_caller_details_are_kept_on_the_contact_and_fill_in_the_handover_form(agent_client: Client) -> None:
    contact = started(
        agent_client,
        caller_name="Fatima de Vries",
        caller_email=" fatima@example.nl ",
        caller_phone="070 123 4567",
    )
    assert (contact.caller_name, contact.caller_email, contact.caller_phone) == (
        "Fatima de Vries",
        "fatima@example.nl",
        "070 123 4567",
    )
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    assert "fatima@example.nl" in page.content.decode()
    initial = page.context["handover_form"].initial
    assert (initial["name"], initial["email"], initial["phone"]) == (
        "Fatima de Vries",
        "fatima@example.nl",
        "070 123 4567",
    )
    assert "requested_action" not in initial  # both ways are possible: the agent asks


def test_caller_details_are_optional(agent_client: Client) -> None:
    contact = started(agent_client)
    assert contact.caller_name == contact.caller_email == contact.caller_phone == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"caller_email": "geen-adres"}, "Dit e-mailadres klopt niet"),
        ({"caller_email": "<script>@x"}, "Dit e-mailadres klopt niet"),
        ({"caller_email": "jan@localhost"}, "Dit e-mailadres klopt niet"),
        ({"caller_email": "a" * 250 + "@example.nl"}, "niet meer dan 254 tekens"),
        ({"caller_phone": "bel me maar"}, "Dit telefoonnummer klopt niet"),
        ({"caller_phone": "0" * 30}, "niet meer dan 20 tekens"),
        ({"caller_name": "x" * 101}, "niet meer dan 100 tekens"),
    ],
)
def test_bad_caller_details_are_refused_and_nothing_is_written(
    agent_client: Client, fields: dict[str, str], message: str
) -> None:
    response = start(agent_client, **fields)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Contact.objects.exists()


def test_the_close_and_handover_forms_have_ids_of_their_own(agent_client: Client) -> None:
    """Both have a note: an error link or a label must not lead to the other form's box."""
    html = agent_client.get(reverse("desk:contact", args=[started(agent_client).uuid])).content.decode()
    assert html.count('id="id_note"') == 1 and html.count('id="overdracht-note"') == 1
    assert 'for="overdracht-note"' in html


def test_the_agent_is_warned_when_the_suggested_organisation_has_no_back_office(
    agent_client: Client, den_haag: Organisation
) -> None:
    """Its queue is read by nobody: the agent had better refer the caller to it directly."""
    Organisation.objects.filter(pk=den_haag.pk).update(phone="14 070", website="https://www.denhaag.nl")
    contact = started(agent_client)
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    assert "Den Haag werkt niet met ANTWOORD" in page and "telefoon 14 070" in page
    assert 'href="https://www.denhaag.nl"' in page
    make_user("backoffice.denhaag", (den_haag, Role.BACKOFFICE))
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    assert "werkt niet met ANTWOORD" not in page


def test_a_question_for_an_organisation_not_yet_in_antwoord_goes_to_its_stand_in(
    agent_client: Client, den_haag: Organisation, amsterdam: Organisation
) -> None:
    """The agent is told where the question will be worked, is not warned, and the handover lands there."""
    Organisation.objects.filter(pk=den_haag.pk).update(stand_in=amsterdam)
    make_user("backoffice.amsterdam", (amsterdam, Role.BACKOFFICE))
    contact = started(agent_client)
    page = agent_client.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    assert "Den Haag werkt nog niet met ANTWOORD: de vraag gaat naar de backoffice van Amsterdam" in page
    assert ">Den Haag (gemeente), via backoffice Amsterdam</option>" in page  # also when chosen by hand
    assert ">Amsterdam (gemeente)</option>" in page
    assert "werkt niet met ANTWOORD" not in page  # no warning: somebody will work it
    done = agent_client.get(hand_over(agent_client, contact, den_haag)["Location"]).content.decode()
    handover = Handover.objects.get()
    assert handover.organisation == amsterdam and handover.intended_for == den_haag
    assert f"Overgedragen aan Amsterdam (voor Den Haag) met kenmerk {handover.reference}" in done
    assert "aan Amsterdam (voor Den Haag), kenmerk" in done  # the contact's own record of it
    register = agent_client.get(reverse("desk:register")).content.decode()
    assert "(Amsterdam, voor Den Haag)" in register
