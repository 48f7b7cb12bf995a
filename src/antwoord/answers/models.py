"""What the answer engine keeps in the database: synonyms and the content version it indexed."""

from django.db import models


class Synonym(models.Model):
    """Words residents use for the same thing: kliko <-> minicontainer, huursubsidie -> huurtoeslag."""

    term = models.CharField("woord", max_length=100, unique=True)
    synonyms = models.JSONField("betekent ook", default=list)
    both_ways = models.BooleanField("ook andersom", default=True)

    class Meta:
        verbose_name = "synoniem"
        verbose_name_plural = "synoniemen"
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {', '.join(self.synonyms)}"


class ContentVersion(models.Model):
    """A single counter that goes up whenever searchable content changes; every process compares it with
    the version of the index it has loaded, and reloads or rebuilds when it is behind."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "inhoudsversie"
        verbose_name_plural = "inhoudsversie"

    def __str__(self) -> str:
        return f"versie {self.version}"
