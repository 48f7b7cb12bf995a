"""Back-office personas, a handover to work on, and small helpers the contacts tests share."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from antwoord.accounts.models import Role, User
from antwoord.answers.engine.decide import Answer
from antwoord.contacts import services
from antwoord.contacts.models import Channel, Contact, Handover, RequestedAction
from antwoord.organisations.models import Kind, Layer, Organisation
from tests.conftest import make_user

AMSTERDAM_TIME = ZoneInfo("Europe/Amsterdam")


def an_answer(key: str = "article:1234") -> Answer:
    return Answer(
        key=key,
        kind="article",
        source_id="1234",
        upl_uri="http://standaarden.overheid.nl/owms/terms/parkeervergunning",
        title="Hoe vraag ik een parkeervergunning aan?",
        organisation={"code": "gm0518", "name": "Den Haag"},
    )


def events(handover: Handover) -> list[str]:
    return list(handover.events.values_list("kind", flat=True))


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=AMSTERDAM_TIME)


@pytest.fixture
def agent(den_haag: Organisation) -> User:
    """KCC agent of Den Haag."""
    return make_user("kcc", (den_haag, Role.AGENT))


@pytest.fixture
def worker(den_haag: Organisation) -> User:
    """Back-office employee of Den Haag."""
    user = make_user("dirk", (den_haag, Role.BACKOFFICE))
    user.email = "dirk@denhaag.example"
    user.save()
    return user


@pytest.fixture
def colleague(den_haag: Organisation) -> User:
    return make_user("dana", (den_haag, Role.BACKOFFICE))


@pytest.fixture
def manager(den_haag: Organisation) -> User:
    user = make_user("marja", (den_haag, Role.MANAGER))
    user.email = "marja@denhaag.example"
    user.save()
    return user


@pytest.fixture
def outsider(rotterdam: Organisation) -> User:
    """Back-office employee of another municipality."""
    return make_user("rik", (rotterdam, Role.BACKOFFICE))


@pytest.fixture
def contact(agent: User, den_haag: Organisation) -> Contact:
    return services.start_contact(
        Channel.PHONE, "Waar blijft mijn parkeervergunning?", agent=agent, municipality=den_haag
    )


@pytest.fixture
def handover(contact: Contact, den_haag: Organisation, agent: User) -> Handover:
    return services.hand_over(
        contact,
        den_haag,
        requested_action=RequestedAction.ANSWER_BY_EMAIL,
        name="Fatima de Vries",
        email="fatima@example.org",
        actor=agent,
    )


@pytest.fixture
def waterschap(den_haag: Organisation) -> Organisation:
    """A water board without a back office of its own, whose questions Den Haag's back office works."""
    return Organisation.objects.create(
        code="ws0636",
        name="Hoogheemraadschap van Delfland",
        layer=Layer.WATERSCHAP,
        kind=Kind.WATERSCHAP,
        phone="015 260 81 08",
        stand_in=den_haag,
    )


# --- the API, as a system calls it --------------------------------------------------------------------


def client_for(user: User) -> APIClient:
    """A system's client: authenticated with the user's API token, as a system would be."""
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def register(client: APIClient, **fields: Any) -> Any:
    body = {"channel": "telefoon", "question": "Hoe vraag ik een parkeervergunning aan?", **fields}
    return client.post("/api/v1/contacts", body, format="json")


@pytest.fixture
def rotterdam_agent(rotterdam: Organisation) -> User:
    return make_user("roos", (rotterdam, Role.AGENT))
