"""A leader logs in through the browser and reads the year's figures."""
import pytest


@pytest.mark.django_db(transaction=True)
def test_leader_logs_in_and_sees_the_december_figures(page, live_server, demo_2020_committed, login, screenshot):
    login("lingdao")  # the default month is December 2020, the data set's last
    assert page.locator("#completion [data-figure=target]").inner_text() == "14.79"
    assert page.locator("#completion [data-figure=rate]").inner_text() == "120.4%"
    screenshot("dashboard-login.png", full_page=True)
