"""Reading land: approval batches, acquisition, demolition, full site access."""
from decimal import Decimal

from django.db.models import Count, Q, Sum

from .models import Acquisition, LandBatch


def land_summary(*, period):
    """Land figures of the year up to the end of the period.

    - batches = approval batches (用地报批) submitted in the period; projects = distinct projects
      they cover; area_mu = their total area in 亩;
    - with_task = projects with an acquisition/demolition record (有征拆任务) this year;
      full_access = those with full site access (全面进场) by the end of the period;
    - acquired_mu (征地) and buildings_signed (签约拆房) = the year's totals.
    """
    batches = LandBatch.objects.filter(year=period.year, submitted_on__lte=period.end)
    batch_row = batches.aggregate(count=Count("id"), area_mu=Sum("area_mu"))
    projects = batches.values("projects").distinct().count()
    acq = Acquisition.objects.filter(year=period.year).aggregate(
        with_task=Count("id"),
        full_access=Count("id", filter=Q(full_access_on__isnull=False, full_access_on__lte=period.end)),
        acquired_mu=Sum("acquired_mu"),
        buildings_signed=Sum("buildings_signed"),
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


def land_batch_records():
    """Approval batches for the list, with the number of projects each covers and the projects."""
    return LandBatch.objects.annotate(project_count=Count("projects", distinct=True)).prefetch_related("projects")


def acquisition_records():
    """Acquisition and demolition records for the list, with project and area joined."""
    return Acquisition.objects.select_related("project", "project__area")
