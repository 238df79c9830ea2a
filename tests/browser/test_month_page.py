"""A clerk fills a month with the keyboard — typing and Enter down the 本月完成 column, Ctrl+Enter
to save — sees the 合计 follow what is typed and then saved, fixes the rows the error banner points
to, on a desktop and on a 390 px phone (one card per project); the dashboard fits the phone."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from projects.models import Role
from tests import factories

ROWS = 14


def _world():
    # transaction=True tests flush the database after each test, migration-made groups included
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    south = factories.area("南片")
    entries = [factories.plan_entry(factories.project(area=south, name=f"南片第{i}号路", total_investment=Decimal(0)),
                                    target=Decimal("1000")) for i in range(1, ROWS + 1)]
    factories.progress(entries[0], 5, "500")
    factories.staff("luru", areas=[south])
    return entries


def _total(page, key):
    return page.locator(f"#month-totals [data-total={key}]").inner_text()


def _clerk_fills_and_fixes_a_month(page, live_server, login, entries):
    login("luru")
    page.goto(f"{live_server.url}/progress/2020/6/")
    month_url = page.url
    assert _total(page, "in-month") == "0.00" and _total(page, "to-date") == "500.00"

    # 10, 20, … 200 down the column: Enter moves to the next row and does not submit
    page.locator(f"#entry-{entries[0].pk} input[name$=-completed]").focus()
    for i in range(1, ROWS + 1):
        page.keyboard.type(str(i * 10))
        page.keyboard.press("Enter")
        if i < ROWS:
            assert page.evaluate("document.activeElement.closest('tr').id") == f"entry-{entries[i].pk}"
    assert page.url == month_url and page.locator(".alert-success").count() == 0
    assert _total(page, "in-month") == "1,050.00"          # 10 + 20 + … + 140
    assert _total(page, "to-date") == "1,550.00"           # + 500 before June
    assert page.locator(f"#entry-{entries[0].pk} [data-cell=to-date]").inner_text() == "510.00"

    # a text box grows with its lines (Enter there is a new line)
    text = page.locator(f"#entry-{entries[0].pk} textarea[name$=-physical_progress]")
    one_line = text.evaluate("el => el.offsetHeight")
    text.focus()
    for line in ("路基施工", "雨污管网", "路面基层"):
        page.keyboard.type(line)
        page.keyboard.press("Enter")
    assert text.evaluate("el => el.offsetHeight") > one_line * 2

    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert f"已保存2020年6月：新增{ROWS}行" in page.locator(".alert-success").inner_text()
    assert _total(page, "in-month") == "1,050.00" and _total(page, "to-date") == "1,550.00"

    # two bad cells: the banner lists both rows; its link lands at the row, cursor in the bad box
    bad_amount, bad_text = entries[4], entries[ROWS - 3]
    page.locator(f"#entry-{bad_amount.pk} input[name$=-completed]").fill("-5")
    page.locator(f"#entry-{bad_text.pk} input[name$=-completed]").fill("一百八")
    page.click("#save")
    banner = page.locator("#error-rows li")
    expect(banner).to_have_count(2)
    assert banner.nth(0).inner_text() == "南片第5号路：本月完成投资不能为负数。"
    assert banner.nth(1).inner_text() == f"南片第{ROWS - 2}号路：请输入数字。"
    row = page.locator(f"#entry-{bad_text.pk}")
    expect(row).not_to_be_in_viewport()
    banner.nth(1).locator("a").click()
    expect(row).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#entry-{bad_text.pk}"
    assert page.evaluate("document.activeElement.name").endswith("-completed")
    assert page.evaluate("document.activeElement.closest('tr').id") == f"entry-{bad_text.pk}"
    page.keyboard.press("Control+A")
    page.keyboard.type("121")
    page.locator(f"#entry-{bad_amount.pk} input[name$=-completed]").fill("55")
    page.click("#save")
    assert "修改2行" in page.locator(".alert-success").inner_text()
    assert _total(page, "in-month") == "1,056.00"


@pytest.mark.django_db(transaction=True)
def test_clerk_fills_a_month_with_the_keyboard(page, live_server, login, screenshot):
    entries = _world()
    _clerk_fills_and_fixes_a_month(page, live_server, login, entries)
    # the header row and the code column stay in view when the table scrolls both ways
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto(page.url.split("#")[0])
    box = page.locator(".month-scroll").first
    scrolled = box.evaluate("el => { el.scrollTop = 300; el.scrollLeft = 300; return [el.scrollTop, el.scrollLeft]; }")
    assert scrolled == [300, 300]
    frame = box.bounding_box()
    head = page.locator("#month-table thead th.col-name").bounding_box()
    code = page.locator(f"#entry-{entries[10].pk} td.col-code").bounding_box()
    assert 0 <= head["y"] - frame["y"] < 4 and 0 <= code["x"] - frame["x"] < 4
    screenshot("month-page-desktop.png", kept=True)


@pytest.mark.django_db(transaction=True)
def test_clerk_fills_a_month_on_a_phone(page, live_server, login, screenshot):
    entries = _world()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    _clerk_fills_and_fixes_a_month(page, live_server, login, entries)
    # one card per project, nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    assert page.locator(f"#entry-{entries[0].pk}").evaluate("el => getComputedStyle(el).display") == "grid"
    expect(page.locator("#month-table thead")).to_be_hidden()
    amount = page.locator(f"#entry-{entries[3].pk} input[name$=-completed]")
    amount.scroll_into_view_if_needed()
    box = amount.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot("month-page-phone.png", full_page=False, kept=True)


@pytest.mark.django_db(transaction=True)
def test_dashboard_fits_a_phone(page, live_server, login, screenshot):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    road = factories.plan_entry(factories.project(name="金坪路"), target=Decimal("20000"), is_municipal_key=True)
    for month in range(1, 7):
        factories.progress(road, month, "1500")
    factories.leader("lingdao")
    page.set_viewport_size({"width": 390, "height": 844})
    login("lingdao")
    page.goto(f"{live_server.url}/?year=2020&month=6")
    expect(page.locator("#completion [data-figure=completed]")).to_have_text("0.9")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    screenshot("dashboard-phone.png", full_page=True, kept=True)
