"""The month page: who sees and enters which projects, all-or-nothing saves, each validation
rule with its message beside the cell, and bounded query counts."""
from decimal import Decimal

import pytest
from django.urls import reverse

from investment.models import MonthlyProgress
from tests import factories
from tests.progress_support import MONTH, YEAR, form_data, month_url, save, world  # noqa: F401


def html_of(response):
    return response.content.decode()


def test_login_required(client, db):
    response = client.get(month_url())
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_user_without_role_is_refused(client, db):
    client.force_login(factories.user("nobody"))
    assert client.get(month_url()).status_code == 403


def test_staff_sees_only_their_area(client, world):
    client.force_login(world.staff_s)
    html = html_of(client.get(month_url()))
    assert "南片一号路" in html and "南片二号学校" in html
    assert "北片一号路" not in html
    assert f'name="rows-0-completed"' in html


def test_leader_reads_everything_without_inputs(client, world):
    factories.progress(world.n1, MONTH, "123.40", updated_by=world.staff_n)
    client.force_login(world.leader)
    html = html_of(client.get(month_url()))
    assert "南片一号路" in html and "北片一号路" in html
    assert "123.40" in html
    assert "<input type=\"text\" name=\"rows-" not in html
    assert "领导账号只能查看" in html


def test_staff_saves_and_sees_cumulative_and_rate(client, world):
    factories.progress(world.s1, MONTH - 1, "500")
    client.force_login(world.staff_s)
    response = save(client, {world.s1.pk: {"completed": "300.5", "physical_percent": "40",
                                           "physical_progress": "路基施工", "problems": ""}})
    assert response.status_code == 302
    row = MonthlyProgress.objects.get(entry=world.s1, month=MONTH)
    assert row.completed == Decimal("300.50") and row.updated_by == world.staff_s and row.version == 1
    html = html_of(client.get(month_url()))
    assert "已保存2020年6月：新增1行" in html
    line = html[html.index(f'id="entry-{world.s1.pk}"'):]
    line = line[:line.index("</tr>")]
    assert 'data-cell="before">500.00' in line
    assert 'data-cell="to-date">800.50' in line
    assert 'data-cell="rate">40.0%' in line  # 800.5 / 2000
    assert 'data-cell="changed-by">staff_s' in line
    # an untouched, never-reported row is not created
    assert not MonthlyProgress.objects.filter(entry=world.s2, month=MONTH).exists()


def test_crafted_post_for_another_area_is_403_and_changes_nothing(client, world):
    client.force_login(world.staff_n)
    page_for_south = None
    client.force_login(world.staff_s)
    page_for_south = client.get(month_url())
    data = form_data(page_for_south, {world.s1.pk: {"completed": "999"}})
    client.force_login(world.staff_n)
    response = client.post(month_url(), data)
    assert response.status_code == 403
    assert not MonthlyProgress.objects.exists()


def test_crafted_extra_row_among_own_rows_is_403(client, world):
    client.force_login(world.staff_s)
    data = form_data(client.get(month_url()), {world.s1.pk: {"completed": "10"}})
    data.update({"rows-TOTAL_FORMS": "3", "rows-2-entry": str(world.n1.pk), "rows-2-version": "0",
                 "rows-2-completed": "77"})
    assert client.post(month_url(), data).status_code == 403
    assert not MonthlyProgress.objects.exists()


def test_leader_post_is_403(client, world):
    client.force_login(world.admin)
    data = form_data(client.get(month_url()), {world.n1.pk: {"completed": "10"}})
    client.force_login(world.leader)
    assert client.post(month_url(), data).status_code == 403
    assert not MonthlyProgress.objects.exists()


def test_admin_enters_any_area(client, world):
    client.force_login(world.admin)
    assert save(client, {world.n1.pk: {"completed": "10"}, world.s1.pk: {"completed": "20"}}).status_code == 302
    assert MonthlyProgress.objects.count() == 2


def _errors_page(client, world, changes):
    client.force_login(world.staff_s)
    response = save(client, changes)
    assert response.status_code == 200
    return html_of(response)


def _cell(html, entry, field):
    """The HTML of one input cell (from its input to the end of its <td>)."""
    start = html.index(f'id="id_rows-{entry}-{field}"') if f'id="id_rows-{entry}-{field}"' in html else None
    assert start is not None
    return html[start:html.index("</td>", start)]


def test_negative_amount_refused_beside_cell_and_nothing_saved(client, world):
    html = _errors_page(client, world, {world.s1.pk: {"completed": "-5"}, world.s2.pk: {"completed": "100"}})
    assert "未保存" in html
    assert "本月完成投资不能为负数" in _cell(html, 0, "completed")
    assert 'value="-5"' in html and 'value="100"' in html  # what the user typed is kept
    assert not MonthlyProgress.objects.exists()  # the valid row is not saved either


def test_text_in_number_cell(client, world):
    html = _errors_page(client, world, {world.s1.pk: {"completed": "一百"}, world.s2.pk: {"completed": "-1"}})
    assert "请输入数字" in _cell(html, 0, "completed")
    assert 'value="一百"' in html
    # the rule errors of the rows that could be read are shown at the same time
    assert "本月完成投资不能为负数" in _cell(html, 1, "completed")
    assert not MonthlyProgress.objects.exists()


def test_too_many_decimals(client, world):
    html = _errors_page(client, world, {world.s1.pk: {"completed": "1.234"}})
    assert "最多保留2位小数" in _cell(html, 0, "completed")


def test_percent_outside_0_100(client, world):
    html = _errors_page(client, world, {world.s1.pk: {"completed": "1", "physical_percent": "101"}})
    assert "形象进度须在0到100之间" in _cell(html, 0, "physical_percent")
    html = _errors_page(client, world, {world.s1.pk: {"completed": "1", "physical_percent": "-1"}})
    assert "形象进度须在0到100之间" in _cell(html, 0, "physical_percent")
    assert not MonthlyProgress.objects.exists()


def test_percent_lower_than_last_month_needs_a_note(client, world):
    factories.progress(world.s1, MONTH - 1, "100", physical_percent=Decimal("60"))
    html = _errors_page(client, world, {world.s1.pk: {"completed": "1", "physical_percent": "55"}})
    assert "低于此前填报的 60%" in _cell(html, 0, "physical_percent")
    assert not MonthlyProgress.objects.filter(month=MONTH).exists()
    response = save(client, {world.s1.pk: {"completed": "1", "physical_percent": "55",
                                           "problems": "设计变更，部分工程量核减"}})
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(month=MONTH).physical_percent == Decimal("55")


def test_previous_percent_from_last_year_counts_in_january(client, world):
    last_year = factories.plan_entry(world.s1.project, year=2019)
    factories.progress(last_year, 12, "10", physical_percent=Decimal("30"))
    client.force_login(world.staff_s)
    response = save(client, {world.s1.pk: {"completed": "1", "physical_percent": "20"}}, month=1)
    assert "低于此前填报的 30%" in html_of(response)


def test_amount_above_remaining_total_needs_confirmation(client, world):
    # 南片一号路: total 10,000; 9,500 done in earlier months → 500 remaining
    factories.progress(world.s1, 1, "9500")
    html = _errors_page(client, world, {world.s1.pk: {"completed": "800"}})
    assert "超过项目剩余总投资 500.00 万元" in html and "确认超额" in html
    assert not MonthlyProgress.objects.filter(month=MONTH).exists()
    client.force_login(world.staff_s)
    response = save(client, {world.s1.pk: {"completed": "800", "confirm_over": True}})
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(month=MONTH).completed == Decimal("800")


def test_amount_within_remaining_total_needs_no_confirmation(client, world):
    factories.progress(world.s1, 1, "9500")
    client.force_login(world.staff_s)
    assert save(client, {world.s1.pk: {"completed": "500"}}).status_code == 302


def test_clearing_a_reported_row_is_refused(client, world):
    factories.progress(world.s1, MONTH, "10")
    html = _errors_page(client, world, {world.s1.pk: {"completed": "", "physical_percent": "",
                                                      "physical_progress": "", "problems": ""}})
    assert "已填报的记录不能清空" in html


def test_text_without_amount_is_refused(client, world):
    html = _errors_page(client, world, {world.s1.pk: {"completed": "", "physical_progress": "开挖"}})
    assert "请填写本月完成投资" in _cell(html, 0, "completed")


def test_future_month_takes_no_entry(client, world):
    from django.utils import timezone
    today = timezone.localdate()
    year, month = (today.year + 1, 1)
    factories.plan_entry(world.s1.project, year=year)
    client.force_login(world.staff_s)
    page = client.get(month_url(year, month))
    html = html_of(page)
    assert "尚未到来，不能填报" in html
    assert 'id="save"' not in html
    data = {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "1", "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "2000", "rows-0-entry": str(page.context["lines"][0]["row"].entry.pk),
            "rows-0-version": "0", "rows-0-completed": "5"}
    response = client.post(month_url(year, month), data)
    assert "尚未到来，不能填报" in html_of(response)
    assert not MonthlyProgress.objects.exists()


def test_bad_month_is_404(client, world):
    client.force_login(world.staff_s)
    assert client.get("/progress/2020/13/").status_code == 404


def test_same_data_saved_twice_changes_nothing(client, world):
    client.force_login(world.staff_s)
    save(client, {world.s1.pk: {"completed": "10", "physical_progress": "a\r\nb"}})
    row = MonthlyProgress.objects.get()
    assert row.physical_progress == "a\nb"
    history = row.history.count()
    response = save(client, {world.s1.pk: {"completed": "10.00", "physical_progress": "a\r\nb"}})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.version == 1 and row.history.count() == history


def _many(n, area):
    entries = [factories.plan_entry(factories.project(area=area)) for _ in range(n)]
    for entry in entries[::2]:
        factories.progress(entry, MONTH - 1, "5", physical_percent=Decimal("10"))
        factories.progress(entry, MONTH, "7")
    return entries


def test_month_page_query_count_is_fixed(client, db, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    south = factories.area("南片")
    staff = factories.staff("staff_many", areas=[south])
    _many(5, south)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as small:
        assert client.get(month_url()).status_code == 200
    assert len(small) <= 12
    _many(45, south)
    with django_assert_max_num_queries(len(small)):  # 10x the projects, not one query more
        response = client.get(month_url())
    assert len(response.context["lines"]) == 50


@pytest.mark.slow
def test_save_of_200_rows_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    south = factories.area("南片")
    staff = factories.staff("staff_bulk", areas=[south])
    entries = _many(200, south)
    client.force_login(staff)
    page = client.get(month_url())
    changes = {e.pk: {"completed": "12.5", "physical_percent": "20", "problems": "无"} for e in entries}
    data = form_data(page, changes)
    with django_assert_max_num_queries(21):  # bulk insert/update + bulk history, batched; the rollup's upsert
        response = client.post(month_url(), data)
    assert response.status_code == 302
    assert MonthlyProgress.objects.filter(month=MONTH, completed=Decimal("12.5")).count() == 200
    assert MonthlyProgress.history.filter(month=MONTH, history_user=staff).count() == 200
