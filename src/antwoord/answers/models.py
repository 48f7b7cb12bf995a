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

    version = models.PositiveBigIntegerField("versie", default=0)
    changed_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "inhoudsversie"
        verbose_name_plural = "inhoudsversie"

    def __str__(self) -> str:
        return f"versie {self.version}"


class Feedback(models.Model):
    """One vote on one answer for one question: a resident's "was dit nuttig?" or an agent's pick."""

    class Source(models.TextChoices):
        RESIDENT = "inwoner", "Inwoner"
        AGENT = "medewerker", "Medewerker"

    signature = models.CharField("kernwoorden van de vraag", max_length=300, db_index=True)
    question = models.CharField("vraag", max_length=500)
    document_key = models.CharField("antwoord", max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="organisatie van het antwoord",
    )
    helpful = models.BooleanField("nuttig")
    source = models.CharField("bron", max_length=20, choices=Source.choices)
    # A one-way hash of the session or staff account: one vote per voter, no personal data kept.
    voter = models.CharField("beoordelaar (versleuteld)", max_length=64)
    withdrawn = models.BooleanField("ingetrokken", default=False)
    created_at = models.DateTimeField("op", auto_now_add=True)

    class Meta:
        verbose_name = "beoordeling van een antwoord"
        verbose_name_plural = "beoordelingen van antwoorden"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["signature", "document_key", "voter"], name="one_vote_per_voter")
        ]

    def __str__(self) -> str:
        return f"{'nuttig' if self.helpful else 'niet nuttig'}: {self.question[:60]}"
