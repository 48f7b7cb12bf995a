"""Synonym rows that migrations add as a start: editors change them in the editing screens afterwards."""

from typing import Any

Row = tuple[str, list[str], bool]  # term, its synonyms, whether they also lead back to the term


def add_rows(apps: Any, rows: list[Row]) -> None:
    """Add each row; a term that already exists is left as the editors made it."""
    synonym = apps.get_model("answers", "Synonym")
    for term, synonyms, both_ways in rows:
        synonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms, "both_ways": both_ways})


def remove_rows(apps: Any, rows: list[Row]) -> None:
    """Only the rows as added and unchanged since."""
    synonym = apps.get_model("answers", "Synonym")
    for term, synonyms, both_ways in rows:
        synonym.objects.filter(term=term, synonyms=synonyms, both_ways=both_ways).delete()
