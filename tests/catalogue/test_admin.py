"""The content-editing screens enforce the same rules: 403 on someone else's content, no publishing without
the review role."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from antwoord.accounts.models import Membership, Role, User
from antwoord.catalogue.admin import marked_proposal
from antwoord.catalogue.models import Article, Offering, Product, Status
from antwoord.catalogue.services import change_status, revisions_of, save_article
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation, WaterBoardCoverage
from tests.conftest import make_article, make_municipality, make_user

CHANGELIST = "/beheer/catalogue/article/"


def change_url(article: Article) -> str:
    return f"/beheer/catalogue/article/{article.pk}/change/"


def form_data(article: Article, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "question": article.question,
        "alternative_questions": "[]",
        "answer": article.answer,
        "keywords": "[]",
        "agent_note": "",
        "owner": article.owner_id,
        "status": article.status,
        "for_burger": "on",
        "valid_from": "",
        "valid_until": "",
        "catalogue-revision-content_type-object_id-TOTAL_FORMS": "0",
        "catalogue-revision-content_type-object_id-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_editor_gets_403_on_another_municipalitys_article(
    client: Client, bob: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag)
    client.force_login(bob)
    assert client.get(change_url(article)).status_code == 403
    response = client.post(change_url(article), form_data(article, answer="Overgenomen door Rotterdam"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.answer == "Vraag de vergunning online aan."


@pytest.mark.django_db
def test_an_editor_sees_and_lists_only_her_own_articles(
    client: Client, alice: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    own = make_article(den_haag, "Eigen artikel Den Haag")
    make_article(rotterdam, "Artikel van Rotterdam")
    client.force_login(alice)
    assert client.get(change_url(own)).status_code == 200
    listing = client.get("/beheer/catalogue/article/").content.decode()
    assert "Eigen artikel Den Haag" in listing and "Artikel van Rotterdam" not in listing


@pytest.mark.django_db
def test_an_editor_cannot_publish_from_the_edit_screen(
    client: Client, alice: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag, status=Status.REVIEW)
    client.force_login(alice)
    response = client.post(change_url(article), form_data(article, status=Status.PUBLISHED))
    assert response.status_code == 200  # the form comes back with an error
    assert "Kies een mogelijkheid uit de lijst." in response.content.decode()
    assert "is geen beschikbare keuze" not in response.content.decode()  # the value sent is not repeated
    article.refresh_from_db()
    assert article.status == Status.REVIEW


@pytest.mark.django_db
def test_a_reviewer_publishes_from_the_edit_screen_and_the_revision_names_her(
    client: Client, carol: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag, status=Status.REVIEW)
    client.force_login(carol)
    response = client.post(change_url(article), form_data(article, status=Status.PUBLISHED))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.version == 1


@pytest.mark.django_db
def test_an_editor_cannot_create_an_article_for_another_organisation(
    client: Client, alice: User, rotterdam: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        "/beheer/catalogue/article/add/",
        {**form_data(make_article(rotterdam), status=Status.REVIEW), "question": "Nieuw in Rotterdam?"},
    )
    assert response.status_code == 200
    assert not Article.objects.filter(question="Nieuw in Rotterdam?").exists()


def with_proposal(owner: Organisation, editor: User, answer: str = "Voorgestelde tekst") -> Article:
    article = make_article(owner, status=Status.PUBLISHED)
    article.answer = answer
    return save_article(article, editor)


def run_action(client: Client, action: str, *articles: Article, **fields: str) -> str:
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [a.pk for a in articles], **fields}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_an_editors_save_of_a_published_article_becomes_a_proposal_shown_on_the_change_page(
    client: Client, alice: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag, status=Status.PUBLISHED)
    product = Product.objects.create(upl_uri="http://example.org/upl/parkeren", name="parkeervergunning")
    client.force_login(alice)
    assert "Wat u wijzigt, wordt een voorstel" in client.get(change_url(article)).content.decode()

    response = client.post(
        change_url(article),
        form_data(article, answer="Vraag het aan via Mijn Den Haag.", products=[product.pk]),
    )
    assert response.status_code == 302 and response["Location"] == change_url(article)
    article.refresh_from_db()
    assert article.answer == "Vraag de vergunning online aan." and not article.products.exists()
    assert article.proposal is not None and article.proposal["new"]["products"] == [product.pk]

    page = client.get(change_url(article)).content.decode()
    assert "Uw wijziging is opgeslagen als voorstel" in page
    assert "Voorgesteld door alice" in page
    # The current text, and the proposal with what it takes out and puts in marked for the reviewer.
    assert '<td style="white-space: pre-wrap">Vraag de vergunning online aan.</td>' in page
    assert (
        "Vraag <del>de vergunning online aan.</del>"
        '<ins style="background: #e6ffe6">het aan via Mijn Den Haag.</ins></td>'
    ) in page
    assert "Doorgestreept: gaat eruit. Onderstreept: komt erbij." in page


@pytest.mark.django_db
def test_a_form_opened_before_a_later_change_is_not_saved_over_it(
    client: Client, alice: User, carol: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag, status=Status.PUBLISHED)
    client.force_login(alice)
    assert 'name="loaded_version" value="0"' in client.get(change_url(article)).content.decode()
    live = Article.objects.get(pk=article.pk)
    live.question = "Door carol verbeterd?"
    save_article(live, carol)

    stale = client.post(
        change_url(article), form_data(article, answer="Voorstel van alice", loaded_version="0")
    )
    assert stale.status_code == 200
    assert "Iemand anders heeft dit artikel gewijzigd nadat u het opende" in stale.content.decode()
    article.refresh_from_db()
    assert article.proposal is None and article.question == "Door carol verbeterd?"

    fresh = form_data(article, answer="Voorstel van alice", loaded_version=str(article.version))
    assert client.post(change_url(article), fresh).status_code == 302
    article.refresh_from_db()
    assert article.proposal is not None and article.proposal["new"] == {"answer": "Voorstel van alice"}


@pytest.mark.django_db
def test_an_invalid_proposal_comes_back_with_an_error_and_is_not_stored(
    client: Client, alice: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag, status=Status.PUBLISHED)
    client.force_login(alice)
    response = client.post(change_url(article), form_data(article, question="Waarom? " * 70))
    assert response.status_code == 200
    assert "niet meer dan 500 tekens" in response.content.decode()
    article.refresh_from_db()
    assert article.proposal is None


@pytest.mark.django_db
def test_an_editor_of_another_municipality_gets_403_when_proposing(
    client: Client, bob: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag, status=Status.PUBLISHED)
    client.force_login(bob)
    response = client.post(change_url(article), form_data(article, answer="Voorstel uit Rotterdam"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.proposal is None


@pytest.mark.django_db
def test_a_reviewer_publishes_and_rejects_proposals_from_the_list(
    client: Client, alice: User, carol: User, den_haag: Organisation
) -> None:
    to_publish = with_proposal(den_haag, alice, "Deze tekst gaat live.")
    to_reject = with_proposal(den_haag, alice)
    client.force_login(carol)

    assert "1 voorstel gepubliceerd." in run_action(client, "publish_proposals", to_publish)
    asked = run_action(client, "reject_proposals", to_reject)  # first the reason
    assert "Waarom wijst u het voorstel af?" in asked and to_reject.question in asked
    assert "1 voorstel afgewezen." in run_action(
        client, "reject_proposals", to_reject, reden_bevestigd="1", reason="Staat al op de pagina."
    )

    to_publish.refresh_from_db()
    to_reject.refresh_from_db()
    assert to_publish.answer == "Deze tekst gaat live." and to_publish.proposal is None
    assert revisions_of(to_publish).get().comment == "Voorstel van alice gepubliceerd"
    assert to_reject.answer == "Vraag de vergunning online aan." and to_reject.proposal is None


@pytest.mark.django_db
def test_an_editor_is_not_offered_the_proposal_actions_and_cannot_run_them(
    client: Client, alice: User, carol: User, den_haag: Organisation
) -> None:
    article = with_proposal(den_haag, alice)
    client.force_login(alice)
    assert "Voorstel publiceren" not in client.get(CHANGELIST).content.decode()
    for action in ("publish_proposals", "reject_proposals"):
        run_action(client, action, article)
    article.refresh_from_db()
    assert article.proposal is not None and article.answer == "Vraag de vergunning online aan."
    client.force_login(carol)
    assert "Voorstel publiceren" in client.get(CHANGELIST).content.decode()


@pytest.mark.django_db
def test_a_reviewer_elsewhere_who_only_edits_here_gets_an_error_message(
    client: Client, alice: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    article = with_proposal(den_haag, alice)
    client.force_login(make_user("dubbel", (den_haag, Role.EDITOR), (rotterdam, Role.REVIEWER)))
    page = run_action(client, "publish_proposals", article)
    assert "Alleen een kennisbeheerder van deze organisatie mag een voorstel publiceren" in page
    article.refresh_from_db()
    assert article.proposal is not None and article.answer == "Vraag de vergunning online aan."


@pytest.mark.django_db
def test_a_proposal_over_a_later_change_is_marked_and_not_published_from_the_list(
    client: Client, alice: User, carol: User, den_haag: Organisation
) -> None:
    article = with_proposal(den_haag, alice, "Voorstel van alice")
    article.answer = "Verbeterd door carol"
    save_article(article, carol)
    client.force_login(carol)

    page = client.get(change_url(article)).content.decode()
    assert "Verbeterd door carol\n(gewijzigd na het voorstel)" in page
    result = run_action(client, "publish_proposals", article)
    assert "Iemand heeft het artikel na dit voorstel gewijzigd: antwoord (Markdown)." in result
    article.refresh_from_db()
    assert article.answer == "Verbeterd door carol" and article.proposal is not None


@pytest.mark.django_db
def test_a_reviewers_save_of_another_field_leaves_the_proposal_publishable(
    client: Client, alice: User, carol: User, den_haag: Organisation
) -> None:
    """A browser sends the untouched answer with CRLF line endings: that is no change to the answer."""
    article = make_article(den_haag, status=Status.PUBLISHED)
    article.answer = "Eerste regel.\n\nTweede regel."
    save_article(article, carol)
    article.answer = "Voorstel van alice"
    save_article(article, alice)
    client.force_login(carol)
    data = form_data(article, answer="Eerste regel.\r\n\r\nTweede regel.", agent_note="Let op: nieuw tarief.")
    assert client.post(change_url(article), {**data, "loaded_version": article.version}).status_code == 302
    article.refresh_from_db()
    assert (
        article.answer == "Eerste regel.\n\nTweede regel." and article.agent_note == "Let op: nieuw tarief."
    )
    assert "1 voorstel gepubliceerd." in run_action(client, "publish_proposals", article)
    article.refresh_from_db()
    assert article.answer == "Voorstel van alice"


@pytest.mark.django_db
def test_the_list_shows_and_filters_articles_with_a_proposal(
    client: Client, alice: User, den_haag: Organisation
) -> None:
    with_proposal(den_haag, alice)
    make_article(den_haag, "Zonder voorstel?", status=Status.PUBLISHED)
    client.force_login(alice)
    listing = client.get(CHANGELIST, {"voorstel": "ja"}).content.decode()
    assert "met voorstel" in listing
    assert "Hoe vraag ik een parkeervergunning aan?" in listing and "Zonder voorstel?" not in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Schrijf kort waarom, zodat de redacteur het voorstel kan verbeteren."),
        ("x" * 501, "Gebruik hoogstens 500 tekens."),
    ],
)
def test_a_rejection_without_a_usable_reason_comes_back_and_changes_nothing(
    client: Client, alice: User, carol: User, den_haag: Organisation, reason: str, message: str
) -> None:
    article = with_proposal(den_haag, alice)
    client.force_login(carol)
    page = run_action(client, "reject_proposals", article, reden_bevestigd="1", reason=reason)
    assert message in page
    article.refresh_from_db()
    assert article.proposal is not None
    assert not LogEntry.objects.filter(change_message__contains="afgewezen").exists()


@pytest.mark.django_db
def test_the_reason_of_a_rejection_reaches_the_history_and_the_proposer(
    client: Client, alice: User, carol: User, den_haag: Organisation
) -> None:
    alice.email = "alice@denhaag.example"
    alice.save()
    article = with_proposal(den_haag, alice)
    client.force_login(carol)
    run_action(client, "reject_proposals", article, reden_bevestigd="1", reason="Dit staat al bij Parkeren.")
    assert LogEntry.objects.get(change_message__contains="afgewezen").change_message == (
        "Voorstel van alice afgewezen: Dit staat al bij Parkeren."
    )
    body = OutgoingMail.objects.get(to="alice@denhaag.example").body
    assert "Reden: Dit staat al bij Parkeren." in body
    # What she proposed is kept nowhere else: the mail gives it back, with what it was about.
    assert (
        "Hieronder staat uw voorstel." in body
        and "Antwoord (Markdown):\nVoorgestelde tekst\n\nBekijk" in body
    )


def test_a_marked_proposal_escapes_what_an_editor_typed() -> None:
    marked = marked_proposal("Kijk op de site.", "Kijk op <script>alert(1)</script> de site.")
    assert "<script>" not in marked and "&lt;script&gt;alert(1)&lt;/script&gt;" in marked
    assert marked_proposal("", "Nieuw") == '<ins style="background: #e6ffe6">Nieuw</ins>'
    assert marked_proposal("Oud", "") == "<del>Oud</del>" and marked_proposal(None, "") == "—"
    assert marked_proposal(["parkeren"], ["parkeren", "auto"]).count("<ins") == 1


@pytest.mark.django_db
def test_the_start_page_tells_a_reviewer_how_many_proposals_wait_for_him(
    client: Client, alice: User, carol: User, bob: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    with_proposal(den_haag, alice)
    with_proposal(rotterdam, bob)  # another organisation's: not his to decide
    client.force_login(carol)
    page = client.get("/beheer/").content.decode()
    assert f'<a href="{CHANGELIST}?voorstel=te-beoordelen">1 artikel om te beoordelen</a>' in page
    listing = client.get(f"{CHANGELIST}?voorstel=te-beoordelen").content.decode()
    assert listing.count('class="field-has_proposal"') == 1
    # A new text an editor sends for review waits for him too, and he hears of it.
    carol.email, alice.email = "carol@denhaag.example", "alice@denhaag.example"
    carol.save()
    alice.save()
    new = make_article(den_haag, question="Hoe meld ik een kapotte lantaarnpaal?")
    change_status(new, alice, Status.REVIEW)
    mail = OutgoingMail.objects.get(to="carol@denhaag.example")
    assert mail.subject.startswith("Artikel ter beoordeling:") and "alice vraagt u het artikel" in mail.body
    assert not OutgoingMail.objects.filter(to="alice@denhaag.example").exists()
    page = client.get("/beheer/").content.decode()
    assert f'<a href="{CHANGELIST}?voorstel=te-beoordelen">2 artikelen om te beoordelen</a>' in page
    listing = client.get(f"{CHANGELIST}?voorstel=te-beoordelen").content.decode()
    assert listing.count('class="field-has_proposal"') == 2
    change_status(new, carol, Status.PUBLISHED)
    # ... also when he holds another role elsewhere: the list is the count's.
    Membership.objects.create(user=carol, organisation=rotterdam, role=Role.EDITOR)
    listing = client.get(f"{CHANGELIST}?voorstel=te-beoordelen").content.decode()
    assert listing.count('class="field-has_proposal"') == 1
    client.force_login(alice)  # an editor proposes; he does not decide
    assert "om te beoordelen" not in client.get("/beheer/").content.decode()
    assert "door mij te beoordelen" not in client.get(CHANGELIST).content.decode()


def offering_data(organisation: Organisation, area: Organisation, title: str) -> dict[str, object]:
    return {
        "organisation": organisation.pk,
        "key": "hondenbelasting",
        "area": area.pk,
        "title": title,
        "text": "Betaal op rekening NL00 BANK 0123 4567 89.",
        "for_burger": "on",
        "language": "nl",
        "catalogue-revision-content_type-object_id-TOTAL_FORMS": "0",
        "catalogue-revision-content_type-object_id-INITIAL_FORMS": "0",
    }


@pytest.mark.django_db
def test_an_editor_cannot_offer_a_text_in_another_municipalitys_area(
    client: Client, bob: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    """The engine answers Den Haag's residents with the offerings in Den Haag's area."""
    client.force_login(bob)
    url = "/beheer/catalogue/offering/add/"
    response = client.post(url, offering_data(rotterdam, den_haag, "Hondenbelasting betalen"))
    assert response.status_code == 200
    assert "Rotterdam levert alleen in het eigen gebied" in response.content.decode()
    assert not Offering.objects.exists()
    added = client.post(url, offering_data(rotterdam, rotterdam, "Hondenbelasting"), follow=True)
    assert added.redirect_chain and Offering.objects.get().area == rotterdam
    # Django's Dutch says "De productaanbod": the message names it without an article.
    assert "Toegevoegd: productaanbod ‘<a href=" in added.content.decode()


@pytest.mark.django_db
def test_an_organisation_covers_its_own_territory(
    province: Organisation, den_haag: Organisation, national: Organisation
) -> None:
    elsewhere = Organisation.objects.create(
        code="pv27", name="Noord-Holland", layer="provincie", kind="provincie"
    )
    water_board = Organisation.objects.create(
        code="ws0155", name="Delfland", layer="waterschap", kind="waterschap"
    )
    WaterBoardCoverage.objects.create(municipality=den_haag, water_board=water_board)
    assert province.covers(den_haag) and national.covers(den_haag) and water_board.covers(den_haag)
    assert den_haag.covers(den_haag) and not den_haag.covers(province)
    assert not elsewhere.covers(den_haag) and not water_board.covers(make_municipality("gm0599", "Rotterdam"))


@pytest.mark.django_db
def test_an_editor_of_one_organisation_finds_it_chosen_on_a_new_article(
    client: Client, alice: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    client.force_login(alice)
    form = client.get("/beheer/catalogue/article/add/").context["adminform"].form
    assert form.initial["owner"] == str(den_haag.pk)
    Membership.objects.create(user=alice, organisation=rotterdam, role=Role.EDITOR)  # two: she chooses
    form = client.get("/beheer/catalogue/article/add/").context["adminform"].form
    assert "owner" not in form.initial


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Ook op zaterdag <script>alert(1)</script> ophalen.", "Gebruik geen HTML-code"),
        ("Zie <img src=x onerror=alert(1)> hier.", "Gebruik geen HTML-code"),
        ("[Meer info](javascript:alert(1))", "(niet javascript:)"),
        ("Bel [ons][1].\n\n[1]: tel:14070", "(niet tel:)"),
    ],
)
def test_html_or_a_link_the_page_would_drop_is_refused_with_a_message(
    client: Client, bob: User, rotterdam: Organisation, text: str, message: str
) -> None:
    """The page would show the text with words missing or a link that goes nowhere: the editor hears why."""
    client.force_login(bob)
    data = {**offering_data(rotterdam, rotterdam, "Grofvuil"), "text": text}
    response = client.post("/beheer/catalogue/offering/add/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Offering.objects.exists()
    article = make_article(rotterdam)
    response = client.post(change_url(article), form_data(article, answer=text))
    assert response.status_code == 200 and message in response.content.decode()
    article.refresh_from_db()
    assert article.answer == "Vraag de vergunning online aan."
    markdown = "Zie [de website](https://www.rotterdam.nl) of mail [ons](mailto:info@rotterdam.nl). 3 < 4."
    assert client.post("/beheer/catalogue/offering/add/", {**data, "text": markdown}).status_code == 302
