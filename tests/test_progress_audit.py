"""Audit: every change of progress, plan entries, category changes and project fields is kept
with who, when, old and new value; a project's history page lists them; the month page shows
who last changed each row."""
from decimal import Decimal

from django.urls import reverse

from investment.models import MonthlyProgress
from projects.models import PlanCategory
from tests import factories
from tests.progress_support import MONTH, save, world  # noqa: F401


def history_html(client, project):
    response = client.get(reverse("investment:project_history", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_progress_changes_listed_with_who_old_and_new(client, world):
    client.force_login(world.staff_s)
    save(client, {world.s1.pk: {"completed": "100", "physical_progress": "路基"}})
    other = factories.staff("staff_s2", areas=[world.south])
    client.force_login(other)
    save(client, {world.s1.pk: {"completed": "150.5"}})

    records = list(MonthlyProgress.history.order_by("history_date"))
    assert [(r.history_type, r.completed, r.history_user) for r in records] == [
        ("+", Decimal("100.00"), world.staff_s), ("~", Decimal("150.50"), other)]

    client.force_login(world.leader)
    html = history_html(client, world.s1.project)
    assert "2020年6月进度" in html
    change = html[html.index("staff_s2"):]
    change = change[:change.index("</tr>")]
    assert "修改" in change and "本月完成投资（万元）" in change
    assert '<td class="text-muted">100.00</td><td>150.50</td>' in change
    created = html[html.rindex(">staff_s<"):]
    assert "新增" in created[:600] and "路基" in html


def test_project_plan_and_category_changes_are_listed(client, world):
    project = world.s1.project
    project.total_investment = Decimal("12000")
    project.save()
    world.s1.target = Decimal("2500")
    world.s1.save()
    factories.category_change(project=project, year=2020, from_category=PlanCategory.NEW,
                              to_category=PlanCategory.PRELIMINARY, changed_on="2020-08-18",
                              reason="征拆未完成")
    client.force_login(world.staff_n)  # any role may read a project's history
    html = history_html(client, project)
    assert '<td>总投资（万元）</td><td class="text-muted">10000.00</td><td>12000.00</td>' in html
    assert '<td>年度计划投资（万元）</td><td class="text-muted">2000.00</td><td>2500.00</td>' in html
    assert "类别调整" in html and "<td>新类别</td><td class=\"text-muted\"></td><td>预备</td>" in html
    assert "征拆未完成" in html


def test_history_page_query_count_is_fixed(client, world, django_assert_max_num_queries):
    for month in range(1, 7):
        factories.progress(world.s1, month, "10")
    client.force_login(world.leader)
    with django_assert_max_num_queries(20):
        history_html(client, world.s1.project)


def test_month_page_shows_who_last_changed_each_row(client, world):
    world.staff_s.first_name = "张三"
    world.staff_s.save()
    client.force_login(world.staff_s)
    save(client, {world.s1.pk: {"completed": "1"}})
    client.force_login(world.leader)
    html = client.get(reverse("investment:month", args=[2020, MONTH])).content.decode()
    row = html[html.index(f'id="entry-{world.s1.pk}"'):]
    assert 'data-cell="changed-by">张三<br>' in row[:row.index("</tr>")]
    row2 = html[html.index(f'id="entry-{world.s2.pk}"'):]
    assert 'data-cell="changed-by">未填报' in row2[:row2.index("</tr>")]


def test_funding_and_saving_changes_are_listed(client, world):
    from investment.models import FundingSource, SavingKind

    project = world.s1.project
    funding = factories.funding(project=project, source=FundingSource.SPECIAL_BOND,
                                amount=Decimal("800"), received_on="2020-05-06")
    funding.amount = Decimal("950")
    funding.save()
    factories.saving(project=project, kind=SavingKind.DESIGN, amount=Decimal("120"),
                     recorded_on="2020-07-01", description="优化桥梁结构")
    client.force_login(world.leader)
    html = history_html(client, project)
    assert '<td>金额（万元）</td><td class="text-muted">800.00</td><td>950.00</td>' in html
    assert "争取资金" in html and "优化桥梁结构" in html


def test_a_long_history_is_paged(client, world):
    for month in range(1, 13):
        factories.progress(world.s1, month, "10")
    for month in range(1, 13):  # 24 changes, then 40 more edits of the project
        row = MonthlyProgress.objects.get(entry=world.s1, month=month)
        row.completed += 1
        row.save()
    project = world.s1.project
    for i in range(40):
        project.total_investment += 1
        project.save()
    client.force_login(world.leader)
    first = history_html(client, project)
    assert first.count('class="history-row"') == 50
    # 64 changes made here, plus the creation of the project and its plan entry
    assert "第1页 / 共2页（66条）" in first
    second = client.get(reverse("investment:project_history", args=[project.pk]), {"page": 2}).content.decode()
    assert "第2页 / 共2页（66条）" in second
    # newest first: the last edit of the total investment leads page 1, the first progress row ends page 2
    assert first.index(">10039.00</td><td>10040.00<") < first.index(">10000.00</td><td>10001.00<")
    assert "2020年1月进度" in second and "2020年1月进度" not in first
