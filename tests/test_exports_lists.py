"""「导出Excel」 on the list pages: the workbook holds exactly the rows the filtered, sorted page
shows (all pages), in the table's column order, from the same queryset; login required."""
import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from investment.models import PlanEntry
from projects.models import Area
from tests import factories
from tests.xlsx import download
from tests.xlsx import formulas as xlsx_formulas
from tests.xlsx import values as xlsx_values

pytestmark = pytest.mark.usefixtures("demo_2020")


def page(client, name, **params):
    html = client.get(reverse(name), params).content.decode()
    count = int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))
    listed = html[html.index('id="records-table"'):]  # the list's table (a page may show others before it)
    table = listed[listed.index("<table"):listed.index("</table>")]
    headers = [unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    return html, count, headers


def export(client, name, **params):
    response = client.get(reverse(name), {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    values = xlsx_values(download(response))
    ws = values.worksheets[0]
    header = [c.value for c in ws[3]]
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    if rows and rows[-1][0] == "合计":  # the lists with money end with their 合计 (tests/test_list_totals.py)
        rows.pop()
    return response, ws, header, rows


def test_filtered_sorted_project_list_exports_exactly_its_rows(leader_client):
    params = {"year": 2020, "month": 12, "municipal_key": "false", "sort": "-target", "per_page": 25}
    _html, count, headers = page(leader_client, "projects:list", **params)
    _response, ws, header, rows = export(leader_client, "projects:list", **params)
    assert header == headers  # the table's visible columns, in its order
    expected = dict(PlanEntry.objects.filter(plan__year=2020, is_municipal_key=False)
                    .values_list("project__code", "target"))
    assert len(rows) == count == len(expected) == 38 > 25  # all pages, not just the first
    code_col, target_col = header.index("项目代码"), header.index("年度计划（万元）")
    assert {r[code_col] for r in rows} == set(expected)
    targets = [Decimal(str(r[target_col])) for r in rows]
    assert targets == [expected[r[code_col]] for r in rows]
    assert targets == sorted(targets, reverse=True)  # sorted as the page is
    # numbers are numbers, formatted as the page shows them
    first = ws.cell(4, target_col + 1)
    assert first.number_format == "#,##0.00" and isinstance(first.value, (int, float))
    rate = ws.cell(4, header.index("完成率") + 1)
    assert rate.number_format == "0.0%" and 0 < rate.value < 3
    assert all(not r[header.index("市重大")] for r in rows)  # none is 市重大: the cells are empty


def test_area_filter_exports_only_that_area(leader_client):
    south = Area.objects.get(name="南片")
    params = {"year": 2020, "area": south.pk, "columns": ["code", "area", "name"]}
    _html, count, _headers = page(leader_client, "projects:list", **params)
    _response, _ws, header, rows = export(leader_client, "projects:list", **params)
    assert header == ["项目代码", "项目名称", "片区"]
    assert len(rows) == count == PlanEntry.objects.filter(plan__year=2020, project__area=south).count()
    assert {r[2] for r in rows} == {"南片"}


def test_export_follows_the_column_choice(leader_client):
    params = {"year": 2020, "columns": ["name", "code", "target"], "q": "金峰"}
    _html, count, headers = page(leader_client, "projects:list", **params)
    _response, _ws, header, rows = export(leader_client, "projects:list", **params)
    assert header == headers == ["项目代码", "项目名称", "年度计划（万元）"]
    assert rows == [["2020-430112-48-01-100703", "金峰路", 2500]] and count == 1


@pytest.mark.parametrize("name, params", [
    ("land:batches", {"year": 2020}),
    ("land:acquisitions", {"year": 2020, "full_access": "true"}),
    ("procurement:tenders", {"year": 2020, "kind": "equipment"}),
    ("procurement:permits", {"year": 2020}),
    ("projects:milestones", {"year": 2020, "month": 12, "overdue": "true"}),
    ("funding_list", {"year": 2020}),
    ("saving_list", {"year": 2020, "management": "true"}),
])
def test_every_list_exports_its_filtered_rows(leader_client, name, params):
    _html, count, headers = page(leader_client, name, **params)
    _response, ws, header, rows = export(leader_client, name, **params)
    assert header == headers
    assert len(rows) == count
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"


def test_the_list_page_links_to_its_export(leader_client):
    html, _count, _headers = page(leader_client, "projects:list", year=2020, area=1)
    link = re.search(r'href="\?([^"]*)" data-export="xlsx"', html).group(1)
    assert "year=2020" in link and "area=1" in link and link.endswith("export=xlsx")


def test_hostile_names_in_a_list_export_are_text(leader_client):
    hostile = '=HYPERLINK("http://x","y")'
    factories.plan_entry(factories.project(name=hostile), year=2020)
    response = leader_client.get(reverse("projects:list"), {"year": 2020, "q": "HYPERLINK", "export": "xlsx"})
    formulas = xlsx_formulas(download(response))
    ws = formulas.worksheets[0]
    cells = [c for row in ws.iter_rows(min_row=4) for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_export_requires_login():
    response = Client().get(reverse("projects:list"), {"export": "xlsx"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _more_rows(name, n=30):
    """``n`` more records that the list ``name`` shows for 2020."""
    import datetime as dt

    for i in range(n):
        project = factories.project()
        if name == "projects:list":
            factories.progress(factories.plan_entry(project, year=2020), 12, "5")
        elif name == "procurement:tenders":
            factories.tender(project=project, kind="construction", title=f"标段{i}",
                             bid_opened_on=dt.date(2020, 5, 1), amount=Decimal("100"))
        elif name == "projects:milestones":  # the node plans of the year's plan projects
            factories.plan_entry(project, year=2020)
            factories.milestone(project=project, name="开工", planned_on=dt.date(2020, 5, 1))


@pytest.mark.parametrize("name", ["projects:list", "procurement:tenders", "projects:milestones"])
def test_list_export_queries_do_not_grow_with_rows(leader_client, django_assert_max_num_queries, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        _r, _ws, _h, rows_before = export(leader_client, name, year=2020)
    _more_rows(name)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        _r, _ws, _h, rows_after = export(leader_client, name, year=2020)
    assert len(rows_after) == len(rows_before) + 30


def test_a_text_longer_than_an_excel_cell_is_cut_visibly(leader_client):
    """Excel holds at most 32,767 characters in a cell (a longer text makes it "repair" the file and
    drop content); the records form does not bound a 洽商活动's 说明."""
    from portfolio.exports.writer import CELL_LIMIT, TRUNCATED

    long_note = "四零采购对接说明" * 5000  # 40,000 characters
    full_note = "到会供应商名单" * 4681  # 32,767: a whole cell
    factories.negotiation(title="长说明对接会", note=long_note)
    factories.negotiation(title="满格说明对接会", note=full_note)
    _response, _ws, header, rows = export(leader_client, "procurement:negotiations", year=2020,
                                          columns=["title", "note"], q="说明对接会")
    notes = {r[header.index("活动名称")]: r[header.index("说明")] for r in rows}
    cut = notes["长说明对接会"]
    assert len(cut) == CELL_LIMIT and cut.endswith("…（已截断，全文见系统）")
    assert cut == long_note[:CELL_LIMIT - len(TRUNCATED)] + TRUNCATED
    assert notes["满格说明对接会"] == full_note
