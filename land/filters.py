import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet, yes_or_no
from projects.filters import ProjectSearchFilter, area_filter

from .models import Acquisition, LandBatch


class LandBatchFilterSet(PeriodFilterSet):
    """Narrows ``land.selectors.land_batches_in_period``."""

    q = ProjectSearchFilter(label=_("批次/项目"), prefix="projects__", also=["number", "name"], many=True)
    approved = django_filters.BooleanFilter(label=_("已批复"), field_name="approved_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = LandBatch
        fields = []


class AcquisitionFilterSet(PeriodFilterSet):
    """Narrows ``land.selectors.acquisitions_in_period``; ``full_access`` = full site access by the
    period's end, as ``land_summary`` counts it."""

    q = ProjectSearchFilter()
    area = area_filter()
    full_access = django_filters.BooleanFilter(label=_("已全面进场"), method="filter_full_access")

    class Meta:
        model = Acquisition
        fields = []

    def filter_full_access(self, queryset, name, value):
        access = Q(full_access_on__isnull=False)
        if self.period:
            access &= Q(full_access_on__lte=self.period.end)
        return yes_or_no(queryset, value, access)
