"""More everyday words for the street: "straatlamp doet het niet", "wanneer is de ophaaldag".

Like the earlier tables, a start that editors change in the editing screens; a term that already exists is
left as the editors made it.
"""

from django.db import migrations

from antwoord.answers.seed_synonyms import add_rows, remove_rows

STREET_WORDS = [
    ("straatlamp", ["straatverlichting"], False),
    ("lantaarn", ["straatverlichting"], False),
    ("ophaaldag", ["afvalinzameling"], False),
]


def add_street_words(apps, schema_editor):
    add_rows(apps, STREET_WORDS)


def remove_street_words(apps, schema_editor):
    remove_rows(apps, STREET_WORDS)


class Migration(migrations.Migration):
    dependencies = [("answers", "0005_country_names")]
    operations = [migrations.RunPython(add_street_words, remove_street_words)]
