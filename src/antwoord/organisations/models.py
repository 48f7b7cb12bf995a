"""Who is who in Dutch government, and which area each organisation serves."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower


class Layer(models.TextChoices):
    RIJK = "rijk", "Rijk"
    PROVINCIE = "provincie", "Provincie"
    WATERSCHAP = "waterschap", "Waterschap"
    GEMEENTE = "gemeente", "Gemeente"


class Kind(models.TextChoices):
    GEMEENTE = "gemeente", "Gemeente"
    PROVINCIE = "provincie", "Provincie"
    WATERSCHAP = "waterschap", "Waterschap"
    RIJKSOVERHEID = "rijksoverheid", "Rijksoverheid"
    UITVOERINGSORGANISATIE = "uitvoeringsorganisatie", "Uitvoeringsorganisatie"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_active=True)

    def municipalities(self) -> "OrganisationQuerySet":
        return self.filter(layer=Layer.GEMEENTE)

    def provinces(self) -> "OrganisationQuerySet":
        return self.filter(layer=Layer.PROVINCIE)

    def water_boards(self) -> "OrganisationQuerySet":
        return self.filter(layer=Layer.WATERSCHAP)

    def national(self) -> "OrganisationQuerySet":
        return self.filter(layer=Layer.RIJK)


class Organisation(models.Model):
    """A government organisation. Municipalities, provinces and water boards come from the TOOI registers."""

    # The TOOI organisation code (gm0363, pv27, ws0155) where one exists, otherwise a stable slug.
    code = models.CharField("code", max_length=40, unique=True)
    name = models.CharField("naam", max_length=200)
    official_name = models.CharField("officiële naam", max_length=200, blank=True)
    layer = models.CharField("bestuurslaag", max_length=20, choices=Layer.choices)
    kind = models.CharField("soort", max_length=30, choices=Kind.choices)
    # CBS municipality code (0363), province code (27) or water board code (0155).
    cbs_code = models.CharField("CBS-code", max_length=10, blank=True)
    tooi_uri = models.URLField("TOOI-URI", max_length=300, blank=True)
    owms_uri = models.URLField("OWMS-URI", max_length=300, blank=True)
    province = models.ForeignKey(
        "self",
        verbose_name="provincie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
        limit_choices_to={"layer": Layer.PROVINCIE},
    )
    water_boards: "models.ManyToManyField[Organisation, WaterBoardCoverage]" = models.ManyToManyField(
        "self",
        verbose_name="waterschappen",
        through="WaterBoardCoverage",
        symmetrical=False,
        related_name="covered_municipalities",
        blank=True,
    )
    website = models.URLField("website", max_length=300, blank=True)
    phone = models.CharField("telefoon", max_length=40, blank=True)
    is_active = models.BooleanField("actief", default=True)
    # Organisations join step by step: until one has a back office in ANTWOORD, another may work its questions
    # (the national contact centre for an agency, a municipality for its water board) instead of none.
    stand_in = models.ForeignKey(
        "self",
        verbose_name="backoffice via",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stands_in_for",
        help_text="Werkt deze organisatie nog niet zelf met ANTWOORD? Kies de organisatie waarvan de backoffice "
        "haar vragen zolang behandelt. Zodra zij zelf backofficemedewerkers heeft, krijgen die haar vragen.",
    )
    source_checksum = models.CharField("controlegetal van de bron", max_length=64, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["layer", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owms_uri"], condition=~models.Q(owms_uri=""), name="unique_owms_uri"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        stand_in = self.stand_in
        if stand_in is None:
            return
        if self.pk is not None and stand_in.pk == self.pk:
            raise ValidationError({"stand_in": "Kies een andere organisatie dan deze organisatie zelf."})
        if stand_in.stand_in is not None:
            raise ValidationError(
                {
                    "stand_in": f"De vragen van {stand_in} gaan zelf al naar {stand_in.stand_in}. "
                    f"Kies {stand_in.stand_in}."
                }
            )
        if not stand_in.is_active:
            raise ValidationError({"stand_in": f"{stand_in} is niet actief. Kies een actieve organisatie."})
        if self.pk is not None and self.stands_in_for.exists():
            raise ValidationError(
                {
                    "stand_in": "Deze organisatie behandelt de vragen van andere organisaties. "
                    "Zij behandelt dan ook haar eigen vragen. Laat dit veld leeg."
                }
            )

    def covers(self, area: "Organisation") -> bool:
        """Whether `area` lies in this organisation's territory: the Rijk covers all; a province its
        municipalities, a water board those it serves; everyone itself."""
        if area.pk == self.pk or self.layer == Layer.RIJK:
            return True
        if self.layer == Layer.PROVINCIE:
            return area.province_id == self.pk
        if self.layer == Layer.WATERSCHAP:
            return self.covered_municipalities.filter(pk=area.pk).exists()
        return False

    @property
    def intake_address(self) -> str:
        """Where mail for this organisation arrives: the SMTP intake reads the code before the @."""
        domains = settings.MAIL_INTAKE_DOMAINS
        return f"{self.code}@{domains[0]}" if domains else ""

    @property
    def tooi_code(self) -> str:
        """The TOOI code, or "" for organisations outside the TOOI registers."""
        return self.code if self.tooi_uri else ""


class WaterBoardCoverage(models.Model):
    """Municipality M lies (partly) in water board W. No public table exists, so this is editable data."""

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"layer": Layer.GEMEENTE},
        verbose_name="gemeente",
    )
    water_board = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"layer": Layer.WATERSCHAP},
        verbose_name="waterschap",
    )
    note = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        verbose_name = "waterschap van gemeente"
        verbose_name_plural = "waterschappen van gemeenten"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "water_board"], name="unique_water_board_coverage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.water_board}"


class Postcode(models.Model):
    """A 4-digit postcode area and the municipality it lies in."""

    pc4 = models.CharField("postcode (4 cijfers)", max_length=4, unique=True)
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="postcodes",
        limit_choices_to={"layer": Layer.GEMEENTE},
        verbose_name="gemeente",
    )
    source_checksum = models.CharField("controlegetal van de bron", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "postcode"
        verbose_name_plural = "postcodes"
        ordering = ["pc4"]

    def __str__(self) -> str:
        return self.pc4


class OrganisationAlias(models.Model):
    """Another identifier under which feeds name an organisation (e.g. an outdated OWMS URI)."""

    uri = models.CharField("URI", max_length=300, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="aliases", verbose_name="organisatie"
    )

    class Meta:
        verbose_name = "andere naam"
        verbose_name_plural = "andere namen"

    def __str__(self) -> str:
        return self.uri


class PlaceNameSource(models.TextChoices):
    TOOI = "tooi", "Voormalige gemeente (TOOI)"
    REFERENCE = "referentie", "Bekende andere naam"
    EDITOR = "beheer", "Toegevoegd door beheer"


class PlaceName(models.Model):
    """Another name people use for where they live: a former municipality (Haren, now Groningen), a common
    short name (Den Bosch) or a village an administrator adds (Rosmalen). Asked "Waar woont u?", a resident
    may answer with any of them."""

    name = models.CharField(
        "naam",
        max_length=100,
        validators=[
            RegexValidator(
                r"^'?[^\W\d_][\w' ().-]*\Z",
                "Een plaatsnaam bestaat uit letters, spaties, streepjes en apostrofs, zoals 's-Heerenberg.",
            )
        ],
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="place_names",
        limit_choices_to={"layer": Layer.GEMEENTE, "is_active": True},
        verbose_name="hoort bij gemeente",
    )
    source = models.CharField(
        "herkomst", max_length=20, choices=PlaceNameSource.choices, default=PlaceNameSource.EDITOR
    )
    source_checksum = models.CharField("controlegetal van de bron", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "plaatsnaam"
        verbose_name_plural = "plaatsnamen"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="unique_place_name", violation_error_message="Deze plaatsnaam bestaat al."
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    def clean(self) -> None:
        """A municipality's own name leads to that municipality: the same name under another would send its
        residents to the wrong one."""
        if not self.name or self.municipality_id is None:
            return
        namesake = (
            Organisation.objects.filter(layer=Layer.GEMEENTE, is_active=True, name__iexact=self.name.strip())
            .exclude(pk=self.municipality_id)
            .first()
        )
        if namesake is not None:
            raise ValidationError(
                {
                    "name": f"{namesake.name} is zelf een gemeente. Deze naam kan niet bij een andere gemeente horen."
                }
            )
