"""A pending proposal keeps only the fields it changes, with the live values it started from.

Proposals made before held every proposable field; publishing them overwrote any later change of the live
text. They become {"new": ..., "was": ...} for the fields that differ from the live text now.
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

PROPOSAL_FIELDS = (
    "question",
    "alternative_questions",
    "answer",
    "keywords",
    "agent_note",
    "for_burger",
    "for_ondernemer",
    "valid_from",
    "valid_until",
)


def keep_changes_only(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    article_model = apps.get_model("catalogue", "Article")
    for article in article_model.objects.filter(proposal__isnull=False):
        old: dict[str, Any] = article.proposal
        if "new" in old:
            continue
        live = {name: getattr(article, name) for name in PROPOSAL_FIELDS}
        proposed = {
            name: article_model._meta.get_field(name).to_python(old[name]) for name in PROPOSAL_FIELDS
        }
        live["products"] = sorted(article.products.values_list("pk", flat=True))
        proposed["products"] = sorted(old.get("products", live["products"]))
        changed = [name for name in proposed if proposed[name] != live[name]]
        article.proposal = {"new": {n: proposed[n] for n in changed}, "was": {n: live[n] for n in changed}}
        if not changed:
            article.proposal, article.proposal_author, article.proposal_at = None, None, None
        article.save(update_fields=["proposal", "proposal_author", "proposal_at"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_article_proposal")]

    operations = [migrations.RunPython(keep_changes_only, migrations.RunPython.noop)]
