"""A resident's reply to a mail we sent about a contact follows that contact: the desk sees the two together."""

from email.policy import SMTP
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from antwoord.accounts.models import Role, User
from antwoord.contacts.models import (
    Channel,
    Contact,
    EventKind,
    Outcome,
    PersonalDataView,
    RequestedAction,
)
from antwoord.contacts.services import answer_handover, hand_over, start_contact
from antwoord.desk.services import EARLIER_CONTACT_PURPOSE, reply_by_email
from antwoord.inbox.inbound import process_inbound, store_inbound
from antwoord.inbox.models import InboundMail, MailSettings
from antwoord.inbox.parsing import MAX_REFERENCES, parse_mail
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_municipality, make_user
from tests.contacts.conftest import client_for
from tests.desk.conftest import received
from tests.inbox.conftest import DEN_HAAG_DESK, build_mail

FILL_THREAD = import_module("antwoord.inbox.migrations.0004_fill_reply_thread")
GENERAL_ADDRESS = "vraag@antwoord.localhost"
REPLY = "Dat heb ik al gedaan, maar ik kan niet inloggen. Wat nu?"


def reply_to(
    sent: OutgoingMail,
    *,
    to: str = DEN_HAAG_DESK,
    references: str = "",
    message_id: str = "<reactie@inwoner.example>",
    sender: str = "Inwoner <inwoner@example.nl>",
) -> Contact:
    """The resident answers our mail from his mail program: In-Reply-To and References name it."""
    message = build_mail(
        subject="Re: Antwoord op uw vraag", body=REPLY, message_id=message_id, to=to, sender=sender
    )
    message["In-Reply-To"] = sent.message_id
    message["References"] = references or sent.message_id
    mail, _ = store_inbound(message.as_bytes(policy=SMTP), "inwoner@example.nl", [to])
    assert process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.contact is not None
    return mail.contact


def test_a_reply_to_the_automatic_answer_follows_its_contact_on_the_desk(
    den_haag: Organisation, agent_client: Client
) -> None:
    MailSettings.objects.create(organisation=den_haag, auto_reply_enabled=True)
    first = received(subject="Parkeervergunning")
    assert first.outcome == Outcome.ANSWERED
    sent = OutgoingMail.objects.get()
    assert sent.contact == first

    follow_up = reply_to(sent)

    assert follow_up.follows == first and follow_up.taken_by == den_haag
    assert follow_up.outcome == Outcome.OPEN and OutgoingMail.objects.count() == 1  # a person answers it
    page = agent_client.get(reverse("desk:contact", args=[follow_up.uuid])).content.decode()
    assert "Vervolg op" in page and reverse("desk:contact", args=[first.uuid]) in page
    earlier_page = agent_client.get(reverse("desk:contact", args=[first.uuid])).content.decode()
    assert (
        "Reactie per e-mail" in earlier_page
        and reverse("desk:contact", args=[follow_up.uuid]) in earlier_page
    )
    home = agent_client.get(reverse("desk:home")).content.decode()
    assert "reactie op onze e-mail" in home
    assert "ander adres" not in page

    forwarded = reply_to(
        sent, message_id="<buurman@elders.example>", sender="Buurman <buurman@elders.example>"
    )
    page = agent_client.get(reverse("desk:contact", args=[forwarded.uuid])).content.decode()
    assert forwarded.follows == first and "deze e-mail komt van een ander adres" in page


def test_a_reply_to_the_general_address_goes_to_the_desk_that_answered(
    den_haag: Organisation, agent: User
) -> None:
    first = received(subject="Parkeervergunning")
    sent = reply_by_email(first, agent, "Dat kan online.", answer=None)
    assert sent.contact == first

    follow_up = reply_to(sent, to=GENERAL_ADDRESS, references=f"<ouder@inwoner.example> {sent.message_id}")

    assert follow_up.follows == first and follow_up.taken_by == den_haag


def test_a_reply_to_a_back_office_answer_shows_what_each_desk_may_read(
    den_haag: Organisation, agent: User
) -> None:
    """The province's back office answered a question Den Haag's desk took. The province's desk may read that
    contact (it was handed over to the province) but not work on it: question and answer, no link. A desk it
    never reached (the resident wrote to Rotterdam) sees only whose and when."""
    province = den_haag.province
    assert province is not None
    contact = start_contact(Channel.PHONE, "Mijn subsidieaanvraag voor de dijk", agent=agent)
    handover = hand_over(
        contact,
        province,
        requested_action=RequestedAction.ANSWER_BY_EMAIL,
        email="inwoner@example.nl",
        actor=agent,
    )
    worker = make_user("bo.provincie", (province, Role.BACKOFFICE))
    answer_handover(handover, worker, "U krijgt de subsidie.")
    sent = OutgoingMail.objects.filter(contact=contact, by_person=True).get()

    follow_up = reply_to(sent, to=sent.reply_to)

    assert follow_up.follows == contact and follow_up.taken_by == province
    # The back office reads in its handover's history that the resident reacted, and where (not what).
    replied = handover.events.get(kind=EventKind.REPLIED)
    assert replied.actor is None and province.name in replied.note and REPLY not in replied.note
    back_office = Client()
    back_office.force_login(worker)
    url = reverse("contacts:handover-detail", args=[handover.reference])
    history = back_office.get(url).content.decode()
    assert f"Reactie van de inwoner: per e-mail, bij het klantcontactcentrum van {province.name}" in history
    desk = Client()
    desk.force_login(make_user("kcc.provincie", (province, Role.AGENT)))
    page = desk.get(reverse("desk:contact", args=[follow_up.uuid])).content.decode()
    assert "Mijn subsidieaanvraag voor de dijk" in page and "U krijgt de subsidie." in page
    assert reverse("desk:contact", args=[contact.uuid]) not in page

    rotterdam = make_municipality("gm0599", "Rotterdam", province)
    elsewhere = reply_to(sent, to="gm0599@antwoord.localhost", message_id="<elders@inwoner.example>")
    assert elsewhere.follows == contact and elsewhere.taken_by == rotterdam
    assert handover.events.filter(kind=EventKind.REPLIED).count() == 1  # Rotterdam's is not the province's
    desk.force_login(make_user("kcc.rotterdam", (rotterdam, Role.AGENT)))
    page = desk.get(reverse("desk:contact", args=[elsewhere.uuid])).content.decode()
    assert f"een contact van {contact.started_at:%-d} " in page and f"bij {den_haag.name}" in page
    assert "subsidieaanvraag" not in page and "U krijgt de subsidie" not in page


def test_our_mails_thread_under_the_residents_in_his_mail_program(
    den_haag: Organisation, agent: User
) -> None:
    """The automatic reply, the desk's answer to his reply and a back office's answer name the resident's mail
    in In-Reply-To and the whole conversation in References, oldest first (RFC 5322 section 3.6.4)."""
    MailSettings.objects.create(organisation=den_haag, auto_reply_enabled=True)
    first = received(subject="Parkeervergunning")
    automatic = OutgoingMail.objects.get()
    assert automatic.in_reply_to == automatic.references == "<vraag-1@inwoner.example>"
    assert not automatic.by_person

    follow_up = reply_to(automatic, references=f"<vraag-1@inwoner.example> {automatic.message_id}")
    answer = reply_by_email(follow_up, agent, "Dat kan online.", answer=None)
    assert answer.in_reply_to == "<reactie@inwoner.example>" and answer.by_person
    assert answer.references.split() == [
        "<vraag-1@inwoner.example>",
        automatic.message_id,
        "<reactie@inwoner.example>",
    ]
    assert first.follows is None

    question = received(subject="Mijn bezwaar", message_id="<bezwaar@inwoner.example>")
    handover = hand_over(
        question,
        den_haag,
        requested_action=RequestedAction.ANSWER_BY_EMAIL,
        email="inwoner@example.nl",
        actor=agent,
    )
    answer_handover(handover, make_user("bo.denhaag", (den_haag, Role.BACKOFFICE)), "Wij bellen u.")
    for mail in OutgoingMail.objects.filter(contact=question):  # the confirmation and the answer
        assert mail.in_reply_to == mail.references == "<bezwaar@inwoner.example>"


def test_mails_received_before_the_thread_was_kept_still_get_threaded_answers(
    den_haag: Organisation, agent: User
) -> None:
    """The data migration fills the thread of mails stored before; the desk's answer names it as it used to."""
    contact = received(message_id="<oud@inwoner.example>")
    InboundMail.objects.update(thread="")
    state = MigrationExecutor(connection).loader.project_state(("inbox", "0004_fill_reply_thread"))
    FILL_THREAD.fill_thread(state.apps, connection.schema_editor())
    assert InboundMail.objects.get().thread == "<oud@inwoner.example>"
    assert (
        reply_by_email(contact, agent, "Dat kan online.", answer=None).in_reply_to == "<oud@inwoner.example>"
    )


def test_a_mail_without_a_message_id_of_its_own_is_answered_without_naming_one(
    den_haag: Organisation, agent: User
) -> None:
    """Its stored id is derived from its bytes: the resident's mailbox has no mail by that id."""
    contact = received(message_id=None)
    answer = reply_by_email(contact, agent, "Dat kan online.", answer=None)
    assert answer.in_reply_to == answer.references == ""


@pytest.mark.parametrize(
    "references",
    ["<onbekend@elders.example>", "geen-message-id", "<" + "x" * 5000 + ">", "<a@b> " * 10_000],
)
def test_a_reply_naming_no_mail_of_ours_starts_on_its_own(demo: None, references: str) -> None:
    message = build_mail(subject="Re: vraag", body=REPLY)
    message["In-Reply-To"] = references[:900]
    message["References"] = references
    mail, _ = store_inbound(message.as_bytes(policy=SMTP), "inwoner@example.nl", [DEN_HAAG_DESK])
    assert process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.contact is not None and mail.contact.follows is None


def test_references_are_read_nearest_first_without_doubles_and_capped() -> None:
    """RFC 5322: References lists the thread oldest first, so the parent is its last id."""
    message = build_mail()
    message["In-Reply-To"] = "<direct@antwoord.localhost>"
    message["References"] = " ".join(f"<{i}@x>" for i in range(50)) + " <direct@antwoord.localhost>"
    parsed = parse_mail(message.as_bytes(policy=SMTP))
    assert parsed.references[:3] == ("<direct@antwoord.localhost>", "<49@x>", "<48@x>")
    assert len(parsed.references) == MAX_REFERENCES and parsed.is_reply


def test_without_in_reply_to_the_newest_of_our_mails_in_references_is_followed(
    den_haag: Organisation, agent: User
) -> None:
    first = received(subject="Parkeervergunning")
    answer_to_first = reply_by_email(first, agent, "Dat kan online.", answer=None)
    second = reply_to(answer_to_first)
    answer_to_second = reply_by_email(second, agent, "Twee auto's mag niet.", answer=None)
    thread = " ".join(
        ["<vraag-1@inwoner.example>", answer_to_first.message_id, "<reactie@inwoner.example>"]
        + [f"<tussendoor-{i}@inwoner.example>" for i in range(30)]
        + [answer_to_second.message_id]
    )
    message = build_mail(subject="Re: Re: vraag", body=REPLY, message_id="<derde@inwoner.example>")
    message["References"] = thread
    mail, _ = store_inbound(message.as_bytes(policy=SMTP), "inwoner@example.nl", [DEN_HAAG_DESK])
    assert process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.contact is not None and mail.contact.follows == second


def test_the_api_names_the_contact_a_reply_follows(den_haag: Organisation, agent: User) -> None:
    first = received(subject="Parkeervergunning")
    follow_up = reply_to(reply_by_email(first, agent, "Dat kan online.", answer=None))
    body = client_for(agent).get(f"/api/v1/contacts/{follow_up.uuid}").json()
    assert body["follows"] == str(first.uuid)
    assert body["automated"] is False  # it waits for an agent
    assert client_for(agent).get(f"/api/v1/contacts/{first.uuid}").json()["follows"] is None


def test_a_reply_to_the_confirmation_of_a_web_handover_reaches_its_organisation_with_the_answer_shown(
    den_haag: Organisation, agent_client: Client
) -> None:
    """A question from the web has no desk; its handover's organisation takes the reply, and its desk reads the
    earlier question and the back office's answer (without a link: the web contact is not the desk's to work)."""
    web = start_contact(Channel.WEB, "Mag ik twee auto's op mijn parkeervergunning?")
    handover = hand_over(
        web, den_haag, requested_action=RequestedAction.ANSWER_BY_EMAIL, email="inwoner@example.nl"
    )
    confirmation = OutgoingMail.objects.get(contact=web)
    assert confirmation.reply_to == den_haag.intake_address
    before = reply_to(confirmation, to=confirmation.reply_to, message_id="<eerder@inwoner.example>")
    page = agent_client.get(reverse("desk:contact", args=[before.uuid])).content.decode()
    assert f"Bij Den Haag (kenmerk {handover.reference}): nieuw, uiterlijk" in page  # still open
    worker = make_user("bo.denhaag", (den_haag, Role.BACKOFFICE))
    answer_handover(handover, worker, "Nee, één auto per vergunning.")

    for number, to in enumerate((confirmation.reply_to, GENERAL_ADDRESS)):
        follow_up = reply_to(confirmation, to=to, message_id=f"<reactie-{number}@inwoner.example>")
        assert follow_up.follows == web and follow_up.taken_by == den_haag
    page = agent_client.get(reverse("desk:contact", args=[follow_up.uuid])).content.decode()
    assert "Mag ik twee auto&#x27;s op mijn parkeervergunning?" in page
    assert f"Antwoord van Den Haag (kenmerk {handover.reference}): Nee, één auto per vergunning." in page
    assert reverse("desk:contact", args=[web.uuid]) not in page
    assert PersonalDataView.objects.filter(handover=handover, purpose=EARLIER_CONTACT_PURPOSE).exists()


def test_mail_for_an_organisation_without_agents_goes_to_a_desk_that_reads_it(
    den_haag: Organisation, agent: User
) -> None:
    """Amsterdam has no agents here: its stand-in's desk takes its mail, else the national counter's, told for
    whom; while nobody anywhere could read it, it stays Amsterdam's."""
    amsterdam = Organisation.objects.get(code="gm0363")
    national = Organisation.objects.get(code="rijksoverheid")
    to_amsterdam = {"to": "gm0363@antwoord.localhost"}
    assert received(**to_amsterdam).taken_by == amsterdam  # nobody at the national counter either

    kcc_rijk = make_user("kcc.rijk", (national, Role.AGENT))
    contact = received(**to_amsterdam, message_id="<tweede@inwoner.example>")
    assert contact.taken_by == national and contact.intended_for == amsterdam
    desk = Client()
    desk.force_login(kcc_rijk)
    assert "(bedoeld voor Amsterdam)" in desk.get(reverse("desk:home")).content.decode()
    page = desk.get(reverse("desk:contact", args=[contact.uuid])).content.decode()
    assert "<dt>Bedoeld voor</dt><dd>Amsterdam (heeft nog geen klantcontactcentrum in ANTWOORD" in page
    # Closing it keeps for whom it was (a note would be overwritten).
    reply_by_email(contact, kcc_rijk, "Dat regelt u bij de gemeente Amsterdam.", answer=None)
    assert client_for(kcc_rijk).get(f"/api/v1/contacts/{contact.uuid}").json()["intended_for"] == "gm0363"

    amsterdam.stand_in = den_haag
    amsterdam.save(update_fields=["stand_in"])
    assert received(**to_amsterdam, message_id="<derde@inwoner.example>").taken_by == den_haag
    make_user("kcc.amsterdam", (amsterdam, Role.AGENT))
    own = received(**to_amsterdam, message_id="<vierde@inwoner.example>")
    assert own.taken_by == amsterdam and own.intended_for is None
