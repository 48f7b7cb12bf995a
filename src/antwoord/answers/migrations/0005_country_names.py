"""Country names point to "buitenland": residents name the country ("trouwen met mijn vriend uit brazilie",
"met mijn ww-uitkering naar turkije"), national texts speak of "het buitenland".

Like the earlier tables, a start that editors change in the editing screens; a term that already exists is
left as the editors made it. The islands of the Kingdom (Aruba, Curaçao, Bonaire, ...) are left out on purpose:
texts about Caribisch Nederland are not texts about abroad.
"""

from django.db import migrations

from antwoord.answers.seed_synonyms import add_rows, remove_rows

# fmt: off
COUNTRIES = [
    "duitsland", "belgie", "frankrijk", "spanje", "portugal", "italie", "griekenland", "oostenrijk",
    "zwitserland", "engeland", "brittannie", "ierland", "schotland", "denemarken", "zweden", "noorwegen",
    "finland", "ijsland", "polen", "tsjechie", "slowakije", "hongarije", "roemenie", "bulgarije", "kroatie",
    "slovenie", "servie", "bosnie", "albanie", "kosovo", "macedonie", "cyprus", "malta", "luxemburg",
    "estland", "letland", "litouwen", "oekraine", "rusland", "belarus", "moldavie", "turkije", "marokko",
    "algerije", "tunesie", "egypte", "libie", "syrie", "irak", "iran", "afghanistan", "pakistan", "india",
    "china", "japan", "korea", "vietnam", "thailand", "indonesie", "filipijnen", "maleisie", "singapore",
    "australie", "amerika", "usa", "canada", "mexico", "brazilie", "argentinie", "chili", "colombia", "peru",
    "venezuela", "suriname", "eritrea", "ethiopie", "somalie", "soedan", "nigeria", "ghana", "kenia",
    "kaapverdie", "dubai", "emiraten", "qatar", "israel", "libanon", "jordanie", "georgie", "armenie",
    "azerbeidzjan", "oezbekistan", "kazachstan", "nepal", "bangladesh",
]
# fmt: on
ABROAD = ["buitenland"]


def add_country_names(apps, schema_editor):
    add_rows(apps, [(country, ABROAD, False) for country in COUNTRIES])


def remove_country_names(apps, schema_editor):
    remove_rows(apps, [(country, ABROAD, False) for country in COUNTRIES])


class Migration(migrations.Migration):
    dependencies = [("answers", "0004_everyday_words")]
    operations = [migrations.RunPython(add_country_names, remove_country_names)]
