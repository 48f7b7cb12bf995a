"""TOOI registers and postcode areas."""

import json
from datetime import date
from pathlib import Path

import pytest

from antwoord.lib.sources import SourceError
from antwoord.organisations.importers import import_postcodes, import_tooi_register
from antwoord.organisations.models import Organisation, PlaceName, PlaceNameSource, Postcode

T = "https://identifier.overheid.nl/tooi/def/ont/"
P = "http://www.w3.org/ns/prov#"
PV27 = "https://identifier.overheid.nl/tooi/id/provincie/pv27"


def entry(kind: str, code: str, name: str, **extra: str) -> dict[str, object]:
    item: dict[str, object] = {
        "@id": f"https://identifier.overheid.nl/tooi/id/{kind.lower()}/{code}",
        "@type": [f"https://identifier.overheid.nl/tooi/def/ont/{kind}"],
        T + "organisatiecode": [{"@value": code}],
        T + "officieleNaamExclSoort": [{"@value": name}],
        T + "officieleNaamInclSoort": [{"@value": f"{kind.lower()} {name}"}],
        T + "owmsId": [{"@value": f"http://standaarden.overheid.nl/owms/terms/{name}"}],
    }
    for field, value in extra.items():
        item[T + field] = [{"@id" if field == "ligtInProvincie" else "@value": value}]
    return item


@pytest.mark.django_db
def test_tooi_keeps_what_exists_today_and_links_municipalities_to_their_province(tmp_path: Path) -> None:
    provinces = tmp_path / "provincies.json"
    provinces.write_text(json.dumps([entry("Provincie", "pv27", "Noord-Holland", provinciecode="27")]))
    municipalities = tmp_path / "gemeenten.json"
    pv27 = "https://identifier.overheid.nl/tooi/id/provincie/pv27"
    municipalities.write_text(
        json.dumps(
            [
                entry("Gemeente", "gm0363", "Amsterdam", gemeentecode="0363", ligtInProvincie=pv27),
                entry(
                    "Gemeente",
                    "gm0001",
                    "Opgeheven",
                    gemeentecode="0001",
                    ligtInProvincie=pv27,
                    einddatum="2020-12-31",
                ),
                entry(
                    "Gemeente",
                    "gm9999",
                    "Nieuw",
                    gemeentecode="9999",
                    ligtInProvincie=pv27,
                    begindatum="2030-01-01",
                ),
                entry(
                    "Gemeente", "gm0777", "Zonder provincie", gemeentecode="0777", ligtInProvincie="x/pv99"
                ),
                {"@type": ["https://identifier.overheid.nl/tooi/def/ont/Samenvoeging"]},
            ]
        )
    )
    import_tooi_register(str(provinces), today=date(2026, 11, 28))
    report = import_tooi_register(str(municipalities), today=date(2026, 11, 28))

    assert report.created == 1 and sum(report.skipped.values()) == 4
    assert (
        report.skipped["former municipality not part of exactly one municipality today (no place name)"] == 1
    )
    assert report.rejected and report.rejected[0][0] == 4 and "pv99" in report.rejected[0][1]
    amsterdam = Organisation.objects.get(code="gm0363")
    assert (
        amsterdam.cbs_code == "0363" and amsterdam.province is not None and amsterdam.province.code == "pv27"
    )
    assert amsterdam.tooi_code == "gm0363"


@pytest.mark.django_db
def test_a_bad_postcode_row_is_rejected_with_its_line(tmp_path: Path, den_haag: Organisation) -> None:
    source = tmp_path / "pc4.csv"
    source.write_text(
        "pc4,gemeentenaam,gemeentecode,provincie\n2511,Den Haag,0518,ZH\n25x1,?,0518,ZH\n2512,?,9999,ZH\n"
    )
    report = import_postcodes(str(source))
    assert report.created == 1
    assert report.rejected == [
        (3, "'25x1' is not a 4-digit postcode"),
        (4, "municipality code '9999' is unknown"),
    ]
    assert list(Postcode.objects.values_list("pc4", flat=True)) == ["2511"]


@pytest.mark.django_db
def test_tooi_needs_a_json_list(tmp_path: Path) -> None:
    source = tmp_path / "x.json"
    for text in ("{niet json", "[" * 5000 + "]" * 5000):
        source.write_text(text)
        with pytest.raises(SourceError, match="not valid JSON"):
            import_tooi_register(str(source))


def change(kind: str, invalidated: list[str], **targets: list[str]) -> dict[str, object]:
    """A TOOI change record: `generated` (a merger's new municipality) or `used` (the one that grew)."""
    return {
        "@type": [f"https://identifier.overheid.nl/tooi/def/ont/{kind}"],
        P + "invalidated": municipality_ids(invalidated),
        **{P + name: municipality_ids(codes) for name, codes in targets.items()},
    }


def municipality_ids(codes: list[str]) -> list[dict[str, str]]:
    return [{"@id": f"https://identifier.overheid.nl/tooi/id/gemeente/{code}"} for code in codes]


def municipality(code: str, name: str, **dates: str) -> dict[str, object]:
    return entry("Gemeente", code, name, gemeentecode=code[2:], ligtInProvincie=PV27, **dates)


@pytest.mark.django_db
def test_former_municipalities_become_place_names_of_the_one_they_are_part_of_today(tmp_path: Path) -> None:
    provinces = tmp_path / "provincies.json"
    provinces.write_text(json.dumps([entry("Provincie", "pv27", "Noord-Holland", provinciecode="27")]))
    municipalities = tmp_path / "gemeenten.json"
    ended = {"einddatum": "2018-12-31"}
    municipalities.write_text(
        json.dumps(
            [
                municipality("gm0014", "Groningen"),
                municipality("gm1966", "Het Hogeland"),
                municipality("gm1969", "Westerkwartier"),
                municipality("gm0796", "'s-Hertogenbosch"),
                municipality("gm0017", "Haren", **ended),
                municipality("gm0009", "Ten Boer", **ended),
                municipality("gm0053", "Winsum", **ended),
                municipality("gm0001", "Tussenstap", **ended),
                municipality("gm0002", "Oudste", **ended),
                municipality("gm0003", "Groningen", **ended),
                change("Uitbreiding", ["gm0017", "gm0009"], used=["gm0014"]),
                change("Herschikking", ["gm0053"], generated=["gm1966", "gm1969"]),
                # Oudste merged into Tussenstap, which later became part of Groningen.
                change("Samenvoeging", ["gm0002"], generated=["gm0001"]),
                change("Uitbreiding", ["gm0001"], used=["gm0014"]),
                change("Uitbreiding", ["gm0003"], used=["gm1966"]),
            ]
        )
    )
    import_tooi_register(str(provinces), today=date(2026, 11, 28))
    report = import_tooi_register(str(municipalities), today=date(2026, 11, 28))

    names = {
        p.name: (p.municipality.code, p.source) for p in PlaceName.objects.select_related("municipality")
    }
    former = ("gm0014", PlaceNameSource.TOOI)
    assert names == {
        "Haren": former,
        "Ten Boer": former,
        "Tussenstap": former,
        "Oudste": former,
        "Den Bosch": ("gm0796", PlaceNameSource.REFERENCE),  # reference.yaml; Nuenen's municipality is absent
    }
    assert (
        report.skipped["former municipality not part of exactly one municipality today (no place name)"] == 1
    )
    assert report.skipped["former municipality's name is in use (kept as it is)"] == 1

    again = import_tooi_register(str(municipalities), today=date(2026, 11, 28))
    assert again.created == 0 and again.updated == 0 and PlaceName.objects.count() == 5
    # a register without municipalities leaves the place names alone (and out of its report)
    assert import_tooi_register(str(provinces), today=date(2026, 11, 28)).unchanged == 1


@pytest.mark.django_db
def test_a_place_name_an_administrator_keeps_is_not_overwritten_by_the_import(
    tmp_path: Path, den_haag: Organisation
) -> None:
    PlaceName.objects.create(name="Haren", municipality=den_haag)  # say, by mistake; it stays theirs
    provinces = tmp_path / "provincies.json"
    provinces.write_text(json.dumps([entry("Provincie", "pv27", "Noord-Holland", provinciecode="27")]))
    municipalities = tmp_path / "gemeenten.json"
    municipalities.write_text(
        json.dumps(
            [
                municipality("gm0014", "Groningen"),
                municipality("gm0017", "Haren", einddatum="2018-12-31"),
                change("Uitbreiding", ["gm0017"], used=["gm0014"]),
            ]
        )
    )
    import_tooi_register(str(provinces), today=date(2026, 11, 28))
    import_tooi_register(str(municipalities), today=date(2026, 11, 28))
    assert PlaceName.objects.get().municipality == den_haag
