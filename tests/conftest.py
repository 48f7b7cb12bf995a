"""Shared fixtures: named personas with their memberships, and small catalogue builders."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from antwoord.accounts.models import Membership, Role, User
from antwoord.catalogue.models import Article, Status
from antwoord.organisations.models import Kind, Layer, Organisation
from antwoord.organisations.reference import load_reference_data


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Rate-limit and throttle counters live in the cache, which outlives a test: every test starts without."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def public_data_folder() -> Path:
    """../shared/data (or ANTWOORD_SHARED_DATA); a test that needs it fails, never skips, without it."""
    folder = Path(settings.SHARED_DATA_DIR)
    if not folder.is_dir():
        pytest.fail(f"The public data folder {folder} is missing; set ANTWOORD_SHARED_DATA.")
    return folder


@pytest.fixture
def shared_data() -> Path:
    return public_data_folder()


@pytest.fixture
def national(db: None) -> Organisation:
    load_reference_data()
    return Organisation.objects.get(code="rijksoverheid")


def make_municipality(code: str, name: str, province: Organisation | None = None) -> Organisation:
    return Organisation.objects.create(
        code=code, name=name, layer=Layer.GEMEENTE, kind=Kind.GEMEENTE, cbs_code=code[2:], province=province
    )


@pytest.fixture
def province(db: None) -> Organisation:
    return Organisation.objects.create(
        code="pv28", name="Zuid-Holland", layer=Layer.PROVINCIE, kind=Kind.PROVINCIE, cbs_code="28"
    )


@pytest.fixture
def den_haag(province: Organisation) -> Organisation:
    return make_municipality("gm0518", "Den Haag", province)


@pytest.fixture
def rotterdam(province: Organisation) -> Organisation:
    return make_municipality("gm0599", "Rotterdam", province)


def make_user(username: str, *roles: tuple[Organisation, Role]) -> User:
    user = User.objects.create_user(username=username, password="geheim-wachtwoord-123", is_staff=True)
    for organisation, role in roles:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def alice(den_haag: Organisation) -> User:
    """Editor (redacteur) of Den Haag."""
    return make_user("alice", (den_haag, Role.EDITOR))


@pytest.fixture
def carol(den_haag: Organisation) -> User:
    """Reviewer (kennisbeheerder) of Den Haag: may publish."""
    return make_user("carol", (den_haag, Role.EDITOR), (den_haag, Role.REVIEWER))


@pytest.fixture
def bob(rotterdam: Organisation) -> User:
    """Editor of Rotterdam."""
    return make_user("bob", (rotterdam, Role.EDITOR))


@pytest.fixture
def nina(national: Organisation) -> User:
    """National editor: writes the national texts."""
    return make_user("nina", (national, Role.EDITOR))


def make_article(
    owner: Organisation, question: str = "Hoe vraag ik een parkeervergunning aan?", **fields: object
) -> Article:
    defaults: dict[str, object] = {"answer": "Vraag de vergunning online aan.", "status": Status.CONCEPT}
    defaults.update(fields)
    return Article.objects.create(owner=owner, question=question, **defaults)
