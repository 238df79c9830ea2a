"""One truth, round 3: figures not yet compared month by month with what stands behind them —
inspections' open findings, 督办 states and figures, contracts, payments and 统计对账 (cards, lists,
their 合计 and export, the workbook's sheets), the 红黑榜 page and sheet, 流动红旗 scores, the
调度会 pack, the summary paragraph, 时间进度, the reports due, the open-data package — for every
month of 2020 and of the demo's 2021 (January–March), as of the month's end, on the data set
`make demo` serves (``load_demo`` and ``ensure_demo_users``: the 2020 problems and 督办 orders come
with the demo accounts). Each test asserts what a reader compares: the figure on one page against
the rows, the cell or the sentence of another."""
import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence.models import Finding, FindingStatus
from portfolio.numbers import Period
from tests.demo import SHARED, load_demo_command, shared_fixture


def _build():
    load_demo_command()
    call_command("ensure_demo_users", verbosity=0)


demo = shared_fixture("make_demo", _build, fixture_name="make_demo")
pytestmark = pytest.mark.usefixtures("make_demo")

MONTHS = [Period(2020, m) for m in range(1, 13)] + [Period(2021, m) for m in range(1, 4)]
MONTH_IDS = [f"{p.year}-{p.month:02d}" for p in MONTHS]
QUICK_MONTHS = {Period(2020, 6), Period(2020, 7), Period(2020, 12), Period(2021, 1), Period(2021, 3)}
"""Months the quick suite walks (the first 办结, an order closed after its month, the year's end, the
year's turn, the demo's last month); the others run in `make test` (marked slow), as the month walk."""
EVERY_MONTH = [pytest.param(p, id=i, marks=() if p in QUICK_MONTHS else pytest.mark.slow)
               for p, i in zip(MONTHS, MONTH_IDS)]


def month_params(period, **params):
    return {"year": period.year, "month": period.month, **params}


def page(client, url, period, **params):
    response = client.get(url, month_params(period, **params))
    assert response.status_code == 200, url
    return response.content.decode()


def as_built(key, build):
    """``build()`` read once per data set as built (``SHARED.memo``), for the tests that change
    nothing before they read: a leader's dashboard and 调度会 pack of a month are the same in each.
    A test that changes data first reads with ``page`` / ``pack_document(…, fresh=True)``."""
    return SHARED.memo(("test_truth_round3", *key), build)


def dashboard_as_built(client, period):
    """The month's dashboard as a leader (``client``) reads it on the data set as built."""
    return as_built(("dashboard", period), lambda: page(client, reverse("dashboard"), period))


def row_count(html):
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


# --- inspections: open and overdue findings as of the month's end -------------------------------

@pytest.fixture
def finding_closed_later(make_demo):
    """The demo's fix waiting for acceptance since 2 December 2020, accepted on 10 February 2021:
    open at the end of every month before February 2021."""
    finding = Finding.objects.get(status=FindingStatus.SUBMITTED)
    finding.status, finding.closed_on = FindingStatus.CLOSED, dt.date(2021, 2, 10)
    finding.accepted_by = finding.inspection.inspectors.get()
    finding.save()
    return finding


def table_rows(html, table_id):
    body = html[html.index(f'id="{table_id}"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return re.findall(r"<tr.*?</tr>", body, re.S)


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_open_findings_counted_as_the_rows_open_at_the_months_end(leader_client, finding_closed_later, period):
    html = page(leader_client, reverse("evidence:inspections"), period)
    findings = table_rows(html, "findings")
    open_rows = [row for row in findings if "data-open" in row]
    overdue_rows = [row for row in open_rows if "逾期</span>" in row]
    by_project = [re.findall(r'<td class="num[^"]*">(\d+)</td>', row) for row in table_rows(html, "by-project")
                  if 'class="num' in row]
    by_contractor = [re.findall(r'<td class="num[^"]*">(\d+)</td>', row) for row in table_rows(html, "by-contractor")
                     if 'class="num' in row]
    for counts in (by_project, by_contractor):
        assert sum(int(n_open) for n_open, _late in counts) == len(open_rows)
        assert sum(int(late) for _open, late in counts) == len(overdue_rows)
    # a row open at the month's end says so, whatever its status today
    # (listed from the month of its inspection on)
    accepted_later = next((row for row in findings if f'id="finding-{finding_closed_later.pk}"' in row), None)
    assert (accepted_later is not None) is (period.end >= finding_closed_later.inspection.inspected_on)
    if accepted_later is not None:
        assert ("data-open" in accepted_later) is (period.end < dt.date(2021, 2, 10))
        assert ("已销项" in accepted_later) is (period.end >= dt.date(2021, 2, 10))
    # the project page's count is that project's row, and links to this month's page
    project = finding_closed_later.inspection.project
    project_page = page(leader_client, reverse("projects:detail", args=[project.pk]), period)
    shown = int(re.search(r'data-figure="open-findings">(\d+)<', project_page).group(1))
    listed = [row for row in open_rows if f">{project.name}<" in row]
    assert shown == len(listed)
    assert f'{reverse("evidence:inspections")}?year={period.year}&amp;month={period.month}"' in project_page


# --- 督办: the figures per unit, the list's rows, its 状态 filter and colours, the 调度会 pack ------

def order_stats_rows(html, table_id):
    """The rows of a 督办 figures table: (name, 督办, 办结, 按时办结, 超期未办结, 办结率, 平均办结天数,
    退回次数) as shown."""
    rows = []
    for row in table_rows(html, table_id):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) == 8:
            rows.append((cells[0], int(cells[1]), int(cells[2]), int(cells[6]), int(cells[7]), cells[3], cells[4],
                         cells[5]))
    return rows


def pack_document(client, period, fresh=False):
    """The month's 调度会 pack as a leader (``client``) downloads it, opened with python-docx: on
    the data set as built (``as_built``), or downloaded ``fresh`` after the test changed something."""
    def build():
        import docx
        from io import BytesIO

        response = client.get(reverse("meeting_pack"), month_params(period))
        assert response.status_code == 200
        return docx.Document(BytesIO(response.content))
    return build() if fresh else as_built(("pack", period), build)


def pack_tables(client, period, document=None, fresh=False):
    """The 调度会 pack's tables, each a list of rows of cell texts (its header row first)."""
    def build(document=document):
        document = document or pack_document(client, period, fresh=fresh)
        return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return build() if fresh or document is not None else as_built(("pack tables", period), build)


def pack_text(client, period, fresh=False):
    """Every row of every table of the pack."""
    return [row for table in pack_tables(client, period, fresh=fresh) for row in table]


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_order_figures_equal_the_lists_rows_states_and_colours(leader_client, period):
    url = reverse("order_list")
    html = page(leader_client, url, period, per_page=200)
    by_unit, by_area = order_stats_rows(html, "stats-unit"), order_stats_rows(html, "stats-area")
    for rows in (by_unit, by_area):
        assert sum(r[1] for r in rows) == row_count(html)
        # 办结 as of the month's end is the list's 状态 办结 (an order closed later is not)
        assert sum(r[2] for r in rows) == row_count(page(leader_client, url, period, state="closed"))
        assert sum(r[2] for r in rows) == html.count('data-colour="done"')
        assert sum(r[4] for r in rows) == html.count('data-colour="red"')
    # the pack's open orders are the list's rows not closed at the month's end, coloured alike
    tables = pack_text(leader_client, period)
    open_rows = [row for row in tables if len(row) == 6 and row[4] in ("超期", "临期", "正常")]
    assert len(open_rows) == sum(r[1] - r[2] for r in by_unit)
    assert sum(1 for row in open_rows if row[4] == "超期") == html.count('data-colour="red"')
    assert sum(1 for row in open_rows if row[4] == "临期") == html.count('data-colour="amber"')
    # the pack's unit figures are the page's, rounded alike (办结率, 平均办结天数)
    pack_units = {row[0]: (int(row[1]), int(row[2]), int(row[4]), int(row[5]), row[3], row[6], row[7])
                  for row in tables if len(row) == 8 and row[1].isdigit()}
    assert pack_units == {name: tuple(rest) for name, *rest in by_unit}


def test_an_order_closed_after_the_month_is_open_in_that_months_list(leader_client):
    """July 2020: the order issued on 9 July was closed in August — 办理中/已反馈 at July's end."""
    july = Period(2020, 7)
    html = page(leader_client, reverse("order_list"), july, per_page=200)
    assert row_count(html) == 2 and html.count('data-colour="done"') == 1
    assert row_count(page(leader_client, reverse("order_list"), july, state="closed")) == 1


def test_while_the_month_runs_overdue_is_judged_at_today(leader_client, monkeypatch):
    """On 20 December 2020 the order due on the 25th is not yet overdue: the list's colours, the
    figures beside it and the pack's colours say so alike."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2020, 12, 20))
    december = Period(2020, 12)
    html = page(leader_client, reverse("order_list"), december, per_page=200)
    red = html.count('data-colour="red"')
    assert red == 1  # the one due on 30 November; the one due on 25 December is not late yet
    assert sum(r[4] for r in order_stats_rows(html, "stats-unit")) == red
    tables = pack_text(leader_client, december, fresh=True)  # judged on the 20th, not as built
    assert sum(1 for row in tables if len(row) == 6 and row[4] == "超期") == red


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_packs_areas_are_the_dashboards(leader_client, period):
    """主要指标 and 片区情况 of the pack: the headline figures, each area's 完成率 and 流动红旗 score as
    the dashboard shows them."""
    from projects.models import Area

    from portfolio.figures import CATALOGUE
    from portfolio.meeting import HEADLINE_KEYS

    html = dashboard_as_built(leader_client, period)
    tables = pack_tables(leader_client, period)
    # 主要指标: each headline figure as its dashboard card shows it
    headline = {row[0]: row[1] for row in next(t for t in tables if t[0] == ["指标", "数值", "单位"])[1:]}
    for key in HEADLINE_KEYS:
        card_text = figure_text(html, CATALOGUE[key].slug)
        assert card_text is not None and headline[CATALOGUE[key].label] == card_text, key
    areas = next(table for table in tables if table[0][1] == "年度计划（万元）")
    pack = {row[0]: row for row in areas[1:]}
    for area in Area.objects.all():
        shown_rate = re.search(rf'data-figure="area-rate-{area.pk}">([^<]*)<', html).group(1)
        score = re.search(rf'data-figure="area-score-{area.pk}">([^<]*)<', html)
        assert pack[area.name][3] == shown_rate
        assert pack[area.name][4] == (score.group(1) if score else "未考评")


# --- contracts and payments: the cards, the lists, their export and the workbook's sheets ---------

def sheet_of(write, period, title):
    """One sheet of the district workbook as its writer (``portfolio.workbook`` calls it) writes it."""
    from portfolio.exports import WorkbookWriter
    from tests.xlsx import values

    book = WorkbookWriter()
    write(book, period, "望城区")
    return values(book.to_bytes())[title]


def card(period, key):
    """The figure as its card shows it (the catalogue's text)."""
    from portfolio.figures import figure_values

    return figure_values(period=period)[key].card


def column_cells(client, url, period, column):
    """The texts of a list's column, the list shown with that column alone (the column chooser)."""
    html = page(client, url, period, per_page=200, columns=column)
    body = html[html.index("<tbody"):html.index("</tbody>")]
    if not row_count(html):
        return []  # the one cell says 没有符合条件的记录
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_payment_warnings_card_review_list_export_and_sheet_agree(leader_client, period):
    from contracts.exports import write_contracts
    from portfolio.exports.writer import FIRST_DATA_ROW
    from tests.xlsx import download, numbered_runs, values

    sheet = numbered_runs(sheet_of(write_contracts, period, "合同与支付"))
    contracts = page(leader_client, reverse("contracts:list"), period, per_page=200)
    assert row_count(contracts) == len(sheet[0])
    warned = [row for row in re.findall(r"<tr.*?</tr>", contracts[contracts.index("<tbody"):], re.S)
              if "data-warning" in row]
    review = page(leader_client, reverse("contracts:payment_review"), period, per_page=200)
    assert card(period, "payment_warnings") == str(row_count(review)) == str(len(warned)) == str(len(sheet[1]))
    assert sum(1 for row in sheet[0] if row[12]) == len(sheet[1])  # the sheet's 预警 column
    # 允许支付 on the page = the sheet's
    allowed = column_cells(leader_client, reverse("contracts:payment_review"), period, "allowed")
    assert sorted(allowed) == sorted(f"{row[8]:,.2f}" for row in sheet[1])
    exported = values(download(leader_client.get(reverse("contracts:payment_review"),
                                                 month_params(period, export="xlsx"))))
    data_rows = [r for r in exported.active.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)
                 if any(v is not None for v in r)]
    assert len([r for r in data_rows if r[0] != "合计"]) == row_count(review)


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_reconciliation_and_completions_cards_lists_and_sheet_agree(leader_client, period):
    from contracts.exports import write_reconciliation
    from tests.xlsx import numbered_runs

    sheet = numbered_runs(sheet_of(write_reconciliation, period, "统计对账"))
    listing = page(leader_client, reverse("contracts:reconciliation"), period, per_page=200)
    flagged = listing.count("data-gap-flagged")
    assert row_count(listing) == len(sheet[0])
    assert card(period, "reconciliation_gaps") == str(flagged) == str(sum(1 for r in sheet[0] if r[12] == "差异超限"))
    assert row_count(page(leader_client, reverse("contracts:reconciliation"), period, flagged="true")) == flagged
    unregistered = page(leader_client, reverse("contracts:unregistered"), period)
    assert card(period, "started_unregistered") == str(row_count(unregistered)) == str(len(sheet[1]))
    completions = page(leader_client, reverse("contracts:completions"), period, per_page=200)
    assert card(period, "completion_due") == str(row_count(completions))
    assert card(period, "completed_on_time") == str(completions.count(">是</span>"))


# --- 红黑榜: the page, the workbook's sheet and the 调度会 pack -----------------------------------

def ranking_page_rows(html):
    """(rank, name, board, [component scores], total) of each ranked row, in the page's order."""
    rows = []
    for match in re.finditer(r'<tr data-name="([^"]+)" data-board="(\w*)".*?</tr>', html, re.S):
        row = match.group(0)
        scores = re.findall(r'<td data-component="\w+"><span class="fw-semibold">([^<]*)</span>', row)
        rank = re.search(r'data-cell="rank">(\d+)<', row).group(1)
        total = re.search(r'data-cell="total">([^<]*)<', row).group(1)
        rows.append((rank, match.group(1), match.group(2), scores, total))
    return rows


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_ranking_page_sheet_and_pack_agree(leader_client, period):
    from ranking.exports import write_ranking

    html = page(leader_client, reverse("ranking:month"), period)
    shown = ranking_page_rows(html)
    assert shown  # both areas are ranked every month
    boards = {"红榜": "red", "黑榜": "black", None: ""}
    sheet = [(str(r[0]), r[2], boards[r[1]], ["—" if v is None else f"{v:.1f}" for v in r[3:7]],
              "—" if r[7] is None else f"{r[7]:.1f}")
             for r in sheet_of(write_ranking, period, "红黑榜").iter_rows(values_only=True) if isinstance(r[0], int)]
    assert sheet == shown
    pack = [row for table in pack_tables(leader_client, period) if table[0][0] == "名次" for row in table[1:]]
    assert [(row[0], row[2], boards[row[1] or None], row[3:7], row[7]) for row in pack if row[0].isdigit()] == shown
    exempt = re.findall(r'data-exempt data-name="([^"]+)"', html)
    assert exempt == [row[2] for row in pack if row[1] == "免于排名"]


# --- the summary paragraph and the dashboard's cards ---------------------------------------------

def figure_text(html, slug):
    match = re.search(rf'data-(?:figure|phase|category)="{slug}"[^>]*>([^<]*)<', html)
    return match.group(1).strip() if match else None


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_summary_states_the_dashboards_figures(leader_client, period):
    """Each number the 工作总结 paragraph states is the one its dashboard card shows (cards with
    thousands separators are compared without them)."""
    from html import unescape

    dashboard = dashboard_as_built(leader_client, period)
    summary = unescape(page(leader_client, reverse("report_summary"), period))

    def f(slug):
        text = figure_text(dashboard, slug)
        assert text is not None, slug
        return text.replace(",", "")

    assert (f"固定资产计划总投资{f('target')}亿，其中市重大目标金额为{f('municipal-target')}亿，"
            f"非市重大{f('other-target')}亿") in summary
    assert (f"已完成投资{f('completed')}亿，占年度计划的{f('rate')}，其中市重大项目完成投资"
            f"{f('municipal-completed')}亿，完成率{f('municipal-rate')}") in summary
    for slug, phrase in (("delivered", "{}个项目已全部完成建设并交付使用"), ("construction", "{}个项目正在快速推进")):
        if f(slug) != "0":
            assert phrase.format(f(slug)) in summary, slug
    if figure_text(dashboard, "funding") not in (None, "0"):
        assert f"等上级资金{f('funding')}万元" in summary
    if figure_text(dashboard, "permit-max") not in (None, "—"):
        assert f"办证时长中位数{f('permit-median')}天、最长{f('permit-max')}天" in summary
    if figure_text(dashboard, "land-batches") not in (None, "0"):
        assert f"{f('land-batches')}个批次" in summary and f"共计{f('land-area')}亩地" in summary


# --- open data: the package of a year against the lists at its December --------------------------

@pytest.mark.parametrize("year", [2020, 2021])
def test_the_open_data_package_counts_the_lists_at_its_years_end(leader_client, year):
    """The package (as of 31 December) holds the project list's rows of December — every project
    published, as an administrator may choose — with the statuses of the dashboard's phase cards."""
    import json
    from collections import Counter

    from opendata.models import Publication
    from projects.models import Project

    for project in Project.objects.filter(plan_entries__plan__year=year):
        Publication.objects.update_or_create(project=project, defaults={"publishable": True})
    from tests.xlsx import download

    package = json.loads(download(leader_client.get(reverse("opendata:package"), {"year": year})))
    december = Period(year, 12)
    dashboard = page(leader_client, reverse("dashboard"), december)
    assert len(package["projects"]) == row_count(page(leader_client, reverse("projects:list"), december))
    statuses = Counter(p["status"] for p in package["projects"])
    phases = {phase: int(re.search(rf'data-phase="{phase}"[^>]*>(\d+)<', dashboard).group(1))
              for phase in ("preliminary", "construction", "completed", "delivered")}
    assert statuses["completion"] == phases["completed"] + phases["delivered"]
    assert statuses["implementation"] == phases["construction"]
    assert statuses["preparation"] + statuses["identification"] == phases["preliminary"]


# --- the dashboard's cards, their lists and the 调度会 pack: nodes, problems, photos ---------------

@pytest.mark.parametrize("period", EVERY_MONTH)
def test_overdue_nodes_open_problems_and_photos_agree_with_their_lists_and_the_pack(leader_client, period):
    dashboard = dashboard_as_built(leader_client, period)
    overdue = int(figure_text(dashboard, "overdue-milestones"))
    assert overdue == row_count(page(leader_client, reverse("projects:milestones"), period, overdue="true"))
    overdue_page = page(leader_client, reverse("records:overdue"), period)
    assert overdue == int(re.search(r'data-figure="overdue-total">(\d+)<', overdue_page).group(1))
    document = pack_document(leader_client, period)
    tables = pack_tables(leader_client, period, document)
    pack_nodes = next((t for t in tables if t[0] == ["片区", "项目", "节点", "计划完成", "逾期天数"]), [["header"]])
    assert len(pack_nodes) - 1 == overdue
    # 期末未解决问题 of the pack = the problem list's 待解决 at the month's end
    said = re.search(r"期末未解决问题(\d+)个", "\n".join(p.text for p in document.paragraphs))
    open_problems = row_count(page(leader_client, reverse("problem_list"), period, status="open"))
    assert (int(said.group(1)) if said else 0) == open_problems
    # 形象进度照片: the card's 无照片 is the list's rows, each area's n/m its rows
    missing = int(figure_text(dashboard, "evidence-missing"))
    assert missing == row_count(page(leader_client, reverse("evidence:missing"), period))
    for area, with_photo, total in re.findall(r'data-figure="evidence-area-(\d+)"[^>]*>(\d+)/(\d+)<', dashboard):
        listed = row_count(page(leader_client, reverse("evidence:missing"), period, area=area))
        assert int(total) - int(with_photo) == listed, area


# --- 流动红旗 scores: the dashboard, the scores page, its history, the 红黑榜 --------------------------

@pytest.mark.parametrize("period", EVERY_MONTH)
def test_an_areas_score_reads_the_same_on_every_page(leader_client, period):
    """The dashboard's area score links to the 流动红旗 history: both, the month's scores page and
    the 红黑榜's 考评 show it alike — also when the criteria have decimals (94.65 → 94.7)."""
    from decimal import Decimal

    from projects.models import Area, MonthlyScore

    south = Area.objects.get(name="南片")
    MonthlyScore.objects.filter(area=south, year=period.year, month=period.month).update(quality=Decimal("93.25"))
    dashboard = page(leader_client, reverse("dashboard"), period)
    scores = page(leader_client, reverse("records:scores"), period)
    history = leader_client.get(reverse("records:score_history")).content.decode()
    ranking = page(leader_client, reverse("ranking:month"), period)
    for area in Area.objects.all():
        shown = figure_text(dashboard, f"area-score-{area.pk}")
        if shown is None:  # not scored this month: 未考评 on the scores page too
            assert "未考评" in re.search(rf'data-area="{area.name}">.*?</tr>', scores, re.S).group(0)
            continue
        month_row = re.search(rf'<tr data-month="{period.year}-{period.month}">.*?</tr>', history, re.S).group(0)
        assert f"{area.name}（{shown}）" in month_row
        row = re.search(rf'data-area="{area.name}">.*?</tr>', scores, re.S).group(0)
        assert f'data-cell="total">{shown}<' in row, area.name
        row = re.search(rf'<tr data-name="{area.name}".*?</tr>', ranking, re.S).group(0)
        assert f'data-component="scores"><span class="fw-semibold">{shown}</span>' in row


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_ranking_areas_figures_are_the_lists_rows(leader_client, period):
    """An area's row of the 红黑榜 names its red lights and its overdue nodes: the project list's
    红灯 rows and the node list's overdue rows of that area, at the month's end."""
    from projects.models import Area

    ranking = page(leader_client, reverse("ranking:month"), period)
    for area in Area.objects.all():
        row = re.search(rf'<tr data-name="{area.name}".*?</tr>', ranking, re.S)
        if row is None:
            continue  # exempted this month
        row = row.group(0)
        red = re.search(r"红灯(\d+)个", row).group(1)  # every area has a target in the year's plan
        assert int(red) == row_count(page(leader_client, reverse("projects:list"), period, area=area.pk, rag="red"))
        late = re.search(r"逾期(\d+) / 到期(\d+)个", row)
        overdue = row_count(page(leader_client, reverse("projects:milestones"), period, area=area.pk, overdue="true"))
        assert (int(late.group(1)) if late else 0) == overdue


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_funds_in_place_is_the_payment_lists_total(leader_client, period):
    """到位资金 (资金到位率's numerator) links to the payment list: its 合计 is the figure, on the page
    and in the list's export."""
    from tests.xlsx import download, values

    url = reverse("contracts:payments")
    columns = ["paid_on", "amount"]
    html = page(leader_client, url, period, per_page=25, columns=columns)
    footer = html[html.index("<tfoot"):html.index("</tfoot>")]
    assert "合计" in footer
    total = re.findall(r"<td[^>]*>([\d,]+\.\d\d)</td>", footer)
    assert total == [card(period, "funds_in_place")]
    exported = values(download(leader_client.get(url, month_params(period, export="xlsx", columns=columns))))
    last = [r for r in exported.active.iter_rows(values_only=True) if r and r[0] is not None][-1]
    assert str(last[0]).startswith("合计") and f"{last[-1]:,.2f}" == card(period, "funds_in_place")


# --- one calendar: the month after, the month before --------------------------------------------

@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_next_and_previous_month_are_the_periods(leader_client, period):
    """The month after and before a period (``Period.following``/``preceding``) — the pack's 下月节点,
    the report deadline, the month page's arrows — meet its first and last day."""
    from investment.selectors import report_deadline

    assert period.following().month_start - dt.timedelta(days=1) == period.end
    assert period.preceding().end + dt.timedelta(days=1) == period.month_start
    assert period.following().preceding() == period
    deadline = report_deadline(year=period.year, month=period.month)
    assert deadline > period.end and deadline.month == period.following().month
    month_page = leader_client.get(reverse("investment:month", args=[period.year, period.month])).content.decode()
    after, before = period.following(), period.preceding()
    assert reverse("investment:month", args=[after.year, after.month]) in month_page
    assert reverse("investment:month", args=[before.year, before.month]) in month_page


# --- the demo's 2021: every linked figure against its list -----------------------------------------

@pytest.mark.slow  # ~30 list pages a month (tests/test_month_walk.py walks 2020 and a generated year)
@pytest.mark.parametrize("period", [p for p in MONTHS if p.year == 2021], ids=[i for i in MONTH_IDS if "2021" in i])
def test_2021_every_linked_figure_counts_its_lists_rows(leader_client, period):
    from portfolio.figures import linked_counts

    counts = linked_counts(period=period)
    assert len(counts) >= 20
    for key, count, url in counts:
        html = leader_client.get(url + ("&" if "?" in url else "?") + "per_page=25").content.decode()
        assert row_count(html) == count, (key, url)


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_reconciliation_lists_total_is_the_sheets_and_the_project_lists(leader_client, period):
    """统计对账 ends with the 合计 its sheet ends with; its 调度累计 is the project list's 1-N月 total."""
    from decimal import Decimal

    from contracts.exports import write_reconciliation
    from tests.xlsx import find_row

    html = page(leader_client, reverse("contracts:reconciliation"), period)
    footer = html[html.index("<tfoot"):html.index("</tfoot>")]
    shown = re.findall(r"<td[^>]*>(-?[\d,]+\.\d\d)</td>", footer)
    sheet = [c.value for c in find_row(sheet_of(write_reconciliation, period, "统计对账"), "合计", column=3)[5:12]]
    assert shown == [f"{Decimal(str(v)):,.2f}" for v in sheet]
    projects = page(leader_client, reverse("projects:list"), period, columns=["code", "completed_to_date"])
    project_total = re.findall(r"<td[^>]*>([\d,]+\.\d\d)</td>", projects[projects.index("<tfoot"):])[0]
    assert shown[1] == project_total


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_contract_lists_total_is_the_sheets(leader_client, period):
    """合同与支付 ends with the 合计 of its workbook sheet: 合同价, 已批准变更, 现合同价, 累计支付, 结算, 审计."""
    from decimal import Decimal

    from contracts.exports import write_contracts
    from tests.xlsx import find_row

    columns = ["title", "price", "approved_variations", "current_price", "paid_to_date", "settled_amount",
               "audited_amount"]
    html = page(leader_client, reverse("contracts:list"), period, columns=columns)
    footer = html[html.index("<tfoot"):html.index("</tfoot>")]
    shown = re.findall(r"<td[^>]*>(-?[\d,]+\.\d\d)</td>", footer)
    row = [c.value for c in find_row(sheet_of(write_contracts, period, "合同与支付"), "合计", column=2)]
    sheet = [row[i] for i in (5, 6, 7, 10, 13, 14)]
    assert shown == [f"{Decimal(str(v or 0)):,.2f}" for v in sheet]


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_schedule_to_date_reads_the_same_on_the_dashboard_and_the_project_list(leader_client, period):
    """时间进度 (序时进度, ``Period.elapsed``) rounded alike on the dashboard and in the project
    list's note on its lights."""
    dashboard = dashboard_as_built(leader_client, period)
    shown = re.search(r"时间进度 ([\d.]+%)", dashboard).group(1)
    listing = page(leader_client, reverse("projects:list"), period)
    assert f"亮灯按时间进度{shown}判断" in listing


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_a_laggards_completion_rate_reads_alike_on_the_dashboard_the_pack_and_the_project_list(leader_client, period):
    """A laggard's 完成率 beside its light: the dashboard's, the 调度会 pack's and the project list's
    (the list the project name is found in) — one rounding (one decimal)."""
    from html import unescape

    dashboard = dashboard_as_built(leader_client, period)
    section = dashboard[dashboard.find('id="laggards"'):dashboard.find('id="rag-legend"')]  # none in January
    shown = {}
    for row in re.findall(r"<tr>.*?</tr>", section, re.S):
        if 'data-figure="laggard-rate"' in row:
            name = re.search(r'<a href="/projects/\d+/">([^<]+)</a>', row).group(1)
            shown[unescape(name)] = re.search(r'data-figure="laggard-rate">([^<]+)<', row).group(1)
    laggards = next((t for t in pack_tables(leader_client, period) if t[0][:4] == ["项目", "片区", "亮灯", "完成率"]), [])
    in_pack = {row[0]: row[3] for row in laggards[1:]}
    common = set(shown) & set(in_pack)
    assert len(common) == min(len(shown), len(in_pack))
    for name in common:
        assert shown[name] == in_pack[name], name
    listing = unescape(page(leader_client, reverse("projects:list"), period, per_page=200, columns=["name", "rate"]))
    for name in common:
        assert re.search(rf">{re.escape(name)}</a></td>\s*<td[^>]*>{re.escape(shown[name])}</td>", listing), name


# --- 月度填报: who is due a report, on the month page and on 填报情况 ------------------------------

@pytest.mark.parametrize("period", EVERY_MONTH)
def test_the_reports_due_are_the_month_pages_rows_not_folded(admin_client_, period):
    """填报情况's 应填报 = the month page's projects less those folded under 本月无需填报 (the one
    rule ``investment.selectors.not_due_reason``)."""
    month_page = admin_client_.get(reverse("investment:month", args=[period.year, period.month])).content.decode()
    total = re.search(r"共 (\d+) 个项目(?:（含本月无需填报 (\d+) 个）)?", month_page)
    folded = int(total.group(2) or 0)
    assert f"本月无需填报（{folded}个）" in month_page or not folded
    status = admin_client_.get(reverse("investment:status", args=[period.year, period.month])).content.decode()
    due = int(re.search(r'data-figure="due">(\d+)<', status).group(1))
    assert due == int(total.group(1)) - folded


@pytest.mark.parametrize("period", EVERY_MONTH)
def test_days_late_of_the_overdue_nodes_read_alike_in_the_list_and_the_pack(leader_client, period):
    """逾期天数 at the month's end (``projects.selectors.days_late``): the node list's overdue rows
    and the 调度会 pack's 逾期节点 give each node the same days."""
    from collections import Counter
    from html import unescape

    html = unescape(page(leader_client, reverse("projects:milestones"), period, overdue="true", per_page=200,
                         columns=["name", "days_late"]))
    body = html[html.index("<tbody"):html.index("</tbody>")]
    listed = Counter(tuple(re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
                     for row in re.findall(r"<tr.*?</tr>", body, re.S) if row_count(html))
    pack = next((t for t in pack_tables(leader_client, period) if t[0] == ["片区", "项目", "节点", "计划完成", "逾期天数"]),
                [[]])
    assert listed == Counter((row[2], row[4]) for row in pack[1:])
    assert sum(listed.values()) == row_count(html)
