"""Place names in /beheer/: platform administrators add them, with clear errors; other staff only look."""

import pytest
from django.test import Client

from antwoord.accounts.models import Role, User
from antwoord.organisations.models import Organisation, PlaceName
from tests.conftest import make_user

ADD = "/beheer/organisations/placename/add/"


@pytest.fixture
def administrator(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123"))
    return client


def test_an_administrator_adds_a_village_as_a_place_name(
    administrator: Client, den_haag: Organisation
) -> None:
    page = administrator.post(ADD, {"name": "Scheveningen", "municipality": den_haag.pk, "source": "beheer"})
    assert page.status_code == 302
    assert PlaceName.objects.get().municipality == den_haag


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("<script>alert(1)</script>", "Een plaatsnaam bestaat uit letters"),
        ("x" * 101, "niet meer dan 100 tekens"),
        ("den haag'; drop table", "Een plaatsnaam bestaat uit letters"),
        ("", "Dit veld is vereist"),
    ],
)
def test_a_bad_place_name_is_refused_with_a_dutch_message(
    administrator: Client, den_haag: Organisation, name: str, message: str
) -> None:
    page = administrator.post(ADD, {"name": name, "municipality": den_haag.pk, "source": "beheer"})
    assert page.status_code == 200 and message in page.content.decode()
    assert not PlaceName.objects.exists()


def test_a_place_name_twice_is_refused(administrator: Client, den_haag: Organisation) -> None:
    PlaceName.objects.create(name="Scheveningen", municipality=den_haag)
    page = administrator.post(ADD, {"name": "scheveningen", "municipality": den_haag.pk, "source": "beheer"})
    assert page.status_code == 200 and "Deze plaatsnaam bestaat al." in page.content.decode()
    assert PlaceName.objects.count() == 1


def test_an_organisations_staff_see_place_names_but_do_not_change_them(den_haag: Organisation) -> None:
    manager = Client()
    manager.force_login(make_user("marja", (den_haag, Role.MANAGER)))
    assert manager.get("/beheer/organisations/placename/").status_code == 200
    refused = manager.post(ADD, {"name": "Scheveningen", "municipality": den_haag.pk, "source": "beheer"})
    assert refused.status_code == 403 and not PlaceName.objects.exists()
