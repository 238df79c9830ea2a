import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet, yes_or_no
from projects.filters import ProjectSearchFilter

from .models import Funding, FundingSource, Saving, SavingKind


class FundingFilterSet(PeriodFilterSet):
    """Narrows ``investment.selectors.fundings_in_period``."""

    q = ProjectSearchFilter()
    source = django_filters.ChoiceFilter(label=_("资金来源"), choices=FundingSource.choices)

    class Meta:
        model = Funding
        fields = []


class SavingFilterSet(PeriodFilterSet):
    """Narrows ``investment.selectors.savings_in_period``; ``management`` = earthwork balancing
    and merged tenders (节约财政资金), as ``savings_summary`` groups them."""

    q = ProjectSearchFilter()
    kind = django_filters.ChoiceFilter(label=_("节约方式"), choices=SavingKind.choices)
    management = django_filters.BooleanFilter(label=_("管理节约"), method="filter_management")

    class Meta:
        model = Saving
        fields = []

    def filter_management(self, queryset, name, value):
        return yes_or_no(queryset, value, Q(kind__in=SavingKind.management()))
