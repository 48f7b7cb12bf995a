"""Importers reject bad rows with their line number, keep the good ones, and never half-write a record."""

import gzip
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from antwoord.catalogue.importers.sc import import_sc_csv, import_sc_xml
from antwoord.catalogue.importers.upl import import_upl
from antwoord.catalogue.importers.vac import import_vac_csv, import_vac_json, squad_context_to_markdown
from antwoord.catalogue.models import Article, Offering, Product, Status
from antwoord.catalogue.services import revisions_of
from antwoord.lib.sources import SourceError
from antwoord.organisations.models import Organisation, OrganisationAlias

UPL_HEADER = (
    "UniformeProductnaam,URI,Rijk,Provincie,Waterschap,Gemeente,Burger,Bedrijf,Dienstenwet,SDG,Autonomie,"
    "Medebewind,Aanvraag,Subsidie,Melding,Verplichting,Grondslag,Grondslaglabel,Grondslaglink\n"
)
PASPOORT = "paspoort,http://standaarden.overheid.nl/owms/terms/paspoort,X,,,X,X,,,A1,,X,X,,,,,,\n"
HUURTOESLAG = "huurtoeslag,http://standaarden.overheid.nl/owms/terms/huurtoeslag,X,,,,X,,,,,X,X,,,,,,\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.mark.django_db
def test_a_corrupt_upl_row_is_rejected_with_its_line_number_and_the_good_rows_load(tmp_path: Path) -> None:
    corrupt = "kapot product,niet-een-uri,X,,,,,,,,,,,,,,,,\n"
    short = "te kort,http://standaarden.overheid.nl/owms/terms/kort,X\n"
    source = write(tmp_path, "upl.csv", UPL_HEADER + PASPOORT + corrupt + HUURTOESLAG + short)

    report = import_upl(source)

    assert report.created == 2
    assert report.rejected == [
        (3, "URI 'niet-een-uri' is not a web address (http or https)"),
        (5, "expected 19 columns, found 3"),
    ]
    assert sorted(Product.objects.values_list("name", flat=True)) == ["huurtoeslag", "paspoort"]
    paspoort = Product.objects.get(name="paspoort")
    assert paspoort.layers == ["rijk", "gemeente"] and paspoort.sdg_codes == ["A1"] and paspoort.is_aanvraag


@pytest.mark.django_db
def test_line_numbers_count_multi_line_fields(tmp_path: Path) -> None:
    multi_line = (
        'paspoort,http://standaarden.overheid.nl/owms/terms/paspoort,X,,,X,X,,,A1,,X,X,,,,,"twee\nregels",\n'
    )
    bad_flag = "huurtoeslag,http://standaarden.overheid.nl/owms/terms/huurtoeslag,ja,,,,X,,,,,X,X,,,,,,\n"
    report = import_upl(write(tmp_path, "upl.csv", UPL_HEADER + multi_line + bad_flag))
    assert report.rejected == [(4, "column Rijk must be 'X' or empty, not 'JA'")]


@pytest.mark.django_db
def test_a_second_import_changes_nothing_and_a_changed_row_updates(tmp_path: Path) -> None:
    source = write(tmp_path, "upl.csv", UPL_HEADER + PASPOORT)
    import_upl(source)
    again = import_upl(source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)

    renamed = write(tmp_path, "upl2.csv", UPL_HEADER + PASPOORT.replace("paspoort,", "paspoort (nieuw),", 1))
    changed = import_upl(renamed)
    assert (changed.created, changed.updated) == (0, 1)
    assert Product.objects.get().name == "paspoort (nieuw)"


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_whole(tmp_path: Path) -> None:
    source = write(
        tmp_path, "upl.csv", UPL_HEADER + "één product,http://example.nl/x,X,,,,,,,,,,,,,,,,\n", "latin-1"
    )
    with pytest.raises(SourceError, match="not valid UTF-8"):
        import_upl(source)
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing column"):
        import_upl(write(tmp_path, "upl.csv", "naam,uri\npaspoort,http://x.nl\n"))


VAC_CSV = (
    "id,question,reference_answer,reference_answer_html,canonical,dataurl,lastmodified,authorities,subjects,themes\n"
    '11111111-1111-4111-8111-111111111111,Hoe lang is mijn paspoort geldig?,,"<p>Uw paspoort is <strong>10 jaar</strong> '
    'geldig.</p>\n\nVoor kinderen\n<p>Voor kinderen is dat 5 jaar.</p><script>alert(1)</script>",'
    "https://www.rijksoverheid.nl/vraag,,2024-10-03T11:06:30.161Z,BZK,Paspoort,Reizen|Recht\n"
    "geen-uuid,Een vraag?,,<p>antwoord</p>,,,,,,\n"
    "22222222-2222-4222-8222-222222222222,,,<p>Antwoord zonder vraag</p>,,,,,,\n"
)


@pytest.mark.django_db
def test_vac_csv_becomes_published_markdown_articles_with_a_revision(
    tmp_path: Path, national: Organisation
) -> None:
    report = import_vac_csv(write(tmp_path, "vac.csv", VAC_CSV))

    assert report.created == 1
    assert [line for line, _ in report.rejected] == [6, 7]  # the first record spans lines 2-5
    article = Article.objects.get()
    assert str(article.uuid) == "11111111-1111-4111-8111-111111111111"
    assert article.status == Status.PUBLISHED and article.owner == national
    assert (
        article.answer
        == "Uw paspoort is **10 jaar** geldig.\n\nVoor kinderen\n\nVoor kinderen is dat 5 jaar."
    )
    assert article.keywords == ["Paspoort", "Reizen", "Recht"]
    assert [r.actor for r in revisions_of(article)] == ["import-vac"]


@pytest.mark.django_db
def test_the_lower_cased_squad_text_never_replaces_a_richer_import(
    tmp_path: Path, national: Organisation
) -> None:
    import_vac_csv(write(tmp_path, "vac.csv", VAC_CSV))
    squad = {
        "data": [
            {
                "title": "11111111-1111-4111-8111-111111111111",
                "paragraphs": [
                    {"context": "uw paspoort is 10 jaar geldig.", "qas": [{"question": "Hoe lang?"}]}
                ],
            },
            {
                "title": "33333333-3333-4333-8333-333333333333",
                "paragraphs": [
                    {
                        "context": "u betaalt een boete. title: bezwaar maken, : u kunt bezwaar maken. dat kan online.",
                        "qas": [{"question": "Wat als ik te laat betaal?"}],
                    }
                ],
            },
            {"title": "44444444-4444-4444-8444-444444444444", "paragraphs": []},
        ]
    }
    report = import_vac_json(write(tmp_path, "squad.json", json.dumps(squad)))

    assert (report.created, sum(report.skipped.values()), len(report.rejected)) == (1, 1, 1)
    assert (
        Article.objects.get(uuid="11111111-1111-4111-8111-111111111111").question
        == "Hoe lang is mijn paspoort geldig?"
    )
    new = Article.objects.get(uuid="33333333-3333-4333-8333-333333333333")
    assert new.answer == "U betaalt een boete.\n\n## Bezwaar maken\n\nU kunt bezwaar maken. Dat kan online."


def test_squad_context_keeps_sections_and_capitalises_sentences() -> None:
    assert squad_context_to_markdown("intro. title: kop, : tekst hier., title: twee, : meer") == (
        "Intro.\n\n## Kop\n\nTekst hier.\n\n## Twee\n\nMeer"
    )


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web_folder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real HTTP server on loopback, serving a folder: the importers' URL path without the internet."""
    handler = lambda *args, **kwargs: _Files(*args, directory=str(tmp_path), **kwargs)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.django_db
def test_vac_api_list_endpoint_is_followed_to_each_detail(
    web_folder: tuple[Path, str], national: Organisation
) -> None:
    folder, base = web_folder
    detail = {
        "id": "55555555-5555-4555-8555-555555555555",
        "question": "Wanneer moet ik een omgevingsvergunning aanvragen?",
        "introduction": "<p>Als u iets wilt veranderen aan uw huis.</p>",
        "content": [
            {
                "paragraphtitle": "Vergunningscheck",
                "paragraph": "<p>Doe de <a href='https://omgevingswet.overheid.nl'>check</a>.</p>",
            }
        ],
        "subjects": ["Omgevingswet"],
        "themes": ["Bouwen en wonen"],
        "canonical": "https://www.rijksoverheid.nl/omgevingsvergunning",
        "lastmodified": "2025-12-29T17:05:20.978Z",
    }
    (folder / "detail.json").write_text(json.dumps(detail))
    (folder / "list.json").write_text(json.dumps([{"id": detail["id"], "dataurl": f"{base}/detail.json"}]))

    report = import_vac_json(f"{base}/list.json")

    assert report.created == 1, report.rejected
    article = Article.objects.get()
    assert article.answer == (
        "Als u iets wilt veranderen aan uw huis.\n\n## Vergunningscheck\n\n"
        "Doe de [check](https://omgevingswet.overheid.nl)."
    )
    assert article.source_format == "api"


SC_CSV_HEADER = (
    "authority,authority_scheme,authority_uri,spatial,title,url,abstract,upl,upl_uri,audience,subject,"
    "onlineAanvragen,aanvraagURL,productID,language,modified\n"
)


@pytest.fixture
def catalogue_basics(db: None) -> None:
    Organisation.objects.create(
        code="gm0344",
        name="Utrecht",
        official_name="gemeente Utrecht",
        layer="gemeente",
        kind="gemeente",
        owms_uri="http://standaarden.overheid.nl/owms/terms/Utrecht_(gemeente)",
    )
    Organisation.objects.create(
        code="gm0518",
        name="Den Haag",
        official_name="gemeente 's-Gravenhage",
        layer="gemeente",
        kind="gemeente",
        owms_uri="http://standaarden.overheid.nl/owms/terms/'s-Gravenhage",
    )
    Product.objects.create(
        upl_uri="http://standaarden.overheid.nl/owms/terms/parkeervergunning", name="parkeervergunning"
    )


@pytest.mark.django_db
def test_sc_csv_resolves_authorities_including_an_outdated_uri(
    tmp_path: Path, catalogue_basics: None
) -> None:
    rows = (
        "'s-Gravenhage,overheid:Gemeente,http://standaarden.overheid.nl/owms/terms/'s-Gravenhage,'s-Gravenhage,"
        "Parkeervergunning aanvragen,https://www.denhaag.nl/parkeren,<p>Vraag <b>online</b> aan.</p>,parkeervergunning,"
        "http://standaarden.overheid.nl/owms/terms/UPL-naam_nog_niet_beschikbaar;http://standaarden.overheid.nl/owms/terms/parkeervergunning,"
        "particulier;ondernemer,Verkeer,digid,https://www.denhaag.nl/aanvragen,123,nl,2023-05-26\n"
        "Utrecht (Utr),overheid:Gemeente,http://standaarden.overheid.nl/owms/terms/Utrecht_oud,Utrecht,"
        "Grofvuil,https://www.utrecht.nl/grofvuil,Bel ons.,,,particulier,Afval,nee,,9,nl,2023-01-01\n"
        "Atlantis,overheid:Gemeente,http://standaarden.overheid.nl/owms/terms/Atlantis,Atlantis,"
        "Iets,https://atlantis.example/x,,,,particulier,,nee,,1,nl,2023-01-01\n"
        "'s-Gravenhage,overheid:Gemeente,http://standaarden.overheid.nl/owms/terms/'s-Gravenhage,'s-Gravenhage,"
        "Kapot,javascript:alert(1),,,,particulier,,nee,,2,nl,2023-01-01\n"
    )
    report = import_sc_csv(write(tmp_path, "sc.csv", SC_CSV_HEADER + rows))

    assert report.created == 2
    assert [line for line, _ in report.rejected] == [4, 5]
    assert "Atlantis" in report.rejected[0][1]
    parking = Offering.objects.get(organisation__code="gm0518")
    assert parking.product is not None and parking.product.name == "parkeervergunning"
    assert parking.text == "Vraag **online** aan."
    assert parking.channel_online and parking.for_burger and parking.for_ondernemer
    assert Offering.objects.get(organisation__code="gm0344").title == "Grofvuil"
    assert OrganisationAlias.objects.get().organisation.code == "gm0344"


SC_XML = """<?xml version="1.0" encoding="UTF-8"?>
<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse">
 <records><record><recordData>
  <overheidproduct:scproduct xmlns:overheidproduct="http://standaarden.overheid.nl/product/terms/"
      xmlns:dcterms="http://purl.org/dc/terms/" xmlns:overheid="http://standaarden.overheid.nl/owms/terms/" owms-version="4.0">
   <overheidproduct:meta>
    <overheidproduct:owmskern>
     <dcterms:identifier>https://www.denhaag.nl/parkeervergunning-bewoners</dcterms:identifier>
     <dcterms:title>Parkeervergunning voor bewoners</dcterms:title>
     <dcterms:language>nl</dcterms:language>
     <dcterms:modified>2026-03-01</dcterms:modified>
     <overheid:authority scheme="overheid:Gemeente" resourceIdentifier="http://standaarden.overheid.nl/owms/terms/'s-Gravenhage">'s-Gravenhage</overheid:authority>
    </overheidproduct:owmskern>
    <overheidproduct:owmsmantel>
     <dcterms:audience scheme="overheid:Doelgroep">particulier</dcterms:audience>
     <dcterms:abstract>Woont u in een betaald-parkerengebied? &lt;script&gt;x&lt;/script&gt;Vraag dan een vergunning aan.</dcterms:abstract>
    </overheidproduct:owmsmantel>
    <overheidproduct:scmeta>
     <overheidproduct:productID>42</overheidproduct:productID>
     <overheidproduct:onlineAanvragen>ja</overheidproduct:onlineAanvragen>
     <overheidproduct:aanvraagURL resourceIdentifier="https://www.denhaag.nl/aanvragen"/>
     <overheidproduct:uniformeProductnaam scheme="overheid:UniformeProductnaam" resourceIdentifier="http://standaarden.overheid.nl/owms/terms/parkeervergunning">parkeervergunning</overheidproduct:uniformeProductnaam>
    </overheidproduct:scmeta>
   </overheidproduct:meta>
  </overheidproduct:scproduct>
 </recordData></record>
 <record><recordData><overheidproduct:scproduct xmlns:overheidproduct="http://standaarden.overheid.nl/product/terms/">
  <overheidproduct:meta/></overheidproduct:scproduct></recordData></record>
 </records>
</searchRetrieveResponse>
"""


@pytest.mark.django_db
def test_sc_xml_from_an_sru_response_gives_the_same_offerings(tmp_path: Path, catalogue_basics: None) -> None:
    source = tmp_path / "sc.xml.gz"
    source.write_bytes(gzip.compress(SC_XML.encode()))

    report = import_sc_xml(str(source))

    assert report.created == 1 and [line for line, _ in report.rejected] == [2]
    offering = Offering.objects.get()
    assert offering.title == "Parkeervergunning voor bewoners" and offering.source_id == "42"
    assert offering.online_application_url == "https://www.denhaag.nl/aanvragen"
    assert offering.product is not None and "<script>" not in offering.text and "Vraag dan" in offering.text


@pytest.mark.django_db
def test_hostile_xml_is_refused(tmp_path: Path, catalogue_basics: None) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<scproducten>&lol2;</scproducten>"
    )
    with pytest.raises(SourceError, match="not valid or not safe XML"):
        import_sc_xml(write(tmp_path, "bomb.xml", bomb))
    with pytest.raises(SourceError, match="not valid or not safe XML"):
        import_sc_xml(write(tmp_path, "broken.xml", "<scproducten><scproduct>"))
    assert not Offering.objects.exists()
