"""Red / amber / green around the thresholds of portfolio.rag."""
import datetime as dt

import pytest

from portfolio.numbers import Period
from portfolio.rag import Rag, not_started_cutoff
from portfolio.selectors import project_rows, rag_counts
from projects.models import Phase, PlanCategory
from tests import factories

JUNE = Period(2020, 6)  # half the year elapsed


def status_with(completed, target="1200", **project_kw):
    project_kw.setdefault("planned_start", dt.date(2019, 1, 1))
    project_kw.setdefault("actual_start", dt.date(2019, 2, 1))
    entry = factories.plan_entry(factories.project(**project_kw), target=target, category=PlanCategory.CONTINUING)
    if completed:
        factories.progress(entry, 3, completed)
    return project_rows(period=JUNE).get(pk=entry.pk).rag


@pytest.mark.django_db
@pytest.mark.parametrize("completed, expected", [
    ("600", Rag.GREEN),   # 50 %: on time
    ("480", Rag.GREEN),   # 40 %: exactly 10 points behind
    ("479.99", Rag.AMBER),
    ("240", Rag.AMBER),   # 20 %: exactly 30 points behind
    ("239.99", Rag.RED),
    ("0", Rag.RED),
])
def test_points_behind_elapsed_share(completed, expected):
    assert status_with(completed) == expected


@pytest.mark.django_db
def test_not_started_three_months_after_planned_start_is_red():
    cutoff = not_started_cutoff(JUNE)
    assert cutoff == dt.date(2020, 3, 30)
    late = factories.plan_entry(factories.project(planned_start=cutoff), target="0")
    recent = factories.plan_entry(factories.project(planned_start=cutoff + dt.timedelta(days=1)), target="0")
    rows = {r.pk: r.rag for r in project_rows(period=JUNE)}
    assert rows[late.pk] == Rag.RED  # not started: red whatever the target
    assert rows[recent.pk] == Rag.NO_TARGET


@pytest.mark.django_db
def test_preliminary_projects_are_not_judged():
    entry = factories.plan_entry(category=PlanCategory.PRELIMINARY, target="1000")
    assert project_rows(period=JUNE).get(pk=entry.pk).rag == Rag.NONE
    assert rag_counts(period=JUNE)[Rag.NONE] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [Phase.COMPLETED, Phase.DELIVERED])
def test_completed_and_delivered_projects_are_not_lit(phase):
    entry = factories.plan_entry(factories.project(planned_start=dt.date(2019, 1, 1), actual_start=dt.date(2019, 2, 1)),
                                 target="1200", category=PlanCategory.CONTINUING)
    factories.phase_transition(entry.project, from_phase=Phase.CONSTRUCTION, to_phase=phase,
                               occurred_on=dt.date(2020, 5, 31))
    assert project_rows(period=JUNE).get(pk=entry.pk).rag == Rag.DONE
    # before it was finished it is judged like any other: 0 of 1200 at the end of April is red
    assert project_rows(period=Period(2020, 4)).get(pk=entry.pk).rag == Rag.RED


@pytest.mark.django_db
def test_planned_start_after_the_period_is_not_due():
    september = factories.plan_entry(factories.project(planned_start=dt.date(2020, 9, 15)), target="1200")
    assert project_rows(period=JUNE).get(pk=september.pk).rag == Rag.NOT_DUE
    assert rag_counts(period=JUNE)[Rag.NOT_DUE] == 1
    # in October it is due: 0 % done against 10/12 elapsed is red
    assert project_rows(period=Period(2020, 10)).get(pk=september.pk).rag == Rag.RED


@pytest.mark.django_db
def test_early_start_is_judged_against_the_schedule():
    entry = factories.plan_entry(factories.project(planned_start=dt.date(2020, 9, 15), actual_start=dt.date(2020, 5, 1)),
                                 target="1200")
    factories.progress(entry, 6, "600")
    assert project_rows(period=JUNE).get(pk=entry.pk).rag == Rag.GREEN


@pytest.mark.django_db
def test_entry_without_a_target_is_not_lit():
    entry = factories.plan_entry(factories.project(planned_start=dt.date(2020, 1, 1), actual_start=dt.date(2020, 1, 10)),
                                 target="0", unplanned=True, added_on=dt.date(2020, 2, 1))
    assert project_rows(period=JUNE).get(pk=entry.pk).rag == Rag.NO_TARGET


@pytest.mark.django_db
def test_colour_month_by_month_is_the_list_colour_of_each_month(client):
    """The project page's month-by-month colours are the project list's colour at each month's end."""
    from portfolio.selectors import rag_by_month

    entry = factories.plan_entry(factories.project(planned_start=dt.date(2020, 4, 1), actual_start=dt.date(2020, 8, 1)),
                                 target="1200")
    factories.progress(entry, 8, "600")  # 50 % at 8/12 elapsed: 16.7 points behind
    factories.phase_transition(entry.project, from_phase=Phase.CONSTRUCTION, to_phase=Phase.COMPLETED,
                               occurred_on=dt.date(2020, 11, 20))
    expected = {m: project_rows(period=Period(2020, m)).get(pk=entry.pk).rag for m in range(1, 13)}
    assert rag_by_month(entry=entry) == expected
    assert [expected[m] for m in (3, 6, 7, 8, 11)] == [Rag.NOT_DUE, Rag.RED, Rag.RED, Rag.AMBER, Rag.DONE]
    client.force_login(factories.leader())
    page = client.get(f"/projects/{entry.project.pk}/", {"year": 2020, "month": 12}).content.decode()
    assert '<td data-rag-month="3"><span class="rag-dot rag-not_due"></span>未到开工期</td>' in page
    assert '<td data-rag-month="11"><span class="rag-dot rag-done"></span>已完工</td>' in page
