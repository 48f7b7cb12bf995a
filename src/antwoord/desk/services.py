"""The agent desk: what a KCC agent may see, and the engine's answers with the notes meant for agents."""

from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q, QuerySet

from antwoord.accounts.models import Role, User
from antwoord.accounts.services import AnyUser, organisation_ids_with_role
from antwoord.answers.engine.decide import Answer, Response
from antwoord.answers.services import ask
from antwoord.catalogue.models import Article
from antwoord.contacts.models import Contact, Handover
from antwoord.contacts.services import REGISTER_ROLES, ContactError, hand_over
from antwoord.organisations.models import Organisation
from antwoord.organisations.services import UnknownPlaceError, find_municipality, municipality_for_postcode

DESK_ROLES = frozenset({Role.AGENT})
_ARTICLE_PREFIX = "article:"  # how answers/documents.py keys an article


def works_at_desk(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(organisation_ids_with_role(user, DESK_ROLES))


def may_read_register(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(organisation_ids_with_role(user, REGISTER_ROLES))


def register_for(user: AnyUser) -> QuerySet[Contact]:
    """The contacts taken by the user's organisations (all of them for a superuser)."""
    contacts = Contact.objects.select_related("agent", "municipality", "taken_by").prefetch_related(
        "handovers__organisation"
    )
    if user.is_authenticated and user.is_superuser:
        return contacts
    return contacts.filter(taken_by_id__in=organisation_ids_with_role(user, REGISTER_ROLES))


def desk_contact(user: User, contact_uuid: UUID) -> Contact | None:
    """A contact the agent may work on: his own, or one taken by his organisation's desk."""
    contacts = Contact.objects.select_related("municipality", "taken_by")
    if not user.is_superuser:
        desks = organisation_ids_with_role(user, DESK_ROLES)
        contacts = contacts.filter(Q(agent=user) | Q(taken_by_id__in=desks))
    return contacts.filter(uuid=contact_uuid).first()


def place_of(postcode: str, municipality: str) -> Organisation | None:
    """The caller's municipality from a postcode or a name; ContactError with the reason otherwise."""
    try:
        if postcode.strip():
            return municipality_for_postcode(postcode)
        if municipality.strip():
            return find_municipality(municipality)
    except (ValueError, UnknownPlaceError) as error:
        raise ContactError(str(error)) from None
    return None


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


def chosen_answer(response: Response, key: str) -> Answer:
    for answer in answers_of(response):
        if answer.key == key:
            return answer
    raise ContactError("Kies het antwoord dat u hebt gebruikt uit de lijst.")


def with_notes(answers: list[Answer]) -> list[tuple[Answer, str]]:
    notes = agent_notes(answers)
    return [(answer, notes.get(answer.key, "")) for answer in answers]


def agent_notes(answers: list[Answer]) -> dict[str, str]:
    """Answer key -> the article's note for agents, for the answers that are articles with a note."""
    uuids = {}
    for answer in answers:
        if answer.key.startswith(_ARTICLE_PREFIX):
            try:
                uuids[UUID(answer.key.removeprefix(_ARTICLE_PREFIX))] = answer.key
            except ValueError:
                continue
    articles = Article.objects.filter(uuid__in=uuids).exclude(agent_note="")
    return {uuids[uuid]: note for uuid, note in articles.values_list("uuid", "agent_note")}


def suggested_organisation(response: Response, contact: Contact) -> Organisation | None:
    """Who the question goes to: the engine's handover suggestion, else the answer's owner, else the place."""
    for candidate in (response.handover_to, response.answer.organisation if response.answer else None):
        code = (candidate or {}).get("code")
        if code:
            found = Organisation.objects.active().filter(code=code).first()
            if found is not None:
                return found
    return contact.municipality


@transaction.atomic
def hand_over_from_desk(contact: Contact, organisation: Organisation, **fields: Any) -> Handover:
    """An agent hands over a contact that is still open; one he already closed stays closed."""
    ended_at = Contact.objects.select_for_update().values_list("ended_at", flat=True).get(pk=contact.pk)
    if ended_at is not None:
        raise ContactError("Dit contact is al afgerond.")
    return hand_over(contact, organisation, **fields)
