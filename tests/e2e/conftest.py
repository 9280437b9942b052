"""Browser tests: Playwright driving Debian's /usr/bin/chromium (headless, never a downloaded browser)
against pytest-django's live server.

Fixtures: ``browser`` (session), ``page`` (a fresh context per test), ``e2e_user`` and
``signed_in_page`` (signed in through the real sign-in form). Tests using them are marked ``browser``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run in a
# thread with a running loop, although every call here is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
E2E_PASSWORD = "e2e-password-123"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path) and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # the suite's "browser" marker hook (tests/conftest.py) has already skipped or failed the test
    # when /usr/bin/chromium is missing
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def e2e_user(transactional_db: Any, settings: Any) -> Any:
    from django.contrib.auth.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_user(username="erin", password=E2E_PASSWORD)


@pytest.fixture
def signed_in_page(page: Any, live_server: Any, e2e_user: Any) -> Any:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", e2e_user.username)
    page.fill("input[name=password]", E2E_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.base_url = live_server.url
    return page
