"""The agent desk: what a KCC agent may see, and the engine's answers with the notes meant for agents."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from antwoord.accounts.models import Membership, User
from antwoord.accounts.services import AnyUser, has_role_anywhere, organisation_ids_with_role
from antwoord.answers.engine.decide import Answer, Response
from antwoord.answers.services import ask
from antwoord.appointments.models import Booking
from antwoord.appointments.services import cancel_for_resident, service_points_for
from antwoord.catalogue.models import Article, Offering
from antwoord.contacts.access import log_personal_data_view, may_see_caller
from antwoord.contacts.models import Channel, Contact, Handover, HandoverStatus, Outcome, RequestedAction
from antwoord.contacts.routing import DESK_ROLES
from antwoord.contacts.services import (
    BACKOFFICE_ROLES,
    CONTACT_ENDED,
    MAX_ANSWER_LENGTH,
    REGISTER_ROLES,
    ConflictError,
    ContactError,
    close_contact,
    current_of,
    hand_over,
    pick_up,
    start_contact,
    visible_contacts,
    visible_handovers,
)
from antwoord.lib.text import PLAIN_TEXT_ONLY, ends_with_sign_off, has_html_tag
from antwoord.mail.models import OutgoingMail
from antwoord.mail.services import queue_mail
from antwoord.organisations.models import Organisation
from antwoord.organisations.services import UnknownPlaceError, find_place

# How answers/documents.py keys an article and an offering.
_ARTICLE_PREFIX = "article:"
_OFFERING_PREFIX = "offering:"
MAX_OPEN_EMAILS = 50
MAX_BOOKINGS_TO_CALL = 50
RESENT_WITHIN = timedelta(minutes=2)
MAX_REPLY_LENGTH = MAX_ANSWER_LENGTH
REPLY_NOTE = "Per e-mail beantwoord door een medewerker."
# Why an agent saw the caller details, in the processing log.
CALLER_DETAILS_PURPOSE = "Klantcontactcentrum: contact bekeken"
EARLIER_CONTACT_PURPOSE = "Klantcontactcentrum: eerder antwoord bij een reactie bekeken"
CALL_ABOUT_BOOKING_PURPOSE = "Klantcontactcentrum: inwoner bellen over een geannuleerde afspraak"
# The reason in the mail to a resident whose appointment an agent cancelled at his request.
CANCELLED_ON_REQUEST = "op uw verzoek"
_Id = TypeVar("_Id")


def works_at_desk(user: AnyUser) -> bool:
    return has_role_anywhere(user, DESK_ROLES)


def register_for(user: AnyUser) -> QuerySet[Contact]:
    """The contacts taken by the user's organisations (all of them for a superuser)."""
    contacts = Contact.objects.select_related("agent", "municipality", "taken_by").prefetch_related(
        "handovers__organisation", "handovers__intended_for"
    )
    if user.is_authenticated and user.is_superuser:
        return contacts
    return contacts.filter(taken_by_id__in=organisation_ids_with_role(user, REGISTER_ROLES))


@dataclass(frozen=True)
class RegisterRow:
    """A contact in the register, with whether the reader may open it at the desk and which of its handovers
    in the back office (the pages check the same)."""

    contact: Contact
    opens_contact: bool
    handovers: list[tuple[Handover, bool]]


def register_rows(user: User, contacts: Iterable[Contact]) -> list[RegisterRow]:
    contacts = list(contacts)
    on_desk = set(desk_contacts(user).filter(pk__in=[c.pk for c in contacts]).values_list("pk", flat=True))
    handover_ids = [h.pk for c in contacts for h in c.handovers.all()]
    in_back_office = set(visible_handovers(user).filter(pk__in=handover_ids).values_list("pk", flat=True))
    return [
        RegisterRow(
            contact,
            contact.pk in on_desk,
            [(handover, handover.pk in in_back_office) for handover in contact.handovers.all()],
        )
        for contact in contacts
    ]


# A reference as a caller reads it out: "A-4682HUCW", "a 4682 hucw" (a question), "b-7QX2 KM9P" (an appointment),
# in the references' own alphabet (contacts.models.new_reference: no 0, 1, I or O). Words such as "aanvragen" fit
# it too: the desk searches the answers as well when no question or appointment has that reference.
_REFERENCE = re.compile(r"^\s*([ab])\W*([a-hj-np-z2-9]{4})\W*([a-hj-np-z2-9]{4})\s*$", re.IGNORECASE)


def spoken_reference(text: str) -> str:
    """The reference in its stored form ("A-4682HUCW") when the text can be one, else empty."""
    match = _REFERENCE.match(text)
    return f"{match[1]}-{match[2]}{match[3]}".upper() if match else ""


def handover_by_reference(agent: User, reference: str) -> Handover | None:
    """The handover a caller names by its reference, where it stands now (after forwards), when it concerns
    the agent's organisation: addressed to it, or taken by its desk. None for anything else."""
    found = Handover.objects.select_related("contact").filter(reference=reference).first()
    if found is None:
        return None
    desks = organisation_ids_with_role(agent, DESK_ROLES)
    # A forwarded question's handovers share its contact: any of them addressed to the agent's organisation.
    addressed = found.contact.handovers.values_list("organisation_id", flat=True)
    ours = agent.is_superuser or found.contact.taken_by_id in desks or not desks.isdisjoint(addressed)
    return current_of(found) if ours else None


def _desk_bookings(agent: User) -> QuerySet[Booking]:
    """The appointments at a counter of the agent's organisation, or booked by its desk: during a contact it
    took, or by one of its agents (an agent books at any organisation's counter, which may have no desk here)."""
    bookings = Booking.objects.select_related("service_point", "offering", "contact", "called_by")
    if agent.is_superuser:
        return bookings
    desks = organisation_ids_with_role(agent, DESK_ROLES)
    colleagues = Membership.objects.filter(organisation_id__in=desks, role__in=DESK_ROLES).values("user_id")
    return bookings.filter(
        Q(service_point__organisation_id__in=desks)
        | Q(contact__taken_by_id__in=desks)
        | Q(booked_by_id__in=colleagues)
    )


def booking_by_reference(agent: User, reference: str) -> Booking | None:
    """The appointment a caller names by its reference, when it is the desk's (above); None for any other."""
    return _desk_bookings(agent).filter(reference=reference).first()


def bookings_to_call(agent: User) -> QuerySet[Booking]:
    """Appointments we cancelled (a closing day) of residents without e-mail, still to come: call them."""
    return _desk_bookings(agent).filter(to_call=True, starts_at__gt=timezone.now()).order_by("starts_at")


def note_called(booking: Booking, agent: User) -> bool:
    """The agent called the resident about the cancelled appointment: off the list, and who and when is kept.
    False when a colleague already had."""
    called = Booking.objects.filter(pk=booking.pk, to_call=True)
    return bool(called.update(to_call=False, called_at=timezone.now(), called_by=agent))


def cancel_booking_on_call(agent: User, booking: Booking, channel: str) -> Contact:
    """The caller names his appointment and asks to cancel it: the call is registered as a contact answered
    at once, and the booking is cancelled (he is mailed when an address is known). Nothing is kept when the
    booking could not be cancelled."""
    with transaction.atomic():
        contact = start_contact(channel, f"Afspraak {booking.reference} annuleren", agent=agent)
        cancel_for_resident(booking, CANCELLED_ON_REQUEST, asked=True)
        close_contact(contact, Outcome.ANSWERED, note=f"Afspraak {booking.reference} geannuleerd.")
        if booking.contact_id is None:  # booked on the web: this contact is where the desk finds it now
            Booking.objects.filter(pk=booking.pk).update(contact=contact)
    return contact


def resent_start(agent: User, channel: str, question: str) -> Contact | None:
    """The open contact the agent started a moment ago with the very same question: the form sent again (the
    back button, a reload), which must not register a second contact."""
    return (
        Contact.objects.filter(
            agent=agent,
            channel=channel,
            question=question.strip(),
            outcome=Outcome.OPEN,
            started_at__gte=timezone.now() - RESENT_WITHIN,
        )
        .order_by("-started_at")
        .first()
    )


def desk_contacts(user: User) -> QuerySet[Contact]:
    """The contacts an agent may work on: his own, and those taken by his organisation's desk."""
    contacts = Contact.objects.select_related("municipality", "taken_by")
    if user.is_superuser:
        return contacts
    desks = organisation_ids_with_role(user, DESK_ROLES)
    return contacts.filter(Q(agent=user) | Q(taken_by_id__in=desks))


def desk_contact(user: User, contact_uuid: UUID) -> Contact | None:
    return desk_contacts(user).filter(uuid=contact_uuid).first()


def thread_of(user: User, contact: Contact) -> dict[str, Any]:
    """The contact this one follows up and its own follow-ups (replies to our mails). An earlier contact the agent
    may not read (another organisation's) shows only whose and when; one he may read shows its question (linked
    when it is his desk's) and where its handovers at his own organisations stand, with their answers, each
    showing logged. A reply from another address than the earlier contact knew is marked: someone may have
    forwarded our mail."""
    earlier = contact.follows
    on_desk = desk_contacts(user)
    thread: dict[str, Any] = {
        "earlier": earlier,
        "follow_ups": on_desk.filter(follows=contact).order_by("started_at"),
    }
    if earlier is None or not visible_contacts(user).filter(pk=earlier.pk).exists():
        return thread
    own = organisation_ids_with_role(user, DESK_ROLES | BACKOFFICE_ROLES)
    worked = earlier.handovers.exclude(status=HandoverStatus.FORWARDED).select_related("organisation")
    handovers = [handover for handover in worked if user.is_superuser or handover.organisation_id in own]
    for handover in handovers:
        log_personal_data_view(handover, user, EARLIER_CONTACT_PURPOSE)
    return {
        **thread,
        "earlier_readable": True,
        "earlier_on_desk": on_desk.filter(pk=earlier.pk).exists(),
        "earlier_handovers": handovers,
        "other_sender": _other_sender(contact, earlier),
    }


def _other_sender(contact: Contact, earlier: Contact) -> bool:
    """Whether a reply comes from another address than the earlier contact's caller or residents had."""
    residents = earlier.handovers.values_list("resident_email", flat=True)
    known = {address.lower() for address in (earlier.caller_email, *residents) if address}
    return bool(known) and bool(contact.caller_email) and contact.caller_email.lower() not in known


def open_emails(user: User) -> QuerySet[Contact]:
    """E-mails to the agent's organisations that wait for an agent, oldest first."""
    contacts = Contact.objects.filter(channel=Channel.EMAIL, outcome=Outcome.OPEN, ended_at__isnull=True)
    if not user.is_superuser:
        contacts = contacts.filter(taken_by_id__in=organisation_ids_with_role(user, DESK_ROLES))
    return contacts.select_related("taken_by", "intended_for").order_by("started_at")


def note_caller(contact: Contact, *, name: str, email: str, phone: str) -> None:
    """Keep who asked on the contact; the desk form checked the shape of each detail."""
    contact.caller_name, contact.caller_email, contact.caller_phone = (
        name.strip(),
        email.strip(),
        phone.strip(),
    )
    contact.save(update_fields=["caller_name", "caller_email", "caller_phone"])


def caller_initial(contact: Contact) -> dict[str, str]:
    """The handover form filled in with the caller details known on the contact."""
    initial = {"name": contact.caller_name, "email": contact.caller_email, "phone": contact.caller_phone}
    if contact.caller_email and not contact.caller_phone:
        initial["requested_action"] = RequestedAction.ANSWER_BY_EMAIL
    elif contact.caller_phone and not contact.caller_email:
        initial["requested_action"] = RequestedAction.CALL_BACK
    return {key: value for key, value in initial.items() if value}


def place_of(postcode: str, municipality: str) -> Organisation | None:
    """The caller's municipality from a postcode or a name; ContactError with the reason otherwise."""
    try:
        return find_place(postcode, municipality)
    except (ValueError, UnknownPlaceError) as error:
        raise ContactError(str(error)) from None


def ask_for(contact: Contact) -> Response:
    """The engine's answer to the contact's question, for the contact's place and audience."""
    place = contact.municipality.code if contact.municipality else ""
    return ask(contact.question, municipality=place, audience=contact.audience)


def answers_of(response: Response) -> list[Answer]:
    """The answer and its alternatives, each once."""
    seen: set[str] = set()
    answers = []
    for answer in [response.answer, *response.alternatives]:
        if answer is not None and answer.key not in seen:
            seen.add(answer.key)
            answers.append(answer)
    return answers


def proposed_answer(response: Response) -> Answer | None:
    """The engine's own answer, when it answered; the agent picks another when he used another."""
    return response.answer if response.status == "answered" else None


def used_answer(contact: Contact, key: str) -> Answer | None:
    """The answer the agent says he used (none when he chose none); ContactError for an unknown one."""
    return chosen_answer(ask_for(contact), key) if key else None


def chosen_answer(response: Response, key: str) -> Answer:
    for answer in answers_of(response):
        if answer.key == key:
            return answer
    raise ContactError("Kies het antwoord dat u hebt gebruikt uit de lijst.")


def with_notes(answers: list[Answer]) -> list[tuple[Answer, str, int | None, str]]:
    """Each answer with the note for agents, the offering to book an appointment for (if any) and the page
    with its whole text (the desk shows a snippet)."""
    notes = agent_notes(answers)
    bookable = bookable_offerings(answer.key for answer in answers)
    return [
        (answer, notes.get(answer.key, ""), bookable.get(answer.key), whole_text_page(answer))
        for answer in answers
    ]


def whole_text_page(answer: Answer) -> str:
    """Where the whole answer can be read: our own page for an article, the organisation's page for an offering."""
    kind, _, identifier = answer.key.partition(":")
    if kind == "article" and identifier:
        return settings.SITE_URL + reverse("web:article-detail", kwargs={"uuid": identifier})
    return answer.url


def agent_notes(answers: list[Answer]) -> dict[str, str]:
    """Answer key -> the article's note for agents, for the answers that are articles with a note."""
    uuids = _ids_in((answer.key for answer in answers), _ARTICLE_PREFIX, UUID)
    articles = Article.objects.filter(uuid__in=uuids).exclude(agent_note="")
    return {uuids[uuid]: note for uuid, note in articles.values_list("uuid", "agent_note")}


def bookable_offerings(keys: Iterable[str]) -> dict[str, int]:
    """Answer key -> offering id, for the answers that are offerings one books an appointment for at one of
    our service points (an organisation without one takes appointments its own way)."""
    ids = _ids_in(keys, _OFFERING_PREFIX, _positive_int)
    offerings = Offering.objects.filter(pk__in=ids, appointment_required=True)
    return {ids[o.pk]: o.pk for o in offerings if service_points_for(o).exists()}


def _ids_in(keys: Iterable[str], prefix: str, parse: Callable[[str], _Id]) -> dict[_Id, str]:
    """Record id -> answer key, for the keys with the prefix; a key with a malformed id is skipped."""
    ids = {}
    for key in keys:
        if key.startswith(prefix):
            try:
                ids[parse(key.removeprefix(prefix))] = key
            except ValueError:
                continue
    return ids


def _positive_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


@transaction.atomic
def hand_over_from_desk(
    contact: Contact, organisation: Organisation, *, actor: User, **fields: Any
) -> Handover:
    """An agent hands over a contact that is still open (hand_over refuses one that already ended)."""
    handover = hand_over(contact, organisation, actor=actor, **fields)
    pick_up(contact, actor)
    return handover


def reply_initial(response: Response, caller_name: str = "") -> dict[str, str]:
    """The e-mail reply filled in from the engine's answer, to the sender by name when the mail gave one; the
    agent edits it before sending."""
    answer = proposed_answer(response)
    lines = [
        f"Beste {caller_name}," if caller_name else "Beste heer of mevrouw,",
        "",
        "Bedankt voor uw vraag.",
    ]
    if answer is not None:
        page = whole_text_page(answer)
        lines += ["Hier leest u het antwoord:", "", answer.title, *([page] if page else [])]
    return {"answer_key": answer.key if answer else "", "reply": "\n".join(lines)}


@transaction.atomic
def reply_by_email(contact: Contact, agent: User, text: str, *, answer: Answer | None) -> OutgoingMail:
    """An agent answers an e-mail himself: the mail to the sender is queued and the contact closed as
    answered, both or neither. Only the desk that may see the sender's address may write to it."""
    text = text.replace("\r\n", "\n").strip()
    if contact.ended_at is not None:
        raise ConflictError(CONTACT_ENDED)
    if not may_see_caller(agent, contact):
        raise PermissionError("Alleen het klantcontactcentrum dat deze vraag kreeg, mag hem beantwoorden.")
    if not contact.caller_email:
        raise ContactError("Van deze vraag is geen e-mailadres bekend. Beantwoord hem op een andere manier.")
    if not text:
        raise ContactError("Schrijf uw antwoord.")
    if len(text) > MAX_REPLY_LENGTH:
        raise ContactError(f"Uw antwoord is te lang. Gebruik hoogstens {MAX_REPLY_LENGTH} tekens.")
    if has_html_tag(text):
        raise ContactError(PLAIN_TEXT_ONLY)
    close_contact(contact, Outcome.ANSWERED, answer=answer, note=REPLY_NOTE)
    pick_up(contact, agent)
    # The sender's own subject stays out of the mail: see mail/inbound.py.
    context = {"text": text, "organisation": contact.taken_by, "signed": ends_with_sign_off(text)}
    reply_to = contact.taken_by.intake_address if contact.taken_by else ""
    return queue_mail(
        contact.caller_email,
        "desk_reply",
        context,
        reply_to=reply_to,
        by_person=True,
        contact=contact,
    )
