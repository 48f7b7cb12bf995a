"""Who may write, review and publish; every change is a revision with who and when."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from antwoord.accounts.models import User
from antwoord.catalogue.models import Offering, Status
from antwoord.catalogue.services import (
    article_for_place,
    change_status,
    revisions_of,
    save_article,
    save_offering,
)
from antwoord.organisations.models import Organisation
from tests.conftest import make_article


@pytest.mark.django_db
def test_an_editor_writes_her_own_organisations_article_and_each_save_is_a_revision(
    alice: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag)
    article.answer = "Vraag de vergunning aan via Mijn Den Haag."
    save_article(article, alice, comment="Link toegevoegd")
    article.status = Status.REVIEW
    save_article(article, alice)

    revisions = list(revisions_of(article).order_by("number"))
    assert [(r.number, r.author, r.data["status"]) for r in revisions] == [
        (1, alice, "concept"),
        (2, alice, "review"),
    ]
    assert revisions[0].comment == "Link toegevoegd" and revisions[0].created_at is not None
    assert article.version == 2


@pytest.mark.django_db
def test_an_editor_cannot_touch_another_municipalitys_article(bob: User, den_haag: Organisation) -> None:
    article = make_article(den_haag)
    article.answer = "Gewijzigd door Rotterdam"
    with pytest.raises(PermissionDenied):
        save_article(article, bob)
    article.refresh_from_db()
    assert article.answer == "Vraag de vergunning online aan." and not revisions_of(article).exists()


@pytest.mark.django_db
def test_publishing_needs_the_review_role(alice: User, carol: User, den_haag: Organisation) -> None:
    article = make_article(den_haag, status=Status.REVIEW)
    with pytest.raises(PermissionDenied, match="kennisbeheerder"):
        change_status(article, alice, Status.PUBLISHED)
    article.refresh_from_db()
    assert article.status == Status.REVIEW

    change_status(article, carol, Status.PUBLISHED)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert revisions_of(article).get().author == carol


@pytest.mark.django_db
def test_an_editors_change_to_a_published_article_is_a_proposal_but_a_reviewer_changes_it_live(
    alice: User, carol: User, den_haag: Organisation
) -> None:
    article = make_article(den_haag, status=Status.PUBLISHED)
    article.answer = "Nieuwe tekst"
    save_article(article, alice)
    assert article.answer == "Vraag de vergunning online aan." and article.version == 0
    assert article.proposal is not None and article.proposal["new"]["answer"] == "Nieuwe tekst"
    assert not revisions_of(article).exists()

    article.answer = "Nieuwe tekst van de kennisbeheerder"
    save_article(article, carol)
    article.refresh_from_db()
    assert article.answer == "Nieuwe tekst van de kennisbeheerder" and article.version == 1
    assert revisions_of(article).count() == 1


@pytest.mark.django_db
def test_steps_outside_the_workflow_are_refused(carol: User, den_haag: Organisation) -> None:
    article = make_article(den_haag, status=Status.ARCHIVED)
    with pytest.raises(ValidationError):
        change_status(article, carol, Status.PUBLISHED)


@pytest.mark.django_db
def test_a_national_editor_writes_national_texts_and_a_municipality_overrides_them_locally(
    nina: User,
    alice: User,
    carol: User,
    den_haag: Organisation,
    rotterdam: Organisation,
    national: Organisation,
) -> None:
    national_text = make_article(national, "Wat kost een paspoort?", status=Status.CONCEPT)
    national_text.answer = "Een paspoort kost ongeveer 85 euro."
    save_article(national_text, nina)
    with pytest.raises(PermissionDenied):
        save_article(national_text, alice)
    national_text.status = Status.PUBLISHED
    national_text.save()

    local = make_article(den_haag, "Wat kost een paspoort in Den Haag?", overrides=national_text)
    local.status = Status.PUBLISHED
    save_article(local, carol)

    assert article_for_place(national_text, den_haag) == local
    assert article_for_place(national_text, rotterdam) == national_text
    assert article_for_place(national_text, None) == national_text


@pytest.mark.django_db
def test_a_local_variant_must_point_at_a_national_text(
    carol: User, den_haag: Organisation, rotterdam: Organisation
) -> None:
    other_local = make_article(rotterdam, status=Status.PUBLISHED)
    variant = make_article(den_haag, overrides=other_local)
    with pytest.raises(ValidationError, match="landelijke tekst"):
        save_article(variant, carol)


@pytest.mark.django_db
def test_offerings_follow_the_same_organisation_rules(alice: User, bob: User, den_haag: Organisation) -> None:
    offering = Offering(organisation=den_haag, key="parkeren", title="Parkeervergunning")
    save_offering(offering, alice)
    offering.title = "Parkeervergunning bewoners"
    with pytest.raises(PermissionDenied):
        save_offering(offering, bob)
    assert [r.author for r in revisions_of(offering)] == [alice]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes", "valid"), [(0, False), (5, True), (480, True), (481, False), (32767, False)]
)
def test_an_appointment_lasts_five_minutes_to_a_working_day(
    den_haag: Organisation, minutes: int, valid: bool
) -> None:
    """0 minutes gave empty slots; a huge number left the booking page with no time free."""
    offering = Offering(organisation=den_haag, key="paspoort", title="Paspoort", appointment_minutes=minutes)
    if valid:
        offering.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            offering.full_clean()
        assert list(refused.value.message_dict) == ["appointment_minutes"]
