"""Which organisation of which layer serves a place."""

import pytest
from django.core.exceptions import ValidationError

from antwoord.organisations.models import (
    Kind,
    Layer,
    Organisation,
    PlaceName,
    PlaceNameSource,
    Postcode,
    WaterBoardCoverage,
)
from antwoord.organisations.services import (
    UnknownPlaceError,
    find_municipality,
    find_place,
    municipality_for_postcode,
    organisations_serving_place,
    parse_pc4,
    serving_organisations,
)


@pytest.fixture
def the_hague_area(den_haag: Organisation, national: Organisation) -> Organisation:
    delfland = Organisation.objects.create(
        code="ws0372", name="Delfland", layer=Layer.WATERSCHAP, kind=Kind.WATERSCHAP
    )
    rijnland = Organisation.objects.create(
        code="ws0616", name="Rijnland", layer=Layer.WATERSCHAP, kind=Kind.WATERSCHAP
    )
    WaterBoardCoverage.objects.create(municipality=den_haag, water_board=delfland)
    WaterBoardCoverage.objects.create(municipality=den_haag, water_board=rijnland)
    Postcode.objects.create(pc4="2511", municipality=den_haag)
    return den_haag


@pytest.mark.parametrize("raw", ["2511", "2511 AB", " 2511ab "])
def test_postcodes_are_read_the_way_people_write_them(raw: str) -> None:
    assert parse_pc4(raw) == "2511"


@pytest.mark.parametrize("raw", ["", "251", "0251", "25111", "abcd", "2511 ABC", "<script>"])
def test_other_input_is_not_a_postcode(raw: str) -> None:
    with pytest.raises(ValueError, match="geen geldige postcode"):
        parse_pc4(raw)


@pytest.mark.django_db
def test_each_layer_is_served_by_the_right_organisations(the_hague_area: Organisation) -> None:
    assert serving_organisations(Layer.GEMEENTE, postcode="2511") == [the_hague_area]
    assert [o.code for o in serving_organisations("provincie", postcode="2511")] == ["pv28"]
    assert [o.code for o in serving_organisations("waterschap", municipality=the_hague_area)] == [
        "ws0372",
        "ws0616",
    ]
    national = serving_organisations("rijk", postcode="2511")
    assert "belastingdienst" in [o.code for o in national] and all(o.layer == Layer.RIJK for o in national)
    place = organisations_serving_place(the_hague_area)
    assert [o.layer for o in place[:4]] == [
        Layer.GEMEENTE,
        Layer.PROVINCIE,
        Layer.WATERSCHAP,
        Layer.WATERSCHAP,
    ]


@pytest.mark.django_db
def test_an_unknown_postcode_is_said_plainly(the_hague_area: Organisation) -> None:
    with pytest.raises(UnknownPlaceError, match="9999"):
        municipality_for_postcode("9999")
    assert municipality_for_postcode("2511 XX") == the_hague_area


@pytest.mark.django_db
def test_municipalities_are_found_by_code_or_name(den_haag: Organisation) -> None:
    den_haag.official_name = "gemeente 's-Gravenhage"
    den_haag.save()
    for given in ("gm0518", "0518", "Den Haag", "den haag", "'s-Gravenhage"):
        assert find_municipality(given) == den_haag
    # ... and written as people type them: extra spaces, a hyphen, no apostrophe, another apostrophe
    for given in ("Den  Haag ", "den-haag", "s-Gravenhage", "’s Gravenhage", "DENHAAG"):
        assert find_municipality(given) == den_haag, given
    with pytest.raises(UnknownPlaceError):
        find_municipality("Atlantis")


@pytest.mark.django_db
def test_a_former_municipality_or_other_place_name_finds_the_municipality_of_today(
    den_haag: Organisation,
) -> None:
    PlaceName.objects.create(name="Loosduinen", municipality=den_haag, source=PlaceNameSource.TOOI)
    PlaceName.objects.create(name="Scheveningen", municipality=den_haag)
    assert find_municipality("loosduinen") == den_haag
    assert find_place("", " Scheveningen ") == den_haag
    assert find_place("", "scheve-ningen") == den_haag
    with pytest.raises(UnknownPlaceError):
        find_municipality("-- '' --")  # nothing left to compare
    den_haag.is_active = False
    den_haag.save()
    with pytest.raises(UnknownPlaceError, match="Loosduinen"):
        find_municipality("Loosduinen")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("<script>alert(1)</script>", "letters, spaties"),
        ("Rosmalen\n", "letters, spaties"),
        ("1234", "letters, spaties"),
        ("x" * 101, "niet meer dan 100 tekens"),
        ("SCHEVENINGEN", "bestaat al"),
        ("rotterdam", "Rotterdam is zelf een gemeente"),
    ],
)
def test_a_place_name_is_checked_before_it_is_kept(den_haag: Organisation, name: str, problem: str) -> None:
    PlaceName.objects.create(name="Scheveningen", municipality=den_haag)
    Organisation.objects.create(code="gm0599", name="Rotterdam", layer=Layer.GEMEENTE, kind=Kind.GEMEENTE)
    with pytest.raises(ValidationError) as raised:
        PlaceName(name=name, municipality=den_haag).full_clean()
    assert problem in str(raised.value)
    PlaceName(name="'s-Gravenzande", municipality=den_haag).full_clean()
    PlaceName(name="den haag", municipality=den_haag).full_clean()  # its own name, written otherwise: fine


@pytest.mark.django_db
def test_a_place_is_the_postcodes_municipality_else_the_named_one(the_hague_area: Organisation) -> None:
    rotterdam = Organisation.objects.create(
        code="gm0599", name="Rotterdam", layer=Layer.GEMEENTE, kind=Kind.GEMEENTE
    )
    assert find_place("2511", "Rotterdam") == the_hague_area  # the postcode says more precisely where
    assert find_place("", "gm0599") == rotterdam
    assert find_place(" ", "") is None
    with pytest.raises(ValueError):
        find_place("25", "")
