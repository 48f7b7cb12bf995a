"""Everyday words residents use for what the catalogue names officially (baas -> werkgever, stoep <-> trottoir).

Like the first table, these are a start that editors change in the editing screens; a term that already exists
is left as the editors made it.
"""

from django.db import migrations

from antwoord.answers.seed_synonyms import add_rows, remove_rows

EVERYDAY_WORDS = [
    # people
    ("baas", ["werkgever"], False),
    ("huisbaas", ["verhuurder"], True),
    ("huurbaas", ["verhuurder"], False),
    ("dokter", ["arts", "huisarts"], False),
    ("oma", ["grootmoeder", "grootouder"], False),
    ("opa", ["grootvader", "grootouder"], False),
    ("mama", ["moeder"], False),
    ("papa", ["vader"], False),
    ("vriend", ["partner"], False),
    ("vriendin", ["partner"], False),
    ("baby", ["kind", "pasgeborene"], False),
    ("puber", ["jongere", "kind"], False),
    ("tiener", ["jongere"], False),
    ("zzp", ["zelfstandige", "zzper"], False),
    ("zzper", ["zelfstandige"], False),
    # life events
    ("dood", ["overlijden"], False),
    ("overleden", ["overlijden"], True),
    ("begraven", ["begrafenis", "uitvaart"], False),
    ("begrafenis", ["uitvaart"], True),
    ("crematie", ["uitvaart"], False),
    ("scheiden", ["echtscheiding", "scheiding"], False),
    ("scheiding", ["echtscheiding"], True),
    ("zwanger", ["zwangerschap"], True),
    ("zwangerschapsverlof", ["bevallingsverlof"], True),
    ("naturaliseren", ["naturalisatie"], True),
    ("dakloos", ["dakloze", "maatschappelijke opvang"], False),
    ("verslaafd", ["verslaving"], False),
    # documents and numbers
    ("id", ["identiteitskaart", "identiteitsbewijs"], False),
    ("legitimatie", ["identiteitsbewijs"], True),
    ("uittreksel", ["afschrift"], True),
    ("geboortebewijs", ["geboorteakte"], False),
    ("trouwakte", ["huwelijksakte"], True),
    ("achternaam", ["geslachtsnaam"], True),
    ("bsn", ["burgerservicenummer"], True),
    ("sofinummer", ["burgerservicenummer"], False),
    ("vog", ["verklaring omtrent het gedrag"], False),
    ("autopapieren", ["kentekenbewijs", "kentekencard"], False),
    ("pinpas", ["bankpas"], True),
    ("kvk", ["kamer van koophandel"], False),
    ("btw", ["omzetbelasting"], True),
    # money and fines
    ("loon", ["salaris"], True),
    ("schulden", ["schuldhulpverlening"], False),
    ("schuldhulp", ["schuldhulpverlening"], True),
    ("bon", ["boete", "bekeuring"], False),
    ("boete", ["bekeuring"], True),
    ("parkeerbon", ["parkeerboete", "naheffingsaanslag"], True),
    ("geflitst", ["snelheidsovertreding", "boete"], False),
    ("stroom", ["elektriciteit"], True),
    ("energierekening", ["energiekosten"], True),
    # street, home and waste
    ("stoep", ["trottoir"], True),
    ("lantaarnpaal", ["straatverlichting"], True),
    ("parkeerplek", ["parkeerplaats"], True),
    ("invalidenparkeerplaats", ["gehandicaptenparkeerplaats"], True),
    ("invalide", ["gehandicapt"], False),
    ("brommer", ["bromfiets"], True),
    ("scooter", ["bromfiets", "snorfiets"], False),
    ("huurhuis", ["huurwoning"], True),
    ("koophuis", ["koopwoning"], True),
    ("moestuin", ["volkstuin"], True),
    ("omzagen", ["kappen"], False),
    ("omhakken", ["kappen"], False),
    ("vuilnisbak", ["minicontainer", "afvalcontainer"], False),
    ("vuilniszak", ["huisvuil"], False),
    ("vuilniswagen", ["afvalinzameling"], False),
    ("glasbak", ["glas", "glascontainer"], False),
    ("plastic", ["pmd"], True),
    ("ratten", ["ongedierte"], False),
    ("muizen", ["ongedierte"], False),
    ("kakkerlakken", ["ongedierte"], False),
    ("herrie", ["geluidsoverlast", "lawaai"], False),
    ("lawaai", ["geluidsoverlast"], True),
    ("stank", ["geuroverlast"], True),
    ("gemeentehuis", ["stadhuis"], True),
    ("kapot", ["defect"], True),
    # everyday things
    ("mobiel", ["telefoon"], False),
    ("gsm", ["mobiele telefoon"], False),
    ("smartphone", ["mobiele telefoon"], False),
    ("appen", ["mobiele telefoon"], False),
    ("webshop", ["webwinkel"], True),
    ("ov", ["openbaar vervoer"], False),
    ("wmo", ["maatschappelijke ondersteuning"], False),
    ("thuiszorg", ["huishoudelijke hulp"], False),
    ("wiet", ["cannabis", "softdrugs"], False),
    ("drank", ["alcohol"], True),
    ("tattoo", ["tatoeage"], True),
    ("klagen", ["klacht"], True),
    ("ziek", ["ziekte"], True),
]


def add_everyday_words(apps, schema_editor):
    add_rows(apps, EVERYDAY_WORDS)


def remove_everyday_words(apps, schema_editor):
    remove_rows(apps, EVERYDAY_WORDS)


class Migration(migrations.Migration):
    dependencies = [("answers", "0003_feedback")]
    operations = [migrations.RunPython(add_everyday_words, remove_everyday_words)]
