"""The district workbook /reports/district.xlsx on the 2020 data: the cells a reader checks,
totals that agree between sheets and with their SUBTOTAL formulas, print setup, safety."""
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from investment.models import PlanEntry
from portfolio.numbers import percent, yi
from projects.selectors import overdue_milestones
from tests import factories
from tests.demo import SHARED
from tests.xlsx import download, evaluate_subtotal, find_row, workbooks

FILENAME = "望城区重点项目投资进度_2020年1-12月.xlsx"
SHEETS = ["汇总", "项目明细", "用地", "招标与许可", "节点计划", "资金与节约", "红黑榜", "合同与支付", "统计对账"]


def get_workbook(client, year=2020, month=12):
    response = client.get(reverse("district_workbook"), {"year": year, "month": month})
    assert response.status_code == 200, response.content[:300]
    return response, *workbooks(download(response))


@pytest.fixture
def workbook_2020(demo_2020, leader_client):
    """The December workbook as a leader downloads it, downloaded once per worker's 2020 set (the
    tests below read it and change nothing)."""
    return SHARED.memo("district workbook 2020-12", lambda: get_workbook(leader_client))


def test_download_name_and_type(workbook_2020):
    response, formulas, _values = workbook_2020
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(FILENAME)}" in disposition
    assert 'filename="district-2020-12.xlsx"' in disposition
    assert formulas.sheetnames == SHEETS


def test_summary_sheet_has_the_reports_figures(workbook_2020):
    _r, _f, values = workbook_2020
    ws = values["汇总"]
    assert "2020年1-12月" in ws["A1"].value
    assert any(c.value and "单位：万元" in str(c.value) for c in ws[2])
    # 计划总投资14.79亿 (147,900 万元)，其中市重大9.41亿，非市重大5.38亿
    target = find_row(ws, "年度计划总投资")
    assert target[1].value == 147900 and target[1].number_format == "#,##0.00"
    assert target[3].value == "14.79亿元"
    assert find_row(ws, "其中：市重大项目")[1].value == 94100
    assert find_row(ws, "非市重大项目")[1].value == 53800
    # 1-12月已完成投资17.8亿，占总投资的120.4%
    completed = find_row(ws, "1-12月完成投资")[1]
    assert yi(Decimal(str(completed.value)), 1) == "17.8"
    overall = find_row(ws, "投资完成率")[1]
    assert overall.number_format == "0.0%"
    assert percent(Decimal(str(overall.value))) == "120.4"
    # 市重大完成投资13.7亿，投资完成率达到145%
    municipal = find_row(ws, "市重大项目投资完成率")[1]
    assert percent(Decimal(str(municipal.value)), 0) == "145"
    # 45个项目：续建10个，新建18个，预备13个，社会监管3个，储备1个
    assert find_row(ws, "年度计划项目")[1].value == 45
    assert [find_row(ws, f"{c}项目")[1].value for c in ("续建", "新建", "预备", "社会监管", "储备")] == [10, 18, 13, 3, 1]
    assert find_row(ws, "报批面积")[1].value == pytest.approx(419.74)
    assert find_row(ws, "争取上级资金")[1].value == 12247


def test_details_one_row_per_plan_project_and_totals_equal_the_summary(workbook_2020):
    _r, formulas, values = workbook_2020
    ws, fs = values["项目明细"], formulas["项目明细"]
    header = [c.value for c in ws[3]]
    assert header == ["序号", "项目代码", "项目名称", "片区", "类别", "市重大", "年度计划投资(万元)", "12月完成",
                      "1-12月累计完成", "完成率", "形象进度", "存在问题", "责任单位"]
    project_rows = [row for row in ws.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    codes = [row[1].value for row in project_rows]
    expected = set(PlanEntry.objects.filter(plan__year=2020).values_list("project__code", flat=True))
    assert len(codes) == len(expected) == 48  # 45 in the plan + 3 计划外
    assert set(codes) == expected
    assert "区委党校（雷锋学院）" in [row[2].value for row in project_rows]

    summary = values["汇总"]
    total = find_row(ws, "合计", column=3)
    assert total[6].value == find_row(summary, "年度计划总投资")[1].value == 147900
    assert total[8].value == find_row(summary, "1-12月完成投资")[1].value
    assert total[9].value == find_row(summary, "投资完成率")[1].value
    # group subtotals: 续建 first, then 新建 … each followed by its 小计
    subtotal_labels = [row[2].value for row in ws.iter_rows(min_row=4) if str(row[2].value).endswith("小计")]
    assert subtotal_labels == ["续建项目小计", "新建项目小计", "预备项目小计", "社会监管项目小计", "储备项目小计"]
    # every SUBTOTAL formula's cached value is what Excel computes from the rows
    checked = 0
    for row in fs.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=SUBTOTAL"):
                cached = Decimal(str(ws[cell.coordinate].value))
                assert cached == evaluate_subtotal(fs, ws, cell.value), cell.coordinate
                checked += 1
    assert checked == 3 * 6  # 5 groups + grand total, three money columns each


def test_details_rows_carry_the_months_text_and_rates(workbook_2020):
    _r, _f, ws = workbook_2020
    ws = ws["项目明细"]
    row = find_row(ws, "高裕九年一贯制学校", column=3)
    assert row[4].value == "续建" and row[5].value == "是"
    assert row[9].number_format == "0.0%"
    assert row[9].value == pytest.approx(row[8].value / row[6].value)
    assert row[11].value == "管线迁改协调难度大，影响施工进度"
    assert find_row(ws, "中南路", column=3)[4].value == "新建（计划外）"


def test_number_formats_and_print_setup(workbook_2020):
    _r, formulas, _v = workbook_2020
    for name in SHEETS:
        ws = formulas[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.print_title_rows == "$3:$3", name
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, name
        assert ws.freeze_panes.endswith("4"), name
        assert ws["A1"].font.b and ws["A1"].coordinate in ws.merged_cells, name
        assert all(ws.column_dimensions[c].width >= 6 for c in "ABC"), name
    detail = formulas["项目明细"]
    assert int(detail.page_setup.paperSize) == 8  # A3
    assert int(formulas["汇总"].page_setup.paperSize) == 9  # A4
    assert detail.freeze_panes == "D4"
    first = find_row(detail, 1)  # 序号 1
    assert [first[i].number_format for i in (6, 7, 8, 9)] == ["#,##0.00"] * 3 + ["0.0%"]
    assert first[6].border.left.style == "thin"


def test_overdue_milestones_are_highlighted(workbook_2020, dec_2020):
    _r, _f, values = workbook_2020
    ws = values["节点计划"]
    highlighted = {(row[2].value, row[4].value) for row in ws.iter_rows(min_row=4)
                   if isinstance(row[0].value, int) and row[0].fill.fgColor.rgb.endswith("FFC7CE")}
    statuses = {(row[2].value, row[4].value): row[7].value for row in ws.iter_rows(min_row=4)
                if isinstance(row[0].value, int)}
    expected = {(m.project.name, m.name) for m in overdue_milestones(as_of=dec_2020.end)
                if (m.project.name, m.name) in statuses}
    assert highlighted == expected
    assert all(statuses[key] == "逾期" for key in highlighted)
    assert sum(1 for s in statuses.values() if s == "逾期") == len(highlighted)


def test_a_month_changes_the_workbook(demo_2020, leader_client):
    _r, _f, values = get_workbook(leader_client, month=6)
    ws = values["汇总"]
    assert find_row(ws, "1-6月完成投资")
    assert [c.value for c in values["项目明细"][3]][7:9] == ["6月完成", "1-6月累计完成"]
    # 1-6月: 续建项目复工率100%，新建开工率69%
    assert percent(Decimal(str(find_row(ws, "续建项目复工率")[1].value)), 0) == "100"
    assert percent(Decimal(str(find_row(ws, "新建项目开工率")[1].value)), 0) == "69"


def test_hostile_text_is_stored_as_text(db, leader_client):
    hostile = '=HYPERLINK("http://x","y")'
    entry = factories.plan_entry(factories.project(name=hostile), target=Decimal("100"))
    factories.progress(entry, 1, "10", problems="+cmd|' /C calc'!A0", physical_progress="@SUM(1+1)")
    _r, formulas, _values = get_workbook(leader_client, month=1)
    ws = formulas["项目明细"]
    row = find_row(ws, hostile, column=3)
    name, progress, problems = row[2], row[10], row[11]
    for cell, text in ((name, hostile), (progress, "@SUM(1+1)"), (problems, "+cmd|' /C calc'!A0")):
        assert cell.data_type == "s" and cell.value == text
        assert cell.quotePrefix
    assert find_row(ws, "合计", column=3)[6].value.startswith("=SUBTOTAL")  # real formulas stay formulas


def test_login_required_and_bad_period(db, leader_client):
    url = reverse("district_workbook")
    response = Client().get(url, {"year": 2020, "month": 12})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = leader_client.get(url, {"year": 2020, "month": 13})
    assert response.status_code == 400
    assert "月份必须在1到12之间" in response.content.decode()
    assert leader_client.get(url).status_code == 404  # no data at all yet


def test_query_count_does_not_grow_with_projects(demo_2020, leader_client, django_assert_max_num_queries):
    # 40 for the six report sheets, 10 for the 红黑榜 (ranking.selectors: a fixed number)
    with django_assert_max_num_queries(50):
        get_workbook(leader_client)
    for _ in range(30):
        entry = factories.plan_entry(factories.project())
        factories.progress(entry, 12, "5", problems="x")
    with django_assert_max_num_queries(50):
        get_workbook(leader_client)


def test_the_dashboard_links_to_the_months_workbook(demo_2020, leader_client):
    html = leader_client.get(reverse("dashboard"), {"year": 2020, "month": 6}).content.decode()
    assert 'href="/reports/district.xlsx?year=2020&amp;month=6" data-export="district-workbook"' in html
