"""Reading the plan and the progress: targets, completion and completion rates.

Every completion figure of the product comes from here. "Completed 1-N月" is the sum of the
monthly amounts of months 1..N of the year over the year's plan entries — unplanned (计划外)
entries included, since the center built them; their target is what the plan gave them (0).
"""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F, Max, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from portfolio.filters import narrow
from portfolio.numbers import Period, rate
from projects.models import CategoryChange, Phase, PhaseTransition, PlanCategory, Role, StaffAssignment

from .models import (AnnualPlan, Funding, FundingSource, MonthLock, MonthlyProgress, PlanEntry,
                     ProgressRollup, Saving, SavingKind)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def latest_period():
    """The latest month with any progress entered (the dashboard's default), or None. From the read
    model (``ProgressRollup``: each entry's latest month, by year; one index lookup)."""
    row = ProgressRollup.objects.order_by("-year", "-last_month").values("year", "last_month").first()
    return Period(row["year"], row["last_month"]) if row else None


def plan_years():
    """The years with a plan, newest first."""
    return plan_years_spec().run()


def plan_years_spec():
    """``plan_years`` as an aggregate (``portfolio.fused``: read with the dashboard's summaries)."""
    from portfolio.fused import Aggregate, ValueArray, values_of

    return Aggregate(AnnualPlan.objects.all(), {"years": ValueArray("year")},
                     lambda row: sorted(values_of(row["years"]), reverse=True))


# --- the population: the year's plan as of the period ----------------------------------------

def plan_entries(*, period):
    """The year's plan as of the period (``investment.models.in_plan_q``)."""
    return PlanEntry.objects.in_plan(period)


def sum_progress(**filters):
    """A correlated subquery: the sum of an entry's monthly amounts matching ``filters``."""
    return Coalesce(
        Subquery(
            MonthlyProgress.objects.filter(entry=OuterRef("pk"), **filters)
            .values("entry").annotate(s=Sum("completed")).values("s")
        ),
        ZERO,
    )


def completed_through(month, prefix=""):
    """An entry's completion in months 1..``month`` of its year (``sum_progress(month__lte=month)``),
    read from the read model ``ProgressRollup`` (one join, no sum per entry); 0 for month 0.
    ``prefix`` reaches PlanEntry from another model (``"entry__"``)."""
    if month <= 0:
        return ZERO
    return Coalesce(F(f"{prefix}rollup__to_{month}"), ZERO)


def completed_in(month, prefix=""):
    """An entry's completion in month ``month`` (``sum_progress(month=month)``), from the read model."""
    return ExpressionWrapper(completed_through(month, prefix) - completed_through(month - 1, prefix),
                             output_field=ZERO.output_field)


def entries_with_completion(*, period):
    """The year's plan entries, each annotated with ``completed_to_date`` (months 1..N) and
    ``completed_in_month`` (month N), with project, area and organisations joined."""
    return (
        plan_entries(period=period)
        .select_related("plan", "project", "project__area", "project__owner_unit",
                        "project__contractor", "project__supervisor")
        .annotate(
            completed_to_date=completed_through(period.month),
            completed_in_month=completed_in(period.month),
        )
        .order_by("project__code")
    )


def completion_summary(*, period):
    """Targets and completion 1-N月 for the whole plan, municipal key (市重大) and the rest.

    target = sum of plan-entry targets; completed = sum of monthly amounts of months 1..N;
    rate (投资完成率) = completed ÷ target.
    """
    done = completed_through(period.month)
    row = plan_entries(period=period).aggregate(
        overall=Coalesce(Sum("target"), ZERO),
        municipal=Coalesce(Sum("target", filter=Q(is_municipal_key=True)), ZERO),
        done_overall=Coalesce(Sum(done), ZERO),
        done_municipal=Coalesce(Sum(done, filter=Q(is_municipal_key=True)), ZERO),
    )
    return _completion_rows({"overall": row["overall"], "municipal": row["municipal"]},
                            {"overall": row["done_overall"], "municipal": row["done_municipal"]})


def completion_from_entries(entries, completed="completed_to_date"):
    """``completion_summary`` from the period's plan entries already read (each a mapping with
    ``target``, ``is_municipal_key`` and ``completed`` = ``sum_progress(month__lte=N)``): the same
    sums, added up from the rows instead of in a second query."""
    targets = {"overall": Decimal(0), "municipal": Decimal(0)}
    done = {"overall": Decimal(0), "municipal": Decimal(0)}
    for row in entries:
        targets["overall"] += row["target"]
        done["overall"] += row[completed]
        if row["is_municipal_key"]:
            targets["municipal"] += row["target"]
            done["municipal"] += row[completed]
    return _completion_rows(targets, done)


def _completion_rows(targets, done):
    rows = {}
    for key in ("overall", "municipal"):
        rows[key] = {"target": targets[key], "completed": done[key]}
    rows["other"] = {
        "target": targets["overall"] - targets["municipal"],
        "completed": done["overall"] - done["municipal"],
    }
    for row in rows.values():
        row["rate"] = rate(row["completed"], row["target"])
    return rows


def monthly_curve(*, year):
    """Month by month for the year: amount, cumulative, cumulative share of the target, the plan's
    straight line (target × m/12) and the previous year's cumulative share of its target."""
    return monthly_curve_spec(year=year).run()


def monthly_curve_spec(*, year):
    """``monthly_curve`` as aggregates (``portfolio.fused``): per year (this and the last), the
    targets and the read model's cumulative sums; a month's amount is the difference of two
    cumulative sums, up to the latest month entered."""
    from portfolio.fused import Aggregate

    years = {"this": year, "last": year - 1}
    aggregates = {}
    for key, y in years.items():
        in_year = Q(plan__year=y)
        aggregates.update({f"{key}_t": Sum("target", filter=in_year),
                           f"{key}_last": Max("rollup__last_month", filter=in_year),
                           **{f"{key}_to_{m}": Sum(f"rollup__to_{m}", filter=in_year) for m in range(1, 13)}})

    def finish(row):
        amounts, targets = {}, {}
        for key in years:
            targets[key] = row[f"{key}_t"] or Decimal(0)
            cumulative = [Decimal(0)] + [row[f"{key}_to_{m}"] or Decimal(0) for m in range(1, 13)]
            amounts[key] = {m: cumulative[m] - cumulative[m - 1] for m in range(1, (row[f"{key}_last"] or 0) + 1)}
        return _curve_points(year, amounts["this"], amounts["last"], targets["this"], targets["last"])

    return Aggregate(PlanEntry.objects.filter(plan__year__in=tuple(years.values())), aggregates, finish)


def _curve_points(year, this, last, this_target, last_target):
    points, cum, cum_last = [], Decimal(0), Decimal(0)
    for month in range(1, 13):
        cum += this.get(month, 0)
        cum_last += last.get(month, 0)
        points.append({
            "month": month,
            "amount": this.get(month),
            "cumulative": cum if month <= max(this, default=0) else None,
            "share": rate(cum, this_target) if month <= max(this, default=0) else None,
            "plan_share": Period(year, month).elapsed,  # the straight line: 序时进度
            "previous_share": rate(cum_last, last_target) if last else None,
        })
    return points


def half_and_half(*, year):
    """双过半: by 30 June, time is half gone; investment is 'past half' when cumulative completion
    1-6月 ≥ 50 % of the annual target."""
    return half_from_completion(completion_summary(period=Period(year, 6)))


def half_from_completion(completion):
    """双过半 from ``completion_summary`` of June (see ``half_and_half``)."""
    row = completion["overall"]
    return {"completed": row["completed"], "rate": row["rate"],
            "achieved": row["rate"] is not None and row["rate"] >= Decimal("0.5")}


def fundings_in_period(*, period, filters=None):
    """Money secured from higher levels (争取上级资金) received (到位) in months 1..N."""
    qs = Funding.objects.filter(received_on__range=(period.start, period.end)).select_related("project", "project__area")
    return narrow(qs, "investment.filters.FundingFilterSet", filters)


def savings_in_period(*, period, filters=None):
    """Savings (节约资金) recorded in months 1..N."""
    qs = Saving.objects.filter(recorded_on__range=(period.start, period.end)).select_related("project", "project__area")
    return narrow(qs, "investment.filters.SavingFilterSet", filters)


def funding_summary(*, period):
    """Money secured (``fundings_in_period``) by source."""
    return funding_summary_spec(period=period).run()


def funding_summary_spec(*, period):
    """``funding_summary`` as aggregates (``portfolio.fused``): one sum per source."""
    from portfolio.fused import Aggregate

    def finish(row):
        by_source = {source: s for source, s in row.items() if s is not None}
        return {"total": sum(by_source.values(), Decimal(0)), "by_source": by_source}

    return Aggregate(fundings_in_period(period=period),
                     {source: Sum("amount", filter=Q(source=source)) for source in FundingSource.values}, finish)


def savings_summary(*, period):
    """Savings recorded in months 1..N: management (节约财政资金: earthwork balancing and merged
    tenders) and design optimisation (节约造价)."""
    return savings_summary_spec(period=period).run()


def savings_summary_spec(*, period):
    """``savings_summary`` as aggregates (``portfolio.fused``): one sum per kind."""
    from portfolio.fused import Aggregate

    return Aggregate(savings_in_period(period=period),
                     {kind: Sum("amount", filter=Q(kind=kind)) for kind in SavingKind.values}, _savings_by_kind)


def _savings_by_kind(row):
    by_kind = {kind: s for kind, s in row.items() if s is not None}
    management = sum((by_kind.get(k, 0) for k in SavingKind.management()), Decimal(0))
    return {
        "by_kind": by_kind,
        "management": management,
        "design": by_kind.get(SavingKind.DESIGN, Decimal(0)),
        "total": sum(by_kind.values(), Decimal(0)),
    }


# --- Monthly entry (月度填报): the month page, its template, the reporting status ----------------

def month_lock(*, year, month):
    """The lock row of a month (unlocked when only a save created it), or None."""
    return MonthLock.objects.filter(year=year, month=month).select_related("changed_by").first()


def month_is_locked(*, year, month):
    return MonthLock.objects.filter(year=year, month=month, is_locked=True).exists()


def month_entries(*, year, month, projects=None):
    """The plan entries to report for a month (the year's plan; unplanned ones once added),
    ordered by area and code, each annotated with:

    - ``completed_before``: completion of months 1..N-1 of this year (上月末累计);
    - ``completed_to_date``: completion of months 1..N (1-N月累计, as saved);
    - ``completed_elsewhere``: the project's completion in every other month of any year, so that
      the remaining total investment is ``project.total_investment − completed_elsewhere``;
    - ``previous_percent``: the latest 形象进度 percent entered for the project before this month;
    - ``current_rows``: a list with this month's ``MonthlyProgress`` (empty when not reported);
    - ``phase_at_start``/``phase_since``, ``category_at_start``/``category_since``: the project's
      phase and the entry's category on the eve of the month and since when (``not_due_reason``).

    ``projects`` (a Project queryset) restricts to a user's projects.
    """
    from projects.selectors import category_as_of, phase_as_of  # it imports investment.models

    period = Period(year, month)
    eve = period.preceding().end  # the last day of the month before
    earlier = MonthlyProgress.objects.filter(
        entry__project=OuterRef("project"), physical_percent__isnull=False,
    ).filter(Q(entry__plan__year__lt=year) | Q(entry__plan__year=year, month__lt=month))
    qs = (
        plan_entries(period=period)
        .select_related("project", "project__area")
        .annotate(
            completed_before=completed_through(month - 1),
            completed_to_date=completed_through(month),
            completed_elsewhere=Coalesce(
                Subquery(
                    MonthlyProgress.objects.filter(entry__project=OuterRef("project"))
                    .exclude(entry__plan__year=year, month=month)
                    .values("entry__project").annotate(s=Sum("completed")).values("s")
                ),
                ZERO,
            ),
            previous_percent=Subquery(
                earlier.order_by("-entry__plan__year", "-month").values("physical_percent")[:1]
            ),
            phase_at_start=phase_as_of(eve),
            phase_since=Subquery(
                PhaseTransition.objects.filter(project=OuterRef("project"), occurred_on__lte=eve)
                .order_by("-occurred_on", "-id").values("occurred_on")[:1]),
            category_at_start=category_as_of(eve),
            category_since=Subquery(
                CategoryChange.objects.filter(project=OuterRef("project"), year=year, changed_on__lte=eve)
                .order_by("-changed_on", "-id").values("changed_on")[:1]),
        )
        .prefetch_related(Prefetch(
            "progress",
            queryset=MonthlyProgress.objects.filter(month=month).select_related("updated_by"),
            to_attr="current_rows",
        ))
        .order_by("project__area__order", "project__area__name", "project__code")
    )
    if projects is not None:
        qs = qs.filter(project__in=projects)
    return qs


def month_entry_count(*, year, month, projects=None):
    """How many plan entries ``month_entries`` lists, without building its annotations (they are
    correlated subqueries: they add no row)."""
    qs = plan_entries(period=Period(year, month))
    if projects is not None:
        qs = qs.filter(project__in=projects)
    return qs.count()


def _day(date):
    return f"{date.year}年{date.month}月{date.day}日"


IMPLEMENTATION = (PlanCategory.CONTINUING, PlanCategory.NEW)
"""Categories that are built this year; an entry moved from one of them to 预备/储备 leaves the
year's implementation plan."""


def not_due_reason(entry, *, year, month):
    """Why a plan entry of ``month_entries`` has nothing to report for month N — a short Chinese
    reason — or None when it is due. The one rule of who must report (the month page folds these
    rows under 本月无需填报; 填报情况 does not count them):

    - completed or delivered before the month began (its phase on the eve of the month);
    - moved out of the year's implementation plan (续建/新建 → 预备/储备) before the month began;
    - not started by the month's end with its planned start after the month (not yet due to start).

    An entry with a record for the month is due whatever its state (what was reported is shown).
    """
    if entry.current_rows:
        return None
    if entry.phase_at_start in (Phase.COMPLETED, Phase.DELIVERED):
        when = _day(entry.phase_since) if entry.phase_since else ""
        return _("%(when)s已%(phase)s") % {"when": when, "phase": Phase(entry.phase_at_start).label}
    if (entry.category in IMPLEMENTATION and entry.category_since
            and entry.category_at_start not in IMPLEMENTATION):
        return _("%(when)s调整为%(category)s，不在本年实施计划") % {
            "when": _day(entry.category_since), "category": PlanCategory(entry.category_at_start).label}
    project = entry.project
    end = Period(year, month).end
    started = project.actual_start is not None and project.actual_start <= end
    if not started and project.planned_start and project.planned_start > end:
        return _("计划%(when)s开工，尚未到开工时间") % {"when": _day(project.planned_start)}
    return None


@dataclass
class MonthRow:
    """One line of the month page: a plan entry with its figures and this month's record."""

    entry: PlanEntry
    progress: MonthlyProgress | None
    completed_before: Decimal
    completed_to_date: Decimal
    rate: Decimal | None
    remaining: Decimal | None
    previous_percent: Decimal | None
    not_due: str | None = None
    """``not_due_reason``: why the row has nothing to report this month (None: it is due)."""

    @property
    def project(self):
        return self.entry.project

    @property
    def completed_in_month(self):
        """本月完成 as saved (0 when not reported)."""
        return self.progress.completed if self.progress else Decimal(0)


def month_rows(*, year, month, projects=None, entries=None):
    """``month_entries`` as ``MonthRow``s; the completion rate (投资完成率 1-N月) =
    completed_to_date ÷ the entry's annual target, computed by ``portfolio.numbers.rate``.
    ``remaining`` (剩余总投资) is None when the project's total investment is not recorded (0).
    ``entries``: the ``month_entries(year=, month=, projects=)`` the caller has already read."""
    rows = []
    if entries is None:
        entries = month_entries(year=year, month=month, projects=projects)
    for entry in entries:
        total = entry.project.total_investment
        rows.append(MonthRow(
            entry=entry,
            progress=entry.current_rows[0] if entry.current_rows else None,
            completed_before=entry.completed_before,
            completed_to_date=entry.completed_to_date,
            rate=rate(entry.completed_to_date, entry.target),
            remaining=(total - entry.completed_elsewhere) if total else None,
            previous_percent=entry.previous_percent,
            not_due=not_due_reason(entry, year=year, month=month),
        ))
    return rows


def month_totals(rows):
    """合计 of the month page's rows (``month_rows``): 年度计划投资, 上月末累计, 本月完成 and
    1-N月累计 as saved, and the rate (1-N月 ÷ 年度计划). Over every row of the page, those folded as
    本月无需填报 included, so that an administrator's totals are the plan's (``completion_summary``)."""
    totals = {
        "target": sum((r.entry.target for r in rows), Decimal(0)),
        "before": sum((r.completed_before for r in rows), Decimal(0)),
        "in_month": sum((r.completed_in_month for r in rows), Decimal(0)),
        "to_date": sum((r.completed_to_date for r in rows), Decimal(0)),
    }
    totals["rate"] = rate(totals["to_date"], totals["target"])
    return totals


def report_deadline(*, year, month):
    """The day by which month N is to be reported: day ``PROGRESS_DEADLINE_DAY`` of month N+1
    (clamped to the month's length)."""
    following = Period(year, month).following()
    return following.month_start.replace(day=min(settings.PROGRESS_DEADLINE_DAY, following.end.day))


def reporting_days_late(*, year, month, today):
    """Days a missing report of month N is late at ``today``: from its deadline, counted until the
    next month's deadline at most (after that the month is simply 逾期未报, and ``closed`` says so)."""
    deadline = report_deadline(year=year, month=month)
    following = Period(year, month).following()
    closes = report_deadline(year=following.year, month=following.month)
    return {"days": max(0, (min(today, closes) - deadline).days), "closed": today > closes}


def reporting_status(*, year, month, today):
    """Who has not reported month N: the month's plan entries without a record, per area and per
    staff member (录入员 assigned to the project or to its area), with the deadline and the days
    late (today − deadline, 0 when not yet due). Entries with nothing to report this month
    (``not_due_reason``) are not counted."""
    deadline = report_deadline(year=year, month=month)
    lateness = reporting_days_late(year=year, month=month, today=today)
    entries = [e for e in month_entries(year=year, month=month)
               if not_due_reason(e, year=year, month=month) is None]
    for entry in entries:
        entry.reported = bool(entry.current_rows)
    assignments = list(
        StaffAssignment.objects.filter(user__groups__name=Role.STAFF, user__is_active=True)
        .select_related("user").order_by("user__username")
    )
    staff_by_area, staff_by_project = defaultdict(list), defaultdict(list)
    for a in assignments:
        (staff_by_area[a.area_id] if a.area_id else staff_by_project[a.project_id]).append(a.user)

    areas, people = {}, {}
    for entry in entries:
        project = entry.project
        staff = list({u.pk: u for u in staff_by_area[project.area_id] + staff_by_project[project.pk]}.values())
        area = areas.setdefault(project.area_id, {"area": project.area, "total": 0, "missing": []})
        area["total"] += 1
        for user in staff:
            person = people.setdefault(user.pk, {"user": user, "total": 0, "missing": 0})
            person["total"] += 1
            person["missing"] += not entry.reported
        if not entry.reported:
            area["missing"].append({"entry": entry, "project": project, "staff": staff})
    for person in people.values():
        person["reported"] = person["total"] - person["missing"]
    return {
        "deadline": deadline,
        "days_late": lateness["days"],
        "late_closed": lateness["closed"],
        "total": len(entries),
        "missing": sum(len(a["missing"]) for a in areas.values()),
        "areas": list(areas.values()),
        "people": sorted(people.values(), key=lambda p: (-p["missing"], p["user"].username)),
    }


def month_lock_history(*, year, month):
    """Every lock and reopen of a month, newest first: who, when, locked or not, reason."""
    return list(
        MonthLock.history.filter(year=year, month=month)
        .select_related("history_user").order_by("-history_date", "-history_id")
    )
def area_completion(*, period, entries=None):
    """Targets and completion 1-N月 by area (片区): target = sum of the area's plan-entry targets,
    completed = sum of its monthly amounts of months 1..N, rate = completed ÷ target.
    ``entries``: the period's plan entries already read (``project__area``, ``target``,
    ``completed_to_date``), added up instead of two more queries."""
    from projects.models import Area

    if entries is None:
        targets = dict(
            plan_entries(period=period).order_by()
            .values_list("project__area").annotate(t=Sum("target"))
        )
        done = dict(
            plan_entries(period=period).order_by()
            .values_list("project__area").annotate(s=Sum(completed_through(period.month)))
        )
    else:
        targets, done = defaultdict(Decimal), defaultdict(Decimal)
        for row in entries:
            targets[row["project__area"]] += row["target"]
            done[row["project__area"]] += row["completed_to_date"]
    rows = []
    for area in Area.objects.all():
        target, completed = targets.get(area.pk, Decimal(0)), done.get(area.pk, Decimal(0))
        rows.append({"area": area, "target": target, "completed": completed,
                     "rate": rate(completed, target)})
    return rows


def suggested_progress_scores(*, period):
    """Suggested 进度 score per area for month N: 100 × the area's completion 1-N月 against the
    pro-rata target (annual target × N/12), capped at 100 — i.e. on schedule or ahead = 100.
    Keyed by area id; exact Decimals (the page rounds for display)."""
    done, target = {}, {}
    for entry in entries_with_completion(period=period):
        area = entry.project.area_id
        done[area] = done.get(area, Decimal(0)) + entry.completed_to_date
        target[area] = target.get(area, Decimal(0)) + entry.target
    suggestions = {}
    for area, total in target.items():
        score = progress_against_schedule(completed=done[area], target=total, period=period)
        if score is not None:
            suggestions[area] = score
    return suggestions


def progress_against_schedule(*, completed, target, period):
    """Completion 1-N月 against the schedule to date, as a score: 100 × completed ÷ (target ×
    N/12), at most 100 (on schedule or ahead = 100); None without a target. The 流动红旗's
    suggested 进度 score and the 红黑榜's 进度 component (``ranking.rules``)."""
    share = rate(completed, target * period.elapsed)
    return None if share is None else min(Decimal(100), share * 100)
