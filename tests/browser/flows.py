"""Steps residents and staff take in the browser, shared by the browser tests."""

import re
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from antwoord.contacts.models import Handover

from .conftest import assert_no_axe_violations

RESIDENT_EMAIL = "inwoner@example.nl"
STAFF_PASSWORD = "geheim-wachtwoord-123"  # the password tests.conftest.make_user gives everyone


@dataclass(frozen=True)
class HandedOver:
    handover: Handover
    status_url: str  # path of the resident's status page


def ask_about_parking_in_the_hague(page: Page, *, check_accessibility: bool = True) -> None:
    """From the home page: typing shows suggestions, the question with postcode 2511 gets Den Haag's offering."""
    page.goto("/")
    if check_accessibility:
        assert_no_axe_violations(page)
    question = page.get_by_label("Uw vraag", exact=True)
    page.get_by_label("Postcode of woonplaats (niet verplicht)").fill("2511")
    question.press_sequentially("parkeer")  # suggestions appear before the word is complete
    expect(page.locator("#suggesties").get_by_role("link").first).to_be_visible()
    question.fill("parkeervergunning aanvragen")
    page.get_by_role("button", name="Vraag stellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parkeervergunning voor bewoners aanvragen")
    expect(page.get_by_text("Dit antwoord komt van Den Haag.")).to_be_visible()
    expect(page.get_by_role("link", name="Direct online aanvragen")).to_be_visible()
    if check_accessibility:
        assert_no_axe_violations(page)


def ask_about_parking_then_say_where(page: Page, place: str) -> None:
    """The question without a place, "Waar woont u?", then the place: Den Haag's offering."""
    page.goto("/")
    page.get_by_label("Uw vraag", exact=True).fill("parkeervergunning aanvragen")
    page.get_by_role("button", name="Vraag stellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waar woont u?")
    place_field = page.get_by_label("Postcode of woonplaats", exact=True)
    expect(place_field).to_be_focused()
    place_field.fill(place)
    page.get_by_role("button", name="Vraag stellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parkeervergunning voor bewoners aanvragen")


def say_it_did_not_help_and_hand_over(page: Page, *, check_accessibility: bool = True) -> HandedOver:
    """ "Nee" on the answer page, then the handover form with an e-mail address, then the confirmation."""
    page.get_by_role("button", name="Nee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stuur uw vraag naar een medewerker")
    expect(page.get_by_label("Uw vraag", exact=True)).to_have_value("parkeervergunning aanvragen")
    if check_accessibility:
        assert_no_axe_violations(page)
    page.get_by_label("Per e-mail").check()
    page.get_by_label("E-mailadres").fill(RESIDENT_EMAIL)
    page.get_by_role("button", name="Vraag doorsturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw vraag is doorgestuurd")
    reference = page.get_by_test_id("kenmerk").inner_text().strip()
    assert re.fullmatch(r"A-[A-Z2-9]{8}", reference), reference
    handover = Handover.objects.select_related("organisation").get(reference=reference)
    expect(page.get_by_test_id("uiterlijk")).to_have_text(re.compile(r"^\w+dag \d{1,2} \w+ \d{4}$"))
    if check_accessibility:
        assert_no_axe_violations(page)
    link = page.get_by_role("link", name=f"Status van uw vraag {reference}")
    status_url = link.get_attribute("href") or ""
    link.click()
    expect(page.get_by_test_id("status")).to_have_text("Ontvangen")
    if check_accessibility:
        assert_no_axe_violations(page)
    return HandedOver(handover, status_url)


def log_in(page: Page, username: str, *, check_accessibility: bool = False) -> None:
    """Staff log in at /kcc/inloggen/ and land on their start page (the desk or the back-office queue)."""
    page.goto("/kcc/inloggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen voor medewerkers")
    if check_accessibility:
        assert_no_axe_violations(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r"/kcc/inloggen/"))
