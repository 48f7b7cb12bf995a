"""The contact register: every contact from every channel, and the handovers to back offices.

Shaped after the VNG Klantinteracties standard so it can be exposed in that form (see klantinteracties.py):
Contact ~ klantcontact, its resident details ~ betrokkene, its answer/product ~ onderwerpobject, its
agent or the engine ~ actor, Handover ~ interne taak. Unlike that standard a handover has a deadline, a
priority and a history, because back offices are steered on exactly those.
"""

import secrets
import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from antwoord.lib.text import has_html_tag, is_person_name

if TYPE_CHECKING:
    from antwoord.organisations.models import Organisation

# Digits with the usual separators; 20 characters hold any international number. At least 10 digits: a
# Dutch number has 10, a foreign one with its country code nearly always more, and "1-----1" is no number.
PHONE_PATTERN = r"^(?=(?:\D*[0-9]){10})\+?[0-9][0-9 ()-]{5,18}[0-9]\Z"
MAX_NORM_DAYS = 60  # a service norm of more working days (about three months) is a typing error
PHONE_VALIDATOR = RegexValidator(
    PHONE_PATTERN, "Dit telefoonnummer klopt niet. Gebruik alleen cijfers, bijvoorbeeld: 070 123 4567."
)


NAME_CHARACTERS = "Gebruik in de naam alleen letters, spaties en de tekens . , ' - ( )"


def validate_person_name(value: str) -> None:
    if not is_person_name(value.strip()):
        raise ValidationError(NAME_CHARACTERS)


MAX_EMAIL_LENGTH = 254  # the columns' length (RFC 5321); Django's own check allows up to 320


class ReachableEmailValidator(EmailValidator):
    """An address mail can reach from outside: a domain with a dot in it, no bare host name or IP address.

    Django's own check also takes "jan@localhost" and "jan@[10.0.0.1]", which a resident never has and to
    which our answer would never arrive.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message=message, allowlist=[])

    def validate_domain_part(self, domain_part: str) -> bool:
        return bool(self.domain_regex.match(domain_part))


EMAIL_VALIDATOR = ReachableEmailValidator(
    "Dit e-mailadres klopt niet. Controleer het, bijvoorbeeld: naam@voorbeeld.nl."
)


def is_email_address(value: str) -> bool:
    """EMAIL_VALIDATOR and the columns' length as a test, for the channels that word their own message."""
    if len(value) > MAX_EMAIL_LENGTH:
        return False
    try:
        EMAIL_VALIDATOR(value)
    except ValidationError:
        return False
    return True


def is_phone_number(value: str) -> bool:
    """PHONE_VALIDATOR as a test, for the channels that word their own message."""
    try:
        PHONE_VALIDATOR(value)
    except ValidationError:
        return False
    return True


class Channel(models.TextChoices):
    WEB = "web", "Website"
    PHONE = "telefoon", "Telefoon"
    EMAIL = "email", "E-mail"
    COUNTER = "balie", "Balie"
    CHAT = "chat", "Chat"


class Outcome(models.TextChoices):
    OPEN = "open", "Nog bezig"
    ANSWERED = "beantwoord", "Beantwoord bij eerste contact"
    HANDED_OVER = "overgedragen", "Overgedragen"
    CLARIFIED = "verduidelijkt", "Vraag verduidelijkt"
    ABANDONED = "afgebroken", "Afgebroken"


class Audience(models.TextChoices):
    UNKNOWN = "", "Onbekend"
    RESIDENT = "burger", "Burger"
    ENTREPRENEUR = "ondernemer", "Ondernemer"


class Contact(models.Model):
    """One contact (klantcontact): a question asked through one channel, and how it ended."""

    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField("kanaal", max_length=10, choices=Channel.choices)
    started_at = models.DateTimeField("begonnen")
    ended_at = models.DateTimeField("afgerond", null=True, blank=True)
    question = models.TextField("vraag")
    audience = models.CharField("doelgroep", max_length=12, choices=Audience.choices, blank=True)
    municipality = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organisation whose counter took the contact (the agent's organisation), if any.
    taken_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="aangenomen door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts_taken",
    )
    # Whom an e-mail was for, when another desk took it (the organisation has no agents in ANTWOORD yet).
    intended_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="bedoeld voor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("uitkomst", max_length=14, choices=Outcome.choices, default=Outcome.OPEN)
    # What the contact was about (onderwerpobject): the answer used, as the engine identifies it.
    answer_key = models.CharField("antwoord (sleutel)", max_length=200, blank=True)
    answer_kind = models.CharField("soort antwoord", max_length=10, blank=True)
    answer_source_id = models.CharField("bron van het antwoord", max_length=300, blank=True)
    answer_title = models.CharField("antwoord", max_length=300, blank=True)
    upl_uri = models.CharField("UPL-product", max_length=300, blank=True)
    # Who handled it (actor): an agent, or nobody when the engine answered on its own.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="medewerker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    # The engine's decision at the time (status, confidence, suggested organisation), for steering.
    engine_status = models.CharField("voorstel van de zoekmachine", max_length=10, blank=True)
    engine_confidence = models.FloatField("zekerheid", null=True, blank=True)
    # Internal note by the agent; never shown to the resident.
    note = models.TextField("notitie", blank=True)
    # Who asked (betrokkene), when known: entered by the agent, or the sender of an e-mail. Personal data,
    # blanked after the retention time.
    caller_name = models.CharField("naam beller", max_length=100, blank=True)
    caller_email = models.EmailField("e-mailadres", blank=True)
    caller_phone = models.CharField("telefoonnummer", max_length=20, blank=True, validators=[PHONE_VALIDATOR])
    # The earlier contact this one continues: the resident replied to the answer it got by e-mail.
    follows = models.ForeignKey(
        "self",
        verbose_name="vervolg op",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacten"
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["channel", "outcome"]),
            models.Index(fields=["started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {timezone.localtime(self.started_at):%d-%m-%Y %H:%M}: {self.question[:60]}"

    @property
    def is_automated(self) -> bool:
        """Handled without a person (the engine on the web, its automatic reply by e-mail); an e-mail that still
        waits for an agent is not, yet."""
        return self.agent_id is None and not (self.channel == Channel.EMAIL and self.ended_at is None)

    @property
    def engine_status_label(self) -> str:
        return ENGINE_STATUS_LABELS.get(self.engine_status, self.engine_status)


# The engine's decisions (answers.engine.decide.Response.status) in words for staff.
ENGINE_STATUS_LABELS = {
    "answered": "beantwoord",
    "clarify": "vraag verduidelijken",
    "handover": "overdragen",
}


class HandoverStatus(models.TextChoices):
    NEW = "nieuw", "Nieuw"
    IN_PROGRESS = "in_behandeling", "In behandeling"
    DONE = "afgehandeld", "Afgehandeld"
    FORWARDED = "doorgestuurd", "Doorgestuurd"


class Priority(models.IntegerChoices):
    NORMAL = 2, "Normaal"
    HIGH = 1, "Hoog"
    URGENT = 0, "Spoed"


class RequestedAction(models.TextChoices):
    ANSWER_BY_EMAIL = "email", "Antwoord per e-mail"
    CALL_BACK = "terugbellen", "Terugbellen"


class Team(models.Model):
    """A team inside an organisation's back office, with its own queue."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="teams",
        verbose_name="organisatie",
    )
    name = models.CharField("naam", max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name="leden"
    )

    class Meta:
        verbose_name = "team"
        verbose_name_plural = "teams"
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class HandoverQuestion(models.Model):
    """A question an organisation's back office wants answered with every handover it works (KISS calls such
    a list a vragenset): the agent asks it at the desk, the resident answers it on the web form, a system
    through the API when it sends the answers, and the handover keeps question and answer."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="handover_questions",
        verbose_name="organisatie",
    )
    text = models.CharField("vraag", max_length=200)
    required = models.BooleanField(
        "verplicht",
        default=False,
        help_text="Wie de vraag overdraagt (het klantcontactcentrum, of de inwoner op de website), moet hem "
        "dan beantwoorden.",
    )
    position = models.PositiveSmallIntegerField("volgorde", default=0, help_text="Lager staat eerder.")

    class Meta:
        verbose_name = "aanvullende vraag bij overdracht"
        verbose_name_plural = "aanvullende vragen bij overdracht"
        ordering = ["organisation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "text"],
                name="unique_handover_question",
                violation_error_message="Deze vraag staat al in de lijst van deze organisatie.",
            )
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if has_html_tag(self.text):
            raise ValidationError({"text": "Schrijf de vraag als gewone tekst, zonder HTML-codes."})


def new_reference() -> str:
    """A short reference a person can read out on the phone: no 0/O or 1/I to confuse."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "A-" + "".join(secrets.choice(alphabet) for _ in range(8))


def new_status_secret() -> str:
    return secrets.token_urlsafe(24)


# A handover the back office still has to answer (or forward).
OPEN_STATUSES = (HandoverStatus.NEW, HandoverStatus.IN_PROGRESS)
# How to reach the resident: kept by the handover being worked on only, erased after the retention time.
RESIDENT_FIELDS = ("resident_name", "resident_email", "resident_phone")


class HandoverQuerySet(models.QuerySet["Handover"]):
    def open(self) -> "HandoverQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> "HandoverQuerySet":
        """Open and past the deadline: due yesterday or earlier (default: the local today)."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Handover(models.Model):
    """A question handed to the back office of the responsible organisation (contactverzoek/interne taak).

    Forwarding to another organisation closes this handover as "doorgestuurd" and opens a new one that
    points back to it, so the history stays whole and each organisation sees only its own part.
    """

    reference = models.CharField("kenmerk", max_length=12, unique=True, default=new_reference)
    # The secret half of the resident's status link; the reference alone shows nothing.
    status_secret = models.CharField(
        "geheime code statuslink", max_length=40, default=new_status_secret, editable=False
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="handovers")
    forwarded_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_to",
        verbose_name="doorgestuurd vanuit",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    # The responsible organisation, when `organisation` works the question for it (Organisation.stand_in).
    intended_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="bedoeld voor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers")
    status = models.CharField(
        "status", max_length=14, choices=HandoverStatus.choices, default=HandoverStatus.NEW
    )
    priority = models.PositiveSmallIntegerField(
        "prioriteit", choices=Priority.choices, default=Priority.NORMAL
    )
    requested_action = models.CharField("gevraagde handeling", max_length=12, choices=RequestedAction.choices)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    due_on = models.DateField("uiterste datum")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="toegewezen aan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handovers",
    )
    # How to reach the resident: the minimum needed, erased after the retention time.
    resident_name = models.CharField("naam", max_length=100, blank=True)
    resident_email = models.EmailField("e-mailadres", blank=True)
    resident_phone = models.CharField("telefoonnummer", max_length=20, blank=True)
    answer = models.TextField("antwoord aan de inwoner", blank=True)
    # [question, answer] pairs of the organisation's HandoverQuestions, as asked then.
    extra_answers = models.JSONField("aanvullende vragen en antwoorden", default=list, blank=True)
    done_at = models.DateTimeField("afgehandeld op", null=True, blank=True)
    reminded_at = models.DateTimeField("herinnering verstuurd op", null=True, blank=True)
    escalated_at = models.DateTimeField("geëscaleerd op", null=True, blank=True)
    personal_data_erased_at = models.DateTimeField("persoonsgegevens gewist op", null=True, blank=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = "overdracht"
        verbose_name_plural = "overdrachten"
        ordering = ["priority", "due_on", "created_at"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.reference} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def keeps_resident_details(self) -> bool:
        """Forwarding passes them on with the question; the retention time erases them."""
        return self.status != HandoverStatus.FORWARDED and self.personal_data_erased_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def is_for(self) -> "Organisation":
        """The organisation the question is for: the one that works it, unless a stand-in works it for another."""
        return self.intended_for or self.organisation


class EventKind(models.TextChoices):
    CREATED = "aangemaakt", "Aangemaakt"
    CLAIMED = "opgepakt", "Opgepakt"
    ASSIGNED = "toegewezen", "Toegewezen"
    FORWARDED = "doorgestuurd", "Doorgestuurd"
    ANSWERED = "afgehandeld", "Afgehandeld"
    REMINDED = "herinnerd", "Herinnering verstuurd"
    ESCALATED = "geescaleerd", "Geëscaleerd"
    ERASED = "gewist", "Persoonsgegevens gewist"
    REPLIED = "reactie", "Reactie van de inwoner"


class HandoverEvent(models.Model):
    """The history of a handover: who did what, when."""

    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="events", verbose_name="overdracht"
    )
    at = models.DateTimeField("op", auto_now_add=True)
    kind = models.CharField("wat er gebeurde", max_length=14, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="door",
    )
    # No length of its own: the inputs are limited (MAX_NOTE_LENGTH), and a forward adds the organisation's name.
    note = models.TextField("toelichting", blank=True)

    class Meta:
        verbose_name = "gebeurtenis bij een overdracht"
        verbose_name_plural = "gebeurtenissen bij overdrachten"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.handover.reference}: {self.get_kind_display()}"


class ServiceNorm(models.Model):
    """The promised response time of an organisation for handovers from one channel, in working days."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="service_norms",
        verbose_name="organisatie",
    )
    channel = models.CharField("kanaal", max_length=10, choices=Channel.choices)
    working_days = models.PositiveSmallIntegerField(
        "werkdagen", validators=[MinValueValidator(1), MaxValueValidator(MAX_NORM_DAYS)]
    )

    class Meta:
        verbose_name = "servicenorm"
        verbose_name_plural = "servicenormen"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "channel"], name="unique_service_norm")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_channel_display()} binnen {self.working_days} werkdagen"


class PersonalDataView(models.Model):
    """The processing log: who looked at a resident's contact details, and when (AVG art. 30/32).

    The details are those on a handover (back office), on a contact (the caller, at the desk) or on an
    appointment (the desk calls a resident whose appointment we cancelled).
    """

    handover = models.ForeignKey(
        Handover,
        on_delete=models.CASCADE,
        related_name="views",
        null=True,
        blank=True,
        verbose_name="overdracht",
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="views", null=True, blank=True
    )
    booking = models.ForeignKey(
        "appointments.Booking",
        on_delete=models.CASCADE,
        related_name="views",
        null=True,
        blank=True,
        verbose_name="afspraak",
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="bekeken door"
    )
    at = models.DateTimeField("op", auto_now_add=True)
    purpose = models.CharField("doel", max_length=100)

    class Meta:
        verbose_name = "inzage persoonsgegevens"
        verbose_name_plural = "inzage persoonsgegevens"
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(  # of exactly one of them
                condition=models.Q(handover__isnull=False, contact__isnull=True, booking__isnull=True)
                | models.Q(handover__isnull=True, contact__isnull=False, booking__isnull=True)
                | models.Q(handover__isnull=True, contact__isnull=True, booking__isnull=False),
                name="personal_data_view_of_handover_contact_or_booking",
            )
        ]

    def __str__(self) -> str:
        if self.handover:
            seen = f"overdracht {self.handover.reference}"
        elif self.booking:
            seen = f"afspraak {self.booking.reference}"
        else:
            seen = f"contact {self.contact_id}"
        return f"{self.viewer} zag {seen} ({self.purpose})"
