"""What government offers: UPL products, who delivers them where (offerings), and Q&A articles (VACs)."""

import uuid
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from antwoord.organisations.models import Organisation


class Audience(models.TextChoices):
    BURGER = "burger", "Burger"
    ONDERNEMER = "ondernemer", "Ondernemer"


class Product(models.Model):
    """A product from the Uniforme Productnamenlijst (UPL), the shared key for "which product"."""

    upl_uri = models.URLField("UPL-URI", max_length=300, unique=True)
    name = models.CharField("naam", max_length=200)
    layer_rijk = models.BooleanField("Rijk", default=False)
    layer_provincie = models.BooleanField("provincie", default=False)
    layer_waterschap = models.BooleanField("waterschap", default=False)
    layer_gemeente = models.BooleanField("gemeente", default=False)
    for_burger = models.BooleanField("voor burgers", default=False)
    for_ondernemer = models.BooleanField("voor ondernemers", default=False)
    sdg_codes = models.JSONField("SDG-codes", default=list, blank=True)
    is_aanvraag = models.BooleanField("aanvraag", default=False)
    is_subsidie = models.BooleanField("subsidie", default=False)
    is_melding = models.BooleanField("melding", default=False)
    is_verplichting = models.BooleanField("verplichting", default=False)
    dienstenwet = models.BooleanField("Dienstenwet", default=False)
    autonomie = models.BooleanField("autonomie", default=False)
    medebewind = models.BooleanField("medebewind", default=False)
    legal_bases = models.JSONField("grondslagen", default=list, blank=True)
    source_checksum = models.CharField("controlegetal van de bron", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "product (UPL)"
        verbose_name_plural = "producten (UPL)"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def layers(self) -> list[str]:
        flags = {
            "rijk": self.layer_rijk,
            "provincie": self.layer_provincie,
            "waterschap": self.layer_waterschap,
            "gemeente": self.layer_gemeente,
        }
        return [layer for layer, on in flags.items() if on]


class Offering(models.Model):
    """Organisation O delivers product P in area A: the local product page (a PDC/SC record)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="offerings", verbose_name="organisatie"
    )
    # Stable key within the organisation: the page URL for Samenwerkende Catalogi records, a slug otherwise.
    key = models.CharField("sleutel", max_length=800)
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offerings",
        verbose_name="product (UPL)",
    )
    # The UPL URIs exactly as the source published them (some are outdated or not yet in the UPL).
    published_upl_uris = models.JSONField("UPL zoals gepubliceerd", default=list, blank=True)
    # Null means: the organisation's own area (a municipality's territory; the whole country for the Rijk).
    area = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offerings_in_area",
        verbose_name="gebied",
    )
    title = models.CharField("titel", max_length=300)
    text = models.TextField("tekst (Markdown)", blank=True)
    url = models.URLField("webpagina", max_length=800, blank=True)
    for_burger = models.BooleanField("voor burgers", default=True)
    for_ondernemer = models.BooleanField("voor ondernemers", default=False)
    channel_online = models.BooleanField("online", default=False)
    channel_counter = models.BooleanField("balie", default=False)
    channel_phone = models.BooleanField("telefoon", default=False)
    channel_post = models.BooleanField("post", default=False)
    appointment_required = models.BooleanField("afspraak nodig", default=False)
    appointment_minutes = models.PositiveSmallIntegerField(
        "duur afspraak (minuten)",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(480)],  # a whole working day at most
    )
    costs = models.CharField("kosten", max_length=300, blank=True)
    online_application_url = models.URLField("online aanvragen", max_length=800, blank=True)
    subject = models.CharField("onderwerp", max_length=200, blank=True)
    language = models.CharField("taal", max_length=10, default="nl")
    source_id = models.CharField("bron-ID", max_length=100, blank=True)
    source_modified = models.DateField("bron gewijzigd", null=True, blank=True)
    source_checksum = models.CharField("controlegetal van de bron", max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)

    class Meta:
        verbose_name = "productaanbod"
        verbose_name_plural = "productaanbod"
        ordering = ["organisation__name", "title"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="unique_offering_key")]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    def clean(self) -> None:
        super().clean()
        # The engine answers a place's residents with the offerings in their area: another municipality's editor
        # must not put a text in front of them.
        area = self.area
        if self.organisation_id and area is not None and not self.organisation.covers(area):
            raise ValidationError(
                {
                    "area": f"{self.organisation} levert alleen in het eigen gebied. Laat dit veld leeg of kies "
                    f"een gebied binnen {self.organisation}."
                }
            )

    @property
    def upl_uri(self) -> str:
        return self.product.upl_uri if self.product else ""


class Status(models.TextChoices):
    CONCEPT = "concept", "Concept"
    REVIEW = "review", "Ter beoordeling"
    PUBLISHED = "published", "Gepubliceerd"
    ARCHIVED = "archived", "Gearchiveerd"


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def current(self, today: date) -> "ArticleQuerySet":
        """Published and valid on this day: what residents and agents see."""
        return self.published().filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=today),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today),
        )


class Article(models.Model):
    """A Q&A article (VAC): one official question, its answer, and who owns it."""

    # The Rijksoverheid VAC UUID for imported articles, a new UUID otherwise.
    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    question = models.CharField("officiële vraag", max_length=500)
    alternative_questions = models.JSONField("andere formuleringen", default=list, blank=True)
    answer = models.TextField("antwoord (Markdown)")
    keywords = models.JSONField("trefwoorden", default=list, blank=True)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="articles", verbose_name="eigenaar"
    )
    products = models.ManyToManyField(Product, blank=True, related_name="articles", verbose_name="producten")
    for_burger = models.BooleanField("voor burgers", default=True)
    for_ondernemer = models.BooleanField("voor ondernemers", default=False)
    agent_note = models.TextField("notitie voor medewerkers", blank=True)
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.CONCEPT)
    # A local variant keeps the link to the national text it replaces for its own area.
    overrides = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_variants",
        verbose_name="lokale variant van",
    )
    source_url = models.URLField("bron", max_length=500, blank=True)
    source_format = models.CharField("bronformaat", max_length=20, blank=True, editable=False)
    source_modified = models.DateTimeField("bron gewijzigd", null=True, blank=True)
    source_checksum = models.CharField("controlegetal van de bron", max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField("versie", default=0, editable=False)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd", auto_now=True)
    # An editor's pending change to a published article: {"new": ..., "was": ...} for the changed content
    # fields only (products as ids), see catalogue.services. The live text stays until a reviewer decides.
    proposal = models.JSONField("voorstel", null=True, blank=True, editable=False, encoder=DjangoJSONEncoder)
    proposal_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="voorgesteld door",
    )
    proposal_at = models.DateTimeField("voorgesteld op", null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "artikel (vraag en antwoord)"
        verbose_name_plural = "artikelen (vraag en antwoord)"
        ordering = ["question"]

    def __str__(self) -> str:
        return self.question

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {
                    "valid_until": "De einddatum ligt voor de begindatum. Kies een einddatum op of na de begindatum."
                }
            )


class Revision(models.Model):
    """One saved version of an article, offering or product: what it was, who changed it, and when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="soort inhoud")
    object_id = models.PositiveBigIntegerField("nummer van de inhoud")
    content_object = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField("versie")
    data = models.JSONField("inhoud", encoder=DjangoJSONEncoder)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="door",
    )
    # Who made the change when it was not a person, e.g. "import-vac".
    actor = models.CharField("bron van wijziging", max_length=60, blank=True)
    comment = models.CharField("toelichting", max_length=300, blank=True)
    created_at = models.DateTimeField("op", auto_now_add=True)

    class Meta:
        verbose_name = "versie"
        verbose_name_plural = "versies"
        ordering = ["-created_at", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "number"], name="unique_revision")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"versie {self.number}"
