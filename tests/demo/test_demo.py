"""The demo content makes a fresh machine show a living counter."""

import pytest
from django.test import Client

from antwoord.catalogue.models import Article, Status
from antwoord.contacts.routing import has_back_office, receiving_organisation
from antwoord.demo.loader import create_personas, load_demo
from antwoord.ops.services import catalogue_counts
from antwoord.organisations.models import Organisation
from antwoord.organisations.services import municipality_for_postcode, serving_organisations


@pytest.mark.django_db
def test_demo_content_loads_completely_and_a_second_load_changes_nothing() -> None:
    first = load_demo()
    assert all(not report.rejected for report in first)
    counts = catalogue_counts()
    assert counts["municipalities"] == 5 and counts["provinces"] == 12
    assert counts["products"] >= 30 and counts["offerings"] >= 50
    assert 90 <= counts["articles"] <= 130
    assert sum(report.created for report in first) > 0

    second = load_demo()
    assert [(r.created, r.updated) for r in second] == [(0, 0)] * len(second)
    assert catalogue_counts() == counts


@pytest.mark.django_db
def test_demo_places_and_local_variants_are_consistent() -> None:
    load_demo()
    den_haag = municipality_for_postcode("2511")
    assert den_haag.code == "gm0518"
    assert [w.code for w in serving_organisations("waterschap", municipality=den_haag)]
    variants = Article.objects.exclude(overrides=None)
    assert variants.count() >= 6
    assert all(v.overrides is not None and v.overrides.owner.layer == "rijk" for v in variants)
    assert (
        Article.objects.filter(status=Status.CONCEPT).exists()
        and Article.objects.filter(status=Status.REVIEW).exists()
    )


@pytest.mark.django_db
def test_the_home_page_lists_organisations_and_products(client: Client) -> None:
    load_demo()
    page = client.get("/").content.decode()
    for expected in ("Amsterdam", "Den Haag", "Belastingdienst", "Noord-Holland", "paspoort", "huurtoeslag"):
        assert expected in page


@pytest.mark.django_db
def test_demo_personas_can_log_in_to_the_editing_screens(client: Client) -> None:
    load_demo()
    create_personas("een-demo-wachtwoord")
    assert client.login(username="redacteur.denhaag", password="een-demo-wachtwoord")
    listing = client.get("/beheer/catalogue/article/")
    assert listing.status_code == 200


@pytest.mark.django_db
def test_the_national_contact_centre_works_the_questions_of_the_agencies_not_yet_in_antwoord() -> None:
    load_demo()
    national = Organisation.objects.get(code="rijksoverheid")
    assert Organisation.objects.get(code="uwv").stand_in == national
    assert Organisation.objects.national().exclude(pk=national.pk).filter(stand_in=None).count() == 0
    assert Organisation.objects.provinces().filter(stand_in__isnull=False).count() == 0
    create_personas("een-demo-wachtwoord")
    assert receiving_organisation(Organisation.objects.get(code="uwv")) == national
    assert has_back_office(national)
    # A reload keeps what an administrator chose since, also a stand-in removed.
    den_haag = Organisation.objects.get(code="gm0518")
    Organisation.objects.filter(code="duo").update(stand_in=den_haag)
    Organisation.objects.filter(code="uwv").update(stand_in=None)
    load_demo()
    assert Organisation.objects.get(code="duo").stand_in == den_haag
    assert Organisation.objects.get(code="uwv").stand_in is None
