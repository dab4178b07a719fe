"""Chromium through Playwright for browser tests: skipped locally without it, never in CI."""

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def chromium():
    executable = chromium_path()
    if not os.path.exists(executable):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and was not found at {executable}")
        pytest.skip("Chromium is not installed; install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread while it runs; the ORM
    # calls that tests make there are still synchronous, so Django's async guard stands aside
    # for as long as the browser is open (this module), and no longer.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser(chromium):
    """Chromium for one test. Every tab the test opened is closed when it ends, before its
    database is emptied: a page left open (an article form's heartbeat and autosave) kept
    calling the live server during the flush, which then found the table locked and left
    the rows for the next test."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def choose_in_autocomplete(page, field, search, option):
    """Pick `option` in the admin's Select2 autocomplete for `field`."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).click()


def type_in_body(page, text):
    """Type at the end of the rich-text editor's body."""
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    body.press("End")
    body.press_sequentially(text)


def log_in(page, live_server, username="admin", password="password"):
    """Log in to the admin; pytest-django's admin_user has the password "password"."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#logout-form")).to_be_attached()
