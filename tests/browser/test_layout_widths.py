"""What a person sees at the two widths the product is used at: the administrator's menu on one
line on a 1280 px intranet desktop (not every label broken into two), and a list on a 390 px
phone that scrolls sideways inside its box with readable columns (not a name one character a line)."""
from decimal import Decimal

import pytest

from tests import factories


@pytest.mark.django_db(transaction=True)
def test_menu_on_one_line_and_lists_readable_on_a_phone(page, live_server, login, screenshot):
    from django.contrib.auth.models import Group

    from projects.models import Role

    for role in Role:  # transactional tests flush the data migration's role groups
        Group.objects.get_or_create(name=role.value)
    for name in ("金星大道（滨水四医院院区）地下通道工程", "高裕九年一贯制学校"):
        factories.progress(factories.plan_entry(factories.project(name=name), target=Decimal("20000")), 1, "900")
    factories.admin_user("admin")  # staff too: the menu's twelve entries with 系统管理
    page.set_viewport_size({"width": 1280, "height": 800})
    login("admin")
    page.goto(f"{live_server.url}/projects/?year=2020&month=1")
    labels = page.locator("nav.navbar .nav-link:visible")
    assert labels.count() >= 12
    # each label one line high: its text's height (without the padding) under two lines
    lines = labels.evaluate_all("""els => els.map(e => { const s = getComputedStyle(e);
        const text = e.getBoundingClientRect().height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
        return [e.innerText, text / parseFloat(s.lineHeight)]; })""")
    assert all(count < 1.5 for _, count in lines), lines
    assert page.evaluate("document.documentElement.scrollWidth") == 1280

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/projects/?year=2020&month=1")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    name = page.locator("#records-table tbody tr").first.locator("td").nth(1)
    size = float(name.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert name.bounding_box()["width"] >= 4 * size  # a name at least four characters a line
    screenshot("project-list-phone.png", full_page=False)
    # a small table of a page (the project's 年度计划) scrolls in its own box too, headers readable
    page.click("#records-table tbody tr >> nth=0 >> a")
    widths = page.locator("#plan-entries thead th").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize))")
    assert min(widths) >= 3.5, widths
    assert page.evaluate("document.documentElement.scrollWidth") == 390
