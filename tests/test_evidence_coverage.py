"""Evidence coverage (issue 17): the share of projects under construction (the dashboard's 在建
rule) with a progress photo of the month, by area, linked to the list of those without one. The
month walk (tests/test_month_walk.py) checks the figure against its list in every month."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from portfolio.figures import figure_values, linked_counts
from portfolio.numbers import Period
from projects.models import Phase
from tests import factories
from tests.evidence_support import media_root, photo  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    """南片: A (在建, photo in June), B (在建 from 10 June, none); 北片: C (在建, photo in May only),
    D (前期: not counted)."""
    south, north = factories.area("南片"), factories.area("北片", order=2)
    a, b = factories.project(name="甲路", area=south), factories.project(name="乙校", area=south)
    c, d = factories.project(name="丙园", area=north), factories.project(name="丁馆", area=north)
    for p in (a, b, c, d):
        factories.plan_entry(p)
    factories.phase_transition(a, occurred_on=dt.date(2020, 3, 1))
    factories.phase_transition(b, occurred_on=dt.date(2020, 6, 10))
    factories.phase_transition(c, occurred_on=dt.date(2020, 2, 1))
    photo(a, month=6)
    photo(c, month=5)
    return {"south": south, "north": north, "a": a, "b": b, "c": c, "d": d}


def rows(client, url):
    html = client.get(url).content.decode()
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1)), html


def test_coverage_figure_equals_its_list(leader_client, site):
    values = figure_values(period=Period(2020, 6))
    assert values["evidence_missing"].value == 2   # B and C
    assert values["evidence_coverage"].text == "33%"  # 1 of 3
    count, html = rows(leader_client, values["evidence_missing"].url)
    assert count == 2 and "乙校" in html and "丙园" in html and "甲路" not in html and "丁馆" not in html
    assert ("evidence_missing", 2, values["evidence_missing"].url) in linked_counts(period=Period(2020, 6),
                                                                                    values=values)
    may = figure_values(period=Period(2020, 5))
    assert (may["evidence_missing"].value, may["evidence_coverage"].text) == (1, "50%")  # A without, C with


def test_under_construction_is_the_dashboards_rule(site):
    values = figure_values(period=Period(2020, 6))
    under_construction = values[f"phase_{Phase.CONSTRUCTION}"].value
    covered = values["evidence_coverage"].value * under_construction
    assert under_construction == 3 and covered + values["evidence_missing"].value == 3


def test_dashboard_card_by_area_links_to_the_areas_list(leader_client, site, django_assert_max_num_queries):
    url = reverse("dashboard") + "?year=2020&month=6"
    with django_assert_max_num_queries(60):
        html = leader_client.get(url).content.decode()
    card = html[html.index('id="evidence-coverage"'):]
    assert re.search(r'data-figure="evidence-coverage">33%<', card)
    south = re.search(r'href="([^"]+)" data-figure="evidence-area-%d"[^>]*>1/2<' % site["south"].pk, card)
    north = re.search(r'href="([^"]+)" data-figure="evidence-area-%d"[^>]*>0/1<' % site["north"].pk, card)
    assert south and north
    count, page = rows(leader_client, south.group(1).replace("&amp;", "&"))
    assert count == 1 and "乙校" in page
    count, page = rows(leader_client, north.group(1).replace("&amp;", "&"))
    assert count == 1 and "丙园" in page


def test_missing_list_is_bounded_and_links_to_upload(leader_client, site, django_assert_max_num_queries):
    for i in range(15):
        p = factories.project(name=f"加测{i}", area=site["south"])
        factories.plan_entry(p)
        factories.phase_transition(p)
    url = reverse("evidence:missing") + "?year=2020&month=6"
    with django_assert_max_num_queries(15):
        count, html = rows(leader_client, url)
    assert count == 17
    assert reverse("evidence:project_photos", args=[site["b"].pk]) + "?year=2020&amp;month=6" in html
