"""The synonym rows migrations add as a start, and take back only as they added them."""

import pytest
from django.apps import apps

from antwoord.answers.models import Synonym
from antwoord.answers.seed_synonyms import add_rows, remove_rows

ROWS = [("bromfietsje", ["bromfiets"], False), ("kinderwagentje", ["kinderwagen"], True)]


@pytest.mark.django_db
def test_rows_are_added_without_touching_an_editors_term_and_removed_only_as_added() -> None:
    Synonym.objects.create(term="bromfietsje", synonyms=["scooter"], both_ways=True)  # an editor's row
    add_rows(apps, ROWS)
    assert Synonym.objects.get(term="bromfietsje").synonyms == ["scooter"]
    assert Synonym.objects.get(term="kinderwagentje").both_ways is True
    remove_rows(apps, ROWS)
    assert list(
        Synonym.objects.filter(term__in=["bromfietsje", "kinderwagentje"]).values_list("term", flat=True)
    ) == ["bromfietsje"]
