"""The register in the shape of the VNG Klantinteracties API (as implemented by Open Klant).

Plain functions from our rows to the standard's resources, with its camelCase names:
- Contact → klantcontact (same uuid);
- the resident of a contact → betrokkene with rol "klant" (one per contact);
- the answer or product a contact was about → onderwerpobject (vac = Rijksoverheid Q&A, sc = Samenwerkende
  Catalogi offering, upl = product of the Uniforme Productnamenlijst);
- the agent, the answer engine, and the organisations involved → actoren;
- Handover → internetaak, with our reference as `nummer`, and fields the standard lacks: `deadline` (the
  service-norm due date) and `prioriteit`, which back offices are steered on, and `bedoeldVoor`, the
  organisation a stand-in works the question for.

Only Contact and Handover are stored; the other resources are derived, so their uuids are derived too
(uuid5 of a fixed namespace and what they stand for): stable across requests and processes. Their `url`
points to the collection filtered on the klantcontact they belong to.
"""

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from antwoord.accounts.models import User
from antwoord.organisations.models import Organisation

from .access import log_personal_data_view
from .models import Contact, Handover, Outcome, Priority
from .services import can_work_on

NAMESPACE = uuid.UUID("6f1d3c1e-3f5b-4d0a-9a57-6b0e5c8a2f10")
LANGUAGE = "nld"  # ISO 639-2/B, as the standard asks
ACTOR_KINDS = ["medewerker", "geautomatiseerde_actor", "organisatorische_eenheid"]
ENGINE_NAME = "ANTWOORD antwoordmachine"
PRIORITY_NAMES = {Priority.URGENT: "spoed", Priority.HIGH: "hoog", Priority.NORMAL: "normaal"}
# Whether the contact reached its goal. Clarifying is a step, not a result; an open contact has no result yet.
CONTACT_SUCCEEDED = {Outcome.ANSWERED: True, Outcome.HANDED_OVER: False, Outcome.ABANDONED: False}


@dataclass(frozen=True)
class MappingContext:
    """Who asks (personal data depends on it) and the request (for absolute URLs)."""

    request: HttpRequest
    user: User

    def url(self, name: str, query: dict[str, str] | None = None, **kwargs: Any) -> str:
        path = reverse(f"contacts_api:{name}", kwargs=kwargs or None)
        return self.request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))

    def in_contact(self, collection: str, contact: Contact, identity: uuid.UUID) -> dict[str, str]:
        """A reference to a derived resource: its uuid, and its collection filtered on the contact."""
        return {"uuid": str(identity), "url": self.url(collection, {"klantcontact": str(contact.uuid)})}


def derived_uuid(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


# --- klantcontact ---------------------------------------------------------------------------------------


def klantcontact(contact: Contact, context: MappingContext) -> dict[str, Any]:
    """`vertrouwelijk` is set for contacts that were handed over: those concern a person's own case."""
    handovers = _visible(contact, context)
    return {
        "uuid": str(contact.uuid),
        "url": context.url("ki-klantcontact", uuid=contact.uuid),
        "kanaal": contact.channel,
        "onderwerp": (contact.answer_title or contact.question)[:200],
        "inhoud": contact.question,
        "indicatieContactGelukt": CONTACT_SUCCEEDED.get(Outcome(contact.outcome)),
        "taal": LANGUAGE,
        "vertrouwelijk": contact.outcome == Outcome.HANDED_OVER,
        "plaatsgevondenOp": contact.started_at.isoformat(),
        "hadBetrokkenen": [context.in_contact("ki-betrokkenen", contact, betrokkene_uuid(contact))],
        "gingOverOnderwerpobjecten": [
            context.in_contact("ki-onderwerpobjecten", contact, subject.uuid)
            for subject in onderwerpobjecten_of(contact)
        ],
        "hadBetrokkenActoren": [
            context.in_contact("ki-actoren", contact, found.uuid) for found in actors_of(contact)
        ],
        "leiddeTotInterneTaken": [
            context.in_contact("ki-internetaken", contact, internetaak_uuid(handover))
            for handover in handovers
        ],
    }


def _visible(contact: Contact, context: MappingContext) -> list[Handover]:
    return [handover for handover in contact.handovers.all() if can_work_on(context.user, handover)]


# --- betrokkene -----------------------------------------------------------------------------------------


def betrokkene_uuid(contact: Contact) -> uuid.UUID:
    return derived_uuid("betrokkene", contact.uuid)


def betrokkene(contact: Contact, context: MappingContext) -> dict[str, Any]:
    """The resident ("klant"). Name and addresses come from the contact's latest handover and are shown
    only to those who may work on that handover; showing them is written to the processing log."""
    latest = _latest_handover(contact)
    show = latest is not None and can_work_on(context.user, latest)
    name = latest.resident_name if latest is not None and show else ""
    if latest is not None and show:
        log_personal_data_view(latest, context.user, "API Klantinteracties: betrokkene")
    return {
        "uuid": str(betrokkene_uuid(contact)),
        "hadKlantcontact": {
            "uuid": str(contact.uuid),
            "url": context.url("ki-klantcontact", uuid=contact.uuid),
        },
        "wasPartij": None,  # residents are not registered as parties: no account, no BSN
        "rol": "klant",
        "initiator": True,
        "organisatienaam": "",
        "contactnaam": _contactnaam(name) if show else None,
        "volledigeNaam": name,
        "digitaleAdressen": _addresses(latest) if latest is not None and show else [],
    }


def _latest_handover(contact: Contact) -> Handover | None:
    handovers = list(contact.handovers.all())
    return max(handovers, key=lambda handover: handover.created_at) if handovers else None


def _contactnaam(name: str) -> dict[str, str]:
    """We keep a name as the resident typed it; the standard's parts stay empty but for the last."""
    return {"voorletters": "", "voornaam": "", "voorvoegselAchternaam": "", "achternaam": name}


def _addresses(handover: Handover) -> list[dict[str, str]]:
    addresses = []
    if handover.resident_email:
        addresses.append(
            {"soortDigitaalAdres": "email", "adres": handover.resident_email, "omschrijving": "E-mailadres"}
        )
    if handover.resident_phone:
        addresses.append(
            {
                "soortDigitaalAdres": "telefoonnummer",
                "adres": handover.resident_phone,
                "omschrijving": "Telefoonnummer",
            }
        )
    return addresses


# --- onderwerpobject ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Onderwerpobject:
    contact: Contact
    object_type: str  # vac | sc | upl | antwoord
    object_id: str
    register: str
    id_kind: str
    description: str

    @property
    def uuid(self) -> uuid.UUID:
        return derived_uuid("onderwerpobject", self.contact.uuid, self.object_type, self.object_id)


# The answer's own source, by the kind of answer: (codeObjecttype, codeRegister, codeSoortObjectId).
SOURCES = {
    "article": ("vac", "rijksoverheid-vac", "uuid"),
    "offering": ("sc", "samenwerkende-catalogi", "url"),
    "product": ("upl", "upl", "uri"),
}


def onderwerpobjecten_of(contact: Contact) -> list[Onderwerpobject]:
    """What the contact was about: the answer's source and, when it names one, the UPL product.
    An answer without an official source (a local article of our own) is identified by its key."""
    subjects: list[Onderwerpobject] = []
    if contact.answer_source_id and contact.answer_kind in SOURCES:
        kind, register, id_kind = SOURCES[contact.answer_kind]
        subjects.append(
            Onderwerpobject(contact, kind, contact.answer_source_id, register, id_kind, contact.answer_title)
        )
    elif contact.answer_key:
        subjects.append(
            Onderwerpobject(
                contact, "antwoord", contact.answer_key, "antwoord", "sleutel", contact.answer_title
            )
        )
    if contact.upl_uri and all(subject.object_id != contact.upl_uri for subject in subjects):
        subjects.append(Onderwerpobject(contact, "upl", contact.upl_uri, "upl", "uri", contact.answer_title))
    return subjects


def onderwerpobject(subject: Onderwerpobject, context: MappingContext) -> dict[str, Any]:
    return {
        "uuid": str(subject.uuid),
        "klantcontact": {
            "uuid": str(subject.contact.uuid),
            "url": context.url("ki-klantcontact", uuid=subject.contact.uuid),
        },
        "wasKlantcontact": None,
        "onderwerpobjectidentificator": {
            "objectId": subject.object_id,
            "codeObjecttype": subject.object_type,
            "codeRegister": subject.register,
            "codeSoortObjectId": subject.id_kind,
        },
        "omschrijving": subject.description,
    }


# --- actor ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    kind: str  # one of ACTOR_KINDS
    key: str  # user name, organisation code, or "antwoord" for the engine
    name: str
    active: bool = True

    @property
    def uuid(self) -> uuid.UUID:
        return derived_uuid(self.kind, self.key)


ENGINE = Actor("geautomatiseerde_actor", "antwoord", ENGINE_NAME)


def employee(user: User) -> Actor:
    return Actor("medewerker", user.username, user.get_full_name() or user.username, user.is_active)


def organisational_unit(organisation: Organisation) -> Actor:
    return Actor("organisatorische_eenheid", organisation.code, organisation.name)


def actors_of(contact: Contact) -> list[Actor]:
    """Who handled the contact: the agent (or the engine), the organisation that took it, and for each
    handover the receiving organisation, the one it works the question for, and the colleague it is assigned
    to."""
    found = [employee(contact.agent) if contact.agent is not None else ENGINE]
    if contact.taken_by is not None:
        found.append(organisational_unit(contact.taken_by))
    for handover in contact.handovers.all():
        found.append(organisational_unit(handover.organisation))
        if handover.intended_for is not None:
            found.append(organisational_unit(handover.intended_for))
        if handover.assigned_to is not None:
            found.append(employee(handover.assigned_to))
    return list(dict.fromkeys(found))


def actor(found: Actor) -> dict[str, Any]:
    register = {
        "medewerker": "gebruikersnaam",
        "organisatorische_eenheid": "tooi",
        "geautomatiseerde_actor": "",
    }
    return {
        "uuid": str(found.uuid),
        "naam": found.name,
        "soortActor": found.kind,
        "indicatieActief": found.active,
        "actoridentificator": {
            "objectId": found.key,
            "codeObjecttype": found.kind,
            "codeRegister": "antwoord",
            "codeSoortObjectId": register[found.kind],
        },
    }


# --- internetaak ----------------------------------------------------------------------------------------


def internetaak_uuid(handover: Handover) -> uuid.UUID:
    return derived_uuid("internetaak", handover.reference)


def internetaak(handover: Handover, context: MappingContext) -> dict[str, Any]:
    """A handover; forwarded and answered handovers are both "verwerkt" (forwarding opens a new one)."""
    contact = handover.contact
    assignees = [organisational_unit(handover.organisation)]
    if handover.assigned_to is not None:
        assignees.append(employee(handover.assigned_to))
    return {
        "uuid": str(internetaak_uuid(handover)),
        "nummer": handover.reference,
        "gevraagdeHandeling": handover.get_requested_action_display(),
        "aanleidinggevendKlantcontact": {
            "uuid": str(contact.uuid),
            "url": context.url("ki-klantcontact", uuid=contact.uuid),
        },
        "toegewezenAanActoren": [
            context.in_contact("ki-actoren", contact, found.uuid) for found in assignees
        ],
        "toelichting": "",
        "status": "te_verwerken" if handover.is_open else "verwerkt",
        "toegewezenOp": handover.created_at.isoformat(),
        "afgehandeldOp": handover.done_at.isoformat() if handover.done_at else None,
        "deadline": handover.due_on.isoformat(),
        "prioriteit": PRIORITY_NAMES[Priority(handover.priority)],
        "bedoeldVoor": None
        if handover.intended_for is None
        else context.in_contact(
            "ki-actoren",
            contact,
            organisational_unit(handover.intended_for).uuid,
        ),
    }
