"""A 录入员 enters a month in the browser: a bad cell gets its message and keeps what was typed,
the fixed page saves, and a leader then sees the dashboard's completion figures change."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from projects.models import Role
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_staff_enters_month_and_leader_sees_dashboard_change(page, live_server, login, screenshot):
    # transaction=True tests flush the database after each test, migration-made groups included
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    south = factories.area("南片")
    road = factories.plan_entry(factories.project(area=south, name="金坪路", total_investment=Decimal("80000")),
                                target=Decimal("20000"))
    school = factories.plan_entry(factories.project(area=south, name="香桥小学"), target=Decimal("10000"))
    factories.progress(road, 5, "3000", physical_percent=Decimal("20"))
    factories.staff("luru", areas=[south])
    factories.leader("lingdao")
    dashboard = f"{live_server.url}/?year=2020&month=6"

    login("lingdao")
    page.goto(dashboard)
    assert page.locator("#completion [data-figure=completed]").inner_text() == "0.3"   # 3,000 万元
    assert page.locator("#completion [data-figure=rate]").inner_text() == "10.0%"     # of 30,000
    page.click("text=退出")

    login("luru")
    page.goto(f"{live_server.url}/progress/2020/6/")
    road_row, school_row = page.locator(f"#entry-{road.pk}"), page.locator(f"#entry-{school.pk}")
    road_row.locator("input[name$=-completed]").fill("4500")
    road_row.locator("input[name$=-physical_percent]").fill("35")
    road_row.locator("textarea[name$=-physical_progress]").fill("沥青面层施工")
    school_row.locator("input[name$=-completed]").fill("一千五")
    page.click("#save")

    assert "未保存" in page.locator("#save-errors").inner_text()
    assert "请输入数字" in school_row.locator(".cell-error").inner_text()
    assert school_row.locator("input[name$=-completed]").input_value() == "一千五"   # kept as typed
    assert road_row.locator("input[name$=-completed]").input_value() == "4500"
    screenshot("progress-entry-error.png", full_page=True)

    school_row.locator("input[name$=-completed]").fill("1500")
    page.click("#save")
    assert "已保存2020年6月：新增2行" in page.locator(".alert-success").inner_text()
    assert page.locator(f"#entry-{road.pk} [data-cell=to-date]").inner_text() == "7,500.00"
    assert page.locator(f"#entry-{road.pk} [data-cell=rate]").inner_text() == "37.5%"
    assert "luru" in page.locator(f"#entry-{road.pk} [data-cell=changed-by]").inner_text()
    screenshot("progress-entry-saved.png", full_page=True)
    page.click("text=退出")

    login("lingdao")
    page.goto(dashboard)
    assert page.locator("#completion [data-figure=completed]").inner_text() == "0.9"   # 3,000 + 4,500 + 1,500
    assert page.locator("#completion [data-figure=rate]").inner_text() == "30.0%"
    screenshot("progress-dashboard-after.png", full_page=True)
