"""Every figure of the dashboard links to the records behind it, and the records add up to it."""
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from investment.models import MonthlyProgress

pytestmark = pytest.mark.usefixtures("demo_2020")


def dashboard(client, **params):
    return client.get(reverse("dashboard"), params).content.decode()


def link_of(html, marker):
    """The href of the <a> that holds (or is) the element marked ``marker``."""
    pos = html.index(marker)
    start = html.rfind("<a ", 0, pos)
    href = re.search(r'href="([^"]+)"', html[start:pos + len(marker) + 200]).group(1)
    return unescape(href)


def row_count(client, url):
    html = client.get(url).content.decode()
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


def test_december_figures_with_their_units(leader_client):
    html = dashboard(leader_client, year=2020, month=12)
    for text in ['data-figure="target">14.79', 'data-figure="municipal-target">9.41',
                 'data-figure="other-target">5.38', 'data-figure="completed">17.8',
                 'data-figure="rate">120.4%', 'data-figure="municipal-completed">13.7',
                 'data-figure="municipal-rate">145%', 'data-figure="plan-total">45',
                 'data-category="continuing">10', 'data-category="new">18',
                 'data-category="preliminary">13', 'data-category="supervised">3',
                 'data-category="reserve">1', 'data-figure="land-batches">6',
                 'data-figure="land-area">419.74', 'data-figure="tenders-works">19',
                 'data-figure="funding">12,247', 'data-phase="delivered">9',
                 'data-phase="construction">21', 'data-figure="unplanned">3']:
        assert text in html, text


def test_june_hundred_day_figures_and_half_and_half(leader_client):
    html = dashboard(leader_client, year=2020, month=6)
    for text in ['data-figure="resumption-rate">100%', 'data-figure="start-rate">69%',
                 'data-figure="new-starts">11', 'data-figure="early-starts">3']:
        assert text in html, text
    assert "已实现" in html  # 双过半 at June 2020
    assert "6月末判定" in dashboard(leader_client, year=2020, month=5)


def test_start_rate_links_to_the_16_due_projects(leader_client):
    html = dashboard(leader_client, year=2020, month=6)
    page = leader_client.get(link_of(html, 'data-figure="start-rate"')).content.decode()
    assert page.count("<tr>", page.index('id="due-started"'), page.index('id="due-not-started"')) == 1 + 11
    not_started = page[page.index('id="due-not-started"'):page.index('id="early"')]
    assert not_started.count("<tr>") == 1 + 5
    assert 'data-figure="early-starts">3<' in page
    early = page[page.index('id="early-table"'):page.index('id="resumption"')]
    assert early.count("<tr>") == 1 + 3
    assert "期后开工" in not_started  # started, but only after June
    assert 'data-figure="resumption-rate">100%' in page


@pytest.mark.parametrize("marker, expected", [
    ('data-figure="municipal-completed"', 10),
    ('data-category="new"', 18),
    ('data-category="continuing"', 10),
    ('data-current-category="preliminary"', 11),
    ('data-phase="construction"', 21),
    ('data-phase="delivered"', 9),
    ('data-figure="unplanned"', 3),
    ('data-figure="plan-total"', 45),
    ('data-figure="land-batches"', 6),
    ('data-figure="tenders-works"', 19),
])
def test_figure_links_list_as_many_records_as_the_figure_says(leader_client, marker, expected):
    html = dashboard(leader_client, year=2020, month=12)
    assert row_count(leader_client, link_of(html, marker)) == expected


def test_rag_counts_link_to_as_many_projects(leader_client):
    html = dashboard(leader_client, year=2020, month=12)
    for status in ("red", "amber", "green", "none"):
        shown = int(re.search(rf'data-figure="rag-{status}">(\d+)<', html).group(1))
        assert row_count(leader_client, link_of(html, f'data-figure="rag-{status}"')) == shown, status


def test_funding_link_lists_the_secured_money(leader_client):
    html = dashboard(leader_client, year=2020, month=12)
    page = leader_client.get(link_of(html, 'data-figure="funding"')).content.decode()
    body, footer = page[page.index("<tbody"):page.index("</tbody>")], page[page.index("<tfoot"):page.index("</tfoot>")]
    amounts = [Decimal(a.replace(",", "")) for a in re.findall(r'<td class="num">([\d,]+\.\d\d)</td>', body)]
    assert sum(amounts) == Decimal("12247")
    assert '<td class="num">12,247.00</td>' in footer  # the list's 合计 is the figure


def test_overdue_milestones_link(leader_client):
    html = dashboard(leader_client, year=2020, month=12)
    shown = int(re.search(r'data-figure="overdue-milestones"[^>]*>(\d+)<', html).group(1))
    assert row_count(leader_client, link_of(html, 'data-figure="overdue-milestones"')) == shown


def test_permit_lead_times_link_sorted_worst_first(leader_client):
    html = dashboard(leader_client, year=2020, month=12)
    worst = re.search(r'data-figure="permit-max">(\d+)<', html).group(1)
    page = leader_client.get(link_of(html, 'data-figure="permit-max"')).content.decode()
    listed = page[page.index('id="records-table"'):]
    first_row = listed[listed.index("<tbody"):]
    assert re.search(r'<td class="num">(?:<span[^>]*>)?(\d+)', first_row).group(1) == worst


def test_changing_one_month_changes_the_dashboard(leader_client):
    before = dashboard(leader_client, year=2020, month=12)
    assert 'data-figure="completed">17.8<' in before
    row = MonthlyProgress.objects.filter(entry__plan__year=2020, month=12, entry__is_municipal_key=False).first()
    row.completed += Decimal("10000")  # +1 亿元
    row.save()
    after = dashboard(leader_client, year=2020, month=12)
    assert 'data-figure="completed">18.8<' in after
    assert 'data-figure="rate">127.2%' in after
    assert 'data-figure="municipal-completed">13.7<' in after


def test_category_changes_and_unplanned_projects_are_listed_with_reasons(leader_client):
    html = dashboard(leader_client, year=2020, month=12)
    changes = html[html.index('id="category-changes"'):html.index('id="unplanned"')]
    assert "对家塘路" in changes and "8月18日" in changes and "新建→预备" in changes
    assert changes.count("<li>") == 8
    assert "中南路" in html[html.index('id="unplanned"'):]


def test_areas_side_by_side_with_scores(leader_client):
    from projects.models import Area

    html = dashboard(leader_client, year=2020, month=12)
    south, north = Area.objects.get(name="南片"), Area.objects.get(name="北片")
    # weighted as projects.scoring.WEIGHTS: 进度 0.4, 质量/安全/形象 0.2 each
    assert f'data-figure="area-score-{south.pk}">94.6<' in html  # 95·.4 + (93+96+94)·.2
    assert f'data-figure="area-score-{north.pk}">91.8<' in html  # 92·.4 + (91+94+90)·.2
    areas = html[html.index('id="areas"'):html.index('id="rag-summary"')]
    assert areas.count("红旗") == 1 and areas.index("红旗") < areas.index(f"area-score-{south.pk}")
    south_done = Decimal(re.search(rf'data-figure="area-completed-{south.pk}">([\d.]+)<', html).group(1))
    north_done = Decimal(re.search(rf'data-figure="area-completed-{north.pk}">([\d.]+)<', html).group(1))
    assert abs(south_done + north_done - Decimal("17.8")) <= Decimal("0.1")
    assert "未考评" in dashboard(leader_client, year=2020, month=6)


def test_curve_is_inline_svg_with_chinese_labels(leader_client):
    html = dashboard(leader_client, year=2020, month=12)
    svg = html[html.index("<svg"):html.index("</svg>")]
    for label in ("本年累计完成率", "计划进度（时间进度）", "上年累计完成率", "12月", "125%"):
        assert label in svg, label
    assert svg.count('class="dot"') == 12
    june = dashboard(leader_client, year=2020, month=6)
    assert june[june.index("<svg"):june.index("</svg>")].count('class="dot"') == 6


def test_legend_states_the_thresholds(leader_client):
    from portfolio import rag

    html = dashboard(leader_client, year=2020, month=12)
    legend = html[html.index('id="rag-legend"'):]
    assert f"超过{rag.RED_POINTS}个百分点" in legend
    assert f"{rag.AMBER_POINTS}–{rag.RED_POINTS}个百分点" in legend
    assert f"{rag.NOT_STARTED_MONTHS}个月后仍未开工" in legend


def test_print_stylesheet_is_a4_landscape(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/app.css"), encoding="utf-8").read()
    assert "size: A4 landscape" in css


def test_laggards_show_how_far_behind(leader_client):
    html = dashboard(leader_client, year=2020, month=6)
    laggards = html[html.index('id="laggards"'):html.index('id="rag-legend"')]
    row = laggards[laggards.index("银星路"):]
    row = row[:row.index("</tr>")]
    # not started by June 30: 0 % done while half the year has gone → 50 points behind, red; the
    # points to one decimal as every rate (portfolio.numbers), their unit in the header
    assert '<td class="num" data-figure="laggard-rate">0.0%</td>' in row and '<td class="num">50.0</td>' in row
    assert "落后（百分点）</th>" in laggards
    assert laggards.index("rag-red") < laggards.index("rag-amber")
