"""A pending proposal keeps only the fields it changes, with the values it started from.

Proposals made before held every proposable field; publishing them overwrote any later change of the live
text. They become {"new": ..., "was": ...} for the fields the proposer changed: compared with the article's
last version before the proposal (its revision), or with the live text when no revision tells.
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


def _values(model: Any, stored: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    """Stored JSON values as the fields hold them; what is missing comes from `fallback`."""
    values = {
        name: model._meta.get_field(name).to_python(stored[name]) if name in stored else fallback[name]
        for name in PROPOSAL_FIELDS
    }
    values["products"] = sorted(stored.get("products", fallback["products"]))
    return values


def _live(article: Any) -> dict[str, Any]:
    values = {name: getattr(article, name) for name in PROPOSAL_FIELDS}
    values["products"] = sorted(article.products.values_list("pk", flat=True))
    return values


def keep_changes_only(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    article_model = apps.get_model("catalogue", "Article")
    revisions = apps.get_model("catalogue", "Revision").objects.filter(
        content_type__app_label="catalogue", content_type__model="article"
    )
    for article in article_model.objects.filter(proposal__isnull=False):
        if "new" in article.proposal:
            continue
        live = _live(article)
        base = live
        if article.proposal_at is not None:
            revision = (
                revisions.filter(object_id=article.pk, created_at__lte=article.proposal_at)
                .order_by("-number")
                .first()
            )
            if revision is not None:
                base = _values(article_model, revision.data, live)
        proposed = _values(article_model, article.proposal, live)
        changed = [name for name in proposed if proposed[name] != base[name]]
        article.proposal = {"new": {n: proposed[n] for n in changed}, "was": {n: base[n] for n in changed}}
        if not changed:
            article.proposal, article.proposal_author, article.proposal_at = None, None, None
        article.save(update_fields=["proposal", "proposal_author", "proposal_at"])


def whole_proposals(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Back to the earlier form: every proposable field, the live value where the proposal changes nothing."""
    article_model = apps.get_model("catalogue", "Article")
    for article in article_model.objects.filter(proposal__isnull=False):
        if "new" in article.proposal:
            article.proposal = {**_live(article), **article.proposal["new"]}
            article.save(update_fields=["proposal"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_article_proposal"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(keep_changes_only, whole_proposals)]
