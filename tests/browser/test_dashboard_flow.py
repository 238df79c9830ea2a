"""A leader reads the dashboard, follows a figure to its records, filters the project list and
opens a project. Screenshots go to test-artifacts/ for a person to look at (the steps' own with
SCREENSHOTS=all, tests/browser/conftest.py)."""
import re

import pytest


@pytest.mark.django_db(transaction=True)
def test_leader_drills_down_from_dashboard_to_a_project(page, live_server, demo_2020_committed, login, screenshot_dir,
                                                        screenshot):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login("lingdao")
    page.goto(f"{live_server.url}/?year=2020&month=6")
    assert page.locator("#starts-card [data-figure=start-rate]").inner_text() == "69%"
    screenshot("dashboard-2020-06.png", full_page=True)
    page.goto(f"{live_server.url}/?year=2020&month=12")
    assert page.locator("#completion [data-figure=completed]").inner_text() == "17.8"
    screenshot("dashboard-2020-12.png", full_page=True, kept=True)
    page.emulate_media(media="print")
    screenshot("dashboard-2020-12-print.png", full_page=True, kept=True)
    pdf = page.pdf(path=str(screenshot_dir / "dashboard-2020-12.pdf"), prefer_css_page_size=True, print_background=True)
    # A4 landscape (842 × 595 pt), two pages: investment and curve; categories, starts, cards
    assert re.search(rb"/MediaBox\s*\[0 0 84\d\.?\d* 59\d", pdf)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 2
    page.emulate_media(media="screen")

    # 开工率 69 % → the 16 projects due to start: 11 started, 5 not
    page.goto(f"{live_server.url}/?year=2020&month=6")
    page.click("#starts-card [data-figure=start-rate]")
    page.wait_for_load_state()
    assert "/projects/starts/" in page.url
    assert page.locator("#due-started tbody tr").count() == 11
    assert page.locator("#due-not-started tbody tr").count() == 5
    screenshot("starts-2020-06.png", full_page=True)

    # A record list (generic view): permits sorted by lead time, worst first
    page.goto(f"{live_server.url}/?year=2020&month=12")
    page.click("[data-figure=permit-max]")
    page.wait_for_load_state()
    assert "/procurement/permits/" in page.url and "sort=-lead_days" in page.url
    screenshot("permits-list.png", full_page=True)

    # The project list, filtered to red projects of the north area by the filter form
    page.goto(f"{live_server.url}/projects/?year=2020&month=12")
    page.select_option("#id_rag", "red")
    page.select_option("#id_area", label="北片")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    assert "rag=red" in page.url and "area=" in page.url
    rows = page.locator("table.records tbody tr")
    assert rows.count() >= 1
    screenshot("projects-filtered.png", full_page=True)

    # A project's page
    page.goto(f"{live_server.url}/projects/?year=2020&month=12&q=金峰路")
    page.click("table.records tbody tr >> nth=0 >> a")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "金峰路"
    assert page.locator("svg.chart").count() == 1
    screenshot("project-detail.png", full_page=True)
    assert violations == []
