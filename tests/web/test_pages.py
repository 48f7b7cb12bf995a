"""Public catalogue pages, and the pages that say something cannot be shown."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from antwoord.accounts.models import Role
from antwoord.answers.models import Feedback
from antwoord.catalogue.models import Offering, Product, Status
from antwoord.contacts.models import Handover
from antwoord.organisations.models import Organisation
from tests.conftest import make_article, make_user


@pytest.mark.django_db
def test_organisation_product_and_article_pages(client: Client, den_haag: Organisation) -> None:
    product = Product.objects.create(
        upl_uri="http://standaarden.overheid.nl/owms/terms/parkeervergunning",
        name="parkeervergunning",
        layer_gemeente=True,
    )
    Offering.objects.create(
        organisation=den_haag, key="p", title="Parkeervergunning bewoners", product=product
    )
    article = make_article(
        den_haag, status=Status.PUBLISHED, answer="Kijk **hier**.<script>alert(1)</script>"
    )
    article.products.add(product)

    organisation_page = client.get(f"/organisaties/{den_haag.code}/").content.decode()
    assert "Parkeervergunning bewoners" in organisation_page and article.question in organisation_page
    assert "Parkeervergunning bewoners" in client.get(f"/producten/{product.pk}/").content.decode()
    answer = client.get(f"/vragen/{article.uuid}/").content.decode()
    assert "<strong>hier</strong>" in answer and "<script>alert" not in answer
    assert "parkeervergunning" in client.get("/producten/?q=parkeer").content.decode()


@pytest.mark.django_db
def test_unknown_or_unpublished_things_are_404_not_500(client: Client, den_haag: Organisation) -> None:
    concept = make_article(den_haag, status=Status.CONCEPT)
    assert client.get(f"/vragen/{concept.uuid}/").status_code == 404
    assert client.get("/organisaties/gm9999/").status_code == 404
    assert client.get("/producten/999999/").status_code == 404
    assert client.get("/producten/?pagina=abc&q=" + "x" * 5000).status_code == 200
    assert client.get("/vragen/niet-een-uuid/").status_code == 404


@pytest.mark.django_db
def test_an_article_outside_its_validity_is_not_shown(client: Client, den_haag: Organisation) -> None:
    """The engine and the desk leave such a text out; its public page and the lists did not."""
    today = timezone.localdate()
    expired = make_article(den_haag, status=Status.PUBLISHED, valid_until=today - timedelta(days=1))
    future = make_article(
        den_haag,
        "Wat verandert er volgend jaar?",
        status=Status.PUBLISHED,
        valid_from=today + timedelta(days=1),
    )
    valid = make_article(den_haag, "Wat geldt vandaag?", status=Status.PUBLISHED, valid_until=today)
    assert client.get(f"/vragen/{expired.uuid}/").status_code == 404
    assert client.get(f"/vragen/{future.uuid}/").status_code == 404
    assert client.get(f"/vragen/{valid.uuid}/").status_code == 200
    listed = client.get(f"/organisaties/{den_haag.code}/").content.decode()
    assert valid.question in listed and expired.question not in listed and future.question not in listed


@pytest.mark.django_db
def test_an_end_date_before_the_start_date_is_refused(den_haag: Organisation) -> None:
    article = make_article(den_haag, valid_from=date(2027, 1, 1), valid_until=date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert list(refused.value.message_dict) == ["valid_until"]
    article.valid_until = date(2027, 1, 1)  # one day is a period too
    article.full_clean()


def test_a_forbidden_page_says_so_in_dutch_in_the_sites_look(client: Client, den_haag: Organisation) -> None:
    client.force_login(make_user("backoffice", (den_haag, Role.BACKOFFICE)))
    response = client.get(reverse("desk:home"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "U hebt geen toegang tot deze pagina" in html and "Naar de beginpagina" in html
    assert "utrecht-page-layout" in html and "Forbidden" not in html


@pytest.mark.django_db
def test_a_missing_page_says_so_in_dutch(client: Client) -> None:
    for url in ("/bestaat-niet/", "/organisaties/gm9999/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404
        assert "Deze pagina bestaat niet" in html and "Not Found" not in html


def test_the_error_page_is_dutch_and_needs_neither_the_database_nor_a_logged_in_user() -> None:
    # No database here: the page must show even when the database is what failed.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_security_code_is_refused_in_dutch_and_changes_nothing() -> None:
    """An old tab or a browser without cookies posts without the CSRF token."""
    response = Client(enforce_csrf_checks=True).post(reverse("web:feedback"), {"nuttig": "ja", "token": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Dit formulier is verlopen" in html and "Forbidden" not in html and "CSRF" not in html
    assert not Feedback.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["iso-8859-1", "utf-16"])
@pytest.mark.parametrize("url", ["/kcc/inloggen/", "/vraag/doorsturen"])
def test_a_form_sent_in_another_encoding_than_utf8_gets_a_dutch_400_and_changes_nothing(
    url: str, charset: str
) -> None:
    """Django refuses it before any view; its own page was English, and a 500 for a form with a CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.get("/kcc/inloggen/")
    body = f"csrfmiddlewaretoken={client.cookies['csrftoken'].value}&username=Zo%EB&nuttig=ja".encode(
        "latin-1"
    )
    response = client.generic(
        "POST", url, body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Wij konden niet lezen wat uw browser stuurde" in text and "Bad Request" not in text
    assert not Handover.objects.exists() and "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/vraag", "/api/v1/ask"])
def test_a_request_with_thousands_of_fields_gets_a_dutch_400(client: Client, url: str) -> None:
    response = client.get(url + "?" + "&".join(f"q{i}=x" for i in range(2000)))
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["detail"].startswith("Het verzoek is niet te lezen.")
    else:
        assert "Wij konden niet lezen wat uw browser stuurde" in response.content.decode()


@pytest.mark.django_db
def test_the_site_has_an_icon_also_where_a_browser_asks_for_it_unbidden(client: Client) -> None:
    icon = static("web/favicon.svg")
    assert f'<link rel="icon" href="{icon}"' in client.get(reverse("web:home")).content.decode()
    response = client.get("/favicon.ico")  # what browsers ask of pages without the link, the admin's too
    assert response.status_code == 302 and response["Location"] == icon
    found = finders.find("web/favicon.svg")
    assert found and "<svg" in Path(str(found)).read_text(encoding="utf-8")
