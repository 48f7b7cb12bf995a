"""The decision features and the routing of a handover: a person's own case, a municipality without the
product, and the national agency whose topic a question is."""

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from antwoord.answers import services
from antwoord.answers.engine.decide import FEATURE_NAMES, Calibration, Engine
from antwoord.answers.engine.index import NATIONAL, PRODUCTS, Document, SearchIndex
from antwoord.answers.engine.rerank import FEATURE_NAMES as RERANK_FEATURES
from antwoord.answers.engine.routing import AGENCIES, agency_for

from .test_engine import CATALOGUE, DEN_HAAG, ROTTERDAM, article, offering, product

REFERENCE = Path(__file__).parents[2] / "src" / "antwoord" / "organisations" / "reference.yaml"


def weighted(place_margin: float = 1.0, **weights: float) -> Calibration:
    """The fixed test calibration, with some of the newer features given a weight."""
    base = list(Calibration().weights)
    for name, weight in weights.items():
        base[FEATURE_NAMES.index(name)] = weight
    return Calibration(
        weights=tuple(base), bias=-4.0, threshold=0.35, ambiguity=0.97, place_margin=place_margin
    )


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    extra = [
        article("vac-ww", "Hoe vraag ik een WW-uitkering aan?", "U vraagt een WW-uitkering aan bij het UWV."),
        article("vac-grofvuil", "Waar kan ik grofvuil inleveren?", "Grofvuil brengt u naar de milieustraat."),
        product("upl:ww", "WW-uitkering", ["rijk"], share=0.0),
        article("vac-zorgtoeslag", "Wanneer krijg ik een beschikking voor de zorgtoeslag?", "In december."),
        article("vac-aflossing", "Kan ik de maandelijkse aflossing van mijn studieschuld verlagen?", "Ja."),
        article("vac-apk", "Waar kan ik mijn auto laten keuren?", "Bij een keuringsstation."),
        article("vac-ombudsman", "Wat doet de Kinderombudsman?", "Hij komt op voor kinderen."),
        article("vac-snelheid", "Wat is de maximumsnelheid op de snelweg?", "Meestal 100 km per uur."),
    ]
    return SearchIndex([*CATALOGUE, *extra])


def features_of(engine: Engine, question: str, **place: object) -> dict[str, float]:
    features: dict[str, float] = engine.ask(question, **place).explanation["features"]  # type: ignore[arg-type]
    return features


def test_the_agency_table_matches_the_reference_organisations() -> None:
    national = {
        o["code"]: o["name"] for o in yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))["national"]
    }
    assert {a.code: a.name for a in AGENCIES}.items() <= national.items()
    assert len({a.code for a in AGENCIES}) == len(AGENCIES)


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("ik heb in mei studiefinanciering aangevraagd maar nog niks gehoord", "duo"),
        ("waarom is mijn zorgtoeslag gestopt", "toeslagen"),
        ("hoe verleng ik mijn verblijfsvergunning", "ind"),
        ("duo heeft mijn aflossing verhoogd, kan dat zomaar", "duo"),  # the agency named wins
        ("het cjib stuurt een aanmaning voor mijn verkeersboete", "cjib"),
        ("ik heb een blauwe envelop met een naheffing gekregen", "belastingdienst"),
        ("hoeveel bijtelling betaal ik voor een leaseauto", "belastingdienst"),
        ("moet ik wegenbelasting betalen voor een aanhanger", "belastingdienst"),
        ("wanneer krijg ik mijn zwangerschapsuitkering", "uwv"),
        ("mijn verblijfspas is verlopen", "ind"),
        ("vrijwaringsbewijs kwijt na verkoop van mijn scooter", "rdw"),
        ("seeh subsidie voor isolatie", "rvo"),
        ("parkeervergunning aanvragen", None),
        (
            "individuele studietoeslag aanvragen",
            None,
        ),  # a municipal benefit; "toeslagen" is a name, whole words only
    ],
)
def test_a_national_topic_names_its_agency(index: SearchIndex, question: str, code: str | None) -> None:
    agency = agency_for(question, index.analyzer)
    assert (agency.code if agency else None) == code


def test_compound_parts_count_for_topics(index: SearchIndex) -> None:
    found = agency_for("wanneer krijg ik mijn zorgtoeslagbeschikking", index.analyzer)
    assert found is not None and found.code == "toeslagen"


@pytest.mark.parametrize(
    ("question", "cue"),
    [
        ("waar blijft mijn ww uitkering van deze maand", 1.0),
        ("ik heb de ww uitkering aangevraagd maar nog niks gehoord", 1.0),
        ("mijn aanvraag voor een ww uitkering staat al zes weken open", 1.0),
        ("ik heb een brief van het uwv gekregen over mijn ww uitkering", 1.0),
        ("waarom is mijn ww uitkering lager dan vorige maand", 1.0),
        # what the organisation did or says about the person's own file
        ("het uwv zegt dat ik te veel ww uitkering kreeg", 1.0),
        ("het uwv wil geld terug van mijn ww uitkering", 1.0),
        ("het uwv heeft mijn ww uitkering stopgezet", 1.0),
        ("op mijn beschikking staat een te laag bedrag voor de ww uitkering", 1.0),
        ("het uwv maakt nog steeds ww uitkering over terwijl ik werk", 1.0),
        ("sinds juni krijg ik geen ww uitkering meer", 1.0),
        ("mijn ww uitkering is per 1 januari zomaar verlaagd", 1.0),
        ("ik heb in maart een ww uitkering aangevraagd, is die al toegekend", 1.0),
        ("op mijn beschikking ww uitkering staan te weinig uren, kunnen jullie dat aanpassen", 1.0),
        ("ik heb een ww uitkering aangevraagd, sindsdien hoor ik niks meer", 1.0),
        ("sinds deze maand komt mijn ww uitkering niet meer binnen terwijl er niks veranderd is", 1.0),
        ("bij de herkeuring ben ik maar 35 procent afgekeurd, krijg ik dan een ww uitkering", 1.0),
        ("ik krijg sinds deze maand geen ww uitkering meer terwijl er bij mij niks is veranderd", 1.0),
        ("mijn ww uitkering is deze maand niet gestort", 1.0),
        ("ww uitkering aangevraagd op 3 april, tot nu toe geen cent gezien", 1.0),
        ("mijn ww uitkering is lager dan vorig jaar", 1.0),
        ("de ww uitkering op de brief is niet van mij", 1.0),
        ("ww uitkering afgewezen, snap niet waarom", 1.0),
        ("mijn ww uitkering is veel te laag", 1.0),
        ("bij de aanvraag ww uitkering verkeerde rekening opgegeven", 1.0),
        ("ww uitkering, bsn 123456782", 1.0),
        ("ww uitkering kwijt, klantnummer: 40112233", 1.0),
        ("hoe vraag ik een ww uitkering aan", 0.0),
        ("heb ik een bsn nodig voor een ww uitkering", 0.0),  # the word alone is a topic, not a file
        ("ww uitkering aangevraagd maar nooit iets terug gehoord", 1.0),
        ("hoe lang duurt het nog voordat mijn ww uitkering komt", 1.0),
        ("hoe lang duurt het meestal voordat een ww uitkering wordt uitbetaald", 0.0),
        ("ik wil mijn betalingsregeling voor de ww uitkering aanpassen", 1.0),
        ("betalingsregeling ww uitkering voorwaarden", 0.0),
        ("wanneer komt de ww uitkering binnen op mijn rekening", 0.0),
        ("hoe lang krijg ik een ww uitkering", 0.0),
        ("mag ik met een ww uitkering nog steeds op vakantie", 0.0),
        ("mijn ex zegt dat ik de ww uitkering moet delen", 0.0),
        # ways of speaking the sixth and seventh batches of dev questions showed, and look-alike general questions
        ("het uwv heeft mijn ww uitkering op nul gezet", 1.0),
        ("wanneer wordt een ww uitkering op nul gezet", 0.0),
        ("brief van het uwv dat mijn ww uitkering stopt", 1.0),
        ("hoe herken ik een nep brief van het uwv waarin om geld gevraagd wordt", 0.0),
        ("ww uitkering niet ontvangen maart", 1.0),
        ("wordt de ww uitkering in december niet uitbetaald", 0.0),
        ("wat moet ik doen als ik mijn ww uitkering niet heb ontvangen", 0.0),
        ("ik kan deze maand de aflossing niet betalen van de te veel ontvangen ww uitkering", 1.0),
        ("de korting op mijn ww uitkering is hoger terwijl mijn inkomen hetzelfde is", 1.0),
        ("mijn inkomen is gestegen, moet ik dat doorgeven voor de ww uitkering", 0.0),
        ("mijn adres op de ww uitkering is fout, kan dat aangepast worden", 1.0),
        ("kan dit online aangepast worden bij de ww uitkering", 0.0),
        ("ww uitkering te laag, ik ben het daar niet mee eens", 1.0),
        ("wat is de stand van mijn bezwaar over de ww uitkering", 1.0),
        ("ww uitkering, dossiernummer 123456", 1.0),
        ("ww uitkering, kenmerk ww-2024-118", 1.0),
        # ways of speaking the ninth batch of dev questions showed (a reclaimed benefit, a letter after "nu")
        ("het uwv wil de ww uitkering terug omdat ik ook loon kreeg", 1.0),
        ("wanneer wil het uwv een ww uitkering terugbetaald zien", 0.0),
        # ways of speaking the eleventh batch showed (a month's payment "niet gehad", a change since an event,
        # a refusal with its reason, a request to look again)
        ("ww uitkering mei niet gehad", 1.0),
        ("krijg je de ww uitkering in mei niet als je op vakantie bent", 0.0),
        ("sinds ik 60 ben is mijn ww uitkering veel lager", 1.0),
        ("wordt mijn ww uitkering lager als ik 60 word", 0.0),
        ("ww uitkering geweigerd omdat ik te laat was", 1.0),
        ("wanneer wordt een ww uitkering geweigerd", 0.0),
        ("de hoogte van de ww uitkering, kan die opnieuw bekeken worden", 1.0),
        ("ik ben gestopt met werken en nu krijg ik toch een brief over mijn ww uitkering", 1.0),
        ("krijg ik een boete als ik mijn ww uitkering te laat aanvraag", 0.0),
        ("dwangbevel gekregen voor de ww uitkering die ik al terugbetaald heb", 1.0),
        # ways of speaking the twelfth batch showed (a debit taken twice, a debt the person says is paid)
        ("de terugbetaling van de ww uitkering is twee keer afgeschreven", 1.0),
        ("wat gebeurt er als de ww uitkering twee keer wordt uitbetaald", 0.0),
        ("wordt de terugbetaling van de ww uitkering twee keer per jaar afgeschreven", 0.0),
        ("ik sta als wanbetaler geregistreerd voor de ww uitkering maar alles is betaald", 1.0),
        ("wat als ik de ww uitkering moet terugbetalen maar het niet kan", 0.0),
        # ways of speaking the thirteenth batch showed (a registration that should be gone or that someone made,
        # money withheld from the person's payment)
        ("bij het uwv staat mijn ww uitkering nog als lopend geregistreerd", 1.0),
        ("hoe word je geregistreerd voor de ww uitkering", 0.0),
        ("het uwv heeft me voor de ww uitkering aangemeld terwijl ik werk", 1.0),
        ("het uwv houdt elke maand geld in op mijn ww uitkering", 1.0),
        ("houdt het uwv loonheffing in op de ww uitkering", 0.0),
    ],
)
def test_a_question_about_ones_own_case_is_recognised(index: SearchIndex, question: str, cue: float) -> None:
    assert features_of(Engine(index, weighted()), question)["case_status"] == cue


@pytest.mark.parametrize(
    ("question", "mismatch"),
    [
        (
            "op welke datum wordt de huurtoeslag overgemaakt",
            1.0,
        ),  # best text: "Hoe vraag ik huurtoeslag aan?"
        ("hoeveel kost een paspoort", 0.0),  # best text: "Wat kost een paspoort?"
        ("wanneer krijg ik de zorgtoeslag beschikking", 0.0),  # "Wanneer krijg ik een beschikking ...?"
        ("hoeveel zorgtoeslag staat op de beschikking", 1.0),  # the same title says when, not how much
        (
            "hoeveel weken duurt de zorgtoeslag beschikking",
            0.0,
        ),  # a duration: the title's "wanneer" may say it
        ("huurtoeslag aanvragen", 0.0),  # asks no amount, date or time
        ("maximale aflossing studieschuld per maand", 1.0),  # a maximum is an amount
        ("welk rentepercentage rekent duo over mijn studieschuld", 1.0),  # a rate
        ("hoe verlaag ik de aflossing van mijn studieschuld", 0.0),
        ("is het keuringsstation ook op zaterdag open", 1.0),  # opening hours
        ("meeuwen pikken de vuilniszakken open bij het keuringsstation", 0.0),  # "open" as a verb's part
        ("welk telefoonnummer heeft de kinderombudsman", 1.0),  # a way to reach someone
        ("wat is de minimumsnelheid op de snelweg", 0.0),  # a speed, which the title names
        ("staat er nog een boete open bij het keuringsstation", 0.0),  # a debt, not opening hours
        ("hoe wijzig ik mijn e-mailadres voor de kinderombudsman", 0.0),  # not asked for
    ],
)
def test_an_amount_or_date_the_best_title_does_not_speak_of_is_a_mismatch(
    index: SearchIndex, question: str, mismatch: float
) -> None:
    assert features_of(Engine(index, weighted()), question)["quantity_mismatch"] == mismatch


def test_a_case_status_question_goes_to_the_agency_not_to_the_general_text(index: SearchIndex) -> None:
    engine = Engine(index, weighted(case_status=-6.0))
    general = engine.ask("hoe vraag ik een ww uitkering aan")
    assert general.status == "answered" and general.answer is not None
    assert general.answer.source_id == "vac-ww"
    own_case = engine.ask("ik heb een ww uitkering aangevraagd maar nog niks gehoord")
    assert own_case.status == "handover"
    assert own_case.handover_to == {"code": "uwv", "name": "UWV", "layer": "rijk"}
    assert "UWV" in own_case.message


def test_a_question_about_ones_own_case_is_handed_over_however_confident(index: SearchIndex) -> None:
    sure = Calibration(weights=(0.0,) * len(FEATURE_NAMES), bias=9.0, threshold=0.5)
    engine = Engine(index, sure)
    assert engine.ask("hoe vraag ik een ww uitkering aan").status == "answered"
    own_case = engine.ask("ik heb een ww uitkering aangevraagd maar nog niks gehoord")
    assert own_case.confidence > 0.99
    assert own_case.status == "handover" and own_case.handover_to is not None
    assert own_case.handover_to["code"] == "uwv"


def test_a_place_dependent_product_far_behind_the_best_product_is_not_the_topic() -> None:
    """A visa is a national matter, even though a municipal product also speaks of going abroad."""
    index = SearchIndex(
        [
            product("upl:visum", "Visum voor het buitenland", ["rijk"], share=0.0),
            product("upl:vertrek", "Vertrek naar het buitenland", ["gemeente"]),
            article(
                "vac-reizen", "Wat moet ik regelen voor een reis?", "Denk aan een visum en reisdocumenten."
            ),
        ]
    )
    engine = Engine(index, Calibration(weights=(0.0,) * len(FEATURE_NAMES), bias=9.0, place_margin=0.0))
    assert engine.ask("vertrek naar het buitenland melden").clarify == {
        "reason": "place",
        "upl_uri": "upl:vertrek",
    }
    visa = engine.ask("visum buitenland")
    assert visa.status == "answered" and visa.answer is not None
    assert visa.answer.source_id == "vac-reizen"


def test_a_national_offering_for_a_special_case_does_not_answer_the_general_question() -> None:
    """Passports are the municipality's; the national offering is for those who live abroad. Asked about a
    passport without a place, ANTWOORD asks where the person lives; asked about one abroad, it answers."""
    passport = "upl:paspoort"
    abroad = offering(
        "nl-paspoort-buitenland",
        NATIONAL,
        "Paspoort aanvragen als u in het buitenland woont",
        "Woont u in het buitenland? Vraag uw paspoort aan bij de ambassade.",
        passport,
    )
    index = SearchIndex(
        [
            product(passport, "paspoort", ["rijk", "gemeente"], "paspoort aanvragen"),
            abroad,
            offering("dh-paspoort", "gm0518", "Paspoort aanvragen", "Maak een afspraak.", passport),
            article("vac-paspoort", "Hoe lang is een paspoort geldig?", "Tien jaar."),
        ]
    )
    engine = Engine(index, weighted(place_margin=math.inf))
    general = engine.ask("paspoort aanvragen")
    assert general.clarify == {"reason": "place", "upl_uri": passport}
    assert "nl-paspoort-buitenland" in {a.source_id for a in general.alternatives}  # one click away
    special = engine.ask("paspoort aanvragen in het buitenland")
    assert special.status == "answered" and special.answer is not None
    assert special.answer.source_id == "nl-paspoort-buitenland"
    at_home = engine.ask("paspoort aanvragen", place=DEN_HAAG)
    assert at_home.answer is not None and at_home.answer.source_id == "dh-paspoort"


def test_a_place_without_the_product_shows_as_a_local_gap(index: SearchIndex) -> None:
    engine = Engine(index, weighted(local_gap=-8.0))
    rotterdam = engine.ask("grofvuil laten ophalen", place=ROTTERDAM)  # Rotterdam publishes no grofvuil page
    den_haag = engine.ask("grofvuil laten ophalen", place=DEN_HAAG)
    assert rotterdam.explanation["features"]["local_gap"] > 0
    assert rotterdam.status == "handover" and rotterdam.handover_to is not None
    assert rotterdam.handover_to["code"] == "gm0599"
    assert (
        den_haag.explanation["features"]["local_gap"] == 0
        and den_haag.explanation["features"]["top_local"] == 1
    )
    assert den_haag.status == "answered" and den_haag.answer is not None
    assert den_haag.answer.source_id == "dh-grofvuil"


def test_a_provinces_page_does_not_answer_for_a_municipal_product_the_municipality_lacks() -> None:
    """Rotterdam has no events page, Zuid-Holland has one for events on its roads: for a village fete the
    municipality is responsible, so that is a local gap; Den Haag's own page is a local answer."""
    index = SearchIndex(
        [
            product("upl:evenement", "Evenementenvergunning", ["provincie", "gemeente"]),
            offering(
                "pv-evenement", "pv28", "Evenementenvergunning provinciale weg", "Provincie.", "upl:evenement"
            ),
            offering(
                "dh-evenement", "gm0518", "Evenementenvergunning aanvragen", "Den Haag.", "upl:evenement"
            ),
        ]
    )
    engine = Engine(index, weighted(place_margin=math.inf))
    rotterdam = features_of(engine, "evenementenvergunning aanvragen", place=ROTTERDAM)
    assert rotterdam["top_local"] == 0 and rotterdam["local_gap"] > 0
    den_haag = features_of(engine, "evenementenvergunning aanvragen", place=DEN_HAAG)
    assert den_haag["top_local"] == 1 and den_haag["local_gap"] == 0


def test_the_places_own_text_on_another_product_is_a_feature() -> None:
    """Den Haag has no page on mooring places, only one on renting sports halls: that is not the answer."""
    index = SearchIndex(
        [
            product("upl:ligplaats", "Ligplaats", ["gemeente"]),
            product("upl:sport", "Sportaccommodatie", ["gemeente"]),
            offering(
                "rdam-ligplaats",
                "gm0599",
                "Ligplaats voor uw boot huren",
                "Huur een ligplaats.",
                "upl:ligplaats",
            ),
            offering("dh-sporthal", "gm0518", "Sporthal huren", "Huur een sporthal of gymzaal.", "upl:sport"),
        ]
    )
    engine = Engine(index, weighted(place_margin=math.inf, own_other_product=-8.0))
    den_haag = engine.ask("ligplaats huren voor mijn boot", place=DEN_HAAG)
    rotterdam = engine.ask("ligplaats huren voor mijn boot", place=ROTTERDAM)
    assert den_haag.explanation["features"]["own_other_product"] > 0
    assert den_haag.status == "handover" and den_haag.handover_to is not None
    assert den_haag.handover_to["code"] == "gm0518"
    assert rotterdam.explanation["features"]["own_other_product"] == 0
    assert rotterdam.status == "answered" and rotterdam.answer is not None
    assert rotterdam.answer.source_id == "rdam-ligplaats"


def test_the_committed_calibration_fits_the_engines_features() -> None:
    """calibration.json is refitted by `make calibrate`; a feature added without a refit would fail here."""
    committed = json.loads(
        (Path(services.__file__).with_name("calibration.json")).read_text(encoding="utf-8")
    )
    assert len(committed["weights"]) == len(FEATURE_NAMES)
    assert len(committed["rerank_weights"]) == len(RERANK_FEATURES)


def test_asking_what_differs_per_place_is_a_feature(index: SearchIndex) -> None:
    engine = Engine(index, weighted(place_margin=math.inf))  # reach the features instead of asking at once
    assert features_of(engine, "wat kost grofvuil laten ophalen")["local_specifics"] > 0
    assert features_of(engine, "mag ik grofvuil verbranden")["local_specifics"] == 0


def test_a_national_agency_topic_is_not_asked_for_a_place(index: SearchIndex) -> None:
    """'huurtoeslag' is the Toeslagen' topic even where a municipal product also matches."""
    engine = Engine(
        index, Calibration(weights=(0.0,) * len(FEATURE_NAMES), bias=-9.0, uncertain_place_margin=0.0)
    )
    response = engine.ask("mijn huurtoeslag parkeervergunning")
    assert response.status == "handover" and response.handover_to is not None
    assert response.handover_to["code"] == "toeslagen"


def test_with_a_known_place_and_no_national_topic_the_municipality_takes_it_on(index: SearchIndex) -> None:
    engine = Engine(index, weighted())
    question = "wanneer wordt mijn zorgverzekering terugbetaald door de verzekeraar"
    assert engine.ask(question).handover_to is None
    response = engine.ask(question, place=ROTTERDAM)
    assert response.status == "handover"
    assert response.handover_to == {"code": "gm0599", "name": "Rotterdam", "layer": "gemeente"}


def test_a_local_best_match_without_a_place_is_not_handed_to_a_worse_matches_agency() -> None:
    """A shed in the garden matches the municipal building permit best; the residence permit (IND) only shares
    "vergunning". Without a place nobody is named; with one, the municipality."""
    index = SearchIndex(
        [
            product("upl:bouw", "omgevingsvergunning bouwen", ["gemeente"], "vergunning voor een schuur"),
            Document(
                "product:upl:verblijf",
                "product",
                PRODUCTS,
                {"question": "verblijfsvergunning", "alternatives": "vergunning voor verblijf"},
                payload={
                    "title": "verblijfsvergunning",
                    "source_id": "upl:verblijf",
                    "upl_uri": "upl:verblijf",
                    "layers": ["rijk"],
                    "national_organisation": {"code": "ind", "name": "IND", "layer": "rijk"},
                },
            ),
            article("vac-tuin", "Hoe onderhoud ik mijn tuin?", "Snoei in het voorjaar."),
        ]
    )
    engine = Engine(index, Calibration(bias=-9.0, place_margin=math.inf, uncertain_place_margin=math.inf))
    question = "moet ik een vergunning hebben voor een schuur in de tuin"
    nowhere = engine.ask(question)
    assert nowhere.status == "handover" and nowhere.handover_to is None
    assert engine.ask(question, place=ROTTERDAM).handover_to == {
        "code": "gm0599",
        "name": "Rotterdam",
        "layer": "gemeente",
    }


def test_an_unsure_question_about_ones_own_case_is_handed_over_without_asking_the_place(
    index: SearchIndex,
) -> None:
    """Unsure about a place-dependent topic, the engine asks where the person lives; not when the person asks
    after their own case: the back office needs that question whatever the place."""
    unsure = Calibration(
        weights=(0.0,) * len(FEATURE_NAMES), bias=-9.0, place_margin=math.inf, uncertain_place_margin=0.0
    )
    engine = Engine(index, unsure)
    assert engine.ask("parkeervergunning kosten").clarify == {
        "reason": "place",
        "upl_uri": "upl:parkeervergunning",
    }
    own_case = engine.ask("ik heb een parkeervergunning aangevraagd maar nog niks gehoord over de kosten")
    assert own_case.status == "handover" and own_case.explanation["features"]["case_status"] == 1.0


def test_a_known_place_and_a_municipal_product_among_the_best_make_it_the_municipalitys() -> None:
    """The province's permit matches best, but the municipality's is among the best: the resident's own
    municipality is the first counter."""
    index = SearchIndex(
        [
            product("upl:ontheffing-flora", "Ontheffing flora en fauna voor een boom", ["provincie"]),
            product("upl:kapvergunning", "Kapvergunning", ["gemeente"]),
        ]
    )
    engine = Engine(index, Calibration(weights=(0.0,) * len(FEATURE_NAMES), bias=-9.0))
    response = engine.ask("ontheffing voor een boom of een kapvergunning", place=ROTTERDAM)
    assert response.status == "handover"
    assert response.handover_to == {"code": "gm0599", "name": "Rotterdam", "layer": "gemeente"}


@pytest.fixture(scope="module")
def topics() -> SearchIndex:
    """Two low-emission zone pages that speak of diesel, a parking permit page that speaks of its cost, two
    exemptions whose product names match a question equally well but whose texts differ, and a national text."""
    return SearchIndex(
        [
            # A product's alternative phrasings are its offerings' most common titles (documents.py).
            product("upl:milieuzone", "Milieuzone", ["gemeente"], alternatives="Milieuzone voor diesel"),
            offering(
                "dh-milieuzone",
                "gm0518",
                "Milieuzone",
                "In de milieuzone mogen oude diesel auto's niet rijden.",
                "upl:milieuzone",
            ),
            offering(
                "rdam-milieuzone", "gm0599", "Milieuzone", "Ontheffing voor uw diesel.", "upl:milieuzone"
            ),
            article("vac-accijns", "Wat is accijns?", "Accijns is een belasting op benzine en diesel."),
            product("upl:parkeren", "Parkeervergunning", ["gemeente"]),
            product("upl:leegstand", "Leegstandsvergunning", ["gemeente"]),
            offering(
                "dh-parkeren", "gm0518", "Parkeervergunning", "Een vergunning kost 100 euro.", "upl:parkeren"
            ),
            product("upl:bad", "Ontheffing", ["gemeente"]),
            offering("dh-bad", "gm0518", "Zwembad", "Een ontheffing voor een zwembad of sauna.", "upl:bad"),
            product("upl:drank", "Ontheffing drank", ["gemeente"]),
            offering(
                "rdam-drank",
                "gm0599",
                "Drank schenken",
                "Een ontheffing om bier te tappen op een feest.",
                "upl:drank",
            ),
        ]
    )


def test_the_terms_a_products_texts_use_are_known_per_product(topics: SearchIndex) -> None:
    terms = {t.term: t.word for t in topics.query("diesel kost bier")}
    assert {terms[t] for t in topics.product_terms("upl:milieuzone", terms)} == {"diesel"}
    assert {terms[t] for t in topics.product_terms("upl:parkeren", terms)} == {"kost"}
    assert {terms[t] for t in topics.product_terms("upl:drank", terms)} == {"bier"}
    assert topics.product_terms("upl:onbekend", terms) == set()
    # A product no text is on: its own name is not one of its texts' words.
    assert (
        topics.product_terms("upl:leegstand", {t.term for t in topics.query("leegstandsvergunning")}) == set()
    )


def test_the_place_is_asked_only_when_the_products_texts_speak_of_the_question(topics: SearchIndex) -> None:
    """'wat kost een liter diesel' shares one word with the low-emission zone; the parking permit's texts
    speak of all of 'wat kost een parkeervergunning'."""
    calibration = Calibration(
        weights=(0.0,) * len(FEATURE_NAMES), bias=-9.0, place_margin=0.0, uncertain_place_margin=0.0
    )
    diesel = Engine(topics, replace(calibration, topic_fit=0.5)).ask("wat kost een liter diesel")
    assert diesel.explanation["topic_fit"] < 0.5
    assert diesel.status == "handover"
    assert Engine(topics, calibration).ask("wat kost een liter diesel").status == "clarify"
    permit = Engine(topics, replace(calibration, topic_fit=0.5)).ask("wat kost een parkeervergunning")
    assert permit.explanation["topic_fit"] == 1.0
    assert permit.clarify == {"reason": "place", "upl_uri": "upl:parkeren"}


def test_of_two_products_matching_about_equally_the_topic_is_the_one_whose_texts_speak_of_the_question(
    topics: SearchIndex,
) -> None:
    engine = Engine(topics, Calibration(weights=(0.0,) * len(FEATURE_NAMES), bias=-9.0, place_margin=0.0))
    response = engine.ask("ontheffing om bier te tappen")
    assert response.clarify == {"reason": "place", "upl_uri": "upl:drank"}
