"""合计 on the project list and the money lists (争取资金, 节约资金): the table's footer and the
export's last row are the sums over every row the filter keeps (all pages, one aggregate over the
list's own selector queryset); list exports say the list, year, month and filters in their title
row and file name, and are laid out to print (code columns wide, names wrapped, landscape, fit
to width, header repeated). The pages' query bounds, 合计 included: tests/test_dashboard_queries.py."""
import re
from decimal import Decimal
from html import unescape
from urllib.parse import quote

import pytest
from django.db.models import Sum
from django.urls import reverse

from investment.models import SavingKind
from investment.selectors import fundings_in_period, savings_in_period
from portfolio.numbers import Period, percent, rate, wan
from portfolio.selectors import project_rows
from projects.models import Area, PlanCategory
from tests.xlsx import download, evaluate_subtotal, workbooks

pytestmark = pytest.mark.usefixtures("demo_2020")

DEC = Period(2020, 12)


def cells(html, tag):
    """The texts of the table's <tag> section (thead / tfoot) cells."""
    listed = html[html.index('id="records-table"'):]
    section = listed[listed.index(f"<{tag}"):listed.index(f"</{tag}>")]
    return [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", section, re.S)]


def footer(client, name, **params):
    html = client.get(reverse(name), params).content.decode()
    rows_on_page = html[html.index('id="records-table"'):].split("<tbody", 1)[1].split("</tbody>")[0].count("<tr")
    return dict(zip(cells(html, "thead"), cells(html, "tfoot"))), rows_on_page


def export(client, name, **params):
    response = client.get(reverse(name), {**params, "export": "xlsx"})
    assert response.status_code == 200
    formulas, values = workbooks(download(response))
    return response, formulas.worksheets[0], values.worksheets[0]


def test_project_list_total_is_the_sum_over_every_filtered_row_not_the_page(leader_client):
    params = {"year": 2020, "month": 12, "municipal_key": "false", "per_page": 25,
              "columns": ["code", "name", "target", "completed_to_date", "completed_in_month", "rate"]}
    totals, rows_on_page = footer(leader_client, "projects:list", **params)
    expected = project_rows(period=DEC).filter(is_municipal_key=False).aggregate(
        target=Sum("target"), done=Sum("completed_to_date"), month=Sum("completed_in_month"),
        n=Sum(1))
    assert rows_on_page == 25 < expected["n"] == 38  # the filter spans two pages
    assert totals["项目代码"] == "合计（全部38项）"  # every page's rows, and it says so
    assert totals["年度计划（万元）"] == wan(expected["target"])
    assert totals["累计完成（万元）"] == wan(expected["done"])
    assert totals["本月完成（万元）"] == wan(expected["month"])
    assert totals["完成率"] == f"{percent(rate(expected['done'], expected['target']))}%"
    # the first page's own sum is less: the footer is not the visible page
    first_page = project_rows(period=DEC).filter(is_municipal_key=False).order_by("project__code")[:25]
    assert sum(e.target for e in first_page) < expected["target"]


def test_project_list_total_follows_area_and_category(leader_client):
    south = Area.objects.get(name="南片")
    params = {"year": 2020, "month": 12, "area": south.pk, "current_category": PlanCategory.CONTINUING}
    totals, _rows = footer(leader_client, "projects:list", **params)
    expected = project_rows(period=DEC).filter(project__area=south, current_category=PlanCategory.CONTINUING) \
        .aggregate(target=Sum("target"))["target"]
    assert expected and totals["年度计划（万元）"] == wan(expected)


def test_money_lists_total_their_filtered_rows(leader_client):
    funding, _rows = footer(leader_client, "funding_list", year=2020, month=12)
    assert funding["金额（万元）"] == wan(fundings_in_period(period=DEC).aggregate(s=Sum("amount"))["s"])
    savings, _rows = footer(leader_client, "saving_list", year=2020, month=12, management="true")
    expected = savings_in_period(period=DEC).filter(kind__in=SavingKind.management()).aggregate(s=Sum("amount"))["s"]
    assert expected and savings["金额（万元）"] == wan(expected)
    assert next(iter(savings.values())) == "合计"


def test_project_list_export_ends_with_the_total_and_says_its_period_and_filters(leader_client):
    south = Area.objects.get(name="南片")
    params = {"year": 2020, "month": 12, "area": south.pk, "current_category": PlanCategory.CONTINUING}
    response, formulas, ws = export(leader_client, "projects:list", **params)
    assert ws["A1"].value == "项目列表\u30002020年12月\u3000片区：南片\u3000当前类别：续建"
    assert f"filename*=UTF-8''{quote('项目列表_2020年12月_南片_续建.xlsx')}" in response["Content-Disposition"]
    header = [c.value for c in ws[3]]
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计"
    entries = project_rows(period=DEC).filter(project__area=south, current_category=PlanCategory.CONTINUING)
    expected = entries.aggregate(target=Sum("target"), done=Sum("completed_to_date"))
    assert Decimal(str(last[header.index("年度计划（万元）")])) == expected["target"]
    assert Decimal(str(last[header.index("累计完成（万元）")])) == expected["done"]
    # in Excel the sum is a SUBTOTAL over the rows above, which computes the same figure
    target = formulas.cell(ws.max_row, header.index("年度计划（万元）") + 1)
    assert target.value.startswith("=SUBTOTAL(9,")
    assert evaluate_subtotal(formulas, ws, target.value) == expected["target"]
    assert ws.max_row - 4 == entries.count()  # rows 4.. are the entries, then 合计
    # laid out to print: the code on one line, names wrapped, landscape, fit to width, header repeated
    code, name = header.index("项目代码") + 1, header.index("项目名称") + 1
    letter = formulas.cell(3, code).column_letter
    assert formulas.column_dimensions[letter].width >= 26
    assert not formulas.cell(4, code).alignment.wrap_text
    assert formulas.cell(4, name).alignment.wrap_text and formulas.column_dimensions[
        formulas.cell(3, name).column_letter].width >= 30
    assert formulas.page_setup.orientation == "landscape" and formulas.page_setup.fitToWidth == 1
    assert formulas.sheet_properties.pageSetUpPr.fitToPage and formulas.print_title_rows == "$3:$3"


def test_record_list_export_says_year_month_and_filters(leader_client):
    response, _formulas, ws = export(leader_client, "saving_list", year=2020, month=6, management="true",
                                     kind=SavingKind.DESIGN, q="路")
    label = SavingKind.DESIGN.label
    assert ws["A1"].value == f"节约资金\u30002020年6月\u3000项目代码/名称：路\u3000节约方式：{label}\u3000管理节约：是"
    assert (f"filename*=UTF-8''{quote(f'节约资金_2020年6月_项目代码-名称-路_{label}_管理节约-是.xlsx')}"
            in response["Content-Disposition"])


def test_unfiltered_export_names_only_list_and_period(leader_client):
    response, _formulas, ws = export(leader_client, "procurement:tenders", year=2020, month=12)
    assert ws["A1"].value == "招标采购\u30002020年12月"
    assert f"filename*=UTF-8''{quote('招标采购_2020年12月.xlsx')}" in response["Content-Disposition"]
    assert ws[ws.max_row][0].value != "合计"  # a list without money has no 合计


def test_control_characters_in_a_filter_do_not_break_the_export(leader_client):
    response, _formulas, ws = export(leader_client, "projects:list", year=2020, month=12, q="金\x01峰\x0b路")
    assert ws["A1"].value == "项目列表\u30002020年12月\u3000代码/名称：金峰路"
    assert f"filename*=UTF-8''{quote('项目列表_2020年12月_代码-名称-金-峰-路.xlsx')}" in response["Content-Disposition"]
