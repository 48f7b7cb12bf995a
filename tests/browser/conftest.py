"""Real headless Chromium against the live server, with axe-core for WCAG 2.1 A/AA and a loopback SMTP server.

Missing Chromium or axe-core fails the tests with a clear message: a skipped browser test hides a broken
counter. Playwright's sync API runs an event loop in the test thread, so Django's ORM must be allowed to run
there (DJANGO_ALLOW_ASYNC_UNSAFE); tests run with DEBUG off, so static files must not use hashed names that
the live server cannot serve.
"""

import email
import os
import socket
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.web.conftest import counter, own_index_folder  # noqa: F401  (the same small catalogue)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]
AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def browser_friendly_settings(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


# WCAG 1.4.10 reflow: 320 CSS pixels wide, no sideways scrolling.
NARROW: ViewportSize = {"width": 320, "height": 640}


def assert_reflows(page: Page) -> None:
    """The page fits a narrow screen: only a wide table scrolls, inside its own frame."""
    sticking_out = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.closest('.table-scroll') && !e.classList.contains('utrecht-skip-link'))
            .map(e => `${e.tagName.toLowerCase()}.${e.className}`)"""
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] and not sticking_out, f"{page.url} is {width}px wide: {sticking_out[:5]}"


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core's WCAG 2.1 A and AA rules on the page; fail with one line per violation and element."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm install` in the project folder.")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    violations = result["violations"]
    if violations:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']} -> {', '.join(str(n['target']) for n in v['nodes'][:5])}"
            for v in violations
        ]
        pytest.fail(f"axe found WCAG violations on {page.url}:\n" + "\n".join(lines))


class _Recorder:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append(email.message_from_bytes(content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[list[Message]]:
    """A mail server on loopback that Django's SMTP backend delivers to; yields the received messages."""
    recorder = _Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    yield recorder.messages
    controller.stop()


@pytest.fixture
def browser_no_js(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A visitor with JavaScript switched off: every step must still work with plain forms and links."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def mail_text(message: Message) -> str:
    """The plain-text body of a received (single-part) mail."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes), "expected a single-part text mail"
    return payload.decode(message.get_content_charset() or "utf-8")
