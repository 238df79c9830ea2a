"""The month page a clerk works in all day: the 合计 row, the fold 本月无需填报 (one rule of who must
report, shared with 填报情况), the error banner that links to each row in error, and a bounded
query count."""
import datetime as dt
import re
from decimal import Decimal

import pytest

from investment.models import MonthlyProgress
from investment.selectors import completion_summary
from portfolio.numbers import Period, wan
from projects.models import Phase, PlanCategory
from tests import factories
from tests.progress_support import MONTH, YEAR, form_data, month_url, world  # noqa: F401


def between(html, start, end):
    """The part of ``html`` from ``start`` to the next ``end``."""
    part = html[html.index(start):]
    return part[:part.index(end)]


def total_cell(html, key):
    return re.search(rf'data-total="{key}">([^<]*)<', html).group(1)


@pytest.fixture
def folded(world):
    """Three 南片 projects with nothing to report in June 2020, and one delivered in May that
    reported June all the same."""
    delivered = factories.plan_entry(factories.project(area=world.south, name="已交付的路"),
                                     category=PlanCategory.CONTINUING, target=Decimal("800"))
    factories.phase_transition(delivered.project, from_phase=Phase.COMPLETED, to_phase=Phase.DELIVERED,
                               occurred_on=dt.date(2020, 5, 10))
    factories.progress(delivered, 3, "300")
    moved = factories.plan_entry(factories.project(area=world.south, name="调整为预备的路"))
    factories.category_change(moved.project, from_category=PlanCategory.NEW, to_category=PlanCategory.PRELIMINARY,
                              changed_on=dt.date(2020, 5, 20))
    later = factories.plan_entry(factories.project(area=world.south, name="九月开工的学校",
                                                   planned_start=dt.date(2020, 9, 1)))
    reported = factories.plan_entry(factories.project(area=world.south, name="交付后仍有结算的路"))
    factories.phase_transition(reported.project, from_phase=Phase.COMPLETED, to_phase=Phase.DELIVERED,
                               occurred_on=dt.date(2020, 4, 30))
    factories.progress(reported, MONTH, "40")
    return {"delivered": delivered, "moved": moved, "later": later, "reported": reported}


def test_totals_are_the_plans_figures(client, world):
    factories.progress(world.s1, MONTH - 1, "500.10")
    factories.progress(world.s1, MONTH, "300.25")
    factories.progress(world.n1, MONTH, "99.99")
    factories.progress(world.s2, MONTH - 2, "1000")
    client.force_login(world.admin)  # every project: the page's 合计 is the whole plan's
    html = client.get(month_url()).content.decode()
    overall = completion_summary(period=Period(YEAR, MONTH))["overall"]
    in_month = sum(p.completed for p in MonthlyProgress.objects.filter(month=MONTH))
    assert total_cell(html, "target") == wan(overall["target"]) == "6,000.00"
    assert total_cell(html, "to-date") == wan(overall["completed"]) == "1,900.34"
    assert total_cell(html, "in-month") == wan(in_month) == "400.24"
    assert total_cell(html, "before") == "1,500.10"
    assert total_cell(html, "rate") == "31.7%"  # 1,900.34 ÷ 6,000


def test_staff_totals_are_their_rows(client, world):
    factories.progress(world.s1, MONTH, "300")
    factories.progress(world.n1, MONTH, "99")
    client.force_login(world.staff_s)
    html = client.get(month_url()).content.decode()
    assert total_cell(html, "target") == "5,000.00"  # 南片: 2,000 + 3,000
    assert total_cell(html, "in-month") == "300.00"
    assert "共 2 个项目" in between(html, 'id="month-totals"', "</tr>")


def test_rows_with_nothing_to_report_are_folded_with_their_reason(client, world, folded):
    client.force_login(world.staff_s)
    html = client.get(month_url()).content.decode()
    table = between(html, 'id="month-table"', "<tfoot>")
    fold = between(html, 'id="not-due"', "</details>")
    assert "本月无需填报（3个）" in fold
    for key, reason in (("delivered", "2020年5月10日已交付"),
                        ("moved", "2020年5月20日调整为预备，不在本年实施计划"),
                        ("later", "计划2020年9月1日开工，尚未到开工时间")):
        entry = folded[key]
        assert entry.project.name not in table
        row = between(fold, f'id="entry-{entry.pk}"', "</tr>")
        assert entry.project.name in row and reason in row
    # what was reported is shown in the table, whatever the project's state
    assert f'id="entry-{folded["reported"].pk}"' in table
    for entry in (world.s1, world.s2):
        assert f'id="entry-{entry.pk}"' in table
    # the 合计 covers the folded rows too: 2,000 + 3,000 + 800 + 1,000 × 3
    assert total_cell(html, "target") == "8,800.00"
    assert total_cell(html, "to-date") == "340.00"  # the delivered road's March and the June report


def test_status_page_counts_the_same_projects(client, world, folded):
    client.force_login(world.leader)
    html = client.get(f"/progress/{YEAR}/{MONTH}/status/").content.decode()
    # 南片: s1, s2 and the delivered-but-reported road; 北片: n1
    assert 'data-figure="due">4' in html and 'data-figure="missing">3' in html
    south = between(html, 'data-area="南片"', "</table>")
    assert "南片一号路" in south and "已交付的路" not in south and "九月开工的学校" not in south


def test_a_folded_row_can_still_be_reported(client, world, folded):
    client.force_login(world.staff_s)
    page = client.get(month_url())
    response = client.post(month_url(), form_data(page, {folded["later"].pk: {"completed": "12"}}))
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(entry=folded["later"], month=MONTH).completed == Decimal("12")
    table = between(client.get(month_url()).content.decode(), 'id="month-table"', "<tfoot>")
    assert "九月开工的学校" in table  # reported now: due like any other row


def test_banner_lists_each_row_in_error_with_a_link_and_nothing_is_saved(client, world, folded):
    client.force_login(world.staff_s)
    page = client.get(month_url())
    response = client.post(month_url(), form_data(page, {
        world.s1.pk: {"completed": "-5"},
        world.s2.pk: {"completed": "一千五"},
        folded["later"].pk: {"completed": "10", "physical_percent": "120"},
    }))
    assert response.status_code == 200
    html = response.content.decode()
    banner = between(html, 'id="error-rows"', "</ul>")
    items = re.findall(r'<li><a href="#(entry-\d+)" data-row="entry-\d+">([^<]+)</a>：([^<]+)</li>', banner)
    assert items == [
        (f"entry-{world.s1.pk}", "南片一号路", "本月完成投资不能为负数。"),
        (f"entry-{world.s2.pk}", "南片二号学校", "请输入数字。"),
        (f"entry-{folded['later'].pk}", "九月开工的学校", "形象进度须在0到100之间。"),
    ]
    for anchor, _name, _message in items:
        assert f'id="{anchor}"' in html
    # the row in error in the fold opens it
    assert re.search(r'<details [^>]*id="not-due" open>', html)
    assert not MonthlyProgress.objects.filter(month=MONTH).exclude(entry=folded["reported"]).exists()


def test_warning_to_confirm_is_listed_too(client, world):
    client.force_login(world.staff_s)
    page = client.get(month_url())
    html = client.post(month_url(), form_data(page, {world.s1.pk: {"completed": "20000"}})).content.decode()
    banner = between(html, 'id="error-rows"', "</ul>")
    assert f'href="#entry-{world.s1.pk}"' in banner and "超过项目剩余总投资" in banner


def test_query_count_does_not_grow_with_rows(client, db, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    south = factories.area("南片")
    staff = factories.staff("staff_many", areas=[south])

    def add(n):
        for i in range(n):
            entry = factories.plan_entry(factories.project(
                area=south, planned_start=dt.date(2020, 9, 1) if i % 3 == 0 else None))
            if i % 3 == 1:
                factories.phase_transition(entry.project, to_phase=Phase.DELIVERED, occurred_on=dt.date(2020, 4, 1))
            if i % 2:
                factories.progress(entry, MONTH - 1, "5", physical_percent=Decimal("10"))
                factories.progress(entry, MONTH, "7")

    add(6)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as small:
        assert client.get(month_url()).status_code == 200
    assert len(small) <= 12
    add(54)
    with django_assert_max_num_queries(len(small)):  # 10× the rows, not one query more
        response = client.get(month_url())
    assert len(response.context["lines"]) + len(response.context["folded"]) == 60
    assert response.context["folded"]
