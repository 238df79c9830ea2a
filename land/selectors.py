"""Reading land: approval batches, acquisition, demolition, full site access."""
from decimal import Decimal

from django.db.models import Count, Q, Sum

from portfolio.filters import narrow

from .models import Acquisition, LandBatch


def land_batches_in_period(*, period, filters=None):
    """Approval batches (用地报批) of the year submitted by the end of the period, each with
    ``project_count`` (the projects it covers) and its projects."""
    qs = (LandBatch.objects.filter(year=period.year, submitted_on__lte=period.end)
          .annotate(project_count=Count("projects", distinct=True)).prefetch_related("projects"))
    return narrow(qs, "land.filters.LandBatchFilterSet", filters)


def acquisitions_in_period(*, period, filters=None):
    """The year's acquisition and demolition records (有征拆任务), with project and area joined."""
    qs = Acquisition.objects.filter(year=period.year).select_related("project", "project__area")
    return narrow(qs, "land.filters.AcquisitionFilterSet", filters)


def land_summary(*, period):
    """Land figures of the year up to the end of the period.

    - batches = approval batches (用地报批) submitted in the period; projects = distinct projects
      they cover; area_mu = their total area in 亩;
    - with_task = projects with an acquisition/demolition record (有征拆任务) this year;
      full_access = those with full site access (全面进场) by the end of the period;
    - acquired_mu (征地) and buildings_signed (签约拆房) = the sums of the tasks' dated progress
      rows (``AcquisitionProgress``) dated within the period (months 1..N of the year).
    """
    batches = LandBatch.objects.filter(year=period.year, submitted_on__lte=period.end)
    batch_row = batches.aggregate(count=Count("id"), area_mu=Sum("area_mu"))
    projects = batches.values("projects").distinct().count()
    dated_in_period = Q(progress__recorded_on__range=(period.start, period.end))
    acq = acquisitions_in_period(period=period).order_by().aggregate(
        # distinct: the sums below join the dated rows (one query still)
        with_task=Count("id", distinct=True),
        full_access=Count("id", distinct=True,
                          filter=Q(full_access_on__isnull=False, full_access_on__lte=period.end)),
        acquired_mu=Sum("progress__acquired_mu", filter=dated_in_period),
        buildings_signed=Sum("progress__buildings_signed", filter=dated_in_period),
    )
    return {
        "batches": batch_row["count"],
        "batch_projects": projects,
        "batch_area_mu": batch_row["area_mu"] or Decimal(0),
        "with_task": acq["with_task"],
        "full_access": acq["full_access"],
        "acquired_mu": acq["acquired_mu"] or Decimal(0),
        "buildings_signed": acq["buildings_signed"] or 0,
    }
