"""The desk asks the real engine over the demo catalogue, with its own index per test."""

import pytest
from django.test import Client

from antwoord.accounts.models import Role, User
from antwoord.demo.loader import load_demo
from antwoord.organisations.models import Organisation
from tests.answers.conftest import own_index_folder  # noqa: F401  (an autouse fixture, reused)
from tests.conftest import make_user


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


@pytest.fixture
def den_haag(demo: None) -> Organisation:
    return Organisation.objects.get(code="gm0518")


@pytest.fixture
def amsterdam(demo: None) -> Organisation:
    return Organisation.objects.get(code="gm0363")


@pytest.fixture
def agent(den_haag: Organisation) -> User:
    return make_user("kcc.denhaag", (den_haag, Role.AGENT))


@pytest.fixture
def agent_client(agent: User) -> Client:
    client = Client()
    client.force_login(agent)
    return client
