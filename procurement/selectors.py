"""Reading procurement: tenders by kind and permit lead times."""
from statistics import median

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum

from portfolio.filters import narrow
from portfolio.numbers import Period

from .models import Negotiation, Permit, PermitKind, Tender, TenderKind

PERMIT_TARGET_DAYS = 45
"""The report's standard: all permits within a month and a half (一个半月) of the bid opening."""


def tenders_in_period(*, period, filters=None):
    """Tenders whose bids were opened (开标) in months 1..N, with project, area and winner."""
    qs = (Tender.objects.filter(bid_opened_on__range=(period.start, period.end))
          .select_related("project", "project__area", "winner"))
    return narrow(qs, "procurement.filters.TenderFilterSet", filters)


def tender_summary(*, period):
    """Tenders of the period (``tenders_in_period``) by kind; ``works`` = 施工 + 监理."""
    return tender_summary_spec(period=period).run()


def tender_summary_spec(*, period):
    """``tender_summary`` as aggregates (``portfolio.fused``)."""
    from portfolio.fused import Aggregate

    def finish(row):
        row["works"] = row["construction"] + row["supervision"]
        return row

    return Aggregate(tenders_in_period(period=period), {
        "construction": Count("id", filter=Q(kind=TenderKind.CONSTRUCTION)),
        "supervision": Count("id", filter=Q(kind=TenderKind.SUPERVISION)),
        "equipment": Count("id", filter=Q(kind=TenderKind.EQUIPMENT)),
    }, finish)


def permit_records():
    """All permits, annotated with ``bid_opened_on``: the first construction bid opening of the
    same project, and ``lead_time`` (办证时长) = issued_on − bid_opened_on (a duration)."""
    first_opening = (
        Tender.objects.filter(project=OuterRef("project"), kind=TenderKind.CONSTRUCTION,
                              bid_opened_on__isnull=False)
        .order_by("bid_opened_on").values("bid_opened_on")[:1]
    )
    return (
        Permit.objects.select_related("project", "project__area")
        .annotate(bid_opened_on=Subquery(first_opening, output_field=DateField()))
        .annotate(lead_time=ExpressionWrapper(F("issued_on") - F("bid_opened_on"), output_field=DurationField()))
        .order_by("issued_on", "id")
    )


def permits_in_period(*, period, filters=None):
    """Permits issued (核发) in months 1..N (see ``permit_records`` for the lead time)."""
    qs = permit_records().filter(issued_on__range=(period.start, period.end))
    return narrow(qs, "procurement.filters.PermitFilterSet", filters)


def lead_time_days(permit):
    """办证时长 in days of a permit from ``permit_records`` (its ``lead_time``); None untimed."""
    return permit.lead_time.days if permit.lead_time is not None else None


def permit_lead_times(*, period):
    """Permit lead times of the period: count, median and worst in days, and how many were within
    ``PERMIT_TARGET_DAYS`` of the bid opening (permits without a bid opening are not timed)."""
    days = [d for d in map(lead_time_days, permits_in_period(period=period)) if d is not None]
    timed = len(days)
    within = sum(1 for d in days if d <= PERMIT_TARGET_DAYS)
    return {
        "count": timed,
        "median_days": median(days) if days else None,
        "max_days": max(days) if days else None,
        "within_target": within,
        "all_within_target": timed > 0 and within == timed,
        "target_days": PERMIT_TARGET_DAYS,
    }


def _negotiations(period):
    """The period's date rule for 洽商活动: held in months 1..N."""
    return Negotiation.objects.filter(held_on__range=(period.start, period.end))


def negotiations_in_period(*, period, filters=None):
    """洽商活动 (四零采购 matchmaking) held in months 1..N, with their projects and firms, and
    ``project_count`` (参加项目数)."""
    qs = (_negotiations(period)
          .annotate(project_count=Count("projects", distinct=True))
          .prefetch_related("projects", "contractors"))
    return narrow(qs, "procurement.filters.NegotiationFilterSet", filters)


def negotiation_summary(*, period):
    """The 四零采购 figures of months 1..N: ``meetings`` (洽商活动), ``projects`` (distinct projects
    whose contractors took part, "17个项目施工单位") and ``suppliers`` (suppliers attending, summed
    over the meetings: "30余个材料供应商")."""
    meetings = _negotiations(period)
    row = meetings.aggregate(meetings=Count("id"), suppliers=Sum("suppliers_attending"))
    row["projects"] = (Negotiation.projects.through.objects.filter(negotiation__in=meetings)
                       .values("project_id").distinct().count())
    row["suppliers"] = row["suppliers"] or 0
    return row


def permit_lead_time_comparison(*, period):
    """办证时长 by permit kind, this period against the same months of the previous year: for each
    kind (工程规划许可证, 施工许可证) the median lead time in days of the permits issued in months
    1..N (``permits_in_period``; permits without a construction bid opening are not timed), the same
    for months 1..N of the previous year, and ``cut_days`` = previous − current (positive: faster).
    The report: 工程规划许可证 cut by more than 2 months, 施工许可证 by more than 1 month."""
    previous = Period(period.year - 1, period.month)

    def medians(p):
        days = {}
        for permit in permits_in_period(period=p):
            d = lead_time_days(permit)
            if d is not None:
                days.setdefault(permit.kind, []).append(d)
        return {kind: (median(v), len(v)) for kind, v in days.items()}

    now, before = medians(period), medians(previous)
    rows = []
    for kind, label in PermitKind.choices:
        current, count = now.get(kind, (None, 0))
        earlier, earlier_count = before.get(kind, (None, 0))
        rows.append({
            "kind": kind, "label": label, "median_days": current, "count": count,
            "previous_median_days": earlier, "previous_count": earlier_count,
            "cut_days": earlier - current if current is not None and earlier is not None else None,
        })
    return {"period": period, "previous": previous, "kinds": rows}
