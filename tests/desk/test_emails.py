"""E-mails reach the desk of the organisation they were sent to; an agent answers, closes or hands over."""

from django.test import Client
from django.urls import reverse

from antwoord.accounts.models import User
from antwoord.contacts.models import Channel, Handover, Outcome
from antwoord.organisations.models import Organisation
from tests.desk.conftest import received


def test_a_mail_to_den_haag_is_in_the_open_emails_and_the_agent_closes_it(
    agent_client: Client, agent: User, den_haag: Organisation
) -> None:
    contact = received(sender="Fatima de Vries <fatima@example.nl>")
    assert contact.taken_by == den_haag and contact.agent is None

    home = agent_client.get(reverse("desk:home"))
    assert list(home.context["open_emails"]) == [contact]
    assert reverse("desk:contact", args=[contact.uuid]) in home.content.decode()

    page = agent_client.get(reverse("desk:contact", args=[contact.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hoe vraag ik een parkeervergunning aan?" in html  # the question
    assert "Voorstel van de zoekmachine" in html and contact.answer_title in html  # the suggestion
    assert 'href="mailto:fatima@example.nl"' in html and "Fatima de Vries" in html  # whom to answer
    key = page.context["answers"][0][0].key

    closed = agent_client.post(
        reverse("desk:contact-close", args=[contact.uuid]), {"outcome": "beantwoord", "answer_key": key}
    )
    assert closed.status_code == 302
    contact.refresh_from_db()
    assert contact.outcome == Outcome.ANSWERED and contact.ended_at is not None
    # Answered by a person, not by the engine: the agent becomes the contact's agent.
    assert contact.agent == agent and not contact.is_automated and contact.channel == Channel.EMAIL
    assert not agent_client.get(reverse("desk:home")).context["open_emails"]
    assert contact in agent_client.get(reverse("desk:register")).context["page"].object_list


def test_an_agent_of_another_organisation_neither_sees_nor_opens_the_mail(
    agent_client: Client, rotterdam_client: Client
) -> None:
    contact = received()
    assert not rotterdam_client.get(reverse("desk:home")).context["open_emails"]
    assert rotterdam_client.get(reverse("desk:contact", args=[contact.uuid])).status_code == 404
    closing = rotterdam_client.post(
        reverse("desk:contact-close", args=[contact.uuid]), {"outcome": "afgebroken"}
    )
    assert closing.status_code == 404
    contact.refresh_from_db()
    assert contact.outcome == Outcome.OPEN and contact.agent is None


def test_a_mail_to_the_general_address_is_on_no_organisations_desk(agent_client: Client) -> None:
    received(to="vraag@antwoord.localhost")
    assert not agent_client.get(reverse("desk:home")).context["open_emails"]


def test_the_handover_form_is_filled_in_with_the_senders_address(
    agent_client: Client, agent: User, den_haag: Organisation
) -> None:
    contact = received()
    form = agent_client.get(reverse("desk:contact", args=[contact.uuid])).context["handover_form"]
    assert form.initial["email"] == "inwoner@example.nl" and form.initial["requested_action"] == "email"
    response = agent_client.post(
        reverse("desk:contact-handover", args=[contact.uuid]),
        {
            "organisation": den_haag.pk,
            "questions_shown_for": den_haag.pk,
            "requested_action": "email",
            "priority": 2,
            "email": form.initial["email"],
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.resident_email == "inwoner@example.nl" and handover.contact == contact
    contact.refresh_from_db()
    assert contact.outcome == Outcome.HANDED_OVER and contact.agent == agent


def test_the_senders_details_are_only_for_the_desk_that_took_the_mail(
    db: None, den_haag: Organisation
) -> None:
    contact = received()
    administrator = Client()
    administrator.force_login(User.objects.create_superuser("beheer", password="geheim-wachtwoord-123"))
    page = administrator.get(reverse("desk:contact", args=[contact.uuid]))
    assert page.status_code == 200 and "inwoner@example.nl" not in page.content.decode()
    assert "email" not in page.context["handover_form"].initial
