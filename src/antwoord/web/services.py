"""The resident's counter: asking, the next step for an answer, and who gets a question we cannot answer."""

import bisect
import contextlib
import functools
import itertools
from collections import Counter
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from antwoord.answers.engine.analysis import fold, words
from antwoord.answers.engine.decide import Answer, Response
from antwoord.answers.engine.index import SearchIndex
from antwoord.answers.learning import record_feedback
from antwoord.answers.services import AUDIENCES, ask, current_engine, resolve_place
from antwoord.appointments.services import service_points_for
from antwoord.catalogue.models import Article, Offering
from antwoord.contacts import routing
from antwoord.contacts import services as contacts
from antwoord.contacts.models import Channel, Contact, Handover, HandoverStatus, Outcome
from antwoord.lib.text import render_markdown
from antwoord.organisations.models import Organisation
from antwoord.organisations.services import UnknownPlaceError, postcode_or_place

TOKEN_SALT = "antwoord.web.contact"
TOKEN_MAX_AGE = 2 * 24 * 3600  # a question left open in a browser tab for two days may still be handed over
SUGGESTION_COUNT = 5
SUGGESTION_MIN_LENGTH = 3
SUGGESTION_MAX_LENGTH = 200


class TokenError(ValueError):
    """The hidden reference to a contact was changed, or is too old."""


@dataclass(frozen=True)
class WebAnswer:
    """A question the counter answered, with the contact it registered and a token for the next steps."""

    response: Response
    contact: Contact
    token: str
    handover_organisation: Organisation | None


@dataclass(frozen=True)
class ContactToken:
    contact: Contact
    answer_key: str
    organisation: Organisation | None


def responsible_organisation(response: Response) -> Organisation | None:
    """On the web the national government takes what no other organisation can be named for."""
    return routing.responsible_organisation(response, fallback_code=routing.FALLBACK_ORGANISATION)


@transaction.atomic
def ask_on_the_web(
    question: str, *, postcode: str = "", audience: str = "", earlier: Contact | None = None
) -> WebAnswer:
    """Ask the engine and register the question as an automated web contact.

    `earlier` is the contact of the very same question asked a moment ago (a reload, the back button):
    it is answered again without registering a second contact.
    Raises contacts.ContactError when the question cannot be registered (empty, too long).
    """
    postcode, place = postcode_or_place(postcode)
    response = ask(question, postcode=postcode, municipality=place, audience=audience)
    organisation = responsible_organisation(response)
    answer_key = response.answer.key if response.answer else ""
    if earlier is not None:
        return WebAnswer(response, earlier, sign(earlier, answer_key, organisation), organisation)
    contact = contacts.start_contact(
        Channel.WEB, question, audience=audience, municipality=routing.municipality_of(response)
    )
    contacts.note_engine_response(contact, response)
    if response.status == "answered":
        contacts.close_contact(contact, Outcome.ANSWERED, answer=response.answer)
    elif response.status == "clarify":
        contacts.close_contact(contact, Outcome.CLARIFIED)
    return WebAnswer(response, contact, sign(contact, answer_key, organisation), organisation)


def earlier_contact(uuid: str) -> Contact | None:
    """A web contact not yet handed over, by the id the resident's session remembered."""
    try:
        return Contact.objects.filter(uuid=uuid, channel=Channel.WEB, handovers__isnull=True).first()
    except ValidationError:
        return None


def sign(contact: Contact, answer_key: str, organisation: Organisation | None) -> str:
    """A tamper-proof reference to the contact: a resident can only act on the question they asked."""
    return signing.dumps(
        {"c": str(contact.uuid), "k": answer_key, "o": organisation.code if organisation else ""},
        salt=TOKEN_SALT,
        compress=True,
    )


def unsign(token: str) -> ContactToken:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        contact = Contact.objects.get(uuid=data["c"], channel=Channel.WEB)
    except (signing.BadSignature, Contact.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise TokenError(
            "Deze pagina is verlopen of klopt niet. Stel uw vraag opnieuw op de beginpagina."
        ) from error
    organisation = Organisation.objects.filter(code=data.get("o") or "").first()
    return ContactToken(contact, str(data.get("k") or ""), organisation)


def vote(token: ContactToken, *, helpful: bool, voter: str) -> None:
    """ "Was dit nuttig?" for the answer the contact got; it nudges the ranking for similar questions."""
    if not token.answer_key:
        return
    # An answer that left the catalogue since cannot be voted on; the resident's next step stays the same.
    with contextlib.suppress(LookupError):
        record_feedback(
            current_engine(), token.contact.question, token.answer_key, helpful=helpful, voter=voter
        )


@dataclass(frozen=True)
class NextStep:
    kind: str  # online | afspraak | bellen | website
    label: str
    url: str


def _offering(answer: Answer) -> Offering | None:
    kind, _, identifier = answer.key.partition(":")
    if kind != "offering" or not identifier.isdigit():
        return None
    return Offering.objects.filter(pk=int(identifier)).first()


def answer_text(answer: Answer) -> str:
    """The full text behind an answer as safe HTML; the engine's snippet when the text is gone."""
    text = ""
    if answer.kind == "offering":
        offering = _offering(answer)
        text = offering.text if offering else ""
    elif answer.kind == "article":
        identifier = answer.key.partition(":")[2]
        article = Article.objects.published().filter(uuid=identifier).first() if identifier else None
        text = article.answer if article else ""
    return render_markdown(text or answer.snippet)


def next_steps(answer: Answer) -> list[NextStep]:
    """What the resident can do now: apply online, book an appointment at a counter we know, or call."""
    steps: list[NextStep] = []
    offering = _offering(answer)
    if offering is not None and offering.online_application_url:
        steps.append(NextStep("online", "Direct online aanvragen", offering.online_application_url))
    if offering is not None and service_points_for(offering).exists():
        steps.append(
            NextStep(
                "afspraak",
                "Maak een afspraak aan de balie",
                f"{reverse('appointments:new')}?aanbod={offering.pk}",
            )
        )
    organisation = Organisation.objects.filter(code=answer.organisation.get("code", "")).first()
    if organisation is not None and organisation.phone:
        phone = organisation.phone
        steps.append(NextStep("bellen", f"Bel {organisation.name}: {phone}", f"tel:{_dialable(phone)}"))
    if not steps and answer.url:
        steps.append(NextStep("website", "Lees meer op de website", answer.url))
    return steps


def _dialable(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit() or c == "+")


def suggestions(text: str, postcode: str = "", audience: str = "") -> list[str]:
    """Questions the engine could answer, for the suggestions under the question box."""
    text = text.strip()[:SUGGESTION_MAX_LENGTH]
    if len(text) < SUGGESTION_MIN_LENGTH or audience not in AUDIENCES:
        return []
    try:
        place = resolve_place(*postcode_or_place(postcode))
    except (ValueError, UnknownPlaceError):
        place = None
    engine = current_engine()
    titles: list[str] = []
    for answer in engine.ranked(_complete_last_word(text, engine.index), place=place, audience=audience):
        if answer.title and answer.title not in titles:
            titles.append(answer.title)
    return titles[:SUGGESTION_COUNT]


def _complete_last_word(text: str, index: SearchIndex) -> str:
    """While typing, the last word is usually unfinished: 'parkeer' becomes the most common title word
    that starts with it ('parkeervergunning'), so suggestions appear before the word is complete."""
    head, _, last = text.rpartition(" ")
    last = fold(last)
    if len(last) < SUGGESTION_MIN_LENGTH:
        return text
    vocabulary, counts = _title_words(index)
    start = bisect.bisect_left(vocabulary, last)
    candidates = itertools.takewhile(lambda word: word.startswith(last), vocabulary[start:])
    best = max(candidates, key=lambda word: (counts[word], -len(word)), default=last)
    return f"{head} {best}".strip()


@functools.lru_cache(maxsize=1)
def _title_words(index: SearchIndex) -> tuple[list[str], Counter[str]]:
    """The words of all answer titles, sorted for prefix search, with how often each occurs.
    Cached for the index in use; a new index (content changed) computes them once again."""
    counts = Counter(
        word for document in index.documents for word in words(document.payload.get("title", ""))
    )
    return sorted(counts), counts


@transaction.atomic
def hand_over_from_the_web(
    token: ContactToken,
    *,
    question: str,
    requested_action: str,
    name: str,
    email: str,
    phone: str,
    extra_answers: dict[int, str],
) -> Handover:
    """Hand the question over to a person; raises ContactError when it cannot be done.

    The contact keeps the question the engine got (the register shows what was asked); when the resident
    changed or added to it in the form, that text goes with the handover as its note. The engine may have
    closed the contact already (answered, clarified, or abandoned): the resident says it did not help.
    """
    if token.organisation is None:
        raise contacts.ContactError("Wij weten niet welke organisatie uw vraag kan beantwoorden.")
    question = question.strip()
    return contacts.hand_over(
        token.contact,
        token.organisation,
        requested_action=requested_action,
        name=name,
        email=email,
        phone=phone,
        note=question if question != token.contact.question else "",
        extra_answers=extra_answers,
        reopen_ended=True,
    )


RESIDENT_STATUS = {
    HandoverStatus.NEW: "Ontvangen",
    HandoverStatus.IN_PROGRESS: "In behandeling",
    HandoverStatus.DONE: "Beantwoord",
    HandoverStatus.FORWARDED: "Doorgestuurd",
}
