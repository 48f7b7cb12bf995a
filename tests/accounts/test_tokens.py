"""A system's API token is its password: the administration shows it once, when it is made."""

from django.test import Client
from rest_framework.authtoken.models import Token

from antwoord.accounts.models import User
from tests.conftest import make_user


def test_a_token_is_shown_whole_only_to_its_maker_right_after_making_it(db: None) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123"))
    system = make_user("zaaksysteem")
    made = client.post("/beheer/accounts/systemtoken/add/", {"user": system.pk}, follow=True)
    token = Token.objects.get(user=system)
    assert f"De sleutel van {system} is {token.key}." in made.content.decode()

    listed = client.get("/beheer/accounts/systemtoken/").content.decode()
    assert token.key not in listed and f"{token.key[:6]}…" in listed
    for page in ("change", "delete"):  # revoking it names it by its start too
        shown = client.get(f"/beheer/accounts/systemtoken/{system.pk}/{page}/")
        assert shown.status_code == 200 and token.key not in shown.content.decode()
