"""The catalogue of figures (portfolio.figures) on the 2020 data: the figures the report states are
on the dashboard, each links to as many records as it counts, the 百日竞赛 block appears from June
on, and a figure is rounded once — the dashboard card, the workbook's 汇总 cell and the summary's
text show the same value."""
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from portfolio.figures import CATALOGUE, figure_values
from portfolio.numbers import Period, percent
from tests.xlsx import download, find_row
from tests.xlsx import values as xlsx_values

pytestmark = pytest.mark.usefixtures("demo_2020")


def dashboard(client, month):
    return client.get(reverse("dashboard"), {"year": 2020, "month": month}).content.decode()


def shown(html, slug):
    match = re.search(rf'data-figure="{slug}"[^>]*>([^<]*)<', html)
    assert match, slug
    return match.group(1)


def link_of(html, slug):
    pos = html.index(f'data-figure="{slug}"')
    start = html.rfind("<a ", 0, pos)
    return re.search(r'href="([^"]+)"', html[start:pos]).group(1).replace("&amp;", "&")


def row_count(client, url):
    html = client.get(url).content.decode()
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


def summary_sheet(client, month):
    response = client.get(reverse("district_workbook"), {"year": 2020, "month": month})
    assert response.status_code == 200
    return xlsx_values(download(response))["汇总"]


def summary_text(month):
    out = StringIO()
    call_command("draft_summary", "2020", str(month), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("slug, expected", [
    ("land-batch-projects", "18"), ("preliminary-done", "18"),
    ("branches-construction", "14"), ("branches-supervision", "6"),
])
def test_the_reports_figures_missing_until_now_are_on_the_dashboard(leader_client, slug, expected):
    # 共完成了6个批次18个项目……的用地报批工作；完成了18个项目的前期工作；推动14家外地建筑企业、6家监理企业……
    html = dashboard(leader_client, 12)
    assert shown(html, slug) == expected
    assert row_count(leader_client, link_of(html, slug)) == int(expected)


def test_early_starts_by_kind_at_december(leader_client):
    html = dashboard(leader_client, 12)
    assert shown(html, "early-starts") == "8"
    kinds = {"early-new": 3, "early-to-implementation": 4, "early-unplanned": 1}
    for slug, n in kinds.items():
        assert shown(html, slug) == str(n)
        assert row_count(leader_client, link_of(html, slug)) == n
    page = leader_client.get(link_of(html, "early-unplanned")).content.decode()
    assert "中南路" in page


def test_the_hundred_day_block_appears_from_june(leader_client):
    assert 'id="hundred-day"' not in dashboard(leader_client, 5)
    for month in (6, 12):
        html = dashboard(leader_client, month)
        block = html[html.index('id="hundred-day"'):]
        for slug, text in [("hundred-day-resumption-rate", "100%"), ("hundred-day-new-starts", "11"),
                           ("hundred-day-start-rate", "69%"), ("hundred-day-municipal-start-rate", "100%"),
                           ("hundred-day-early-starts", "3")]:
            assert shown(block, slug) == text, (month, slug)
        assert "已实现" in shown(block, "hundred-day-half")
        # the block's links are to 1-6月
        assert "month=6" in link_of(html, "hundred-day-early-starts")
    december = dashboard(leader_client, 12)
    assert shown(december, "start-rate") == "83%"  # beside it, the 1-12月 figure


def test_the_workbooks_summary_has_the_block_and_half_and_half(leader_client):
    ws = summary_sheet(leader_client, 12)
    labels = [row[0].value for row in ws.iter_rows() if row[0].value]
    assert any(str(label).startswith("五、百日竞赛") for label in labels)
    assert percent(Decimal(str(find_row(ws, "1-6月新建项目开工率")[1].value)), 0) == "69"
    assert find_row(ws, "1-6月新建项目已开工")[1].value == 11
    assert find_row(ws, "1-6月提前开工项目")[1].value == 3
    assert find_row(ws, "双过半")[1].value == "已实现"
    half = figure_values(period=Period(2020, 12))["half_rate"].text
    assert f"{percent(Decimal(str(find_row(ws, '1-6月投资完成率')[1].value)))}%" == half
    assert find_row(ws, "用地报批项目")[1].value == 18
    assert find_row(ws, "完成前期工作项目")[1].value == 18
    assert [find_row(ws, label)[1].value for label in ("施工企业", "监理企业")] == [14, 6]
    may = summary_sheet(leader_client, 5)
    assert not any(str(row[0].value or "").startswith(("五、百日竞赛", "双过半")) for row in may.iter_rows())


def excel_shows(cell):
    """What Excel shows for a summary cell, for the formats the 汇总 uses."""
    value = Decimal(str(cell.value))
    if cell.number_format == "0%":
        return f"{percent(value, 0)}%"
    if cell.number_format == "0.0%":
        return f"{percent(value, 1)}%"
    if cell.number_format == "0":
        return str(cell.value)
    return f"{value:,.2f}"


# (catalogue key, workbook row label or None for the figure's label, summary text holding the figure)
ROUNDED_ONCE = {
    6: [("rate", None, "占年度计划的{}"), ("municipal_rate", None, "完成率{}"),
        ("start_rate", None, "开工率{}"), ("hundred_day_start_rate", None, "开工率{}"),
        ("half_rate", None, "占年度计划的{}，实现“双过半”"), ("land_batch_projects", "用地报批项目", "批次{}个项目")],
    12: [("rate", None, "占年度计划的{}"), ("municipal_rate", None, "完成率{}"),
         ("start_rate", None, "开工率{}"), ("hundred_day_start_rate", None, "开工率{}"),
         ("land_batch_projects", None, "批次{}个项目"), ("preliminary_done", None, "{}个项目的前期工作"),
         ("branches_construction", "施工企业", "推动{}家外地建筑企业")],
}


@pytest.mark.parametrize("month", [6, 12])
def test_a_figure_is_rounded_once(leader_client, month):
    html, ws, text = dashboard(leader_client, month), summary_sheet(leader_client, month), summary_text(month)
    values = figure_values(period=Period(2020, month))
    for key, label, phrase in ROUNDED_ONCE[month]:
        figure = CATALOGUE[key]
        expected = values[key].text
        assert shown(html, figure.slug) == expected, key
        cell = find_row(ws, label or figure.label)[1]
        assert cell.number_format == figure.number_format, key
        assert excel_shows(cell) == expected, key
        assert phrase.format(expected) in text, key
    # amounts in 亿: the card, the workbook's note and the summary say the same
    completed = values["completed"].text
    assert shown(html, "completed") == completed
    assert find_row(ws, f"1-{month}月完成投资")[3].value.startswith(f"{completed}亿元")
    assert f"已完成投资{completed}亿" in text

