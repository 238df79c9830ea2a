"""Red / amber / green status of a plan entry (亮灯): the one place its thresholds live.

As supervision platforms do, a project of the year's implementation categories (续建, 新建, as of
the period's end) is judged by how far its cumulative completion 1-N月 trails the share of the
year elapsed (N/12):

- red (红灯): more than ``RED_POINTS`` percentage points behind, or not started
  ``NOT_STARTED_MONTHS`` months after its planned start;
- amber (黄灯): more than ``AMBER_POINTS`` points behind (up to ``RED_POINTS``);
- green (绿灯): otherwise;
- not lit, with the reason a leader can act on: 已完工 (completed or delivered by the period's
  end), 不亮灯 (预备, 社会监管, 储备 — no investment is expected of them this year), 未到开工期
  (planned start after the period's end, not started), 无年度目标 (no target this year).

Computed in the database as an annotation, so the project list can filter and count on it.
"""
import calendar
import datetime as dt
from functools import lru_cache

from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from projects.models import Phase, PlanCategory

AMBER_POINTS = 10
RED_POINTS = 30
NOT_STARTED_MONTHS = 3


class Rag(models.TextChoices):
    RED = "red", _("红灯")
    AMBER = "amber", _("黄灯")
    GREEN = "green", _("绿灯")
    DONE = "done", _("已完工")
    NOT_DUE = "not_due", _("未到开工期")
    NO_TARGET = "no_target", _("无年度目标")
    NONE = "none", _("不亮灯")


def legend():
    """The rules as the dashboard's legend shows them."""
    return [
        (Rag.RED, _("红灯"), _("累计完成率落后时间进度超过%(red)s个百分点，或计划开工%(months)s个月后仍未开工")
         % {"red": RED_POINTS, "months": NOT_STARTED_MONTHS}),
        (Rag.AMBER, _("黄灯"), _("落后时间进度%(amber)s–%(red)s个百分点")
         % {"amber": AMBER_POINTS, "red": RED_POINTS}),
        (Rag.GREEN, _("绿灯"), _("落后不超过%(amber)s个百分点") % {"amber": AMBER_POINTS}),
        (Rag.DONE, _("已完工"), _("截至期末已完工或交付，不再亮灯")),
        (Rag.NOT_DUE, _("未到开工期"), _("计划开工日期在期末之后且尚未开工")),
        (Rag.NO_TARGET, _("无年度目标"), _("本年度计划投资为0（如计划外项目）")),
        (Rag.NONE, _("不亮灯"), _("预备、社会监管、储备项目")),
    ]


@lru_cache(maxsize=256)  # read per row by rag_of; a function of the period alone
def not_started_cutoff(period):
    """Projects planned to start on or before this date should have started by the period's end."""
    end = period.end
    month = end.month - NOT_STARTED_MONTHS
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(end.day, calendar.monthrange(year, month)[1]))


def _behind_more_than(points, period, completed="completed_to_date"):
    """completed/target < N/12 − points/100  ⇔  1200·completed < target·(100·N − 12·points),
    in integers so SQLite and PostgreSQL compare exactly."""
    dec = models.DecimalField(max_digits=20, decimal_places=2)
    lhs = ExpressionWrapper(F("target") * Value(100 * period.month - 12 * points), output_field=dec)
    rhs = ExpressionWrapper(F(completed) * Value(1200), output_field=dec)
    return GreaterThan(lhs, rhs)


def rag_expression(period, completed="completed_to_date", category="current_category", phase="current_phase"):
    """Expression on PlanEntry; needs the ``completed_to_date``, ``current_category`` and
    ``current_phase`` annotations as of the period (``portfolio.selectors.project_rows``; other
    names when one query judges several periods)."""
    not_yet_started = Q(project__actual_start__isnull=True) | Q(project__actual_start__gt=period.end)
    not_started = Q(
        project__planned_start__isnull=False,
        project__planned_start__lte=not_started_cutoff(period),
    ) & not_yet_started
    not_due = Q(project__planned_start__gt=period.end) & not_yet_started
    return Case(
        When(Q(**{f"{phase}__in": [Phase.COMPLETED, Phase.DELIVERED]}), then=Value(Rag.DONE)),
        When(~Q(**{f"{category}__in": PlanCategory.implementation()}), then=Value(Rag.NONE)),
        When(not_due, then=Value(Rag.NOT_DUE)),
        When(not_started, then=Value(Rag.RED)),
        When(target__lte=0, then=Value(Rag.NO_TARGET)),
        When(_behind_more_than(RED_POINTS, period, completed), then=Value(Rag.RED)),
        When(_behind_more_than(AMBER_POINTS, period, completed), then=Value(Rag.AMBER)),
        default=Value(Rag.GREEN),
        output_field=models.CharField(),
    )


def behind_elapsed(*, completed, target, period):
    """How far the entry's completion share trails the elapsed share, as a fraction (0.37 = 37
    percentage points behind; negative = ahead); None without a target."""
    from portfolio.numbers import rate

    share = rate(completed, target)
    return None if share is None else period.elapsed - share


def rag_of(*, period, phase, category, planned_start, actual_start, target, completed):
    """The status of one entry already read (``portfolio.selectors.plan_pass``): the rule of
    ``rag_expression``, clause by clause and in its order, on the row's values, so a page that has
    the rows does not make the database evaluate the correlated sums again for each clause.
    tests/test_dashboard_speed.py checks that both agree on every entry and month."""
    not_yet_started = actual_start is None or actual_start > period.end
    if phase in (Phase.COMPLETED, Phase.DELIVERED):
        return Rag.DONE
    if category not in PlanCategory.implementation():
        return Rag.NONE
    if planned_start is not None and planned_start > period.end and not_yet_started:
        return Rag.NOT_DUE
    if planned_start is not None and planned_start <= not_started_cutoff(period) and not_yet_started:
        return Rag.RED
    if target <= 0:
        return Rag.NO_TARGET
    for points, status in ((RED_POINTS, Rag.RED), (AMBER_POINTS, Rag.AMBER)):
        if target * (100 * period.month - 12 * points) > completed * 1200:
            return status
    return Rag.GREEN
