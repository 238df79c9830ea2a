"""The demo's open-data choice: every project of the 2020 plan is publishable (``load_demo``).
Idempotent: projects already flagged are left as they are."""
from investment.models import PlanEntry

from .models import Publication

YEAR = 2020


def load():
    project_ids = set(PlanEntry.objects.filter(plan__year=YEAR).values_list("project_id", flat=True))
    existing = set(Publication.objects.filter(project_id__in=project_ids).values_list("project_id", flat=True))
    Publication.objects.bulk_create(
        [Publication(project_id=pk, publishable=True) for pk in sorted(project_ids - existing)])
