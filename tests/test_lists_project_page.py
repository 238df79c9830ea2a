"""A project's page shows everything recorded about it, from its records."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from investment.models import MonthlyProgress
from projects.models import Project


@pytest.fixture
def jinfeng(demo_2020):
    return Project.objects.get(name="金峰路")


def page(client, project, **params):
    return client.get(reverse("projects:detail", args=[project.pk]), params).content.decode()


def test_plan_monthly_series_and_chart(leader_client, jinfeng):
    html = page(leader_client, jinfeng)
    plan = html[html.index('id="plan-entries"'):]
    assert "2020年" in plan and "2,500.00" in plan  # the year's target
    total = sum(MonthlyProgress.objects.filter(entry__project=jinfeng).values_list("completed", flat=True))
    assert f"{total:,.2f}" in plan
    monthly = html[html.index('id="monthly"'):]
    table = monthly[:monthly.index("</table>")]
    # every month of 2020 up to the latest month with data (December) with its colour, the months
    # with a record with their amounts
    assert table.count("<tr>") == 1 + 12 and table.count("data-rag-month=") == 12
    months = MonthlyProgress.objects.filter(entry__project=jinfeng, entry__plan__year=2020)
    for record in months:
        assert f"{record.completed:,.2f}" in table
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "累计完成（万元）" in svg and "年度计划投资" in svg


def test_tenders_permits_land_and_milestones(leader_client, jinfeng):
    html = page(leader_client, jinfeng)
    assert "施工招标" in html and "施工许可证" in html
    lead = re.search(r"施工许可证[^<]*办证 (\d+) 天", html)
    assert lead is not None
    permit = jinfeng.permits.get(kind="construction")
    opened = jinfeng.tenders.filter(kind="construction").order_by("bid_opened_on").first().bid_opened_on
    assert int(lead.group(1)) == (permit.issued_on - opened).days
    assert "全面进场" in html
    timeline = html[html.index('id="milestones"'):html.index("</ol>", html.index('id="milestones"'))]
    assert timeline.count('<li class="node ') == jinfeng.milestones.count()  # the node timeline


def test_problems_and_history_of_a_change(leader_client, jinfeng, leader):
    row = MonthlyProgress.objects.filter(entry__project=jinfeng).order_by("month").last()
    row._history_user = leader
    row.save()  # the loaded data has no history yet: this is the first version
    old = row.completed
    row.completed = old + Decimal("1")
    row.problems = "征地款未到位"
    row.save()
    html = page(leader_client, jinfeng)
    assert "征地款未到位" in html[html.index('id="problems"'):]
    history = html[html.index('id="history"'):]
    assert f"2020年{row.month}月进度" in history
    assert f"本月完成投资（万元）：{old} → {row.completed}" in history


def test_other_year_and_unknown_project(leader_client, demo_2020):
    continuing = Project.objects.get(name="郭亮路")
    html = page(leader_client, continuing, year=2019)
    assert "2019年月度完成投资" in html
    assert leader_client.get(reverse("projects:detail", args=[999999])).status_code == 404


def test_edit_link_only_for_who_may_edit(client, leader_client, jinfeng):
    from tests import factories

    assert reverse("records:project", args=[jinfeng.pk]) not in page(leader_client, jinfeng)
    staff = factories.staff("staff-jf", projects=[jinfeng])
    client.force_login(staff)
    assert reverse("records:project", args=[jinfeng.pk]) in page(client, jinfeng)
