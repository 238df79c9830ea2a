"""A project's dossier: everything recorded about one project, read across the apps (the roof
floor), for the project page and the project's record page."""
from django.db.models import Sum

from investment.models import MonthlyProgress, PlanEntry
from land.models import Acquisition
from procurement.selectors import permit_records

from .numbers import rate


def project_dossier(*, project):
    """One query per section: plan entries by year with the year's completion
    (``completion_rate``), monthly progress, category and phase changes, land batches and
    acquisition, tenders, permits (with lead time), milestones, funding, savings and the months
    that reported problems."""
    entries = list(
        PlanEntry.objects.filter(project=project).select_related("plan")
        .annotate(completed_total=Sum("progress__completed")).order_by("plan__year")
    )
    for e in entries:
        e.completion_rate = rate(e.completed_total, e.target)
    progress = list(
        MonthlyProgress.objects.filter(entry__project=project).select_related("entry__plan", "updated_by")
        .order_by("entry__plan__year", "month")
    )
    return {
        "entries": entries,
        "progress": progress,
        "category_changes": list(project.category_changes.order_by("year", "changed_on", "id")),
        "phase_transitions": list(project.phase_transitions.order_by("occurred_on", "id")),
        "land_batches": list(project.land_batches.order_by("year", "number")),
        "acquisitions": list(Acquisition.objects.filter(project=project).order_by("year")),
        "tenders": list(project.tenders.select_related("winner").order_by("bid_opened_on", "id")),
        "permits": list(permit_records().filter(project=project)),
        "milestones": list(project.milestones.order_by("order", "planned_on", "id")),
        "fundings": list(project.fundings.order_by("received_on", "id")),
        "savings": list(project.savings.order_by("recorded_on", "id")),
        "problems": [p for p in progress if p.problems.strip()],
    }
