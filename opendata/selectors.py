"""Reading what the open-data package and pages show: the publishable projects of a year's plan
and, for them, tenders, contracts with their variations, and monthly progress — as of the year's
end, in a fixed number of queries whatever the number of projects."""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from contracts.models import Contract, Payment, Variation
from investment.models import AnnualPlan, Funding, MonthlyProgress
from portfolio.numbers import Period
from procurement.models import Tender
from projects.selectors import plan_entries_as_of

from .models import Publication


@dataclass
class PackageData:
    year: int
    entries: list = field(default_factory=list)
    tenders: dict = field(default_factory=dict)    # project id → [Tender]
    contracts: dict = field(default_factory=dict)  # project id → [Contract] (variations, payments prefetched)
    progress: dict = field(default_factory=dict)   # project id → [(year, month, completed, percent)]
    fundings: dict = field(default_factory=dict)   # project id → [Funding] received by the year's end

    @property
    def as_of(self):
        return Period(self.year, 12).end


def published_entries(*, year):
    """The year's plan entries (as of 31 December) whose project an administrator marked publishable,
    annotated with ``current_phase`` and ``current_category`` at the year's end."""
    return (
        plan_entries_as_of(period=Period(year, 12))
        .filter(project__publication__publishable=True)
        .select_related("plan", "project", "project__area", "project__owner_unit",
                        "project__contractor", "project__supervisor")
        .order_by("project__code")
    )


def package_data(*, year):
    """Everything the package of ``year`` needs: 7 queries."""
    as_of = Period(year, 12).end
    entries = list(published_entries(year=year))
    project_ids = [e.project_id for e in entries]
    data = PackageData(year=year, entries=entries)
    if not project_ids:
        return data
    tenders = (Tender.objects.filter(project_id__in=project_ids)
               .filter(Q(published_on__lte=as_of) | Q(published_on__isnull=True, bid_opened_on__lte=as_of))
               .select_related("winner").order_by("project_id", "bid_opened_on", "id"))
    for tender in tenders:
        data.tenders.setdefault(tender.project_id, []).append(tender)
    approved = Variation.objects.filter(approved_on__lte=as_of).order_by("approved_on", "id")
    contracts = (Contract.objects.filter(project_id__in=project_ids, signed_on__lte=as_of)
                 .select_related("firm")
                 .prefetch_related(Prefetch("variations", queryset=approved),
                                   Prefetch("payments", queryset=Payment.objects.filter(paid_on__lte=as_of)
                                            .order_by("paid_on", "id")))
                 .order_by("project_id", "signed_on", "id"))
    for contract in contracts:
        data.contracts.setdefault(contract.project_id, []).append(contract)
    progress = defaultdict(list)
    rows = (MonthlyProgress.objects.filter(entry__project_id__in=project_ids, entry__plan__year__lte=year)
            .order_by("entry__project_id", "entry__plan__year", "month")
            .values_list("entry__project_id", "entry__plan__year", "month", "completed", "physical_percent"))
    for project_id, y, month, completed, percent in rows:
        progress[project_id].append((y, month, completed, percent))
    data.progress = dict(progress)
    for funding in (Funding.objects.filter(project_id__in=project_ids, received_on__lte=as_of)
                    .order_by("project_id", "received_on", "id")):
        data.fundings.setdefault(funding.project_id, []).append(funding)
    return data


def publishable_years():
    """Years with a plan, newest first (the year choice of the pages)."""
    return list(AnnualPlan.objects.order_by("-year").values_list("year", flat=True))


def publication_rows(*, year):
    """The year's plan projects (as of 31 December) with their open-data flag, for the
    administrator's page: [(entry, publishable)]."""
    entries = (plan_entries_as_of(period=Period(year, 12)).select_related("project", "project__area")
               .order_by("project__code"))
    flags = dict(Publication.objects.filter(project__plan_entries__plan__year=year)
                 .values_list("project_id", "publishable"))
    return [(entry, flags.get(entry.project_id, False)) for entry in entries]
