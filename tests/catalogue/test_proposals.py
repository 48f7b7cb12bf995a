"""An editor proposes a change to a published article; the published text stays live until a reviewer
publishes or rejects the proposal."""

import datetime
from importlib import import_module
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.answers.models import ContentVersion
from antwoord.catalogue.models import Article, Product, Status
from antwoord.catalogue.services import (
    PROPOSAL_FIELDS,
    change_status,
    proposal_changes,
    propose_article_change,
    publish_proposal,
    record_revision,
    reject_proposal,
    revisions_of,
    save_article,
)
from antwoord.mail.models import OutgoingMail
from antwoord.organisations.models import Organisation
from tests.conftest import make_article, make_user

MIGRATION = import_module("antwoord.catalogue.migrations.0003_proposal_changes_only")
LIVE_ANSWER = "Vraag de vergunning online aan."


def content_version() -> int:
    return ContentVersion.objects.values_list("version", flat=True).first() or 0


def published(owner: Organisation) -> Article:
    return make_article(owner, status=Status.PUBLISHED)


def parking_product() -> Product:
    return Product.objects.create(
        upl_uri="http://standaarden.overheid.nl/owms/terms/parkeervergunning", name="parkeervergunning"
    )


def propose(
    article: Article, user: User, *, products: list[Product] | None = None, **changes: object
) -> Article:
    for name, value in changes.items():
        setattr(article, name, value)
    return save_article(article, user, products=products)


def changed_meanwhile(article: Article, reviewer: User, **changes: object) -> None:
    """A reviewer changes the live text while a proposal is pending."""
    live = Article.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(live, name, value)
    save_article(live, reviewer)


@pytest.mark.django_db
def test_an_editors_proposal_is_stored_and_the_live_text_stays(alice: User, den_haag: Organisation) -> None:
    article = published(den_haag)
    product = parking_product()
    updated_at, index_version = article.updated_at, content_version()

    propose(article, alice, answer="Vraag de vergunning aan via Mijn Den Haag.", products=[product])

    article = Article.objects.get(pk=article.pk)
    assert article.answer == LIVE_ANSWER and article.version == 0 and not article.products.exists()
    assert article.updated_at == updated_at and content_version() == index_version
    assert not revisions_of(article).exists()
    assert article.proposal is not None
    assert article.proposal == {
        "new": {"answer": "Vraag de vergunning aan via Mijn Den Haag.", "products": [product.pk]},
        "was": {"answer": LIVE_ANSWER, "products": []},
    }
    assert article.proposal_author == alice and article.proposal_at is not None
    assert [change.label for change in proposal_changes(article)] == ["antwoord (Markdown)", "producten"]


@pytest.mark.django_db
def test_a_reviewer_publishes_the_proposal_as_a_new_version_that_names_the_proposer(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    product = parking_product()
    propose(
        article, alice, answer="Nieuwe tekst", valid_until=datetime.date(2030, 12, 31), products=[product]
    )

    publish_proposal(article, carol)

    assert article.answer == "Nieuwe tekst" and article.valid_until == datetime.date(2030, 12, 31)
    assert list(article.products.all()) == [product]
    assert article.status == Status.PUBLISHED and article.version == 1
    assert (article.proposal, article.proposal_author, article.proposal_at) == (None, None, None)
    revision = revisions_of(article).get()
    assert revision.author == carol and revision.comment == "Voorstel van alice gepubliceerd"
    assert revision.data["answer"] == "Nieuwe tekst" and "proposal" not in revision.data


@pytest.mark.django_db
def test_a_reviewer_rejects_the_proposal_and_the_live_text_stays(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    propose(article, alice, answer="Nieuwe tekst")

    reject_proposal(article, carol, comment="Dit klopt niet.")

    assert article.answer == LIVE_ANSWER and article.version == 0 and article.proposal is None
    assert not revisions_of(article).exists()
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.user == carol and entry.change_message == "Voorstel van alice afgewezen: Dit klopt niet."


@pytest.mark.django_db
def test_an_editor_cannot_publish_or_reject_her_own_proposal(alice: User, den_haag: Organisation) -> None:
    article = published(den_haag)
    propose(article, alice, answer="Nieuwe tekst")
    for decide in (publish_proposal, reject_proposal):
        with pytest.raises(PermissionDenied, match="kennisbeheerder"):
            decide(article, alice)
    article.refresh_from_db()
    assert article.answer == LIVE_ANSWER and article.proposal is not None


@pytest.mark.django_db
def test_an_editor_of_another_municipality_cannot_propose(bob: User, den_haag: Organisation) -> None:
    article = published(den_haag)
    with pytest.raises(PermissionDenied):
        propose(article, bob, answer="Gewijzigd door Rotterdam")
    article.refresh_from_db()
    assert article.answer == LIVE_ANSWER and article.proposal is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"question": "Waarom? " * 70}, "niet meer dan 500 tekens"), ({"answer": ""}, "kan niet leeg zijn")],
)
@pytest.mark.django_db
def test_an_invalid_proposal_is_refused_and_nothing_is_stored(
    alice: User, den_haag: Organisation, changes: dict[str, Any], message: str
) -> None:
    article = published(den_haag)
    with pytest.raises(ValidationError, match=message):
        propose(article, alice, **changes)
    assert Article.objects.get(pk=article.pk).proposal is None


@pytest.mark.django_db
def test_an_editor_still_cannot_change_the_status_owner_or_national_text_of_a_published_article(
    den_haag: Organisation, rotterdam: Organisation
) -> None:
    dora = make_user("dora", (den_haag, Role.EDITOR), (rotterdam, Role.EDITOR))
    for changes in ({"status": Status.CONCEPT}, {"owner": rotterdam}, {"overrides": published(rotterdam)}):
        article = published(den_haag)
        with pytest.raises(PermissionDenied, match="gepubliceerd"):
            propose(article, dora, answer="Nieuwe tekst", **changes)
        article = Article.objects.get(pk=article.pk)
        assert (article.status, article.owner, article.proposal) == (Status.PUBLISHED, den_haag, None)


@pytest.mark.django_db
def test_a_new_proposal_replaces_the_pending_one_and_an_unchanged_save_proposes_nothing(
    alice: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    propose(article, alice, answer="Eerste voorstel")
    propose(article, alice, answer="Tweede voorstel")
    assert article.proposal is not None and article.proposal["new"] == {"answer": "Tweede voorstel"}

    unchanged = published(den_haag)
    propose(unchanged, alice)
    assert unchanged.proposal is None


@pytest.mark.django_db
def test_there_is_nothing_to_publish_or_reject_without_a_proposal(
    carol: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    for decide in (publish_proposal, reject_proposal):
        with pytest.raises(ValidationError, match="geen voorstel"):
            decide(article, carol)


@pytest.mark.django_db
def test_only_a_published_article_gets_a_proposal(alice: User, den_haag: Organisation) -> None:
    article = make_article(den_haag, status=Status.CONCEPT)
    article.answer = "Nieuwe tekst"
    with pytest.raises(ValidationError, match="gepubliceerd"):
        propose_article_change(article, alice)
    assert Article.objects.get(pk=article.pk).proposal is None


@pytest.mark.django_db
def test_the_reviewers_hear_of_a_proposal_and_the_proposer_of_the_decision(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    alice.email, carol.email = "alice@denhaag.example", "carol@denhaag.example"
    alice.save()
    carol.save()
    inactive = make_user("oud", (den_haag, Role.REVIEWER))
    inactive.email, inactive.is_active = "oud@denhaag.example", False
    inactive.save()
    article = published(den_haag)

    propose(article, alice, question="Hoe vraag ik een bewonersvergunning aan?")
    (to_reviewer,) = OutgoingMail.objects.all()  # not to the inactive reviewer, not to alice herself
    assert to_reviewer.to == "carol@denhaag.example"
    assert "alice stelt een wijziging voor" in to_reviewer.body
    assert f"/beheer/catalogue/article/{article.pk}/change/" in to_reviewer.body

    publish_proposal(article, carol)
    to_proposer = OutgoingMail.objects.exclude(pk=to_reviewer.pk).get()
    assert to_proposer.to == "alice@denhaag.example"
    assert to_proposer.subject == "Uw voorstel is gepubliceerd: Hoe vraag ik een bewonersvergunning aan?"

    propose(Article.objects.get(pk=article.pk), alice, answer="Nog een andere tekst.")
    reject_proposal(article, carol, "Dit staat al op de pagina over parkeren.")
    rejected = OutgoingMail.objects.filter(to="alice@denhaag.example").latest("pk")
    assert "afgewezen" in rejected.subject
    assert "Reden: Dit staat al op de pagina over parkeren." in rejected.body


@pytest.mark.django_db
def test_publishing_rights_elsewhere_do_not_move_a_published_text_past_its_own_reviewers(
    den_haag: Organisation, rotterdam: Organisation
) -> None:
    """Editor in Den Haag, reviewer in Rotterdam: Den Haag's published article does not become Rotterdam's."""
    erik = make_user("erik", (den_haag, Role.EDITOR), (rotterdam, Role.EDITOR), (rotterdam, Role.REVIEWER))
    article = published(den_haag)
    with pytest.raises(PermissionDenied, match="gepubliceerd"):
        propose(article, erik, owner=rotterdam)
    assert Article.objects.get(pk=article.pk).owner == den_haag


@pytest.mark.django_db
def test_publishing_a_proposal_keeps_what_the_reviewer_changed_meanwhile_in_other_fields(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    propose(article, alice, answer="Nieuwe tekst")
    changed_meanwhile(article, carol, question="Hoe vraag ik een parkeervergunning aan in Den Haag?")

    publish_proposal(article, carol)

    assert article.answer == "Nieuwe tekst"
    assert article.question == "Hoe vraag ik een parkeervergunning aan in Den Haag?"


@pytest.mark.django_db
def test_a_proposal_is_not_published_over_a_later_change_of_the_same_field(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    propose(article, alice, answer="Voorstel van alice")
    changed_meanwhile(article, carol, answer="Verbeterd door carol")

    (change,) = proposal_changes(Article.objects.get(pk=article.pk))
    assert (change.current, change.proposed, change.changed_since) == (
        "Verbeterd door carol",
        "Voorstel van alice",
        True,
    )
    with pytest.raises(ValidationError, match="Iemand heeft het artikel na dit voorstel gewijzigd: antwoord"):
        publish_proposal(article, carol)
    article.refresh_from_db()
    assert article.answer == "Verbeterd door carol" and article.version == 1 and article.proposal is not None


@pytest.mark.django_db
def test_a_proposal_for_an_article_that_is_no_longer_published_can_only_be_rejected(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    propose(article, alice, answer="Nieuwe tekst")
    change_status(Article.objects.get(pk=article.pk), carol, Status.ARCHIVED)

    with pytest.raises(ValidationError, match="niet meer gepubliceerd"):
        publish_proposal(article, carol)
    reject_proposal(article, carol)
    assert (article.status, article.answer, article.proposal) == (Status.ARCHIVED, LIVE_ANSWER, None)


def run_migration(forwards: bool) -> None:
    """The data migration on the models as they were at its place in history."""
    state = MigrationExecutor(connection).loader.project_state(("catalogue", "0003_proposal_changes_only"))
    step = MIGRATION.keep_changes_only if forwards else MIGRATION.whole_proposals
    step(state.apps, connection.schema_editor())


@pytest.mark.django_db
def test_the_migration_keeps_only_what_an_earlier_proposal_changed(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    product = parking_product()
    changed, unchanged, reviewed = published(den_haag), published(den_haag), published(den_haag)
    base_question = reviewed.question
    record_revision(reviewed)  # the version the proposal was made on
    for article, answer in ((changed, "Nieuwe tekst"), (unchanged, LIVE_ANSWER), (reviewed, "Nieuwe tekst")):
        whole = {field: getattr(article, field) for field in PROPOSAL_FIELDS}
        whole.update(answer=answer, products=[product.pk] if article is changed else [])
        Article.objects.filter(pk=article.pk).update(
            proposal=whole, proposal_author=alice, proposal_at=timezone.now()
        )
    # After the proposal a reviewer changed the question of the third article.
    Article.objects.filter(pk=reviewed.pk).update(question="Door carol verbeterd?")

    run_migration(forwards=True)

    for article in (changed, unchanged, reviewed):
        article.refresh_from_db()
    assert changed.proposal == {
        "new": {"answer": "Nieuwe tekst", "products": [product.pk]},
        "was": {"answer": LIVE_ANSWER, "products": []},
    }
    assert (unchanged.proposal, unchanged.proposal_author) == (None, None)
    # Compared with the version it was made on, the proposal did not change the question: carol's stays.
    assert reviewed.proposal == {"new": {"answer": "Nieuwe tekst"}, "was": {"answer": LIVE_ANSWER}}
    publish_proposal(reviewed, carol)
    assert (reviewed.question, reviewed.answer) == ("Door carol verbeterd?", "Nieuwe tekst")
    assert base_question != reviewed.question

    run_migration(forwards=False)
    changed.refresh_from_db()
    assert changed.proposal is not None and changed.proposal["answer"] == "Nieuwe tekst"
    assert changed.proposal["question"] == changed.question and changed.proposal["products"] == [product.pk]


@pytest.mark.django_db
def test_a_proposal_that_changes_nothing_any_more_is_not_published(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    article = published(den_haag)
    propose(article, alice, answer="Nieuwe tekst")
    changed_meanwhile(article, carol, answer="Nieuwe tekst")
    with pytest.raises(ValidationError, match="verandert niets meer"):
        publish_proposal(article, carol)
    assert revisions_of(article).count() == 1
