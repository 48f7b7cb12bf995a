"""The rules of counter appointments: which times are free, booking, cancelling, moving and erasing.

Double booking is prevented by the database, not by a check: every booking inserts one OccupiedSlot row
per grid unit under a unique constraint, inside the transaction that creates it. Of two concurrent
requests for the same unit one insert fails (PostgreSQL makes the second wait for the first to commit;
SQLite lets one writer in at a time), so exactly one booking survives.
"""

import hmac
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from antwoord.accounts.models import Role, User
from antwoord.accounts.services import AnyUser, has_role_anywhere
from antwoord.catalogue.models import Offering
from antwoord.contacts.models import Contact, is_email_address, is_phone_number
from antwoord.lib.retention import retention_cutoff
from antwoord.lib.text import PERSON_NAME_HINT, is_person_name
from antwoord.lib.workdays import public_holidays
from antwoord.mail.services import Attachment, queue_mail

from . import ics
from .models import SLOT_MINUTES, Booking, BookingStatus, OccupiedSlot, ServicePoint

SLOT = timedelta(minutes=SLOT_MINUTES)
# How far ahead residents may book, and how many days one request for free times may cover.
MAX_DAYS_AHEAD = 90
MAX_DAYS_PER_REQUEST = 31
NAME_MAX_LENGTH = 100
# Letters of any script plus the marks that occur in names (Jan-Willem van 't Hof, O'Neill, Chloë).

TAKEN_MESSAGE = "Deze tijd is net door iemand anders geboekt. Kies een andere tijd."
NOT_OFFERED_MESSAGE = "Voor dit product kunt u bij dit servicepunt geen afspraak maken."
FAR_AHEAD_MESSAGE = f"U kunt hoogstens {MAX_DAYS_AHEAD} dagen vooruit een afspraak maken."
PAST_DAY_MESSAGE = "Deze datum is al voorbij. Kies vandaag of later."


ALREADY_BOOKED_MESSAGE = (
    "Met dit e-mailadres is op deze tijd al een afspraak gemaakt. De bevestiging staat in uw e-mail; "
    "daarin kunt u de afspraak ook verzetten of annuleren."
)


class AppointmentError(ValueError):
    """The request cannot be done; `message` says why in plain Dutch, `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class BookingConflictError(AppointmentError):
    """The request conflicts with what is booked already (HTTP 409)."""


class SlotTakenError(BookingConflictError):
    """Someone else holds (part of) the time: the caller shows other times."""

    def __init__(self) -> None:
        super().__init__(TAKEN_MESSAGE, "start")


class AlreadyBookedError(BookingConflictError):
    """The same person booked this very appointment already: the same form sent again."""

    def __init__(self) -> None:
        super().__init__(ALREADY_BOOKED_MESSAGE, "start")


class BookingNotFoundError(AppointmentError):
    """Unknown reference or wrong secret: deliberately indistinguishable (HTTP 404)."""

    def __init__(self) -> None:
        super().__init__("Deze afspraak bestaat niet, of de link is niet goed overgenomen.")


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


def books_for_residents(user: AnyUser) -> bool:
    """KCC agents of any organisation (and platform administrators) book on behalf of residents."""
    return has_role_anywhere(user, [Role.AGENT])


# --- what is offered where ------------------------------------------------------------------------


def offerings_at(points: Sequence[ServicePoint]) -> dict[int, list[Offering]]:
    """Per service point the offerings one can book there, by title: the chosen subset, or else all of its
    organisation's appointment offerings. Two queries however many points (the API lists them all)."""
    chosen: dict[int, list[Offering]] = defaultdict(list)
    links = ServicePoint.offerings.through.objects.filter(
        servicepoint_id__in=[p.pk for p in points], offering__appointment_required=True
    ).select_related("offering")
    for link in links:
        chosen[link.servicepoint_id].append(link.offering)
    everything: dict[int, list[Offering]] = defaultdict(list)
    organisations = {p.organisation_id for p in points if p.pk not in chosen}
    for offering in Offering.objects.filter(organisation_id__in=organisations, appointment_required=True):
        everything[offering.organisation_id].append(offering)
    return {
        p.pk: sorted(chosen.get(p.pk) or everything[p.organisation_id], key=lambda o: o.title) for p in points
    }


def service_points_for(offering: Offering) -> QuerySet[ServicePoint]:
    """Active service points where this offering can be booked."""
    if not offering.appointment_required:
        return ServicePoint.objects.none()
    points = ServicePoint.objects.filter(organisation_id=offering.organisation_id, is_active=True)
    without_subset = points.annotate(chosen=Count("offerings")).filter(chosen=0)
    return points.filter(Q(pk__in=without_subset.values("pk")) | Q(offerings=offering)).distinct()


def is_offered(service_point: ServicePoint, offering: Offering) -> bool:
    return service_points_for(offering).filter(pk=service_point.pk).exists()


def duration(offering: Offering) -> timedelta:
    """The appointment's length rounded up to whole grid units (one unit when the catalogue says nothing)."""
    minutes = offering.appointment_minutes or SLOT_MINUTES
    return SLOT * math.ceil(minutes / SLOT_MINUTES)


# --- free times --------------------------------------------------------------------------------------


def last_bookable_day(today: date) -> date:
    return today + timedelta(days=MAX_DAYS_AHEAD)


def check_first_day(day: date, today: date) -> None:
    """A list of free times starts between today and the booking horizon; AppointmentError on `van` if not."""
    if day < today:
        raise AppointmentError(PAST_DAY_MESSAGE, "van")
    last = last_bookable_day(today)
    if day > last:
        raise AppointmentError(
            f"{FAR_AHEAD_MESSAGE} Kies een dag tot en met {date_format(last, 'j F Y')}.", "van"
        )


def _is_closed(service_point: ServicePoint, day: date) -> bool:
    return day in public_holidays(day.year) or service_point.closures.filter(day=day).exists()


def _local(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def candidate_starts(service_point: ServicePoint, offering: Offering, day: date) -> list[datetime]:
    """Starts on the grid where the whole appointment fits in an opening period; bookings not considered."""
    if _is_closed(service_point, day):
        return []
    length = duration(offering)
    starts: list[datetime] = []
    for period in service_point.opening_hours.filter(weekday=day.weekday()):
        start, closes = _local(day, period.opens), _local(day, period.closes)
        while start + length <= closes:
            starts.append(start)
            start += SLOT
    return sorted(starts)


def _units(starts_at: datetime, length: timedelta) -> list[datetime]:
    return [starts_at + SLOT * index for index in range(length // SLOT)]


def _occupied(service_point: ServicePoint, start: datetime, end: datetime) -> set[tuple[int, datetime]]:
    rows = OccupiedSlot.objects.filter(service_point=service_point, starts_at__gte=start, starts_at__lt=end)
    return set(rows.values_list("desk", "starts_at"))


def _free_desks(
    service_point: ServicePoint, units: Iterable[datetime], occupied: set[tuple[int, datetime]]
) -> list[int]:
    units = list(units)
    return [
        desk
        for desk in range(1, service_point.desks + 1)
        if not any((desk, unit) in occupied for unit in units)
    ]


def free_slots(
    service_point: ServicePoint,
    offering: Offering,
    from_day: date,
    days: int,
    now: datetime | None = None,
) -> list[Slot]:
    """Times from `from_day` on, for `days` days, at which at least one desk is free for the whole duration."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Past days have no free times and days beyond the horizon none either; skipping them early also keeps
    # the date arithmetic below far from date.min and date.max.
    first_day, horizon = max(from_day, today), last_bookable_day(today) + timedelta(days=1)
    if first_day >= horizon:
        return []
    days = max(0, min(days, MAX_DAYS_PER_REQUEST))
    last_day = min(from_day + timedelta(days=days), horizon)
    length = duration(offering)
    occupied = _occupied(service_point, _local(first_day, time.min), _local(last_day, time.min) + length)
    slots = []
    for offset in range(max(0, (last_day - first_day).days)):
        for start in candidate_starts(service_point, offering, first_day + timedelta(days=offset)):
            if start > now and _free_desks(service_point, _units(start, length), occupied):
                slots.append(Slot(start, start + length))
    return slots


# --- booking, cancelling, moving ------------------------------------------------------------------


def check_resident(name: str, email: str, phone: str = "", *, by_agent: bool = False) -> tuple[str, str, str]:
    """Clean the few personal details we keep; raises AppointmentError naming the field. A resident gives an
    e-mail address for the confirmation; an agent booking for a caller may give a phone number instead (and
    tells the caller the reference)."""
    name, email, phone = " ".join(name.split()), email.strip(), " ".join(phone.split())
    if not name:
        raise AppointmentError("Vul uw naam in.", "name")
    if len(name) > NAME_MAX_LENGTH:
        raise AppointmentError(f"Uw naam mag hoogstens {NAME_MAX_LENGTH} tekens lang zijn.", "name")
    if not is_person_name(name):
        raise AppointmentError(PERSON_NAME_HINT, "name")
    if not email and not by_agent:
        raise AppointmentError("Vul uw e-mailadres in. Daar sturen wij de bevestiging naartoe.", "email")
    if not email and not phone:
        raise AppointmentError("Vul het e-mailadres of het telefoonnummer van de inwoner in.", "email")
    if email and not is_email_address(email):
        raise AppointmentError("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.", "email")
    if phone and not is_phone_number(phone):
        raise AppointmentError("Vul een geldig telefoonnummer in, zoals 06 12345678.", "phone")
    return name, email, phone


def _check_start(service_point: ServicePoint, offering: Offering, starts_at: datetime, now: datetime) -> None:
    if timezone.is_naive(starts_at):
        raise AppointmentError("Geef de tijd met tijdzone op.", "start")
    if starts_at <= now:
        raise AppointmentError("Deze tijd is al voorbij. Kies een tijd in de toekomst.", "start")
    try:
        local = timezone.localtime(starts_at)
    except OverflowError:  # a time late in the year 9999 has no local time
        raise AppointmentError(FAR_AHEAD_MESSAGE, "start") from None
    if local.date() > last_bookable_day(timezone.localdate(now)):
        raise AppointmentError(FAR_AHEAD_MESSAGE, "start")
    if starts_at not in candidate_starts(service_point, offering, local.date()):
        raise AppointmentError("Op deze tijd is het servicepunt niet open voor afspraken.", "start")


def _occupy(booking: Booking, starts_at: datetime, length: timedelta) -> int:
    """Take every unit at one desk in one go, or raise SlotTakenError; returns the desk."""
    service_point = booking.service_point
    units = _units(starts_at, length)
    occupied = _occupied(service_point, units[0], units[-1] + SLOT)
    for desk in _free_desks(service_point, units, occupied):
        rows = [
            OccupiedSlot(booking=booking, service_point=service_point, desk=desk, starts_at=u) for u in units
        ]
        try:
            with transaction.atomic():
                OccupiedSlot.objects.bulk_create(rows)
        except IntegrityError:
            continue  # another request took this desk just now; try the next one
        return desk
    raise SlotTakenError


def book(
    service_point: ServicePoint,
    offering: Offering,
    starts_at: datetime,
    *,
    name: str,
    email: str,
    phone: str = "",
    booked_by: User | None = None,
    contact: Contact | None = None,
    now: datetime | None = None,
) -> Booking:
    """Book the appointment and queue its confirmation; nothing is written when any part fails."""
    now = now or timezone.now()
    name, email, phone = check_resident(name, email, phone, by_agent=booked_by is not None)
    if not service_point.is_active or not is_offered(service_point, offering):
        raise AppointmentError(NOT_OFFERED_MESSAGE, "offering")
    _check_start(service_point, offering, starts_at, now)
    length = duration(offering)
    with transaction.atomic():
        # The same form sent again (the back button, a second click): one booking, not two desks taken.
        # Its reference is not said: whoever knows an address and a time must not learn the booking's link.
        if (
            email
            and Booking.objects.filter(
                offering=offering, starts_at=starts_at, email__iexact=email, status=BookingStatus.BOOKED
            ).exists()
        ):
            raise AlreadyBookedError
        booking = Booking.objects.create(
            service_point=service_point,
            offering=offering,
            starts_at=starts_at,
            ends_at=starts_at + length,
            desk=1,
            name=name,
            email=email,
            phone=phone,
            booked_by=booked_by,
            contact=contact,
        )
        desk = _occupy(booking, starts_at, length)
        if desk != booking.desk:
            booking.desk = desk
            booking.save(update_fields=["desk"])
        _notify(booking, "appointment_confirmed", now)
    return booking


def _matches(booking: Booking, token: str) -> bool:
    return hmac.compare_digest(booking.token.encode(), token.encode())


def find_booking(reference: str, token: str) -> Booking:
    """The booking behind a resident's secret link; BookingNotFoundError for anything else."""
    booking = (
        Booking.objects.select_related("service_point__organisation", "offering")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if booking is None or not _matches(booking, token):
        raise BookingNotFoundError
    return booking


def _locked_for_change(booking: Booking, token: str, now: datetime) -> Booking:
    """Re-read the booking under a row lock (inside the caller's transaction) and check it may change."""
    if not _matches(booking, token):
        raise BookingNotFoundError
    return _locked(booking, now)


def _locked(booking: Booking, now: datetime) -> Booking:
    booking = (
        Booking.objects.select_for_update().select_related("service_point", "offering").get(pk=booking.pk)
    )
    if not booking.is_active:
        raise AppointmentError("Deze afspraak is al geannuleerd.")
    if booking.starts_at <= now:
        raise AppointmentError("Deze afspraak is al begonnen of voorbij. U kunt hem niet meer wijzigen.")
    return booking


def cancel(booking: Booking, token: str, now: datetime | None = None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_for_change(booking, token, now)
        _cancel(booking, now)
        _notify(booking, "appointment_cancelled", now)
    return booking


def cancel_for_resident(
    booking: Booking, reason: str, now: datetime | None = None, *, asked: bool = False
) -> Booking:
    """The organisation cancels: the resident `asked` on the phone, or the counter is closed then. The resident is
    mailed why, when an address is known (with an apology unless he asked)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking, now)
        _cancel(booking, now)
        _notify(booking, "appointment_cancelled_by_us", now, reason=reason, apologise="" if asked else "1")
        if not asked and not booking.email:  # no mail reaches him: the desk must call him before he comes
            booking.to_call = True
            booking.save(update_fields=["to_call"])
    return booking


def cancel_on_closed_days(service_point: ServicePoint, now: datetime | None = None) -> list[Booking]:
    """Cancel the coming bookings at times the service point no longer opens (a closing day added, opening
    hours changed, or the whole service point switched off), so nobody comes to a closed counter. Returns
    them."""
    now = now or timezone.now()
    reasons = {closure.day: closure.reason for closure in service_point.closures.all()}
    cancelled = []
    for booking in service_point.bookings.filter(status=BookingStatus.BOOKED, starts_at__gt=now):
        reason = _why_closed(service_point, booking, reasons)
        if not reason:
            continue
        try:
            cancelled.append(cancel_for_resident(booking, reason, now))
        except AppointmentError:  # the resident cancelled it at this very moment
            continue
    return cancelled


def _why_closed(service_point: ServicePoint, booking: Booking, closures: dict[date, str]) -> str:
    """Why the booking can no longer take place ("" when it can), in the words of the mail to the resident."""
    day = timezone.localdate(booking.starts_at)
    if not service_point.is_active:
        return f"{service_point.name} is gesloten"
    if day in closures:
        return f"{service_point.name} is die dag gesloten" + (f" ({closures[day]})" if closures[day] else "")
    periods = service_point.opening_hours.filter(weekday=day.weekday())
    if not any(
        _local(day, p.opens) <= booking.starts_at and booking.ends_at <= _local(day, p.closes)
        for p in periods
    ):
        return f"{service_point.name} is op dat moment niet meer open"
    return ""


def _cancel(booking: Booking, now: datetime) -> None:
    booking.occupied_slots.all().delete()
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "sequence"])


def move(booking: Booking, token: str, new_start: datetime, now: datetime | None = None) -> Booking:
    """Move to another time: the old time is given up only in the transaction that takes the new one."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_for_change(booking, token, now)
        if new_start == booking.starts_at:  # the time it has (a form sent twice): nothing changes, no mail
            return booking
        _check_start(booking.service_point, booking.offering, new_start, now)
        length = duration(booking.offering)
        # Freed first so that a shift by one unit may overlap the old time; a failure rolls this back.
        booking.occupied_slots.all().delete()
        booking.desk = _occupy(booking, new_start, length)
        booking.starts_at, booking.ends_at = new_start, new_start + length
        booking.sequence += 1
        booking.save(update_fields=["desk", "starts_at", "ends_at", "sequence"])
        _notify(booking, "appointment_moved", now)
    return booking


# --- mail, privacy, figures ------------------------------------------------------------------------


def manage_path(booking: Booking) -> str:
    return reverse("appointments:manage", args=[booking.reference, booking.token])


def calendar_event(booking: Booking) -> ics.Event:
    service_point = booking.service_point
    organisation = service_point.organisation
    next_step = (
        f"Afspraak verzetten of annuleren: {settings.SITE_URL}{manage_path(booking)}"
        if booking.is_active
        else "Deze afspraak is geannuleerd."
    )
    return ics.Event(
        uid=f"{booking.reference}@antwoord",
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=f"Afspraak: {booking.offering.title}",
        location=f"{service_point.name}, {service_point.address}",
        description=f"Kenmerk {booking.reference} bij {organisation.name}.\n{next_step}",
        organiser_name=organisation.name,
        organiser=parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        attendee=booking.email,
        sequence=booking.sequence,
        cancelled=not booking.is_active,
    )


def _notify(booking: Booking, template: str, now: datetime, **extra: str) -> None:
    if not booking.email:  # booked by an agent for a caller without e-mail: the agent told the reference
        return
    context: dict[str, Any] = {
        "booking": booking,
        "manage_url": settings.SITE_URL + manage_path(booking),
        **extra,
    }
    event = calendar_event(booking)
    attachment = Attachment("afspraak.ics", f"text/calendar; method={event.method}", ics.calendar(event, now))
    queue_mail(booking.email, template, context, attachment=attachment)


def erase_personal_data(now: datetime | None = None) -> int:
    """Blank name, e-mail and phone of bookings that ended (or were cancelled) RETENTION_DAYS ago.

    Idempotent; meant for the periodic job. Returns how many bookings were erased.
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(settings.RETENTION_DAYS, now)
    due = Booking.objects.filter(personal_data_erased_at__isnull=True).filter(
        Q(ends_at__lt=cutoff) | Q(status=BookingStatus.CANCELLED, cancelled_at__lt=cutoff)
    )
    return due.update(name="", email="", phone="", personal_data_erased_at=now)


def appointment_counts() -> dict[str, int]:
    """Bookings per status, for `antwoord stats`."""
    counts = dict(Booking.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status.value: counts.get(status.value, 0) for status in BookingStatus}
