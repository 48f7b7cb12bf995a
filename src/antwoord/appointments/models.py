"""Counter appointments: service points with opening hours, bookings, and the slot units they occupy.

A booking occupies one row per grid unit (SLOT_MINUTES) per desk in `OccupiedSlot`, under a unique
constraint. Two bookings of the same unit therefore cannot both be written, whatever the timing and on
every database; a cancelled or moved booking deletes its rows, which frees the time again.
"""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import localtime

from antwoord.catalogue.models import Offering
from antwoord.contacts.models import new_reference as new_handover_reference
from antwoord.contacts.models import new_status_secret
from antwoord.organisations.models import Organisation

# Every appointment starts on this grid and lasts a whole number of its units.
SLOT_MINUTES = 15


class Weekday(models.IntegerChoices):
    MONDAY = 0, "maandag"
    TUESDAY = 1, "dinsdag"
    WEDNESDAY = 2, "woensdag"
    THURSDAY = 3, "donderdag"
    FRIDAY = 4, "vrijdag"
    SATURDAY = 5, "zaterdag"
    SUNDAY = 6, "zondag"


def validate_on_grid(value: time) -> None:
    if value.minute % SLOT_MINUTES or value.second or value.microsecond:
        raise ValidationError(f"Kies een tijd op een veelvoud van {SLOT_MINUTES} minuten, zoals 08:30.")


class ServicePoint(models.Model):
    """A counter location of an organisation (a town hall, a stadsloket) where residents come by appointment."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_points", verbose_name="organisatie"
    )
    # Stable key within the organisation, so the demo loader can update instead of duplicate.
    key = models.SlugField("sleutel", max_length=100)
    name = models.CharField("naam", max_length=200)
    address = models.CharField("adres", max_length=300)
    desks = models.PositiveSmallIntegerField(
        "aantal balies",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="Zoveel afspraken kunnen tegelijk plaatsvinden.",
    )
    # Empty means: every offering of the organisation that needs an appointment.
    offerings = models.ManyToManyField(
        Offering,
        blank=True,
        related_name="service_points",
        verbose_name="alleen dit aanbod",
        limit_choices_to={"appointment_required": True},
    )
    is_active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "servicepunt"
        verbose_name_plural = "servicepunten"
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_service_point_key"),
            models.CheckConstraint(condition=models.Q(desks__gte=1), name="service_point_has_a_desk"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class OpeningHours(models.Model):
    """One opening period on a weekday; a day may have several (a lunch break, an evening opening)."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="opening_hours", verbose_name="servicepunt"
    )
    weekday = models.PositiveSmallIntegerField("dag", choices=Weekday.choices)
    opens = models.TimeField("open vanaf", validators=[validate_on_grid])
    closes = models.TimeField("open tot", validators=[validate_on_grid])

    class Meta:
        verbose_name = "openingstijd"
        verbose_name_plural = "openingstijden"
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="opens_before_closes",
                violation_error_message="De sluitingstijd moet later zijn dan de openingstijd.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A day on which the service point is closed although it normally opens (public holidays are automatic)."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="closures", verbose_name="servicepunt"
    )
    day = models.DateField("datum")
    reason = models.CharField("reden", max_length=200, blank=True)

    class Meta:
        verbose_name = "sluitingsdag"
        verbose_name_plural = "sluitingsdagen"
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["service_point", "day"], name="unique_closure_day")]

    def __str__(self) -> str:
        return f"{self.day:%d-%m-%Y} {self.reason}".strip()


class BookingStatus(models.TextChoices):
    BOOKED = "geboekt", "Geboekt"
    CANCELLED = "geannuleerd", "Geannuleerd"


def new_reference() -> str:
    """Like a handover's reference (readable on the phone), with B for booking."""
    return "B-" + new_handover_reference().removeprefix("A-")


class Booking(models.Model):
    """An appointment. It holds only what the counter needs to receive the person, and is erased later."""

    reference = models.CharField("kenmerk", max_length=12, unique=True, default=new_reference)
    # The secret half of the link that lets the resident cancel or move the appointment.
    token = models.CharField("geheime code", max_length=40, default=new_status_secret, editable=False)
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="bookings", verbose_name="servicepunt"
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="bookings", verbose_name="aanbod"
    )
    starts_at = models.DateTimeField("begin")
    ends_at = models.DateTimeField("einde")
    desk = models.PositiveSmallIntegerField("balie")
    status = models.CharField(max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    # Raised on every move, so calendar programs replace the old event (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField("aantal keer verzet", default=0)
    name = models.CharField("naam", max_length=100, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField("telefoonnummer", max_length=20, blank=True)
    # The agent who booked on the resident's behalf; None when the resident booked on the web.
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="geboekt door",
    )
    # The desk contact (a call, a visit) during which the agent booked it, or in which the desk cancelled a
    # booking made on the web, so the contact shows it.
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name="contact",
    )
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    cancelled_at = models.DateTimeField("geannuleerd op", null=True, blank=True)
    # We cancelled it (a closing day) and could not mail the resident: the desk must call him.
    to_call = models.BooleanField("inwoner nog bellen", default=False)
    called_at = models.DateTimeField("inwoner gebeld op", null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="inwoner gebeld door",
    )
    personal_data_erased_at = models.DateTimeField("persoonsgegevens gewist op", null=True, blank=True)

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["service_point", "starts_at"]), models.Index(fields=["ends_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {localtime(self.starts_at):%d-%m-%Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED


class OccupiedSlot(models.Model):
    """One grid unit at one desk taken by a booking. The unique constraint is what forbids double booking."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="occupied_slots", verbose_name="afspraak"
    )
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="+", verbose_name="servicepunt"
    )
    desk = models.PositiveSmallIntegerField("balie")
    starts_at = models.DateTimeField("begin")

    class Meta:
        verbose_name = "bezet tijdvak"
        verbose_name_plural = "bezette tijdvakken"
        constraints = [
            models.UniqueConstraint(
                fields=["service_point", "desk", "starts_at"], name="one_booking_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_point_id}/{self.desk} {localtime(self.starts_at):%d-%m-%Y %H:%M}"
