"""Headless Chromium for the browser journeys: Debian's Chromium driven by Playwright (no download).

One browser for the whole session; each test opens its own contexts (cookies, locale, viewport),
closed when the test ends.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine, but never let CI pass by silently skipping the journeys."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser journeys must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def empty_cache(transactional_db):
    """The database cache (throttle counters, cached letters and dashboards) is not a model table, so
    flushing between live-server tests leaves it: each journey starts from an empty one."""
    cache.clear()


@pytest.fixture
def new_context(browser):
    """Opens browser contexts (locale, viewport, storage state…) that are closed after the test.

    Every page the journey opens is watched for content security policy refusals (Chromium reports
    each on the console): a script, style or style attribute the policy blocks fails the journey,
    since the page would then look or behave differently in production than its author meant.
    """
    contexts = []
    refusals = []

    def record_refusal(message):
        if "Content Security Policy" in message.text:
            refusals.append(f"{message.location.get('url', '?')}: {message.text}")

    def open_context(locale: str = "fr-BE", **options):
        context = browser.new_context(locale=locale, **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on("console", record_refusal)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    if refusals:
        pytest.fail("the content security policy refused:\n" + "\n".join(refusals), pytrace=False)


@pytest.fixture(autouse=True)
def site_url_is_the_live_server(request, settings):
    """Links in e-mails are built on DJANGO_SITE_URL: in a browser journey, the site is the live server."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url
