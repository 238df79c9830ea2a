"""A 录入员 records a construction tender and then a permit through the record pages, and the
permit lead time the leaders read (办证时长, procurement.selectors.permit_lead_times) changes on
the dashboard's permit card and in the summary paragraph."""
import re

import pytest

from tests import factories


def dashboard_permits(page, live_server):
    """The dashboard's permit card: (longest lead time, median) in days."""
    page.goto(f"{live_server.url}/?year=2020&month=12")
    return (page.locator("[data-figure=permit-max]").inner_text(),
            page.locator("[data-figure=permit-median]").inner_text())


def permit_sentence(page, live_server):
    page.goto(f"{live_server.url}/reports/summary/?year=2020&month=12")
    text = page.locator("#summary-text").inner_text()
    return re.search(r"(\d+)个许可证中(\d+)个在开标后45天内办结，办证时长中位数([\d.]+)天、最长(\d+)天", text).groups()


@pytest.mark.django_db(transaction=True)
def test_staff_adds_a_tender_and_a_permit_and_the_lead_time_changes(page, live_server, demo_2020_to_change, login,
                                                                    screenshot):
    from procurement.models import Permit, Tender
    from projects.models import Area

    from django.contrib.auth.models import Group

    from projects.models import Role

    # Transactional tests flush the tables, the role groups of the data migration included.
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    south = Area.objects.get(name="南片")
    project = factories.project(area=south, name="滨江路")
    factories.staff("luru_nan", areas=[south])
    login("luru_nan")

    count, within, median_before, longest = permit_sentence(page, live_server)
    assert (count, within, longest) == ("34", "34", "41")
    assert dashboard_permits(page, live_server) == ("41", median_before)

    page.goto(f"{live_server.url}/records/project/{project.pk}/")
    page.click("#add-tender")
    page.select_option("#id_kind", "construction")
    page.fill("#id_title", "滨江路施工总承包")
    page.fill("#id_published_on", "2020-08-20")
    page.fill("#id_bid_opened_on", "2020-09-10")
    page.fill("#id_amount", "3200")
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state()
    assert "滨江路施工总承包" in page.locator("#tenders").inner_text()

    # A permit dated before the bid opening is refused beside the date.
    page.click("#add-permit")
    page.select_option("#id_kind", "construction")
    page.fill("#id_issued_on", "2020-09-01")
    page.click("#record-form button[type=submit]")
    assert "早于施工招标开标日期" in page.locator("[data-error-for=issued_on]").inner_text()
    page.fill("#id_issued_on", "2020-11-09")  # 60 days after the opening
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state()
    assert "2020-11-09核发" in page.locator("#permits").inner_text()
    screenshot("records-project.png", full_page=True)

    longest, median = dashboard_permits(page, live_server)
    assert longest == "60"
    screenshot("records-dashboard-permits.png", full_page=True)
    count, within, median_in_text, longest = permit_sentence(page, live_server)
    assert (count, within, longest) == ("35", "34", "60")
    assert median_in_text == median
    assert "实现在项目开标一个半月内完成所有报建工作" not in page.locator("#summary-text").inner_text()
    assert Tender.objects.filter(project=project).get().history.first().history_user.username == "luru_nan"
    assert Permit.objects.filter(project=project).count() == 1
