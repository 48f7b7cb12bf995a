"""Misuse of the public pages: rate limits per client, mail without the visitor's text, odd links."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from antwoord.accounts.models import Role
from antwoord.contacts import jobs as contact_jobs
from antwoord.contacts import services as contacts
from antwoord.contacts.models import Channel, Contact, Handover, Outcome
from antwoord.mail.models import OutgoingMail
from antwoord.ops import cache as shared_cache
from antwoord.organisations.models import Organisation
from antwoord.web import services, views
from antwoord.web.ratelimit import Limit, client_ip
from tests.conftest import make_user

from .test_counter import PARKING_QUESTION, _handover_data, _page, _token

pytestmark = pytest.mark.django_db


def _web_contact(question: str, organisation: Organisation) -> str:
    """A token for a fresh web contact, as the answer page would give it."""
    contact = contacts.start_contact(Channel.WEB, question)
    return services.sign(contact, "", organisation)


def test_the_confirmation_mail_does_not_repeat_the_visitors_text(client: Client, counter: object) -> None:
    """Otherwise anyone could make the platform mail their own text to any address."""
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    spam = "Win een iPhone op http://oplichter.example"
    assert client.post("/vraag/doorsturen", _handover_data(token, vraag=spam)).status_code == 302
    mail = OutgoingMail.objects.get()
    handover = Handover.objects.get()
    assert "oplichter" not in mail.body and "parkeervergunning" not in mail.body
    assert handover.reference in mail.body and f"/status/{handover.reference}/" in mail.body


def test_the_resident_text_goes_with_the_handover_and_the_question_stays(
    client: Client, counter: object, den_haag: Organisation
) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    data = _handover_data(token, vraag="Ik heb al twee keer gebeld. <script>x</script>")
    assert client.post("/vraag/doorsturen", data).status_code == 302
    handover = Handover.objects.get()
    assert handover.contact.question == "parkeervergunning aanvragen"
    assert contacts.handover_note(handover) == "Ik heb al twee keer gebeld. <script>x</script>"
    back_office = Client()
    back_office.force_login(make_user("bo", (den_haag, Role.BACKOFFICE)))
    html = back_office.get(reverse("contacts:handover-detail", args=[handover.reference])).content.decode()
    assert "De vraag zoals de inwoner hem doorstuurde" in html
    assert "Ik heb al twee keer gebeld. &lt;script&gt;" in html


def test_an_unchanged_question_adds_no_note(client: Client, counter: object) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    data = _handover_data(token, vraag="  parkeervergunning aanvragen ")
    assert client.post("/vraag/doorsturen", data).status_code == 302
    assert contacts.handover_note(Handover.objects.get()) == ""


def test_a_contact_closed_as_abandoned_can_still_be_handed_over_from_the_web(
    client: Client, counter: object, den_haag: Organisation
) -> None:
    token = _web_contact("eenhoorn in de tuin houden", den_haag)
    assert contact_jobs.abandon_stale_contacts(timezone.now() + timedelta(days=1)) == 1
    assert client.post("/vraag/doorsturen", _handover_data(token)).status_code == 302
    assert Contact.objects.get().outcome == Outcome.HANDED_OVER


def test_asking_is_limited_per_client(
    client: Client, counter: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "ASK_LIMIT", Limit("ask", count=3, seconds=60))
    for _ in range(3):
        _page(client, "/vraag", PARKING_QUESTION)
    refused = client.get("/vraag", PARKING_QUESTION)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    html = refused.content.decode()
    assert "U hebt in korte tijd heel veel vragen gesteld." in html and "Probeer het over 1 minuut" in html
    assert '<html lang="nl"' in html
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get("/vraag", PARKING_QUESTION).status_code == 200


def test_handing_over_is_limited_strictly_and_refused_requests_write_nothing(
    client: Client, counter: object, den_haag: Organisation
) -> None:
    # Mistakes in the form do not count: only requests that would hand a question over.
    bad = client.post("/vraag/doorsturen", _handover_data(_web_contact("vraag 0", den_haag), email=""))
    assert bad.status_code == 400
    for number in range(1, 6):
        token = _web_contact(f"vraag {number}", den_haag)
        assert client.post("/vraag/doorsturen", _handover_data(token)).status_code == 302
    token = _web_contact("vraag 6", den_haag)
    refused = client.post("/vraag/doorsturen", _handover_data(token))
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 600
    assert "U hebt in korte tijd vaak een vraag doorgestuurd." in refused.content.decode()
    assert Handover.objects.count() == OutgoingMail.objects.count() == 5
    assert Client(REMOTE_ADDR="192.0.2.8").post("/vraag/doorsturen", _handover_data(token)).status_code == 302


@pytest.mark.parametrize("secret", ["%C3%A9%C3%A9", "%C3%A9", "%F0%9F%98%80"])
def test_a_status_link_with_non_ascii_characters_is_not_found(
    client: Client, counter: object, secret: str
) -> None:
    token = _token(_page(client, "/vraag", PARKING_QUESTION))
    client.post("/vraag/doorsturen", _handover_data(token))
    reference = Handover.objects.get().reference
    assert client.get(f"/status/{reference}/{secret}/").status_code == 404
    assert client.get(f"/vraag/doorgestuurd/{reference}/{secret}/").status_code == 404
    assert client.get(f"/status/%C3%A9/{secret}/").status_code == 404


def _login(client: Client, password: str) -> int:
    response = client.post(reverse("desk:login"), {"username": "kcc.denhaag", "password": password})
    return response.status_code


def test_the_staff_login_stops_after_ten_failures(client: Client, den_haag: Organisation) -> None:
    make_user("kcc.denhaag", (den_haag, Role.AGENT))
    assert [_login(client, "fout") for _ in range(10)] == [200] * 10
    # The right password does not help now, nor does writing the name in capitals.
    refused = client.post(
        reverse("desk:login"), {"username": "KCC.DenHaag", "password": "geheim-wachtwoord-123"}
    )
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 900
    assert "te vaak een verkeerde gebruikersnaam of een verkeerd wachtwoord" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone at another address is not locked out by this guessing.
    assert _login(Client(REMOTE_ADDR="192.0.2.9"), "geheim-wachtwoord-123") == 302


def test_a_successful_login_resets_the_count(client: Client, den_haag: Organisation) -> None:
    make_user("kcc.denhaag", (den_haag, Role.AGENT))
    assert [_login(client, "fout") for _ in range(9)] == [200] * 9
    assert _login(client, "geheim-wachtwoord-123") == 302
    client.logout()
    assert [_login(client, "fout") for _ in range(10)] == [200] * 10


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the client made up the first entry
        (2, "198.51.100.1, 203.0.113.5", "198.51.100.1"),
        (2, "203.0.113.5", "10.0.0.1"),  # fewer entries than proxies: not to be trusted
    ],
)
def test_the_client_address_behind_proxies(hops: int, forwarded: str, expected: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(PROXY_HOPS=hops):
        assert client_ip(request) == expected


def break_the_folder(folder: Path) -> None:
    """The cache's folder becomes a file: every read and write fails, as on a broken or full disk."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("")


def test_when_the_limits_cache_is_down_the_counter_and_the_api_still_answer_and_it_is_logged(
    client: Client,
    counter: object,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limit = Limit("down", count=1, seconds=60)
    folder = tmp_path / "cache"
    unreachable = {
        "redis": {"BACKEND": "antwoord.ops.cache.FailOpenRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
        "files": {"BACKEND": "antwoord.ops.cache.FailOpenFileCache", "LOCATION": str(folder)},
    }
    for kind, backend in unreachable.items():
        monkeypatch.setattr(shared_cache, "_last_logged", -shared_cache.LOG_INTERVAL_SECONDS)
        caplog.clear()
        with override_settings(CACHES={"default": backend}):
            if kind == "files":
                cache.get("made")  # the backend makes its folder when it starts
                break_the_folder(folder)
            assert [limit.hit("198.51.100.1") for _ in range(3)] == [True, True, True]
            assert not limit.exceeded("198.51.100.1")
            limit.reset("198.51.100.1")
            page = _page(client, "/vraag", PARKING_QUESTION)
            api = client.get("/api/v1/ask", {"q": "parkeervergunning aanvragen", "postcode": "2511"})
        assert _token(page)  # the answer page, with its way to a handover
        assert api.status_code == 200 and api.json()["status"] == "answered"
        logged = [r for r in caplog.records if "shared cache cannot be reached" in r.getMessage()]
        assert len(logged) == 1, kind  # once a minute, not on every request
