"""Mail in /beheer/: administrators see processing errors; a manager switches only his own replies."""

import pytest
from django.test import Client

from antwoord.accounts.models import Role, User
from antwoord.inbox.inbound import process_inbound, store_inbound
from antwoord.inbox.models import MailSettings
from antwoord.organisations.models import Organisation
from tests.conftest import make_user


@pytest.fixture
def administrator(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.nl", "geheim-wachtwoord-123")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_sees_why_a_mail_did_not_become_a_contact(administrator: User) -> None:
    mail, _ = store_inbound(b"From: a@example.nl\r\nMessage-ID: <leeg@x>\r\n\r\n", "a@example.nl", [])
    process_inbound(mail.pk)
    page = logged_in(administrator).get(f"/beheer/inbox/inboundmail/{mail.pk}/change/")
    assert page.status_code == 200
    assert "De e-mail heeft geen onderwerp en geen tekst" in page.content.decode()
    listing = logged_in(administrator).get("/beheer/inbox/inboundmail/")
    assert listing.status_code == 200 and "geen onderwerp" in listing.content.decode()


def test_staff_without_administrator_rights_do_not_see_mail(den_haag: Organisation) -> None:
    manager = make_user("marja", (den_haag, Role.MANAGER))
    for url in ("/beheer/inbox/inboundmail/", "/beheer/mail/outgoingmail/"):
        assert logged_in(manager).get(url).status_code == 403


def test_a_manager_switches_the_replies_of_his_own_organisation_only(
    den_haag: Organisation, rotterdam: Organisation
) -> None:
    manager = make_user("marja", (den_haag, Role.MANAGER))
    editor = make_user("alice", (den_haag, Role.EDITOR))
    own = MailSettings.objects.create(organisation=den_haag)
    other = MailSettings.objects.create(organisation=rotterdam)
    client = logged_in(manager)
    listing = client.get("/beheer/inbox/mailsettings/").content.decode()
    assert "Den Haag" in listing and "Rotterdam" not in listing
    # Another organisation's settings are forbidden to him, as for every organisation-owned setting.
    other_page = f"/beheer/inbox/mailsettings/{other.pk}/change/"
    assert client.get(other_page).status_code == 403
    client.post(other_page, {"organisation": rotterdam.pk, "auto_reply_enabled": "on"})
    other.refresh_from_db()
    assert not other.auto_reply_enabled
    response = client.post(
        f"/beheer/inbox/mailsettings/{own.pk}/change/",
        {"organisation": den_haag.pk, "auto_reply_enabled": "on"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.auto_reply_enabled
    assert logged_in(editor).get("/beheer/inbox/mailsettings/").status_code == 403
