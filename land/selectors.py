"""Reading land: approval batches, acquisition, demolition, full site access."""
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from portfolio.filters import narrow

from .models import Acquisition, AcquisitionProgress, LandBatch


def batches_submitted(*, period):
    """The period's date rule for approval batches (用地报批): of the year, submitted by the
    period's end. The list, the figures and the projects they cover all start here."""
    return LandBatch.objects.filter(year=period.year, submitted_on__lte=period.end)


def land_batches_in_period(*, period, filters=None):
    """Approval batches (用地报批) of the year submitted by the end of the period (``batches_submitted``),
    each with ``project_count`` (the projects it covers) and its projects."""
    qs = (batches_submitted(period=period)
          .annotate(project_count=Count("projects", distinct=True)).prefetch_related("projects"))
    return narrow(qs, "land.filters.LandBatchFilterSet", filters)


def _dated_sum(field, period):
    """The task's dated progress rows (``AcquisitionProgress``) of months 1..N summed."""
    rows = (AcquisitionProgress.objects.filter(acquisition=OuterRef("pk"), recorded_on__range=(period.start, period.end))
            .order_by().values("acquisition").annotate(s=Sum(field)).values("s"))
    output = DecimalField(max_digits=14, decimal_places=2) if field == "acquired_mu" else IntegerField()
    return Coalesce(Subquery(rows, output_field=output), Value(0), output_field=output)


def acquisitions_in_period(*, period, filters=None):
    """The year's acquisition and demolition tasks (有征拆任务), with project and area joined, each
    with ``acquired_to_date`` (征地, 亩) and ``buildings_to_date`` (签约拆房, 栋): its dated progress
    of months 1..N — the year's totals are the same sums at December."""
    qs = (Acquisition.objects.filter(year=period.year).select_related("project", "project__area")
          .annotate(acquired_to_date=_dated_sum("acquired_mu", period),
                    buildings_to_date=_dated_sum("buildings_signed", period)))
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
    return land_summary_spec(period=period).run()


def land_summary_spec(*, period):
    """``land_summary`` as aggregates (``portfolio.fused``), to be read with other summaries in one query."""
    from portfolio.fused import Aggregate, Combine

    def finish(parts):
        batch_row, acq = parts["batches"], parts["acquisitions"]
        return {
            "batches": batch_row["count"],
            "batch_projects": batch_row["projects"],
            "batch_area_mu": batch_row["area_mu"] or Decimal(0),
            "with_task": acq["with_task"],
            "full_access": acq["full_access"],
            "acquired_mu": acq["acquired_mu"] or Decimal(0),
            "buildings_signed": acq["buildings_signed"] or 0,
        }

    batches = Aggregate(batches_submitted(period=period),
                        {"count": Count("id"), "area_mu": Sum("area_mu"), "projects": Count("projects", distinct=True)})
    acquisitions = Aggregate(acquisitions_in_period(period=period), {
        "with_task": Count("id"),
        "full_access": Count("id", filter=Q(full_access_on__isnull=False, full_access_on__lte=period.end)),
        "acquired_mu": Sum("acquired_to_date"),
        "buildings_signed": Sum("buildings_to_date"),
    })
    return Combine({"batches": batches, "acquisitions": acquisitions}, finish)
