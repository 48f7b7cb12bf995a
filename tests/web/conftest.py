"""A small counter: Den Haag and Rotterdam each offer a parkeervergunning; postcodes lead to them."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from antwoord.answers import services as answers
from antwoord.catalogue.models import Offering, Product
from antwoord.organisations.models import Organisation, Postcode

PARKING = "http://standaarden.overheid.nl/owms/terms/parkeervergunning"
PASSPORT = "http://standaarden.overheid.nl/owms/terms/paspoort"


@pytest.fixture(autouse=True)
def own_index_folder(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test builds its own index from its own database, with the fixed default calibration."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(answers, "CALIBRATION_FILE", tmp_path / "no-calibration.json")
    answers.forget_loaded_engine()
    yield
    answers.forget_loaded_engine()


@pytest.fixture
def counter(national: Organisation, den_haag: Organisation, rotterdam: Organisation) -> dict[str, Offering]:
    """Offerings of Den Haag (parking online, passport by appointment) and of Rotterdam (parking)."""
    den_haag.phone = "14 070"
    den_haag.save(update_fields=["phone"])
    Postcode.objects.create(pc4="2511", municipality=den_haag)
    Postcode.objects.create(pc4="3011", municipality=rotterdam)
    parking = Product.objects.create(upl_uri=PARKING, name="parkeervergunning", layer_gemeente=True)
    passport = Product.objects.create(upl_uri=PASSPORT, name="paspoort", layer_gemeente=True)
    offerings = {
        "den_haag_parking": Offering.objects.create(
            organisation=den_haag,
            key="parkeervergunning-bewoners",
            product=parking,
            title="Parkeervergunning voor bewoners aanvragen",
            text="Woont u in Den Haag? Vraag de **parkeervergunning** online aan met DigiD.",
            channel_online=True,
            online_application_url="https://www.denhaag.nl/parkeren",
        ),
        "den_haag_passport": Offering.objects.create(
            organisation=den_haag,
            key="paspoort",
            product=passport,
            title="Paspoort aanvragen",
            text="U vraagt een paspoort aan bij de balie van het stadhuis. Maak eerst een afspraak.",
            channel_counter=True,
            appointment_required=True,
            appointment_minutes=15,
        ),
        "rotterdam_parking": Offering.objects.create(
            organisation=rotterdam,
            key="parkeervergunning-bewoners",
            product=parking,
            title="Parkeervergunning voor bewoners aanvragen",
            text="Woont u in Rotterdam? Vraag de parkeervergunning aan via de website.",
            channel_online=True,
            online_application_url="https://www.rotterdam.nl/parkeren",
        ),
    }
    return offerings
