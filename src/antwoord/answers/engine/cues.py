"""What a question's wording says besides its topic: Dutch ways to speak of one's own case, a complaint, what
differs per municipality, an amount or a date asked for. Plain regular expressions over folded text; the
decision logic (decide.py) turns them into confidence features and routing."""

import re

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"

# A question about the person's own case ("waar blijft mijn uitkering") is for the back office, not the
# knowledge base, however well its words match a general text. General Dutch ways to speak of one's case:
OWN_CASE_CUES = (
    # waiting, or a step taken and nothing happened since
    r"waar blijft|nog (steeds |altijd )?(niet|niks|niets|geen)|wacht(en)? al|hoe ver is|hoe lang duurt (het nog|mijn)|"
    r"status van mijn|stand van (zaken|mijn (aanvraag|bezwaar|zaak|dossier|melding|klacht|beroep))|staat al|ligt al|nog open|in behandeling|behandeling van mijn|"
    r"(nog|meer) (niks|niets|geen \w+) (gehoord|vernomen|ontvangen|gekregen|binnen)|"
    r"(niks|niets|nooit( iets| wat)?) (meer |terug )?(gehoord|vernomen)|geen (reactie|antwoord|bericht)|"
    r"(dagen|weken|maanden) geleden|(nu )?al (\d+|een|twee|drie|vier|vijf|zes|een paar|enkele) (keer|dagen|weken|maanden)|"
    r"(aangevraagd|ingediend|aangemeld|opgestuurd|verstuurd|betaald|gemeld) (maar|en nog)|heb(ben)? (ik|we) (al|nog)|"
    r"(nog niet|niks|niets) (ontvangen|binnen|uitbetaald|gestort|overgemaakt|bezorgd|verwerkt|behandeld|beoordeeld)|"
    r"(wanneer|hoe) (hoor|krijg|ontvang) (ik|we) (de uitslag|het besluit|bericht|antwoord|mijn|het geld)|"
    # ("wanneer wordt mijn afval opgehaald" asks the collection schedule, nobody's case; bulky waste goes by
    # appointment, so "wanneer wordt mijn grofvuil opgehaald" is)
    r"wanneer wordt mijn (?!(afval|huisvuil|vuilnis|container|minicontainer|kliko|gft|papier|oud papier)\w* "
    r"(\w+ ){0,2}(opgehaald|geleegd)\b)|"
    r"wanneer krijg ik mijn|nooit (gekregen|ontvangen|aangekomen)|"
    r"(is|zijn) (daar|die|dat|het|deze) al (\w+ ){0,3}(gedaan|toegekend|behandeld|verwerkt|goedgekeurd|beoordeeld|"
    r"geplaatst|opgelost|uitbetaald)|hoe staat het (daar|er)mee|hoe staat het met mijn|"
    r"(sindsdien|daarna|toen) (hoor|horen|hoorde|krijg|kreeg) (ik|we|wij) (niks|niets|nooit|geen)|"
    r"(hoor|horen) (ik|we|wij) (niks|niets) meer|"
    r"(komt|komen|kwam) (mijn|onze) .{0,40}\bniet (meer )?(binnen|aan)\b",
    # a decision that changed or seems wrong: "mijn pgb is per 1 januari verlaagd", "duo schrijft dat mijn ..."
    r"is (ineens |zomaar )?(gestopt|afgewezen|stopgezet|verlaagd|verhoogd|ingetrokken|niet gestort)|"
    r"(mijn|onze) .{0,60}\b(is|wordt|werd|zijn|worden)\b.{0,30}\b(gestopt|stopgezet|afgewezen|afgekeurd|geweigerd|"
    r"verlaagd|ingetrokken|gekort|geblokkeerd|beeindigd)|"
    r"(heeft|hebben) (mijn|onze) .{0,40}(gestopt|stopgezet|afgewezen|afgekeurd|verlaagd|verhoogd|ingetrokken|gekort|"
    r"geblokkeerd|beeindigd|afgezegd|geweigerd)|"
    r"ineens|zonder bericht|mijn (dossier|aanvraag|melding|zaak)|afgewezen|terwijl (er )?(bij (mij|ons) )?(niks|niets) (is )?veranderd|"
    r"(ben|word|werd) ik (maar|slechts|pas) .{0,30}\b(afgekeurd|goedgekeurd|ingeschaald|beoordeeld|gekeurd)|"
    r"ben het (daar|hier) niet mee eens|(daar|hier)mee ben ik het niet eens|"
    r"klopt (niet|mijn|de|het niet|dat niet|dit niet)\b|verkeerd berekend|te (hoog|laag) (berekend|vastgesteld)|"
    r"(staat|staan|is) verkeerd|(staat|staan) (\w+ ){1,3}verkeerd|"
    r"verkeerde? (\w+ ){0,3}(doorgegeven|opgegeven|geregistreerd|ingevuld|vermeld)|"
    r"niet op (mijn|onze) rekening|verrekend met|beslag gelegd|"
    r"waarom (is|wordt|werd) mijn|waarom (krijg|heb) ik (geen|minder|niks|niets|nog)|hoe kan (dat|het)\b|"
    r"((krijg|ontvang|kreeg) (ik|we)|(ik|we|wij) (krijg|krijgen|ontvang|ontvangen|kreeg|kregen)) "
    r"(sinds (\w+ ){1,3})?(helemaal |ineens |opeens )?(geen|minder) .{0,30}\bmeer\b|"
    r"geen \w+ (uitbetaald|gestort|overgemaakt)|(lager|hoger|minder) dan (normaal|anders|vorige?|eerst|verwacht)|"
    r"(lager|minder|te weinig|te veel) (uitbetaald|gestort|overgemaakt|ontvangen)|"
    r"omdat .{0,60}\bzou(den)? (\w+ )?(zijn|hebben|geven|kloppen|staan|wonen|werken)\b",
    # something that did not arrive or is not theirs: "deze maand niet gestort", "tot nu toe geen cent"
    r"(is|zijn|werd) (\w+ ){0,3}niet (gestort|uitbetaald|overgemaakt|betaald)|"
    r"(mijn|onze|ik|we)\b.{0,40}\bniet (gestort|uitbetaald|overgemaakt)\b|tot nu toe (nog )?(geen|niks|niets)|geen cent|"
    r"(is|zijn|staat|staan) (\w+ ){0,2}niet (van|op naam van) mij|veel te (hoog|laag)|"
    r"(snap|begrijp) (ik )?(er )?(niet|niks|niets)( van)?,? waarom|"
    # a decision that set it to nothing, an instalment due this month that the person cannot pay
    r"(heeft|hebben|is|zijn)\b.{0,60}\bop (nul|0) (gezet|gesteld)|"
    r"deze maand (\w+ ){0,3}(termijn|aflossing) (\w+ ){0,2}niet (betalen|voldoen)|"
    # a payment of a named month that did not come: "aow niet ontvangen maart"
    rf"niet (ontvangen|gekregen|gehad) (in |over |voor )?({MONTHS})|({MONTHS}) (\w+ )?niet (ontvangen|gekregen|gehad)|"
    # the person's facts have not changed while the amount did
    r"terwijl (mijn|ons) \w+ (nog )?(hetzelfde|gelijk) (is|gebleven)|"
    # a change since a moment in the person's life: "sinds ik 23 ben is mijn huurtoeslag veel lager"
    r"sinds .{0,40}\b(is|zijn|werd|werden) (mijn|onze) .{0,30}\b(lager|hoger|minder|verlaagd|verhoogd|gestopt)\b|"
    r"(afgewezen|geweigerd|afgekeurd|ingetrokken|stopgezet) omdat (ik|we|wij|mijn|onze)\b|"
    # the number of the person's file: a BSN, a V-nummer, a KVK or case number (the word alone is a topic)
    r"\b(bsn|burgerservicenummer|v-?nummer|kvk-?nummer|dossiernummer|zaaknummer|klantnummer|kenmerk|"
    r"referentienummer)( is)?:? ?([a-z]{1,6}-?)?\d[\w-]*|\b\d{8,10}\b",
    # what an organisation says or wants from the person: "de svb zegt dat ik samenwoon", "het uwv wil geld terug"
    r"(?<!mijn )(?<!onze )\b\w+ (zegt|zeggen|schrijft|schrijven|beweert|beweren) dat (ik|we|wij|mijn|onze)|"
    r"volgens (de |het |jullie )?\w+ (ben ik|heb ik|is mijn|zijn mijn|zou ik|moet ik)|"
    r"(wil|willen|eist|eisen|vraagt|vragen) (nu |ineens |opeens )?(dat ik|dat we|geld|het geld)\b.{0,60}\bterug|"
    r"(wil|wilt|willen|eist|eisen|vordert|vorderen) (\w+ ){0,3}\w*(toeslag|uitkering|studiefinanciering|subsidie|"
    r"kinderbijslag|bijstand)\w* terug|"
    r"terugvordering|(moet|moeten) (ik|we) .*terugbetalen|"
    # a letter, a fine or a bill the person received: "ik heb een brief van de belasting gehad dat ..."
    r"\w*(brief|aanmaning|dwangbevel|naheffing|aanslag|boete|beschikking|envelop|rekening)\b.{0,40}\b(gekregen|gehad|"
    r"ontvangen)|"
    r"brief van (de |het )?\w+ (\w+ )?dat (ik|we|wij|mijn|onze|er)\b|"
    r"ik (krijg|kreeg|ontving) (een|weer een|nu een|opeens een|ineens een) \w*(brief|boete|aanmaning|dwangbevel|aanslag|"
    r"naheffing|rekening|factuur)|"
    # ... and after a word that tells what happened ("en nu krijg ik toch weer een aanslag")
    r"(krijg|kreeg|ontving) (ik|we|wij) (nu |toch |weer |opeens |ineens |alsnog )+(\w+ )?\w*(brief|boete|aanmaning|dwangbevel|"
    r"aanslag|naheffing|rekening|factuur)|"
    r"op (mijn|onze) (\w+ )?\w*(aanslag|brief|beschikking|loonstrook|factuur|jaaropgaaf|overzicht|pas)\w* "
    r"(\w+ ){0,2}(staat|staan|zie ik)|"
    r"(dubbel|twee keer|2 keer|2x) (?!per\b)(\w+ ){0,2}(betaald|afgeschreven|gefactureerd|geind)|"
    r"twee (facturen|rekeningen|aanslagen)|"
    # a registration of the person's own that should be gone, or that someone made: "bij de rdw staat mijn motor nog
    # als gestolen geregistreerd", "mijn zorgverzekeraar heeft me bij het cak aangemeld terwijl ..."
    r"(staat|staan) (mijn|onze) (\w+ ){1,2}(nog |nog steeds |nog altijd )(als \w+ )?(geregistreerd|ingeschreven|"
    r"aangemeld|vermeld)|(heeft|hebben) (me|mij|ons) (\w+ ){0,4}aangemeld (terwijl|maar|zonder)|"
    r"(houden|houdt|hield|hielden) (\w+ ){1,4}in op (mijn|onze)|"
    # a debt or registration the person says is paid: "ik sta als wanbetaler geregistreerd maar alles is betaald"
    r"maar (ik heb )?(alles|het|dat|die|deze) (is |al |allemaal |wel |gewoon )*(betaald|voldaan|afbetaald)|"
    r"(maar|en) (krijg|kreeg|heb) (ik |we )?(nu )?toch|\d+ euro .{0,30}(terug|betalen|boete)|"
    # an ongoing situation ("duo maakt nog steeds studiefinanciering over"), not "mag ik dan nog steeds ..."
    r"^(?!(mag|mogen|kan|kun|kunnen|moet|moeten|geldt|bestaat)\b).*\bnog steeds (?!(mogelijk|geldig|verplicht|"
    r"nodig|toegestaan|mag|mogen|kan|kunnen)\b)",
    # asking someone to look into or change it
    r"mijn (behandelaar|klantmanager|contactpersoon|casemanager)|"
    r"(kunt u|kunnen jullie|kun jij|kun je|kan iemand) (\w+ ){0,6}(kijken|bekijken|nagaan|nakijken|controleren|"
    r"checken|aanpassen|wijzigen|veranderen|corrigeren|herstellen|verbeteren|overmaken|terugdraaien|"
    r"dat regelen|dit regelen)|"
    r"hoe krijg (ik|we) (dat|dit|het) (\w+ )?(aangepast|verbeterd|gecorrigeerd|gewijzigd|rechtgezet|hersteld)|"
    r"kan dat (aangepast|verbeterd|gecorrigeerd|rechtgezet) worden|"
    r"kan (dat|dit|die|deze) ((opnieuw|nog eens) (bekeken|beoordeeld|berekend)|herzien|heroverwogen) worden|"
    r"(mijn|onze) betalingsregeling|uitstel van betaling|terugbellen|teruggebeld",
)
OWN_CASE = re.compile(r"\b(" + "|".join(OWN_CASE_CUES) + r")\b")
# Complaints and disputes: often about one's own case, but "waar kan ik klagen over ..." has general answers.
COMPLAINT = re.compile(
    r"\b(klacht\w*|klagen|beklag|ontevreden|bezwaar tegen mijn|onterecht\w*|kunt u (dat|dit))\b"
)
# What differs per municipality (an appointment, the cost, opening hours, collection): national texts rarely
# answer it, so with a place-dependent product in view such a question needs the place.
LOCAL_SPECIFICS = re.compile(
    r"\b(afspraak|afspraken|kost|kosten|tarief|tarieven|prijs|openingstijden|geopend|loket|balie|"
    r"gemeentehuis|stadskantoor|stadhuis|gemeentelijke?|ophalen|opgehaald|ophaaldag|inleveren|bij mij in de buurt)\b"
)

# The question asks for an amount (a maximum too), a rate, opening hours, a date or time, a speed or a way to reach
# someone; a text whose title speaks of no such kind asked rarely gives it ("hoeveel motorrijtuigenbelasting betaal
# ik" is not answered by "Wat moet ik regelen als ik een auto koop?", "voor hoeveel uur krijg je
# kinderopvangtoeslag" by "Wanneer heb ik recht op ...?", nor "welk telefoonnummer heeft de kinderombudsman" by
# "Wat doet de Kinderombudsman?"). "Open" alone is often a verb's part ("pikken de zakken open") or a debt ("staat
# er nog een boete open"): only "is … open"; a phone number only when asked for, not "mijn e-mailadres wijzigen".
ASKS = {
    "amount": re.compile(
        r"\b(hoeveel|hoe hoog|wat kost|hoe duur|(maximale|maximum|minimale|minimum)(?! ?snelheid))\b"
    ),
    "rate": re.compile(r"\b(rente|rentepercentage|percentage|procent)\b"),
    "opening": re.compile(
        r"\b(openingstijden|openingstijd|geopend|open op|(is|zijn|ook|weer) (\w+ ){0,4}open(?! ?sta))\b"
    ),
    "time": re.compile(
        r"\b(op welke (datum|dag)|welke datum|hoe laat|vanaf hoe laat|hoe lang|wanneer|"
        r"hoeveel tijd|hoeveel (minuten|uur|uren|dagen|weken|maanden|jaar|jaren) (\w+ )?(duurt|duren))\b"
    ),
    "speed": re.compile(r"\b(hoe hard|(maximale|maximum|minimale|minimum) ?snelheid)\b"),
    "contact": re.compile(
        r"\b(welk|welke|wat is (het|de|hun|zijn|haar)|hoe luidt (het|de)) (\w+ ){0,2}(telefoonnummer|nummer|"
        r"e-?mailadres)\b"
    ),
}
TITLE_SPEAKS = {
    "amount": re.compile(r"\b(hoeveel|hoe hoog|kost|kosten|bedrag|tarief|tarieven|hoogte|prijs)\b"),
    "time": re.compile(r"\b(wanneer|hoe lang|hoelang|datum|tijd|uur|hoe laat|termijn|duur)\b"),
    "speed": re.compile(r"\b(\w*snelheid|hoe hard)\b"),
    "rate": re.compile(r"\b(rente|percentage|procent|tarief|tarieven)\b"),
    "opening": re.compile(r"\b(open|openingstijden|openingstijd|geopend|bediening|\w*tijden)\b"),
    "contact": re.compile(r"\b(contact\w*|telefoon\w*|bel|bellen|bereikbaar\w*|e-?mail\w*|nummer)\b"),
}

# The question names the municipality or its desk: with a known place, the municipality takes it on.
MUNICIPAL = re.compile(r"\b(gemeente|gemeentehuis|gemeentelijke?|stadskantoor|stadhuis|loket|balie)\b")
