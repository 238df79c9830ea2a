"""Reading procurement: tenders by kind and permit lead times."""
from statistics import median

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery

from .models import Permit, Tender, TenderKind

PERMIT_TARGET_DAYS = 45
"""The report's standard: all permits within a month and a half (一个半月) of the bid opening."""


def tender_summary(*, period):
    """Tenders whose bids were opened (开标) in the period, by kind; ``works`` = 施工 + 监理."""
    row = Tender.objects.filter(bid_opened_on__range=(period.start, period.end)).aggregate(
        construction=Count("id", filter=Q(kind=TenderKind.CONSTRUCTION)),
        supervision=Count("id", filter=Q(kind=TenderKind.SUPERVISION)),
        equipment=Count("id", filter=Q(kind=TenderKind.EQUIPMENT)),
    )
    row["works"] = row["construction"] + row["supervision"]
    return row


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


def permits_with_lead_time(*, period):
    """Permits issued in the period (see ``permit_records``). Lead time in days =
    issued_on − bid_opened_on."""
    return permit_records().filter(issued_on__range=(period.start, period.end))


def tender_records():
    """Tenders for the tender list, with project, area and winner joined."""
    return Tender.objects.select_related("project", "project__area", "winner")


def permit_lead_times(*, period):
    """Permit lead times of the period: count, median and worst in days, and how many were within
    ``PERMIT_TARGET_DAYS`` of the bid opening (permits without a bid opening are not timed)."""
    days = [
        (p.issued_on - p.bid_opened_on).days
        for p in permits_with_lead_time(period=period) if p.bid_opened_on
    ]
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
