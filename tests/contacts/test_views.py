"""The back office through the test client: the queue, a handover's page and its actions."""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from antwoord.accounts.models import User
from antwoord.contacts import services
from antwoord.contacts.models import (
    Channel,
    Contact,
    EventKind,
    Handover,
    HandoverStatus,
    PersonalDataView,
    RequestedAction,
    ServiceNorm,
    Team,
)
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Kind, Layer, Organisation
from tests.conftest import make_municipality


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(handover: Handover) -> str:
    return reverse("contacts:handover-detail", args=[handover.reference])


def action(handover: Handover, name: str) -> str:
    return reverse(f"contacts:handover-{name}", args=[handover.reference])


def test_a_back_office_user_sees_and_answers_his_organisations_handover(
    handover: Handover, worker: User
) -> None:
    client = logged_in(worker)
    queue = client.get(reverse("contacts:queue"))
    assert queue.status_code == 200 and list(queue.context["handovers"]) == [handover]
    assert handover.reference in queue.content.decode()
    page = client.get(detail(handover))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Waar blijft mijn parkeervergunning?" in html and handover.due_on.strftime("%Y") in html
    assert "fatima@example.org" not in html  # contact details only on request, and logged
    for label in ("Oppakken", "Versturen", "Toewijzen", "Doorsturen", "Contactgegevens tonen"):
        assert label in html

    response = client.post(action(handover, "answer"), {"answer": "Uw vergunning is onderweg."})
    assert response.status_code == 302 and response["Location"] == detail(handover)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DONE and handover.answer == "Uw vergunning is onderweg."
    mail = OutgoingMail.objects.filter(to="fatima@example.org").order_by("pk").last()
    assert mail is not None and "Uw vergunning is onderweg." in mail.body
    assert "Het antwoord is verstuurd" in client.get(response["Location"]).content.decode()


def test_another_municipality_neither_sees_nor_touches_it(handover: Handover, outsider: User) -> None:
    client = logged_in(outsider)
    assert not list(client.get(reverse("contacts:queue")).context["handovers"])
    assert client.get(detail(handover)).status_code == 404
    for name, data in (
        ("claim", {}),
        ("answer", {"answer": "Gehackt"}),
        ("assign", {"assignee": outsider.pk}),
        ("forward", {"organisation": "1", "note": "x"}),
    ):
        assert client.post(action(handover, name), data).status_code == 404
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW and handover.assigned_to is None


def test_staff_without_a_back_office_role_get_403(handover: Handover, agent: User) -> None:
    assert logged_in(agent).get(reverse("contacts:queue")).status_code == 403
    assert logged_in(agent).get(detail(handover)).status_code == 403


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(
    handover: Handover, agent: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert logged_in(agent).get(detail(handover)).status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden (Permission denied)")
    assert record.exc_info is None and "Traceback" not in caplog.text


# Every page the staff menus (the site header's and the staff navigation) can link to.
STAFF_PAGES = ("desk:home", "desk:register", "contacts:queue", "contacts:figures")


# The user comes from a fixture by name, so pytest-django cannot see that the test needs the database: said here,
# it runs among the database tests (else its connection outlived the test database's teardown on PostgreSQL).
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "pages"),
    [
        ("worker", {"contacts:queue"}),
        ("agent", {"desk:home", "desk:register"}),
        ("manager", {"desk:register", "contacts:queue", "contacts:figures"}),
    ],
)
def test_the_menus_link_only_to_the_staff_pages_the_user_may_open(
    who: str, pages: set[str], request: pytest.FixtureRequest
) -> None:
    client = logged_in(request.getfixturevalue(who))
    assert {page for page in STAFF_PAGES if client.get(reverse(page)).status_code == 200} == pages
    for shown_on in pages:
        html = client.get(reverse(shown_on)).content.decode()
        assert {page for page in STAFF_PAGES if f'href="{reverse(page)}"' in html} == pages, shown_on


def test_claim_and_assign(handover: Handover, worker: User, colleague: User) -> None:
    client = logged_in(worker)
    assert client.post(action(handover, "claim")).status_code == 302
    handover.refresh_from_db()
    assert handover.assigned_to == worker and handover.status == HandoverStatus.IN_PROGRESS
    mine = client.get(reverse("contacts:queue"), {"status": "open", "mine": "on"})
    assert list(mine.context["handovers"]) == [handover]
    assert client.post(action(handover, "assign"), {"assignee": colleague.pk}).status_code == 302
    handover.refresh_from_db()
    assert handover.assigned_to == colleague
    assert not list(
        client.get(reverse("contacts:queue"), {"status": "open", "mine": "on"}).context["handovers"]
    )


def test_colleagues_are_shown_by_their_names_not_their_usernames(
    handover: Handover, worker: User, colleague: User
) -> None:
    User.objects.filter(pk=colleague.pk).update(first_name="Dana", last_name="de Boer")
    client = logged_in(worker)
    response = client.post(action(handover, "assign"), {"assignee": colleague.pk}, follow=True)
    html = response.content.decode()
    assert "De vraag is toegewezen aan Dana de Boer." in html and ">Dana de Boer</option>" in html
    assert "Toegewezen aan Dana de Boer" in html  # the history


def test_forward_moves_it_to_the_other_municipality_with_only_the_needed_history(
    handover: Handover, worker: User, outsider: User, rotterdam: Organisation
) -> None:
    client = logged_in(worker)
    assert client.post(action(handover, "claim")).status_code == 302
    response = client.post(
        action(handover, "forward"), {"organisation": rotterdam.pk, "note": "Woont in Rotterdam"}
    )
    assert response.status_code == 302
    successor = Handover.objects.get(organisation=rotterdam)
    other = logged_in(outsider)
    assert list(other.get(reverse("contacts:queue")).context["handovers"]) == [successor]
    page = other.get(detail(successor))
    assert page.status_code == 200
    html = page.content.decode()
    assert "doorgestuurd door Den Haag" in html and "Woont in Rotterdam" in html
    # Den Haag's own steps (who looked, who claimed) stay with Den Haag.
    assert EventKind.CREATED.label in html and "Opgepakt" not in html and worker.username not in html
    assert other.get(detail(handover)).status_code == 404
    assert client.get(detail(successor)).status_code == 404
    # Den Haag's closed handover no longer holds how to reach the resident.
    sent = client.get(detail(handover), {"doel": "terugbellen"}).content.decode()
    assert "met de vraag meegegaan" in sent and "fatima@example.org" not in sent
    assert not PersonalDataView.objects.filter(viewer=worker).exists()


def test_looking_at_contact_details_is_logged_with_its_purpose(handover: Handover, worker: User) -> None:
    client = logged_in(worker)
    page = client.get(detail(handover), {"doel": "terugbellen"})
    assert "fatima@example.org" in page.content.decode()
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.purpose) == (worker, "terugbellen")
    bad = client.get(detail(handover), {"doel": "nieuwsgierig"})
    assert bad.status_code == 200 and "fatima@example.org" not in bad.content.decode()
    assert PersonalDataView.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("answer", {"answer": ""}, "Schrijf het antwoord aan de inwoner."),
        ("answer", {"answer": "   "}, "Schrijf het antwoord aan de inwoner."),
        ("answer", {"answer": "x" * 10_000}, "niet meer dan 5000 tekens"),
        (
            "answer",
            {"answer": "<b>Geregeld</b>, <a href='https://x.example'>zie hier</a>"},
            "zonder HTML-codes",
        ),
        ("forward", {"organisation": "999999", "note": "Verkeerd"}, "Kies een organisatie uit de lijst"),
        ("forward", {"organisation": "abc", "note": "Verkeerd"}, "Kies een organisatie uit de lijst"),
        ("forward", {"organisation": "same", "note": "Verkeerd"}, "Kies een organisatie uit de lijst"),
        ("forward", {"organisation": "other", "note": ""}, "Schrijf kort waarom u de vraag doorstuurt"),
        ("assign", {"assignee": "outsider"}, "Kies een collega uit de lijst"),
        ("assign", {"assignee": "999999"}, "Kies een collega uit de lijst"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    handover: Handover,
    worker: User,
    outsider: User,
    rotterdam: Organisation,
    name: str,
    data: dict[str, str],
    message: str,
) -> None:
    replacements = {
        "same": str(handover.organisation_id),
        "other": str(rotterdam.pk),
        "outsider": str(outsider.pk),
    }
    data = {key: replacements.get(value, value) for key, value in data.items()}
    response = logged_in(worker).post(action(handover, name), data)
    assert response.status_code == 400 and message in response.content.decode()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.NEW and handover.assigned_to is None and handover.answer == ""
    assert Handover.objects.count() == 1


def test_a_closed_handover_is_not_answered_twice(handover: Handover, worker: User) -> None:
    client = logged_in(worker)
    assert client.post(action(handover, "answer"), {"answer": "Klaar."}).status_code == 302
    again = client.post(action(handover, "answer"), {"answer": "Nog eens."})
    assert again.status_code == 409 and "al afgehandeld" in again.content.decode()
    handover.refresh_from_db()
    assert handover.answer == "Klaar."


def test_queue_filters_and_the_managers_overdue_counts(
    handover: Handover, worker: User, manager: User, den_haag: Organisation
) -> None:
    team = Team.objects.create(organisation=den_haag, name="Parkeren")
    Handover.objects.filter(pk=handover.pk).update(due_on=timezone.localdate() - timedelta(days=3), team=team)
    client = logged_in(worker)
    assert list(client.get(reverse("contacts:queue"), {"overdue": "on"}).context["handovers"]) == [handover]
    assert list(client.get(reverse("contacts:queue"), {"team": team.pk}).context["handovers"]) == [handover]
    assert not list(client.get(reverse("contacts:queue"), {"status": "afgehandeld"}).context["handovers"])
    assert "te laat" in client.get(reverse("contacts:queue")).content.decode()
    assert client.get(reverse("contacts:queue"), {"team": "999999"}).status_code == 400
    assert client.get(reverse("contacts:queue"), {"status": "<script>"}).status_code == 400
    counts = logged_in(manager).get(reverse("contacts:queue")).context["overdue_counts"]
    assert counts == [(den_haag, 1)]
    assert client.get(reverse("contacts:queue")).context["overdue_counts"] == []


def test_queue_is_sorted_by_priority_then_due_date(handover: Handover, worker: User, agent: User) -> None:
    urgent_contact = services.start_contact("telefoon", "Lekkage", agent=agent)
    urgent = services.hand_over(
        urgent_contact, handover.organisation, requested_action="terugbellen", phone="0701234567", priority=0
    )
    assert list(logged_in(worker).get(reverse("contacts:queue")).context["handovers"]) == [urgent, handover]


def test_admin_lists_are_scoped_to_the_organisation(
    handover: Handover, manager: User, outsider: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    ServiceNorm.objects.create(organisation=den_haag, channel="telefoon", working_days=3)
    ServiceNorm.objects.create(organisation=rotterdam, channel="telefoon", working_days=1)
    client = logged_in(manager)
    norms = client.get("/beheer/contacts/servicenorm/")
    assert norms.status_code == 200 and list(norms.context["cl"].result_list) == [
        ServiceNorm.objects.get(organisation=den_haag)
    ]
    handovers = client.get("/beheer/contacts/handover/")
    assert handovers.status_code == 200 and list(handovers.context["cl"].result_list) == [handover]
    assert "fatima" not in client.get(f"/beheer/contacts/handover/{handover.pk}/change/").content.decode()
    contact = handover.contact
    contact.caller_name, contact.caller_email, contact.caller_phone = (
        "Piet Bel",
        "piet@example.org",
        "0612345678",
    )
    # It follows up another organisation's contact, whose question must not show through the link.
    contact.follows = services.start_contact(Channel.PHONE, "Geheime vraag van Rotterdam")
    contact.save()
    page = client.get(f"/beheer/contacts/contact/{contact.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert not [detail for detail in ("Piet Bel", "piet@example.org", "0612345678") if detail in body]
    assert "Geheime vraag" not in body
    other = logged_in(outsider)
    assert not list(other.get("/beheer/contacts/handover/").context["cl"].result_list)
    assert other.get(f"/beheer/contacts/handover/{handover.pk}/change/").status_code == 403
    assert other.get("/beheer/contacts/servicenorm/").status_code == 403
    assert client.post("/beheer/contacts/handover/add/", {}).status_code == 403


@pytest.mark.parametrize("days", ["0", "61", "999999999"])
def test_a_service_norm_outside_one_to_sixty_working_days_is_refused(
    manager: User, den_haag: Organisation, days: str
) -> None:
    """999,999,999 working days once put every later deadline past the last date there is: a 500."""
    response = logged_in(manager).post(
        "/beheer/contacts/servicenorm/add/",
        {"organisation": den_haag.pk, "channel": "chat", "working_days": days},
    )
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["working_days"]
    assert not ServiceNorm.objects.exists()


def test_the_assign_form_puts_a_handover_in_a_team(
    handover: Handover, worker: User, colleague: User, rotterdam: Organisation
) -> None:
    parking = Team.objects.create(organisation=handover.organisation, name="Parkeren")
    foreign = Team.objects.create(organisation=rotterdam, name="Rotterdams team")
    client = logged_in(worker)
    html = client.get(detail(handover)).content.decode()
    assert 'for="id_team"' in html and "Parkeren" in html and "Rotterdams team" not in html

    response = client.post(action(handover, "assign"), {"assignee": "", "team": parking.pk})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.team == parking and handover.assigned_to is None
    assert "De vraag staat bij team Parkeren." in client.get(detail(handover)).content.decode()

    both = client.post(action(handover, "assign"), {"assignee": colleague.pk, "team": ""})
    assert both.status_code == 302
    handover.refresh_from_db()
    assert handover.team is None and handover.assigned_to == colleague

    for data, message in (
        ({"assignee": colleague.pk, "team": ""}, "Kies een andere collega of een ander team."),
        ({"assignee": "", "team": foreign.pk}, "Kies een team uit de lijst."),
        ({"assignee": "", "team": "<b>"}, "Kies een team uit de lijst."),
    ):
        refused = client.post(action(handover, "assign"), data)
        assert refused.status_code == 400 and message in refused.content.decode()
    handover.refresh_from_db()
    assert handover.team is None and handover.assigned_to == colleague


def test_a_province_and_a_municipality_of_the_same_name_differ_in_the_forward_list(
    handover: Handover, worker: User
) -> None:
    province = Organisation.objects.create(
        code="pv26", name="Utrecht", layer=Layer.PROVINCIE, kind=Kind.PROVINCIE, cbs_code="26"
    )
    make_municipality("gm0344", "Utrecht", province)
    html = logged_in(worker).get(detail(handover)).content.decode()
    assert ">Utrecht (gemeente)</option>" in html and ">Utrecht (provincie)</option>" in html
    # So do the administration's lists and the steering figures' choice of organisation.
    root = User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123")
    for page in (
        "/beheer/inbox/mailsettings/add/",
        "/beheer/contacts/servicenorm/add/",
        reverse("contacts:figures"),
    ):
        html = logged_in(root).get(page).content.decode()
        assert ">Utrecht (gemeente)</option>" in html and ">Utrecht (provincie)</option>" in html, page


def test_claiming_a_colleagues_handover_is_refused_with_409(
    handover: Handover, worker: User, colleague: User
) -> None:
    services.claim(handover, colleague)
    response = logged_in(worker).post(action(handover, "claim"))
    html = response.content.decode()
    assert response.status_code == 409 and "dana werkt al aan deze vraag" in html
    # A refusal, said as an alert on top, not as a form to correct.
    assert 'utrecht-alert--error" role="alert"' in html and "Controleer wat u invulde" not in html
    handover.refresh_from_db()
    assert handover.assigned_to == colleague


def test_a_second_click_on_claim_records_the_claim_once(handover: Handover, worker: User) -> None:
    client = logged_in(worker)
    assert client.post(action(handover, "claim")).status_code == 302
    assert client.post(action(handover, "claim")).status_code == 302
    assert list(handover.events.values_list("kind", flat=True)) == [EventKind.CREATED, EventKind.CLAIMED]


def test_the_note_that_came_with_the_handover_is_shown_to_every_organisation_in_the_chain(
    contact: Contact,
    den_haag: Organisation,
    agent: User,
    worker: User,
    outsider: User,
    rotterdam: Organisation,
) -> None:
    handover = services.hand_over(
        contact,
        den_haag,
        requested_action="terugbellen",
        phone="0701234567",
        actor=agent,
        note="Beller is slechthorend: <b>spreek langzaam</b>",
    )
    html = logged_in(worker).get(detail(handover)).content.decode()
    assert "Toelichting bij de overdracht" in html and "spreek langzaam" in html and "<b>spreek" not in html
    successor = services.forward(handover, worker, rotterdam, "Woont in Rotterdam")
    assert "spreek langzaam" in logged_in(outsider).get(detail(successor)).content.decode()


def test_the_back_office_sees_for_which_organisation_it_works_a_question(
    contact: Contact, waterschap: Organisation, worker: User
) -> None:
    handover = services.hand_over(
        contact, waterschap, requested_action=RequestedAction.CALL_BACK, phone="0612345678"
    )
    page = logged_in(worker).get(detail(handover)).content.decode()
    assert (
        '<dd data-testid="bedoeld-voor">Hoogheemraadschap van Delfland. Die organisatie werkte nog niet met ANTWOORD toen'
        in page
    )
    assert "daarom behandelt uw organisatie hem. Contact: telefoon 015 260 81 08." in page
    queue = logged_in(worker).get(reverse("contacts:queue")).content.decode()
    assert '<span class="muted">(voor Hoogheemraadschap van Delfland)</span>' in queue
