"""Fixtures for the browser tests: one Debian chromium per session, a fresh context per role.

pytest-django's live_server serves the app (with its static files) on a transactional test
database; the tests drive it through Playwright's sync API."""

import os
import threading

import pytest
from django.db import connection
from django.test.testcases import FSFilesHandler

from ..conftest import TODAY
from .helpers import CSP_LISTENER, Findings

# Playwright's sync API keeps an event loop running in this thread; Django's ORM refuses to run
# next to one unless told that this is deliberate (the ORM calls here are synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("FORLOB_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(f"chromium not found at {executable}; `make test` installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _server_today(settings):
    """The live server runs in another thread, where tests/conftest.py's clock.frozen() does not
    reach; pin its today() through the setting instead."""
    settings.FORLOB_TODAY = TODAY.isoformat()


@pytest.fixture
def findings():
    return Findings()


@pytest.fixture
def new_page(browser, findings):
    """new_page() opens a page in a fresh context (its own cookies: one per user), watched for
    CSP violations, JavaScript errors and failing sub-resources. Danish browser locale, so the
    site's own default language is what is tested until the language button is used."""
    contexts = []

    def _new_page():
        context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return findings.watch(context.new_page())

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _one_request_at_a_time(monkeypatch):
    """On SQLite in memory the live server's threads share the test's one connection (Django's
    connections_override), and the dashboard's thirty-odd chart images requested at once can
    lock up on it; on PostgreSQL each thread has its own connection. So on SQLite the live
    server answers one request at a time (the browser queues the rest)."""
    if connection.vendor != "sqlite":
        return
    lock = threading.Lock()
    original = FSFilesHandler.__call__

    def one_at_a_time(self, environ, start_response):
        with lock:
            return original(self, environ, start_response)

    monkeypatch.setattr(FSFilesHandler, "__call__", one_at_a_time)
