"""The desk asks the real engine over the demo catalogue, with its own index per test."""

import pytest
from django.test import Client

from antwoord.accounts.models import Role, User
from antwoord.contacts.models import Contact
from antwoord.demo.loader import load_demo
from antwoord.inbox.inbound import process_inbound, store_inbound
from antwoord.organisations.models import Organisation
from tests.answers.conftest import own_index_folder  # noqa: F401  (an autouse fixture, reused)
from tests.conftest import make_municipality, make_user
from tests.inbox.conftest import DEN_HAAG_DESK, raw_mail


def received(to: str = DEN_HAAG_DESK, **fields: str | None) -> Contact:
    """An e-mail that went through the SMTP intake, as the contact it became."""
    mail, _ = store_inbound(raw_mail(**fields), "inwoner@example.nl", [to])
    assert process_inbound(mail.pk)
    mail.refresh_from_db()
    assert mail.contact is not None
    return mail.contact


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


@pytest.fixture
def rotterdam_client(den_haag: Organisation) -> Client:
    rotterdam = make_municipality("gm0599", "Rotterdam", den_haag.province)
    client = Client()
    client.force_login(make_user("kcc.rotterdam", (rotterdam, Role.AGENT)))
    return client
