"""The dashboard reads its figures in few queries (issue 19): the plan entries once
(``portfolio.selectors.plan_pass``), the small summaries in one statement (``portfolio.fused``).
These tests check that the fast path computes exactly what each selector computes on its own, month
by month, on the 2020 data set and on a generated year, and bound the page's queries."""
import pytest
from django.urls import reverse

from investment import selectors as investment
from portfolio import selectors
from portfolio.numbers import Period
from portfolio.selectors import REPORT_PARTS
from tests.test_month_walk import GENERATED_YEAR, generated_year  # noqa: F401  (the shared generated year)

DASHBOARD_QUERIES = 22
"""The page's bound at every size: 5 of them are the session, the user, the year menu, the user's
groups and the unread notifications; see bench/RESULTS.md for what the rest are."""


def assert_fast_path_agrees(period):
    figures = selectors.dashboard_figures(period=period)
    for name, part in REPORT_PARTS.items():
        assert figures[name] == part(period), (period, name)
    june = Period(period.year, 6)
    assert figures["half"] == (investment.half_and_half(year=period.year) if period.month >= 6 else None), period
    assert figures["areas"] == selectors.area_rows(period=period), period
    overview = selectors.rag_overview(period=period)  # the status computed by the database (rag_expression)
    assert figures["rag"] == overview["counts"], period
    assert [e.pk for e in figures["laggards"]] == [e.pk for e in overview["laggards"]], period
    if period.month > 6:
        parts = figures["june_parts"]
        assert parts["resumption"] == REPORT_PARTS["resumption"](june)
        assert parts["starts"] == REPORT_PARTS["starts"](june)
        assert parts["early_by_kind"] == REPORT_PARTS["early_by_kind"](june)


def assert_rag_agrees(period):
    """``rag_of`` (on the rows read) gives every entry the status ``rag_expression`` gives it in SQL."""
    in_python = {row["id"]: row["rag"] for row in selectors.plan_pass(period=period)}
    in_sql = dict(selectors.project_rows(period=period).values_list("id", "rag"))
    assert in_python == in_sql, period
    return in_sql


@pytest.mark.usefixtures("demo_2020")
def test_fast_path_equals_the_selectors_every_month_of_2020():
    seen = set()
    for month in range(1, 13):
        assert_fast_path_agrees(Period(2020, month))
        seen |= set(assert_rag_agrees(Period(2020, month)).values())
    assert {"red", "amber", "green"} <= seen  # the walk met the statuses it checks


@pytest.mark.slow
@pytest.mark.usefixtures("generated_year")
def test_fast_path_equals_the_selectors_every_month_of_a_generated_year():
    for month in range(1, 13):
        assert_fast_path_agrees(Period(GENERATED_YEAR, month))
        assert_rag_agrees(Period(GENERATED_YEAR, month))


def dashboard_html(client, year, month, django_assert_max_num_queries):
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("dashboard"), {"year": year, "month": month})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("demo_2020")
def test_dashboard_queries_bounded_on_2020(leader_client, django_assert_max_num_queries):
    for month in (3, 6, 12):
        html = dashboard_html(leader_client, 2020, month, django_assert_max_num_queries)
        assert 'data-figure="completed"' in html


@pytest.mark.slow
@pytest.mark.usefixtures("generated_year")
def test_dashboard_queries_bounded_on_a_generated_year(leader_client, django_assert_max_num_queries):
    for month in (4, 12):
        html = dashboard_html(leader_client, GENERATED_YEAR, month, django_assert_max_num_queries)
        assert 'data-figure="completed"' in html
