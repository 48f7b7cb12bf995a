"""/beheer/ speaks Dutch: field labels, the engine's codes, lists typed one per line, and local times."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from antwoord.accounts.models import Role, User
from antwoord.answers.models import Feedback, Synonym
from antwoord.appointments.models import Booking
from antwoord.catalogue.admin import LinesField
from antwoord.contacts.models import Contact, Handover, Team
from antwoord.inbox.models import InboundMail
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_article, make_user

SYNONYM_ADD = "/beheer/answers/synonym/add/"
ENGLISH = ["Loaded version", "Organisation", "Members", "Forwarded from", "Created at", "Sent at"]


@pytest.fixture
def administrator(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123"))
    return client


def contact_of(organisation: Organisation) -> Contact:
    return Contact.objects.create(
        channel="web",
        started_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
        question="Hoe vraag ik een paspoort aan?",
        taken_by=organisation,
        engine_status="handover",
        answer_kind="article",
    )


def handover_of(contact: Contact, organisation: Organisation, **fields: object) -> Handover:
    return Handover.objects.create(
        contact=contact,
        organisation=organisation,
        requested_action="email",
        due_on=date(2026, 7, 8),
        **fields,
    )


def test_admin_pages_show_dutch_labels(administrator: Client, den_haag: Organisation) -> None:
    team = Team.objects.create(organisation=den_haag, name="Vergunningen")
    team.members.add(make_user("bea", (den_haag, Role.BACKOFFICE)))
    contact = contact_of(den_haag)
    forwarded = handover_of(contact, den_haag, forwarded_from=handover_of(contact, den_haag))
    OutgoingMail.objects.create(to="a@example.nl", subject="Uw vraag", body="Tekst", message_id="<1@x>")
    pages = {
        f"/beheer/catalogue/article/{make_article(den_haag).pk}/change/": ["Geopende versie"],
        f"/beheer/contacts/team/{team.pk}/change/": ["Organisatie", "Leden"],
        f"/beheer/contacts/handover/{forwarded.pk}/change/": ["Doorgestuurd vanuit"],
        f"/beheer/contacts/contact/{contact.pk}/change/": [">overdragen<", ">artikel<"],
        "/beheer/mail/outgoingmail/": ["Aangemaakt", "Verstuurd", "Laatste fout"],
    }
    for url, dutch in pages.items():
        page = administrator.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert [word for word in ENGLISH if word in html] == [], url
        assert [word for word in dutch if word not in html] == [], url
        assert ">handover<" not in html and ">article<" not in html


def test_the_start_pages_hidden_table_headers_are_dutch_too(administrator: Client) -> None:
    """Django's Dutch lacks them; screen readers read them out. Our catalogue is compiled by `make install`."""
    html = administrator.get("/beheer/").content.decode()
    assert "Add link" not in html and "Change or view list link" not in html
    assert '<th scope="col">Link om toe te voegen</th>' in html


def test_an_editor_types_synonyms_one_per_line(administrator: Client) -> None:
    page = administrator.post(
        SYNONYM_ADD,
        {"term": "grijze bak", "synonyms": "minicontainer\n\n  rolcontainer \n", "both_ways": "on"},
    )
    assert page.status_code == 302
    synonym = Synonym.objects.get(term="grijze bak")
    assert synonym.synonyms == ["minicontainer", "rolcontainer"]
    form = administrator.get(f"/beheer/answers/synonym/{synonym.pk}/change/").content.decode()
    assert "minicontainer\nrolcontainer</textarea>" in form


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("container\ncontainer", "Deze regel staat er meer dan één keer in: container."),
        ("x" * 101, "Deze regel is te lang"),
        ("\n \n", "Dit veld is vereist."),
    ],
)
def test_bad_lines_are_refused_in_dutch(administrator: Client, typed: str, message: str) -> None:
    page = administrator.post(SYNONYM_ADD, {"term": "grijze bak", "synonyms": typed})
    assert page.status_code == 200 and message in page.content.decode()
    assert not Synonym.objects.filter(term="grijze bak").exists()


def test_a_json_list_typed_as_before_still_reads_as_the_list() -> None:
    field = LinesField(max_line_length=20, required=False)
    assert field.clean('["paspoort", "id-kaart"]') == ["paspoort", "id-kaart"]
    with pytest.raises(ValidationError):  # nested too deeply for JSON: one line of text, too long
        field.clean("[" * 5000)
    assert field.clean("") == []
    with pytest.raises(ValidationError):
        field.clean("x" * 21)


def test_keywords_separated_by_commas_are_separate_keywords() -> None:
    keywords = LinesField(max_line_length=20, split_commas=True, required=False)
    assert keywords.clean("grofvuil ophalen, bankstel,matras\nkliko") == [
        "grofvuil ophalen",
        "bankstel",
        "matras",
        "kliko",
    ]
    questions = LinesField(max_line_length=60, required=False)  # a question may hold a comma
    assert questions.clean("Ik verhuis, wat moet ik regelen?") == ["Ik verhuis, wat moet ik regelen?"]


def test_object_titles_show_dutch_local_time() -> None:
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)  # 12:00 in Amsterdam
    winter = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam
    assert (
        str(Contact(channel="web", started_at=summer, question="Vraag")) == "Website 01-07-2026 12:00: Vraag"
    )
    assert str(Booking(reference="B-ABCDEFGH", starts_at=winter)) == "B-ABCDEFGH 15-01-2026 11:00"
    assert str(InboundMail(mail_from="a@example.nl", received_at=summer)) == "a@example.nl 01-07-2026 12:00"


def test_a_rating_of_no_organisation_opens_for_a_superuser_and_not_for_an_editor(
    administrator: Client, den_haag: Organisation
) -> None:
    """Feedback on a national text has no organisation: that was a 500 (int(None)) on its admin page."""
    rating = Feedback.objects.create(
        signature="paspoort", question="paspoort", document_key="article:x", helpful=True, source="inwoner"
    )
    page = f"/beheer/answers/feedback/{rating.pk}/change/"
    assert administrator.get(page).status_code == 200
    editor = Client()
    editor.force_login(make_user("redacteur", (den_haag, Role.EDITOR)))
    assert editor.get(page).status_code == 403
