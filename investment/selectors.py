"""Reading the plan and the progress: targets, completion and completion rates.

Every completion figure of the product comes from here. "Completed 1-N月" is the sum of the
monthly amounts of months 1..N of the year over the year's plan entries — unplanned (计划外)
entries included, since the center built them; their target is what the plan gave them (0).
"""
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from portfolio.numbers import Period, rate

from .models import AnnualPlan, Funding, MonthlyProgress, PlanEntry, Saving, SavingKind

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def latest_period():
    """The latest month with any progress entered (the dashboard's default), or None."""
    row = (
        MonthlyProgress.objects.order_by("-entry__plan__year", "-month")
        .values("entry__plan__year", "month").first()
    )
    return Period(row["entry__plan__year"], row["month"]) if row else None


def plan_years():
    return list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))


def _sum_progress(**filters):
    """A correlated subquery: the sum of an entry's monthly amounts matching ``filters``."""
    return Coalesce(
        Subquery(
            MonthlyProgress.objects.filter(entry=OuterRef("pk"), **filters)
            .values("entry").annotate(s=Sum("completed")).values("s")
        ),
        ZERO,
    )


def entries_with_completion(*, period):
    """The year's plan entries, each annotated with ``completed_to_date`` (months 1..N) and
    ``completed_in_month`` (month N), with project, area and organisations joined."""
    return (
        PlanEntry.objects.filter(plan__year=period.year)
        .select_related("plan", "project", "project__area", "project__owner_unit",
                        "project__contractor", "project__supervisor")
        .annotate(
            completed_to_date=_sum_progress(month__lte=period.month),
            completed_in_month=_sum_progress(month=period.month),
        )
        .order_by("project__code")
    )


def completion_summary(*, period):
    """Targets and completion 1-N月 for the whole plan, municipal key (市重大) and the rest.

    target = sum of plan-entry targets; completed = sum of monthly amounts of months 1..N;
    rate (投资完成率) = completed ÷ target.
    """
    targets = PlanEntry.objects.filter(plan__year=period.year).aggregate(
        overall=Coalesce(Sum("target"), ZERO),
        municipal=Coalesce(Sum("target", filter=Q(is_municipal_key=True)), ZERO),
    )
    done = MonthlyProgress.objects.filter(
        entry__plan__year=period.year, month__lte=period.month
    ).aggregate(
        overall=Coalesce(Sum("completed"), ZERO),
        municipal=Coalesce(Sum("completed", filter=Q(entry__is_municipal_key=True)), ZERO),
    )
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
    def by_month(y):
        rows = (
            MonthlyProgress.objects.filter(entry__plan__year=y)
            .values("month").annotate(s=Sum("completed")).order_by("month")
        )
        return {r["month"]: r["s"] for r in rows}

    def target(y):
        return PlanEntry.objects.filter(plan__year=y).aggregate(t=Sum("target"))["t"] or Decimal(0)

    this, last = by_month(year), by_month(year - 1)
    this_target, last_target = target(year), target(year - 1)
    points, cum, cum_last = [], Decimal(0), Decimal(0)
    for month in range(1, 13):
        cum += this.get(month, 0)
        cum_last += last.get(month, 0)
        points.append({
            "month": month,
            "amount": this.get(month),
            "cumulative": cum if month <= max(this, default=0) else None,
            "share": rate(cum, this_target) if month <= max(this, default=0) else None,
            "plan_share": Decimal(month) / 12,
            "previous_share": rate(cum_last, last_target) if last else None,
        })
    return points


def half_and_half(*, year):
    """双过半: by 30 June, time is half gone; investment is 'past half' when cumulative completion
    1-6月 ≥ 50 % of the annual target."""
    row = completion_summary(period=Period(year, 6))["overall"]
    return {"completed": row["completed"], "rate": row["rate"],
            "achieved": row["rate"] is not None and row["rate"] >= Decimal("0.5")}


def funding_summary(*, period):
    """Money secured from higher levels (争取上级资金) received in months 1..N, by source."""
    qs = Funding.objects.filter(received_on__range=(period.start, period.end))
    by_source = {r["source"]: r["s"] for r in qs.values("source").annotate(s=Sum("amount"))}
    return {"total": sum(by_source.values(), Decimal(0)), "by_source": by_source}


def savings_summary(*, period):
    """Savings recorded in months 1..N: management (节约财政资金: earthwork balancing and merged
    tenders) and design optimisation (节约造价)."""
    qs = Saving.objects.filter(recorded_on__range=(period.start, period.end))
    by_kind = {r["kind"]: r["s"] for r in qs.values("kind").annotate(s=Sum("amount"))}
    management = sum((by_kind.get(k, 0) for k in SavingKind.management()), Decimal(0))
    return {
        "by_kind": by_kind,
        "management": management,
        "design": by_kind.get(SavingKind.DESIGN, Decimal(0)),
        "total": sum(by_kind.values(), Decimal(0)),
    }
