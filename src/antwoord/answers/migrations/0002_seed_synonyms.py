"""A first synonyms table; editors maintain it in the editing screens afterwards."""

from django.db import migrations

from antwoord.answers.seed_synonyms import add_rows

SEED = [
    ("kliko", ["minicontainer"], True),
    ("container", ["minicontainer"], False),
    ("huursubsidie", ["huurtoeslag"], False),
    ("zorgsubsidie", ["zorgtoeslag"], False),
    ("id-kaart", ["identiteitskaart"], True),
    ("idkaart", ["identiteitskaart"], False),
    ("reisdocument", ["paspoort", "identiteitskaart"], False),
    ("studiebeurs", ["studiefinanciering"], True),
    ("basisbeurs", ["studiefinanciering"], False),
    ("grofvuil", ["grof huisvuil", "grofafval"], True),
    ("verhuizen", ["verhuizing", "adreswijziging", "verhuismelding"], True),
    ("trouwen", ["huwelijk"], True),
    ("ozb", ["onroerendezaakbelasting"], True),
    ("bijstand", ["bijstandsuitkering"], True),
    ("aow", ["ouderdomspensioen"], True),
    ("ww", ["werkloosheidsuitkering"], True),
    ("kentekenbewijs", ["kentekencard"], True),
    ("invalidenparkeerkaart", ["gehandicaptenparkeerkaart"], True),
    ("milieupas", ["afvalpas"], True),
    ("vuilnis", ["afval", "huisvuil"], False),
    ("belastingaangifte", ["aangifte inkomstenbelasting"], True),
    ("uitkering", ["bijstand", "ww"], False),
]


def seed(apps, schema_editor):
    add_rows(apps, SEED)


class Migration(migrations.Migration):
    dependencies = [("answers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
