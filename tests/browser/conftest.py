"""Playwright drives Debian's Chromium (/usr/bin/chromium); `playwright install` is never used.

Every test in this folder is marked `browser` (excluded from `make test-quick`). Screenshots go to
test-artifacts/ (not committed) so a person can look at them after a run: by default the layouts a
person checks by eye (the month page on a desktop and a phone, the dashboard on a phone, the
December dashboard on screen and in print); with the environment variable SCREENSHOTS=all also one
after each step of the other tests (no test reads them; each costs a full-page render and a PNG).
"""
import os
from pathlib import Path

import pytest

from tests import factories
from tests.demo import committed_fixture, load_demo_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.needs("chromium"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # reduced motion, as a user who asks for it: Bootstrap's smooth scrolling off, so a link to a
    # row or a scroll into view lands at once (the same place) instead of animating for a second
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1400, "height": 900},
            "reduced_motion": "reduce"}


@pytest.fixture
def screenshot_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def screenshot(page, screenshot_dir):
    """screenshot(name, full_page=…, kept=…): the page as test-artifacts/<name>; a step's
    screenshot (not ``kept``) only with SCREENSHOTS=all."""
    every = os.environ.get("SCREENSHOTS", "") == "all"

    def _screenshot(name, *, full_page=False, kept=False):
        if kept or every:
            page.screenshot(path=str(screenshot_dir / name), full_page=full_page)
    return _screenshot


@pytest.fixture
def login(page, live_server):
    """Log a user in through the real login form; returns a function(username, password)."""
    def _login(username, password="pw-12345678"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
    return _login


def _demo_2020_and_a_leader():
    load_demo_command("--year", "2020")  # the default month is then December 2020
    factories.leader("lingdao")


# The 2020 data set as `make demo --year 2020` loads it, and the leader lingdao: committed once per
# worker for the tests that only read it (tests/demo.py), not loaded and flushed for each (~5 s).
demo_2020_committed = committed_fixture("demo_2020_lingdao", _demo_2020_and_a_leader, "demo_2020_committed",
                                        reads_only=True)
# The same for a test that changes it: found as the readers left it, or loaded; flushed after.
demo_2020_to_change = committed_fixture("demo_2020_lingdao", _demo_2020_and_a_leader, "demo_2020_to_change",
                                        reads_only=False)
