"""Red / amber / green around the thresholds of portfolio.rag."""
import datetime as dt

import pytest

from portfolio.numbers import Period
from portfolio.rag import Rag, not_started_cutoff
from portfolio.selectors import project_rows, rag_counts
from projects.models import PlanCategory
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
    assert rows[late.pk] == Rag.RED
    assert rows[recent.pk] == Rag.GREEN


@pytest.mark.django_db
def test_preliminary_projects_are_not_judged():
    entry = factories.plan_entry(category=PlanCategory.PRELIMINARY, target="1000")
    assert project_rows(period=JUNE).get(pk=entry.pk).rag == Rag.NONE
    assert rag_counts(period=JUNE)[Rag.NONE] == 1
