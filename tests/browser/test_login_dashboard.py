"""A leader logs in through the browser and reads the year's figures."""
import pytest

from tests import factories


@pytest.mark.django_db(transaction=True)
def test_leader_logs_in_and_sees_the_december_figures(page, live_server, login, screenshot_dir):
    from tests.demo import load_demo_command

    load_demo_command("--year", "2020")  # the default month is then December 2020
    factories.leader("lingdao")
    login("lingdao")
    assert page.locator("#completion [data-figure=target]").inner_text() == "14.79"
    assert page.locator("#completion [data-figure=rate]").inner_text() == "120.4%"
    page.screenshot(path=str(screenshot_dir / "dashboard-login.png"), full_page=True)
