"""The content-editing screens enforce the same rules: 403 on someone else's content, no publishing without
the review role."""

import pytest
from django.test import Client

from antwoord.accounts.models import User
from antwoord.catalogue.models import Article, Status
from antwoord.organisations.models import Organisation
from tests.conftest import make_article


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
    assert "Selecteer een geldige keuze" in response.content.decode()
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
