"""Issue 4's end-to-end test: the resident hands a question over, The Hague's back office answers it."""

from collections.abc import Iterator
from email.message import Message

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from antwoord.accounts.models import Role
from antwoord.contacts.models import HandoverStatus
from antwoord.mail.services import send_pending
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

from .conftest import NARROW, TIMEOUT_MS, assert_no_axe_violations, assert_reflows, mail_text
from .flows import RESIDENT_EMAIL, ask_about_parking_in_the_hague, log_in, say_it_did_not_help_and_hand_over

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ANSWER = "U kunt een tweede vergunning aanvragen als er in uw gebied plaats is."


@pytest.fixture
def staff_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A second browser with its own cookies, for staff."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_the_hague_answers_the_handed_over_question_and_rotterdam_cannot_see_it(
    page: Page,
    staff_page: Page,
    counter: object,
    den_haag: Organisation,
    rotterdam: Organisation,
    smtp_server: list[Message],
) -> None:
    make_user("bo.denhaag", (den_haag, Role.BACKOFFICE))
    make_user("bo.rotterdam", (rotterdam, Role.BACKOFFICE))
    make_user("manager.denhaag", (den_haag, Role.MANAGER))
    ask_about_parking_in_the_hague(page, check_accessibility=False)
    handover = say_it_did_not_help_and_hand_over(page, check_accessibility=False).handover

    log_in(staff_page, "bo.rotterdam")
    staff_page.goto("/backoffice/")
    expect(staff_page.get_by_role("link", name=handover.reference)).to_have_count(0)
    other = staff_page.goto(f"/backoffice/{handover.reference}/")
    assert other is not None and other.status == 404
    staff_page.context.clear_cookies()

    log_in(staff_page, "bo.denhaag")
    staff_page.goto("/backoffice/")
    row = staff_page.get_by_role("row").filter(has=staff_page.get_by_role("link", name=handover.reference))
    expect(row).to_contain_text(f"{handover.due_on.day}-{handover.due_on.month}-{handover.due_on.year}")
    assert_no_axe_violations(staff_page)
    row.get_by_role("link", name=handover.reference).click()
    staff_page.get_by_label("Antwoord aan de inwoner").fill(ANSWER)
    staff_page.get_by_role("button", name="Versturen").click()
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DONE

    send_pending()
    answered = [m for m in smtp_server if ANSWER in mail_text(m)]
    assert len(answered) == 1 and answered[0]["To"] == RESIDENT_EMAIL

    page.goto(f"/status/{handover.reference}/{handover.status_secret}/")
    expect(page.get_by_test_id("status")).to_have_text("Beantwoord")
    expect(page.get_by_test_id("antwoord")).to_contain_text(ANSWER)
    assert_no_axe_violations(page)

    staff_page.context.clear_cookies()
    log_in(staff_page, "manager.denhaag")
    staff_page.get_by_role("link", name="Stuurinformatie").click()
    expect(staff_page.get_by_test_id("op-tijd")).to_contain_text("100,0% (1 van de 1")
    assert_no_axe_violations(staff_page)

    # On a phone-sized screen the staff pages reflow; their tables scroll within a frame the keyboard reaches.
    staff_page.set_viewport_size(NARROW)
    for path in ("/backoffice/stuurinformatie/", "/backoffice/?status=afgehandeld"):
        response = staff_page.goto(path)
        assert response is not None and response.status == 200
        expect(staff_page.locator(".table-scroll").first).to_be_visible()
        assert_reflows(staff_page)
        assert_no_axe_violations(staff_page)
