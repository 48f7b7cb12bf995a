"""Who is responsible for a question the knowledge base cannot answer: topic words of national agencies.

The catalogue's national texts are all owned by the Rijksoverheid and the UPL names a layer, not an agency,
so a national topic is routed by the words people use for it. This table is editable data: one line per
agency, its own names first. Codes and names are those of organisations/reference.yaml (a test checks).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .analysis import STOPWORDS, Analyzer, stem, words


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    names: tuple[str, ...]  # the agency's own names and abbreviations: the strongest sign
    topics: tuple[str, ...]  # products and case words only this agency handles (a phrase needs every word)


def _agency(code: str, name: str, names: str, topics: str) -> Agency:
    return Agency(code, name, tuple(names.split(", ")), tuple(topics.split(", ")))


AGENCIES = (
    _agency(
        "toeslagen", "Belastingdienst/Toeslagen", "toeslagen, dienst toeslagen",
        "zorgtoeslag, huurtoeslag, kinderopvangtoeslag, kindgebonden budget, toeslagpartner, toeslagenaffaire, "
        "hersteloperatie",
    ),
    _agency(
        "belastingdienst", "Belastingdienst", "belastingdienst",
        "belastingaangifte, inkomstenbelasting, voorlopige aanslag, btw, omzetbelasting, loonheffing, "
        "loonbelasting, motorrijtuigenbelasting, bpm, erfbelasting, schenkbelasting, kleineondernemersregeling, "
        "belastingteruggaaf, teruggaaf, vermogensbelasting, box 3, accijns, blauwe envelop, wegenbelasting, "
        "bijtelling, heffingskorting, hypotheekrenteaftrek, eigenwoningforfait, vennootschapsbelasting, "
        "dividendbelasting, werkkostenregeling, thuiswerkvergoeding, belastingrente",
    ),
    _agency(
        "uwv", "UWV", "uwv",
        "ww, werkloosheidsuitkering, werkloosheidswet, wia, wga, wao, wajong, ziektewet, arbeidsongeschiktheid, "
        "ontslagvergunning, zwangerschapsuitkering, zwangerschapsverlof, bevallingsverlof, wazo, werkmap",
    ),
    _agency(
        "duo", "DUO", "duo, dienst uitvoering onderwijs",
        "studiefinanciering, studielening, studieschuld, studentenreisproduct, basisbeurs, aanvullende beurs, "
        "collegegeldkrediet, levenlanglerenkrediet, tegemoetkoming scholieren, inburgeringsexamen, diplomaregister, "
        "studentenkaart, reisproduct, lerarenbeurs, prestatiebeurs",
    ),
    _agency(
        "svb", "SVB", "svb, sociale verzekeringsbank",
        "aow, kinderbijslag, anw, nabestaandenuitkering, persoonsgebonden budget, pgb, remigratie",
    ),
    _agency(
        "rdw", "RDW", "rdw",
        "kenteken, kentekenbewijs, kentekencard, apk, schorsen, schorsing, tenaamstelling, voertuig overschrijven, "
        "auto overschrijven, vrijwaring, vrijwaringsbewijs, wok, gezondheidsverklaring, tachograaf",
    ),
    _agency("cak", "CAK", "cak", "eigen bijdrage, wlz, onverzekerden, bestuursrechtelijke premie"),
    _agency(
        "rvo", "RVO", "rvo, rijksdienst ondernemend",
        "octrooi, wbso, sde, isde, seeh, seba, sepp, mestbeleid, landbouwsubsidie, subsidie elektrische auto",
    ),
    _agency(
        "cjib", "CJIB", "cjib",
        "verkeersboete, boete, bekeuring, snelheidsboete, strafbeschikking",
    ),
    _agency(
        "ind", "IND", "ind, immigratie naturalisatiedienst",
        "verblijfsvergunning, naturalisatie, mvv, asiel, gezinshereniging, kennismigrant, verblijfsdocument, "
        "verblijfspas, vreemdelingendocument",
    ),
    _agency(
        "kvk", "KVK", "kvk, kamer koophandel",
        "handelsregister, kvknummer, uittreksel handelsregister, inschrijving bedrijf",
    ),
)  # fmt: skip
MIN_COMPOUND_TOPIC = 6  # shorter topic words ("ww", "apk") only count as whole words
NAME_WEIGHT = 2.0  # "duo heeft mijn aflossing verhoogd": the agency named outweighs a topic word


def agency_for(text: str, analyzer: Analyzer | None = None) -> Agency | None:
    """The agency whose names and topics the text mentions most; None when it mentions none.

    Names count as whole words only ("studietoeslag" is a municipal benefit, not Dienst Toeslagen); with an
    analyzer, topics also count as parts of a compound ("zorgtoeslagbeschikking" mentions "zorgtoeslag").
    """
    # A stopword never names a topic, however a stemmer shortens a topic word.
    typed = [w for w in words(text) if w not in STOPWORDS]
    whole = frozenset(stem(w) for w in typed)
    parts = whole | frozenset(analyzer.document_terms(text)) if analyzer else whole
    # A compound that starts or ends with a topic word mentions it, however the analyzer splits it
    # (zorgtoeslag|beschikking or zorg|toeslag|beschikking).
    parts |= {stem(t) for w in typed for t in _topics_inside(w)}
    scored = [
        (NAME_WEIGHT * _mentions(agency.names, whole) + _mentions(agency.topics, parts), -number, agency)
        for number, agency in enumerate(AGENCIES)
    ]
    best = max(scored, key=lambda s: s[:2])
    return best[2] if best[0] > 0 else None


def _topics_inside(word: str) -> list[str]:
    """The compound topics a longer word starts or ends with (a few set lookups per word, not one test per
    topic: this runs for every question handed over)."""
    topics = _compound_topics()
    lengths = range(MIN_COMPOUND_TOPIC, len(word))
    return [word[:n] for n in lengths if word[:n] in topics] + [
        word[-n:] for n in lengths if word[-n:] in topics
    ]


@cache
def _compound_topics() -> frozenset[str]:
    """One-word topics long enough to be recognised inside a compound."""
    return frozenset(t for a in AGENCIES for t in a.topics if " " not in t and len(t) >= MIN_COMPOUND_TOPIC)


@cache
def _phrase_stems(phrase: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(phrase))


def _mentions(phrases: Iterable[str], present: frozenset[str]) -> int:
    return sum(1 for phrase in phrases if _phrase_stems(phrase) <= present)
