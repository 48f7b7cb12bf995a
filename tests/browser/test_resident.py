"""The resident's counter in real headless Chromium, checked with axe-core on every page."""

from email.message import Message

import pytest
from playwright.sync_api import Page, expect

from antwoord.accounts.models import Role
from antwoord.contacts.models import Outcome, RequestedAction
from antwoord.mail.services import send_pending
from antwoord.organisations.models import Organisation, PlaceName, PlaceNameSource
from tests.conftest import make_user

from .conftest import NARROW, assert_no_axe_violations, assert_reflows, mail_text
from .flows import (
    RESIDENT_EMAIL,
    ask_about_parking_in_the_hague,
    ask_about_parking_then_say_where,
    say_it_did_not_help_and_hand_over,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_in_the_hague_hands_over_a_parking_question(
    page: Page, counter: object, den_haag: Organisation, smtp_server: list[Message]
) -> None:
    make_user("bo.denhaag", (den_haag, Role.BACKOFFICE))  # so Den Haag answers by a date
    ask_about_parking_in_the_hague(page)
    result = say_it_did_not_help_and_hand_over(page)

    handover = result.handover
    assert handover.organisation == den_haag and handover.requested_action == RequestedAction.ANSWER_BY_EMAIL
    assert handover.resident_email == RESIDENT_EMAIL
    assert handover.contact.outcome == Outcome.HANDED_OVER and handover.contact.channel == "web"
    assert send_pending() == 1
    [received] = smtp_server
    assert received["To"] == RESIDENT_EMAIL
    assert result.status_url in mail_text(received)


def test_the_answer_page_works_without_javascript(browser_no_js: Page, counter: object) -> None:
    page = browser_no_js
    ask_about_parking_then_say_where(page, "2511")
    page.get_by_role("button", name="Ja").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dank u wel")


def test_asked_where_they_live_a_resident_answers_with_a_former_municipality(
    page: Page, counter: object, den_haag: Organisation
) -> None:
    PlaceName.objects.create(name="Loosduinen", municipality=den_haag, source=PlaceNameSource.TOOI)
    ask_about_parking_then_say_where(page, "Loosduinen")
    expect(page.get_by_text("(voor Den Haag, waar Loosduinen bij hoort)")).to_be_visible()
    assert_no_axe_violations(page)


def test_after_a_wrong_entry_the_focus_is_on_what_to_fix(page: Page, counter: object) -> None:
    page.goto("/")
    page.get_by_label("Uw vraag", exact=True).fill("parkeervergunning aanvragen")
    page.get_by_label("Postcode of woonplaats (niet verplicht)").fill("12")
    page.get_by_role("button", name="Vraag stellen").click()
    errors = page.get_by_role("alert")
    expect(errors).to_be_focused()
    errors.get_by_role("link").first.click()  # the message links to the field
    expect(page.get_by_label("Postcode of woonplaats (niet verplicht)")).to_be_focused()
    assert_no_axe_violations(page)


def test_the_accessibility_check_reports_what_is_wrong(page: Page) -> None:
    page.set_content('<html lang="nl"><head><title>t</title></head><body><main><input></main></body></html>')
    with pytest.raises(pytest.fail.Exception, match=r"- label \(critical\)"):
        assert_no_axe_violations(page)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/vraag?q=eenhoorn+in+de+tuin+houden", "Wij sturen uw vraag door"),
        ("/vraag?q=parkeervergunning+aanvragen", "Waar woont u?"),
        ("/vraag?q=&postcode=abc", "Stel uw vraag"),
    ],
)
def test_the_other_counter_pages_are_accessible(page: Page, counter: object, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page)
    page.set_viewport_size(NARROW)  # and on a phone-sized screen
    assert_reflows(page)
