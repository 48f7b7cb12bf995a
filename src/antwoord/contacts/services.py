"""Registering contacts and working handovers. Every channel and every screen goes through here."""

import hmac
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from antwoord.accounts.models import Membership, Role, User
from antwoord.accounts.services import (
    WRITING_ROLES,
    AnyUser,
    has_role,
    has_role_anywhere,
    organisation_ids_with_role,
)
from antwoord.answers.engine.decide import Answer, Response
from antwoord.lib.text import PLAIN_TEXT_ONLY, ends_with_sign_off, has_html_tag, normalise_text
from antwoord.mail.services import queue_mail
from antwoord.organisations.models import Organisation

from .models import (
    EMAIL_VALIDATOR,
    PHONE_VALIDATOR,
    RESIDENT_FIELDS,
    Audience,
    Channel,
    Contact,
    EventKind,
    Handover,
    HandoverEvent,
    HandoverQuerySet,
    HandoverStatus,
    Outcome,
    Priority,
    RequestedAction,
    Team,
    is_email_address,
    is_phone_number,
    validate_person_name,
)
from .questions import EXTRA_PREFIX, ExtraAnswerError, extra_questions, kept_answers
from .routing import (
    Addressed,
    address_to,
    has_back_office,
    municipality_of,
    receiving_organisation,
)

# Who works a back-office queue.
BACKOFFICE_ROLES = frozenset({Role.BACKOFFICE, Role.MANAGER, Role.ADMINISTRATOR})
# Who manages an organisation: its settings, norms and teams, and the overdue handovers.
MANAGING_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR})
# Who sees an organisation's steering figures: its managers, and its content editors (for the gaps).
FIGURES_ROLES = MANAGING_ROLES | WRITING_ROLES
# Who reads an organisation's part of the contact register.
REGISTER_ROLES = frozenset({Role.AGENT, Role.MANAGER, Role.ADMINISTRATOR})
MAX_QUESTION_LENGTH = 2000
MAX_ANSWER_LENGTH = 5000
# A note goes with the question; on the web it is the resident's own rewording, so as long as a question.
MAX_NOTE_LENGTH = MAX_QUESTION_LENGTH
MAX_NAME_LENGTH = 100
ERASED = "[gewist]"
CONTACT_ENDED = "Dit contact is al afgerond."
HANDOVER_CLOSED = "Deze overdracht is al afgehandeld of doorgestuurd."


class ContactError(ValueError):
    """A request that cannot be carried out; the message is for the person who made it. `field` names the
    input it is about, when it is about one (the API lists it under that name)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ConflictError(ContactError):
    """The contact or handover is no longer in a state that allows the request (closed, handed over,
    or taken by a colleague), usually because someone else was just ahead; the API answers 409."""


# --- contacts -------------------------------------------------------------------------------------------


def start_contact(
    channel: str,
    question: str,
    *,
    agent: User | None = None,
    audience: str = "",
    municipality: Organisation | None = None,
    started_at: datetime | None = None,
) -> Contact:
    question = normalise_text(question)
    if not question:
        raise ContactError("Vul een vraag in.")
    if len(question) > MAX_QUESTION_LENGTH:
        raise ContactError(f"Uw vraag is te lang. Gebruik hoogstens {MAX_QUESTION_LENGTH} tekens.")
    if channel not in Channel.values:
        raise ContactError("Onbekend kanaal.")
    if audience not in Audience.values:
        raise ContactError("Kies burger of ondernemer.")
    return Contact.objects.create(
        channel=channel,
        question=question,
        agent=agent,
        taken_by=_home_organisation(agent),
        audience=audience,
        municipality=municipality,
        started_at=started_at or timezone.now(),
    )


def _home_organisation(agent: User | None) -> Organisation | None:
    """The organisation in whose register a person's contact goes: where they are an agent, else where a
    manager or administrator registers one (it was nobody's, out of every register and figure)."""
    if agent is None:
        return None
    memberships = Membership.objects.filter(user=agent, role__in=REGISTER_ROLES).select_related(
        "organisation"
    )
    ranked = sorted(memberships, key=lambda membership: (membership.role != Role.AGENT, membership.pk))
    return ranked[0].organisation if ranked else None


def pick_up(contact: Contact, agent: User) -> None:
    """Whoever closes or hands over a contact nobody handled yet (an e-mail) becomes its agent: the
    register must not count the work as answered by the engine alone."""
    if contact.agent_id is None:
        contact.agent = agent
        contact.save(update_fields=["agent"])


def note_engine_response(contact: Contact, response: Response) -> None:
    """Remember what the engine proposed, the answer it gave if it answered, and the place it found when the
    contact had none (the caller named it in the question: "parkeervergunning in zwolle")."""
    contact.engine_status = response.status
    contact.engine_confidence = round(response.confidence, 4)
    fields = ["engine_status", "engine_confidence"]
    if contact.municipality_id is None and (found := municipality_of(response)) is not None:
        contact.municipality = found
        fields.append("municipality")
    if response.answer is not None:
        _set_answer(contact, response.answer)
        fields += ["answer_key", "answer_kind", "answer_source_id", "answer_title", "upl_uri"]
    contact.save(update_fields=fields)


def _set_answer(contact: Contact, answer: Answer) -> None:
    contact.answer_key = answer.key[:200]
    contact.answer_kind = answer.kind
    contact.answer_source_id = answer.source_id[:300]
    contact.answer_title = answer.title[:300]
    contact.upl_uri = answer.upl_uri[:300]


def close_contact(
    contact: Contact,
    outcome: str,
    *,
    answer: Answer | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Contact:
    """End a contact with its outcome; an answered contact records the answer that was used."""
    if outcome not in (Outcome.ANSWERED, Outcome.CLARIFIED, Outcome.ABANDONED):
        raise ContactError("Kies beantwoord, verduidelijkt of afgebroken.")
    note = note.strip()
    if len(note) > MAX_ANSWER_LENGTH:
        raise ContactError(f"De notitie is te lang. Gebruik hoogstens {MAX_ANSWER_LENGTH} tekens.")
    with transaction.atomic():
        _lock(contact)
        if contact.ended_at is not None:
            raise ConflictError(CONTACT_ENDED)
        if answer is not None:
            _set_answer(contact, answer)
        contact.outcome = outcome
        contact.note = note
        contact.ended_at = at or timezone.now()
        contact.save()
    return contact


def _lock(record: Contact | Handover) -> None:
    """Re-read the record under a row lock, so that two people cannot both close or claim it."""
    type(record).objects.select_for_update().filter(pk=record.pk).exists()
    record.refresh_from_db()


def visible_contacts(user: User) -> QuerySet[Contact]:
    """The contacts a user may read: the ones they took, those taken by an organisation whose register they
    read, and those handed over to an organisation in whose back office they work (superusers: all)."""
    contacts = Contact.objects.select_related("municipality", "taken_by", "intended_for", "agent", "follows")
    if user.is_superuser:
        return contacts
    taken = organisation_ids_with_role(user, REGISTER_ROLES)
    received = organisation_ids_with_role(user, REGISTER_ROLES | BACKOFFICE_ROLES)
    visible = Q(agent=user) | Q(taken_by__in=taken) | Q(handovers__organisation__in=received)
    return contacts.filter(pk__in=Contact.objects.filter(visible).values("pk"))


def may_close(user: User, contact: Contact) -> bool:
    """Whoever took the contact, or keeps the register of the organisation that took it."""
    return (
        user.is_superuser
        or contact.agent_id == user.pk
        or contact.taken_by_id in organisation_ids_with_role(user, REGISTER_ROLES)
    )


def may_register_contacts(user: AnyUser) -> bool:
    """Whether the user reads (and adds to) the contact register of some organisation."""
    return has_role_anywhere(user, REGISTER_ROLES)


# --- handovers ------------------------------------------------------------------------------------------


@transaction.atomic
def hand_over(
    contact: Contact,
    organisation: Organisation,
    *,
    requested_action: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    priority: int = Priority.NORMAL,
    team: Team | None = None,
    actor: User | None = None,
    note: str = "",
    extra_answers: Mapping[int, str] | None = None,
    reopen_ended: bool = False,
) -> Handover:
    """Hand the contact over to the organisation's back office, with a deadline from its service norm, and the
    answers to its extra questions (question id → answer; None from a channel that does not ask them).

    A contact that already ended is refused: its outcome is part of the first-contact figures. Only the
    web counter passes `reopen_ended`: the engine closes a web contact itself (answered, clarified, or
    abandoned when the resident left), and the resident may still say it did not help and ask for a person.
    """
    _check_reachable(requested_action, email, phone)
    if priority not in Priority.values:
        raise ContactError("Kies spoed, hoog of normaal.", field="priority")
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise ContactError(f"De naam is te lang. Gebruik hoogstens {MAX_NAME_LENGTH} tekens.", field="name")
    try:
        validate_person_name(name)
    except ValidationError as error:
        raise ContactError(error.messages[0], field="name") from None
    if len(note.strip()) > MAX_NOTE_LENGTH:
        raise ContactError(
            f"De toelichting is te lang. Gebruik hoogstens {MAX_NOTE_LENGTH} tekens.", field="note"
        )
    try:
        asked = kept_answers(extra_questions(organisation), extra_answers)
    except ExtraAnswerError as error:
        raise ContactError(str(error), field=f"{EXTRA_PREFIX}{error.question_id}") from None
    _lock(contact)
    if contact.handovers.exists():
        raise ConflictError("Dit contact is al overgedragen.")
    if contact.ended_at is not None and not reopen_ended:
        raise ConflictError(CONTACT_ENDED)
    if team is not None and team.organisation_id != organisation.pk:
        raise ContactError("Dit team hoort niet bij de gekozen organisatie.", field="team")
    now = timezone.now()
    addressed = address_to(organisation, contact.channel)
    handover = Handover.objects.create(
        contact=contact,
        **addressed,
        # A team of the organisation itself; a stand-in sorts the question into its own teams.
        team=team if addressed["organisation"] == organisation else None,
        priority=priority,
        requested_action=requested_action,
        resident_name=name.strip(),
        resident_email=email.strip(),
        resident_phone=phone.strip(),
        extra_answers=asked,
    )
    add_event(handover, EventKind.CREATED, actor, note)
    contact.outcome = Outcome.HANDED_OVER
    contact.ended_at = contact.ended_at or now
    contact.save(update_fields=["outcome", "ended_at"])
    if handover.resident_email:
        context = {"handover": handover, "unstaffed": not has_back_office(handover.organisation)}
        queue_mail(
            handover.resident_email,
            "handover_received",
            context,
            reply_to=handover.organisation.intake_address,
            contact=contact,
        )
    return handover


def _check_reachable(requested_action: str, email: str, phone: str) -> None:
    email, phone = email.strip(), phone.strip()
    if requested_action not in RequestedAction.values:
        raise ContactError(
            "Kies hoe wij u antwoorden: per e-mail of door terug te bellen.", field="requested_action"
        )
    if requested_action == RequestedAction.ANSWER_BY_EMAIL and not email:
        raise ContactError("Vul uw e-mailadres in, dan kunnen wij u antwoorden.", field="email")
    if requested_action == RequestedAction.CALL_BACK and not phone:
        raise ContactError("Vul uw telefoonnummer in, dan kunnen wij u terugbellen.", field="phone")
    if email and not is_email_address(email):
        raise ContactError(str(EMAIL_VALIDATOR.message), field="email")
    if phone and not is_phone_number(phone):
        raise ContactError(str(PHONE_VALIDATOR.message), field="phone")


def add_event(handover: Handover, kind: str, actor: User | None, note: str = "") -> None:
    HandoverEvent.objects.create(handover=handover, kind=kind, actor=actor, note=note.strip())


def visible_handovers(user: AnyUser) -> HandoverQuerySet:
    """The handovers of the organisations in whose back office the user works; nothing else."""
    handovers = Handover.objects.select_related(
        "contact", "organisation", "intended_for", "assigned_to", "team"
    )
    if user.is_authenticated and user.is_active and user.is_superuser:
        return handovers
    return handovers.filter(organisation_id__in=organisation_ids_with_role(user, BACKOFFICE_ROLES))


def works_in_back_office(user: AnyUser) -> bool:
    return has_role_anywhere(user, BACKOFFICE_ROLES)


def may_see_figures(user: AnyUser) -> bool:
    """Managers and administrators steer on the figures; content editors find in them the products whose
    questions the engine could not answer. Each sees the figures of the organisations he holds such a role in."""
    return has_role_anywhere(user, FIGURES_ROLES)


def can_work_on(user: AnyUser, handover: Handover) -> bool:
    return has_role(user, handover.organisation_id, BACKOFFICE_ROLES)


def _require_worker(user: User, handover: Handover) -> None:
    if not can_work_on(user, handover):
        raise PermissionError("U werkt niet in de backoffice van deze organisatie.")
    _lock(handover)
    if not handover.is_open:
        raise ConflictError(HANDOVER_CLOSED)


@transaction.atomic
def claim(handover: Handover, user: User) -> Handover:
    """Take up a handover; one a colleague works on is not silently taken from them."""
    _require_worker(user, handover)
    if handover.assigned_to is not None and handover.assigned_to != user:
        raise ConflictError(
            f"{handover.assigned_to} werkt al aan deze vraag. Overleg met uw collega; "
            "die kan de vraag aan u toewijzen."
        )
    if handover.assigned_to == user:  # a second click, or a second tab: already done
        return handover
    return _assign(handover, user, user)


@transaction.atomic
def assign(handover: Handover, user: User, assignee: User) -> Handover:
    """Give a handover to a colleague (or oneself); a deliberate choice, so it may take it from someone."""
    _require_worker(user, handover)
    return _assign(handover, user, assignee)


def _assign(handover: Handover, user: User, assignee: User) -> Handover:
    if not can_work_on(assignee, handover):
        raise ContactError(f"{assignee} werkt niet in de backoffice van {handover.organisation}.")
    previous = handover.assigned_to
    handover.assigned_to = assignee
    handover.status = HandoverStatus.IN_PROGRESS
    handover.save(update_fields=["assigned_to", "status"])
    if assignee == user and previous in (None, user):
        add_event(handover, EventKind.CLAIMED, user)
    else:
        taken = f" (was {previous})" if previous not in (None, assignee) else ""
        add_event(handover, EventKind.ASSIGNED, user, f"Toegewezen aan {assignee}{taken}")
    return handover


@transaction.atomic
def set_team(handover: Handover, user: User, team: Team | None) -> Handover:
    """Put a handover in one of its organisation's team queues, or in none."""
    _require_worker(user, handover)
    if team is not None and team.organisation_id != handover.organisation_id:
        raise ContactError("Dit team hoort niet bij de organisatie van deze vraag.")
    handover.team = team
    handover.save(update_fields=["team"])
    add_event(handover, EventKind.ASSIGNED, user, f"Team: {team.name}" if team else "Geen team")
    return handover


@transaction.atomic
def forward(handover: Handover, user: User, organisation: Organisation, note: str) -> Handover:
    """Send a misrouted handover on; the new organisation gets a fresh deadline and the whole history."""
    _require_worker(user, handover)
    if organisation.pk == handover.organisation_id:
        raise ContactError("Kies een andere organisatie dan de huidige.")
    note = note.strip()
    if not note:
        raise ContactError("Schrijf kort waarom u de vraag doorstuurt.")
    if len(note) > MAX_NOTE_LENGTH:
        raise ContactError(f"De toelichting is te lang. Gebruik hoogstens {MAX_NOTE_LENGTH} tekens.")
    addressed = address_to(organisation, handover.contact.channel)
    if (
        addressed["organisation"].pk == handover.organisation_id
        and organisation.pk == handover.intended_for_id
    ):
        raise ContactError(
            f"De vraag is al voor {organisation}. Uw organisatie behandelt hem voor {organisation}."
        )
    return _pass_on(handover, addressed, note, user)


@transaction.atomic
def return_to_own_back_office(handover: Handover) -> Handover | None:
    """Send a question its organisation's stand-in holds to the organisation, now that it has a back office of
    its own in ANTWOORD; not when someone at the stand-in took it up (they finish it). None: left where it is."""
    _lock(handover)
    organisation = handover.intended_for
    if (
        organisation is None
        or handover.status != HandoverStatus.NEW
        or handover.assigned_to_id is not None
        or receiving_organisation(organisation) != organisation
    ):
        return None
    addressed = address_to(organisation, handover.contact.channel)
    # The date the resident was promised stands: moving the question is our affair, not theirs.
    addressed["due_on"] = min(addressed["due_on"], handover.due_on)
    return _pass_on(handover, addressed, f"{organisation} werkt nu zelf met ANTWOORD.", None)


def _pass_on(handover: Handover, addressed: Addressed, note: str, actor: User | None) -> Handover:
    """Close the handover as forwarded and open its successor where `addressed` says, with the history. The
    resident's details go with the question: the sender has no more need of them."""
    resident = {field: getattr(handover, field) for field in RESIDENT_FIELDS}
    extra_answers = handover.extra_answers  # they may name the resident too: they go along as well
    handover.status = HandoverStatus.FORWARDED
    handover.done_at = timezone.now()
    for field in RESIDENT_FIELDS:
        setattr(handover, field, "")
    handover.extra_answers = []
    handover.save(update_fields=["status", "done_at", "extra_answers", *RESIDENT_FIELDS])
    to = addressed["intended_for"] or addressed["organisation"]
    add_event(handover, EventKind.FORWARDED, actor, f"Naar {to}: {note}")
    successor = Handover.objects.create(
        contact=handover.contact,
        forwarded_from=handover,
        **addressed,
        priority=handover.priority,
        requested_action=handover.requested_action,
        extra_answers=extra_answers,
        **resident,
    )
    # Who forwarded it is in the sender's own history; the receiver sees the organisation, not the person.
    add_event(successor, EventKind.CREATED, None, f"Doorgestuurd door {handover.organisation}: {note}")
    if successor.resident_email:  # the deadline the resident was given no longer holds
        queue_mail(
            successor.resident_email,
            "handover_forwarded",
            {
                "handover": successor,
                "previous": handover,
                "unstaffed": not has_back_office(successor.organisation),
            },
            reply_to=successor.organisation.intake_address,
            contact=handover.contact,
        )
    return successor


@transaction.atomic
def answer_handover(handover: Handover, user: User, text: str) -> Handover:
    """Close the handover with the answer; a resident who left an e-mail address gets it by mail."""
    _require_worker(user, handover)
    text = text.strip()
    if not text:
        raise ContactError("Schrijf het antwoord aan de inwoner.")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ContactError(f"Het antwoord is te lang. Gebruik hoogstens {MAX_ANSWER_LENGTH} tekens.")
    if has_html_tag(text):
        raise ContactError(PLAIN_TEXT_ONLY)
    handover.answer = text
    handover.status = HandoverStatus.DONE
    handover.done_at = timezone.now()
    handover.assigned_to = handover.assigned_to or user
    handover.save(update_fields=["answer", "status", "done_at", "assigned_to"])
    add_event(handover, EventKind.ANSWERED, user)
    if handover.resident_email:
        queue_mail(
            handover.resident_email,
            "handover_answered",
            {
                "handover": handover,
                "question": question_as_sent(handover),
                "signed": ends_with_sign_off(text),
            },
            reply_to=handover.organisation.intake_address,
            by_person=True,
            contact=handover.contact,
        )
    return handover


def chain_of(handover: Handover) -> list[Handover]:
    """The handover and those it was forwarded from, oldest first."""
    chain = [handover]
    while chain[0].forwarded_from_id is not None:
        previous = Handover.objects.get(pk=chain[0].forwarded_from_id)
        chain.insert(0, previous)
    return chain


def current_of(handover: Handover) -> Handover:
    """Follow forwards to the handover that is being worked on now."""
    while True:
        successor = Handover.objects.filter(forwarded_from=handover).first()
        if successor is None:
            return handover
        handover = successor


def find_for_resident(reference: str, secret: str) -> Handover | None:
    """The handover behind a status link; both halves must match (compared in constant time)."""
    handover = Handover.objects.filter(reference=reference.strip().upper()).first()
    # Bytes: compare_digest refuses str with non-ASCII characters, and a link may contain anything.
    if handover is None or not hmac.compare_digest(handover.status_secret.encode(), secret.encode()):
        return None
    return handover


def handover_note(handover: Handover) -> str:
    """What came with the question when it was handed over: the agent's note, or the resident's own
    addition on the web. It is part of the question, so every organisation in the chain sees it."""
    first = chain_of(handover)[0]
    created = first.events.filter(kind=EventKind.CREATED).first()
    return created.note if created else ""


def question_as_sent(handover: Handover) -> str:
    """The question as the resident sent it: on the web they may reword it in the handover form, and that
    text went with the handover (at the KCC desk the note is the agent's, and stays internal)."""
    note = handover_note(handover) if handover.contact.channel == Channel.WEB else ""
    return note or handover.contact.question


def colleagues(handover: Handover) -> QuerySet[User]:
    """Whom a handover can be assigned to: the back-office staff of its organisation."""
    members = Membership.objects.filter(
        organisation=handover.organisation_id, role__in=list(BACKOFFICE_ROLES)
    )
    return User.objects.filter(is_active=True, memberships__in=members).distinct().order_by("username")


def history_for(user: AnyUser, handover: Handover) -> list[tuple[Handover, list[HandoverEvent] | None]]:
    """The chain of a handover with the events of the parts the user works on; of another organisation's
    part only that it was there and forwarded (its notes and names are not his business)."""
    visible = set(visible_handovers(user).values_list("pk", flat=True))
    return [
        (part, list(part.events.select_related("actor")) if part.pk in visible else None)
        for part in chain_of(handover)
    ]


def overdue_counts(user: AnyUser) -> list[tuple[Organisation, int]]:
    """Open handovers past their deadline, per organisation the user manages."""
    if user.is_authenticated and user.is_superuser:
        managed = Organisation.objects.filter(pk__in=Handover.objects.values("organisation_id"))
    else:
        managed = Organisation.objects.filter(pk__in=organisation_ids_with_role(user, MANAGING_ROLES))
    # order_by() drops the model's default ordering, which would otherwise split the groups.
    overdue = Handover.objects.overdue().filter(organisation__in=managed).order_by()
    counts = dict(overdue.values_list("organisation_id").annotate(n=Count("pk")))
    return [(o, counts.get(o.pk, 0)) for o in managed.order_by("name")]
