"""The contact register's periodic jobs and figures: reminders and escalation, questions back from stand-ins,
erasure after the retention time, closing abandoned web contacts, and the counts for steering. Run by the job
worker and `antwoord stats`."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.accounts.services import emails_of_role
from antwoord.catalogue.models import Product
from antwoord.lib.retention import retention_cutoff
from antwoord.mail.services import queue_mail
from antwoord.organisations.models import Organisation

from .models import (
    RESIDENT_FIELDS,
    Audience,
    Channel,
    Contact,
    EventKind,
    Handover,
    HandoverQuerySet,
    HandoverStatus,
    Outcome,
    Priority,
)
from .routing import receiving_organisation
from .services import ERASED, add_event, return_to_own_back_office

# Open web contacts that nobody touched for this long are closed as abandoned.
ABANDON_AFTER_HOURS = 24


# --- periodic jobs --------------------------------------------------------------------------------------


def remind_and_escalate(today: date | None = None) -> dict[str, int]:
    """Remind the back office the working day a handover falls due; escalate once it is overdue.

    Idempotent: each handover is reminded once and escalated once, however often the job runs.
    """
    today = today or timezone.localdate()
    open_handovers = Handover.objects.open()
    reminded = 0
    for handover in open_handovers.filter(due_on=today, reminded_at__isnull=True):
        with transaction.atomic():
            _notify_staff(handover, "handover_reminder", [Role.BACKOFFICE])
            handover.reminded_at = timezone.now()
            handover.save(update_fields=["reminded_at"])
            add_event(handover, EventKind.REMINDED, None)
        reminded += 1
    escalated = 0
    for handover in open_handovers.filter(due_on__lt=today, escalated_at__isnull=True):
        with transaction.atomic():
            _notify_staff(handover, "handover_overdue", [Role.MANAGER])
            handover.escalated_at = timezone.now()
            handover.priority = Priority.URGENT
            handover.save(update_fields=["escalated_at", "priority"])
            add_event(handover, EventKind.ESCALATED, None, f"Over de uiterste datum ({handover.due_on})")
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def return_to_own_back_offices() -> int:
    """A question a stand-in holds for an organisation that has a back office of its own in ANTWOORD now goes
    there, unless someone at the stand-in took it up. Returns how many went."""
    waiting = Handover.objects.filter(
        status=HandoverStatus.NEW, assigned_to__isnull=True, intended_for__isnull=False
    )
    returned = 0
    for organisation in Organisation.objects.filter(pk__in=waiting.values("intended_for")):
        if receiving_organisation(organisation) == organisation:
            for handover in waiting.filter(intended_for=organisation):
                returned += return_to_own_back_office(handover) is not None
    return returned


def _notify_staff(handover: Handover, template: str, roles: list[Role]) -> None:
    """Mail the assignee, or else everyone with one of the roles in the organisation. An overdue question of
    an organisation without managers in ANTWOORD (one that does not work with it yet) goes to the platform
    administrators: otherwise nobody would ever learn of it."""
    if handover.assigned_to and handover.assigned_to.email and Role.MANAGER not in roles:
        recipients = [handover.assigned_to.email]
    else:
        recipients = emails_of_role(handover.organisation_id, roles)
    if not recipients and Role.MANAGER in roles:
        administrators = User.objects.filter(is_superuser=True, is_active=True).exclude(email="")
        recipients = sorted(administrators.values_list("email", flat=True))
    for address in recipients:
        queue_mail(address, template, {"handover": handover})


def erase_personal_data(now: datetime | None = None) -> int:
    """Erase what identifies a resident once the retention time has passed; returns how many handovers and
    contacts were erased. Idempotent: what is erased stays erased and is not counted again.

    Handovers closed longer ago lose the contact details, the answer, the answers to the extra questions, the
    notes in their history and the question; a forwarded handover waits for the end of its chain, as the
    question is still being worked on. Contacts never handed over lose question, note and caller details once
    they ended that long ago.
    """
    cutoff = retention_cutoff(settings.RETENTION_DAYS, now)
    expired = (
        Handover.objects.filter(done_at__lt=cutoff, personal_data_erased_at__isnull=True)
        .exclude(contact__handovers__done_at__isnull=True)
        .exclude(contact__handovers__done_at__gte=cutoff)
    )
    erased = 0
    for handover in expired.select_related("contact"):
        with transaction.atomic():
            for field in RESIDENT_FIELDS:
                setattr(handover, field, "")
            handover.answer = ERASED
            handover.extra_answers = []
            handover.personal_data_erased_at = timezone.now()
            handover.save()
            handover.events.update(note="")
            _erase_contact(handover.contact)
            add_event(handover, EventKind.ERASED, None)
        erased += 1
    return erased + _erase_ended_contacts(cutoff)


def _erase_contact(contact: Contact) -> None:
    contact.question = ERASED
    contact.note = contact.caller_name = contact.caller_email = contact.caller_phone = ""
    contact.save(update_fields=["question", "note", "caller_name", "caller_email", "caller_phone"])


def _erase_ended_contacts(cutoff: datetime) -> int:
    """Contacts without handovers that ended before the cutoff; one bulk update, as nothing else changes."""
    return (
        Contact.objects.filter(ended_at__lt=cutoff, handovers__isnull=True)
        .exclude(question=ERASED, note="", caller_name="", caller_email="", caller_phone="")
        .update(question=ERASED, note="", caller_name="", caller_email="", caller_phone="")
    )


def abandon_stale_contacts(now: datetime | None = None, hours: int = ABANDON_AFTER_HOURS) -> int:
    """Close web contacts still open after `hours` as abandoned: the resident left without an answer
    (for instance when the engine proposed a handover). Returns how many; idempotent."""
    now = now or timezone.now()
    stale = Contact.objects.filter(
        channel=Channel.WEB,
        outcome=Outcome.OPEN,
        ended_at__isnull=True,
        started_at__lt=now - timedelta(hours=hours),
    )
    return stale.filter(handovers__isnull=True).update(outcome=Outcome.ABANDONED, ended_at=now)


# --- figures --------------------------------------------------------------------------------------------

# How many rows the demand and gap tables show: the products asked about most.
TOP_PRODUCTS = 15
# The longest period the steering figures are counted over, on the page and in `antwoord stats`.
MAX_PERIOD_DAYS = 366
# The engine's decisions that left a question without an answer: the gaps content editors should fill.
ENGINE_UNANSWERED = ("clarify", "handover")
NO_PRODUCT = "Geen product herkend"


def register_counts() -> dict[str, Any]:
    """The register in figures, for `antwoord stats` and steering."""
    per_channel = _outcomes_per_channel(Contact.objects.all())
    total = sum(sum(v.values()) for v in per_channel.values())
    answered = sum(v.get(Outcome.ANSWERED, 0) for v in per_channel.values())
    still_open = sum(v.get(Outcome.OPEN, 0) for v in per_channel.values())
    return {
        "contacts": {"total": total, "per_channel": per_channel},
        "first_contact_resolution": Share(answered, total - still_open).fraction,
        "handovers": {
            "per_status": _count_per_status(Handover.objects.all()),
            "overdue": Handover.objects.overdue().count(),
        },
    }


def _outcomes_per_channel(contacts: QuerySet[Contact]) -> dict[str, dict[str, int]]:
    """{channel: {outcome: number}} for the channels and outcomes that occur; one query."""
    per_channel: dict[str, dict[str, int]] = {}
    # order_by() drops the models' default ordering, which would otherwise split the groups.
    for channel, outcome, n in contacts.order_by().values_list("channel", "outcome").annotate(Count("pk")):
        per_channel.setdefault(channel, {})[outcome] = n
    return per_channel


def _count_per_status(handovers: QuerySet[Handover]) -> dict[str, int]:
    return dict(handovers.order_by().values_list("status").annotate(Count("pk")))


@dataclass(frozen=True)
class Share:
    """A part of a whole, shown as a percentage together with both numbers."""

    part: int
    whole: int

    @property
    def fraction(self) -> float | None:
        return round(self.part / self.whole, 3) if self.whole else None

    @property
    def percent(self) -> str:
        """Dutch notation with one decimal ("66,7%"); a dash when there is no whole to take a share of."""
        if not self.whole:
            return "–"
        return f"{100 * self.part / self.whole:.1f}%".replace(".", ",")


@dataclass(frozen=True)
class ChannelFigures:
    channel: Channel
    contacts: int
    mix: Share  # of all contacts in the period
    resolved: Share  # answered at first contact, of the contacts that ended


@dataclass(frozen=True)
class HandoverFigures:
    per_status: list[tuple[str, int]]  # (status label, handovers created in the period), every status
    overdue: int  # open and past the deadline now, whatever the period
    within_norm: Share  # of the handovers answered or forwarded in the period, those closed by the deadline


@dataclass(frozen=True)
class ProductDemand:
    """How often a UPL product was asked about, per audience (the product-market combination)."""

    name: str
    total: int
    burger: int
    ondernemer: int
    unknown: int


@dataclass(frozen=True)
class Gap:
    """How often the engine could not answer questions about a product (or about no product it knew)."""

    name: str
    unanswered: int


@dataclass(frozen=True)
class SteeringFigures:
    first_day: date
    last_day: date
    channels: list[ChannelFigures]
    contacts: int
    resolved: Share
    handovers: HandoverFigures
    demand: list[ProductDemand]
    gaps: list[Gap]


def steering_figures(
    first_day: date,
    last_day: date,
    organisation_ids: Collection[int] | None = None,
    top: int | None = TOP_PRODUCTS,
) -> SteeringFigures:
    """The figures for joint steering over the days first_day..last_day (both included), aggregates only,
    with the `top` products asked about most (None: every one).

    An organisation's contacts are those its desk took or of its municipality; its handovers those addressed
    to it, also those its stand-in works for it (they count for both). None means all organisations. The number of queries does not depend on the number of contacts.
    """
    begin, end = _local_midnight(first_day), _local_midnight(last_day + timedelta(days=1))
    contacts = Contact.objects.filter(started_at__gte=begin, started_at__lt=end)
    handovers = Handover.objects.all()
    if organisation_ids is not None:
        contacts = contacts.filter(Q(taken_by__in=organisation_ids) | Q(municipality__in=organisation_ids))
        handovers = handovers.filter(
            Q(organisation__in=organisation_ids) | Q(intended_for__in=organisation_ids)
        )
    channels = _channel_figures(_outcomes_per_channel(contacts))
    total = sum(c.contacts for c in channels)
    demand_rows, gap_rows = _demand_rows(contacts, top), _gap_rows(contacts, top)
    names = _product_names({row["upl_uri"] for row in demand_rows + gap_rows})
    return SteeringFigures(
        first_day=first_day,
        last_day=last_day,
        channels=channels,
        contacts=total,
        resolved=Share(sum(c.resolved.part for c in channels), sum(c.resolved.whole for c in channels)),
        handovers=_handover_figures(handovers, begin, end),
        demand=[
            ProductDemand(
                _product_name(row, names), row["total"], row["burger"], row["ondernemer"], row["unknown"]
            )
            for row in demand_rows
        ],
        gaps=[Gap(name=_product_name(row, names), unanswered=row["unanswered"]) for row in gap_rows],
    )


FIGURES_COLUMNS = ("Onderdeel", "Naam", "Doelgroep", "Aantal", "Van")


def figures_rows(figures: SteeringFigures) -> list[tuple[str, str, str, int, int | str]]:
    """The figures as one long table (FIGURES_COLUMNS), for a spreadsheet: each number with what it counts and,
    for a share, the whole it is a part of."""
    rows: list[tuple[str, str, str, int, int | str]] = []
    for channel in figures.channels:
        rows.append(("Contacten per kanaal", channel.channel.label, "", channel.contacts, figures.contacts))
    for channel in figures.channels:
        part, whole = channel.resolved.part, channel.resolved.whole
        rows.append(("Beantwoord bij eerste contact", channel.channel.label, "", part, whole))
    rows.append(
        ("Beantwoord bij eerste contact", "Totaal", "", figures.resolved.part, figures.resolved.whole)
    )
    rows += [
        ("Overdrachten per status", label, "", count, "") for label, count in figures.handovers.per_status
    ]
    rows.append(("Overdrachten nu te laat", "", "", figures.handovers.overdue, ""))
    within_norm = figures.handovers.within_norm
    rows.append(("Overdrachten op tijd afgehandeld", "", "", within_norm.part, within_norm.whole))
    for product in figures.demand:
        per_audience = (
            ("Burger", product.burger),
            ("Ondernemer", product.ondernemer),
            ("Onbekend", product.unknown),
        )
        rows += [
            ("Vraag per product", product.name, audience, n, product.total) for audience, n in per_audience
        ]
    rows += [
        ("Niet beantwoord door de zoekmachine", gap.name, "", gap.unanswered, "") for gap in figures.gaps
    ]
    return rows


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _channel_figures(per_channel: dict[str, dict[str, int]]) -> list[ChannelFigures]:
    """Every channel, also those without contacts, so that the table has the same rows in every period.

    First-contact resolution is a share of the contacts that ended: one still open (a call in progress, a
    mail not yet read) may yet be answered, and would otherwise count as not."""
    totals = {channel: sum(outcomes.values()) for channel, outcomes in per_channel.items()}
    total = sum(totals.values())
    rows = []
    for channel in Channel:
        outcomes = per_channel.get(channel, {})
        ended = totals.get(channel, 0) - outcomes.get(Outcome.OPEN, 0)
        rows.append(
            ChannelFigures(
                channel=channel,
                contacts=totals.get(channel, 0),
                mix=Share(totals.get(channel, 0), total),
                resolved=Share(outcomes.get(Outcome.ANSWERED, 0), ended),
            )
        )
    return rows


def _handover_figures(handovers: HandoverQuerySet, begin: datetime, end: datetime) -> HandoverFigures:
    created = _count_per_status(handovers.filter(created_at__gte=begin, created_at__lt=end))
    # Forwarding closes a handover for its organisation as answering does: it is on time or late as well.
    closed = handovers.filter(
        status__in=[HandoverStatus.DONE, HandoverStatus.FORWARDED], done_at__gte=begin, done_at__lt=end
    ).aggregate(closed=Count("pk"), in_time=Count("pk", filter=Q(done_at__date__lte=F("due_on"))))
    return HandoverFigures(
        per_status=[(status.label, created.get(status, 0)) for status in HandoverStatus],
        overdue=handovers.overdue().count(),
        within_norm=Share(closed["in_time"], closed["closed"]),
    )


def _demand_rows(contacts: QuerySet[Contact], top: int | None) -> list[dict[str, Any]]:
    rows = (
        contacts.exclude(upl_uri="")
        .values("upl_uri")
        .annotate(
            total=Count("pk"),
            burger=Count("pk", filter=Q(audience=Audience.RESIDENT)),
            ondernemer=Count("pk", filter=Q(audience=Audience.ENTREPRENEUR)),
            unknown=Count("pk", filter=Q(audience=Audience.UNKNOWN)),
            title=Max("answer_title"),
        )
        .order_by("-total", "upl_uri")
    )
    return list(rows[:top])


def _gap_rows(contacts: QuerySet[Contact], top: int | None) -> list[dict[str, Any]]:
    rows = (
        contacts.filter(engine_status__in=ENGINE_UNANSWERED)
        .values("upl_uri")
        .annotate(unanswered=Count("pk"), title=Max("answer_title"))
        .order_by("-unanswered", "upl_uri")
    )
    return list(rows[:top])


def _product_names(upl_uris: set[str]) -> dict[str, str]:
    return dict(Product.objects.filter(upl_uri__in=upl_uris).values_list("upl_uri", "name"))


def _product_name(row: dict[str, Any], names: dict[str, str]) -> str:
    """The UPL product's name; else the title of the answer given about it; without a product, NO_PRODUCT."""
    if not row["upl_uri"]:
        return NO_PRODUCT
    return names.get(row["upl_uri"]) or row["title"] or row["upl_uri"]
