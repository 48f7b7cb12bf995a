"""Where a question a person must answer goes: the organisation responsible, the back office that works its
questions (its own, or its stand-in's while it has none in ANTWOORD) and by when, and the desk that reads its
mail (`desk_for`)."""

from collections.abc import Collection, Iterable
from datetime import date
from typing import TypedDict

from django.utils import timezone

from antwoord.accounts.models import Membership, Role
from antwoord.answers.engine.decide import Response
from antwoord.lib.workdays import add_working_days
from antwoord.organisations.models import Organisation

from .models import Channel, ServiceNorm

# Who works at an organisation's desk (the KCC): takes calls, mails and visitors.
DESK_ROLES = frozenset({Role.AGENT})

# Response times when an organisation set no norm of its own: a call-back within two working days, a
# written answer within five; common norms of Dutch municipal contact centres.
DEFAULT_NORM_DAYS = {
    Channel.WEB: 5,
    Channel.PHONE: 2,
    Channel.EMAIL: 5,
    Channel.COUNTER: 5,
    Channel.CHAT: 2,
}


def municipality_of(response: Response) -> Organisation | None:
    """The municipality the engine resolved the person's place to, if any."""
    code = (response.place or {}).get("code", "")
    return Organisation.objects.filter(code=code).first() if code else None


# Takes what no other organisation can be named for: the national government's contact centre (1400).
FALLBACK_ORGANISATION = "rijksoverheid"


def responsible_organisation(
    response: Response, *, place: Organisation | None = None, fallback_code: str = ""
) -> Organisation | None:
    """Who gets a question a person must answer: the organisation the engine named, else the one behind the
    answer, else the municipality of the place (`place`, or the one the engine resolved), else the fallback."""
    candidates = [
        (response.handover_to or {}).get("code", ""),
        response.answer.organisation.get("code", "") if response.answer else "",
    ]
    for code in candidates:
        found = Organisation.objects.active().filter(code=code).first() if code else None
        if found is not None:
            return found
    found = place or municipality_of(response)
    if found is None and fallback_code:
        found = Organisation.objects.active().filter(code=fallback_code).first()
    return found


def due_date(organisation: Organisation, channel: str, start: date) -> date:
    norm = ServiceNorm.objects.filter(organisation=organisation, channel=channel).first()
    days = norm.working_days if norm else DEFAULT_NORM_DAYS[Channel(channel)]
    return add_working_days(start, days)


class Addressed(TypedDict):
    organisation: Organisation
    intended_for: Organisation | None
    due_on: date


def address_to(organisation: Organisation, channel: str) -> Addressed:
    """Where a question for `organisation` goes (its back office or its stand-in's), for whom, and by when."""
    receiving = receiving_organisation(organisation)
    return {
        "organisation": receiving,
        "intended_for": organisation if receiving != organisation else None,
        "due_on": due_date(receiving, channel, timezone.localdate()),
    }


def _with_back_office(organisation_ids: Collection[int]) -> set[int]:
    """Those of the organisations where someone's work in ANTWOORD is their handovers (a manager who only
    reads the figures is not); for one without, a handed-over question would wait in nobody's queue."""
    return _with_staff(organisation_ids, {Role.BACKOFFICE})


def _with_staff(organisation_ids: Collection[int], roles: Collection[Role]) -> set[int]:
    return set(
        Membership.objects.filter(
            organisation_id__in=organisation_ids, role__in=roles, user__is_active=True
        ).values_list("organisation_id", flat=True)
    )


def has_back_office(organisation: Organisation) -> bool:
    return bool(_with_back_office([organisation.pk]))


def no_back_office_warning(organisation: Organisation) -> str | None:
    """What to tell whoever hands a question over to an organisation nobody in ANTWOORD works for (no back
    office, no stand-in): it will not be answered here, so the resident should also contact it directly."""
    if has_back_office(organisation):
        return None
    reach = " of ".join(part for part in (organisation.phone, organisation.website) if part)
    return (
        f"{organisation.name} werkt niet met ANTWOORD: niemand behandelt deze vraag hier. "
        f"Verwijs de inwoner ook rechtstreeks naar {organisation.name}{f' ({reach})' if reach else ''}."
    )


def stand_ins(organisations: Iterable[Organisation]) -> dict[int, Organisation]:
    """Of these organisations, those whose questions go to the back office of their stand-in now (they have
    none of their own in ANTWOORD, the stand-in has), with that stand-in; one query for them all."""
    pairs = [(o, o.stand_in) for o in organisations if o.stand_in is not None and o.stand_in.is_active]
    staffed = _with_back_office({o.pk for o, _ in pairs} | {stand_in.pk for _, stand_in in pairs})
    return {o.pk: stand_in for o, stand_in in pairs if o.pk not in staffed and stand_in.pk in staffed}


def receiving_organisation(organisation: Organisation) -> Organisation:
    """Whose back office works a question for `organisation`: its own, or its stand-in's (`stand_ins`)."""
    return stand_ins([organisation]).get(organisation.pk, organisation)


def desk_for(organisation: Organisation) -> Organisation:
    """Whose desk (KCC agents) reads a mail for `organisation`: its own, else its stand-in's, else the national
    contact centre's, which answers for all of government; else its own, though nobody there reads it yet."""
    fallback = Organisation.objects.active().filter(code=FALLBACK_ORGANISATION).first()
    choices = [o for o in (organisation, organisation.stand_in, fallback) if o is not None and o.is_active]
    staffed = _with_staff({o.pk for o in choices}, DESK_ROLES)
    return next((o for o in choices if o.pk in staffed), organisation)
