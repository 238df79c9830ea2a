import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet
from projects.filters import search_project
from projects.models import Area

from .models import Acquisition, LandBatch


class LandBatchFilterSet(PeriodFilterSet):
    """Narrows ``land.selectors.land_batches_in_period``."""

    q = django_filters.CharFilter(label=_("批次/项目"), method="search")
    approved = django_filters.BooleanFilter(label=_("已批复"), field_name="approved_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = LandBatch
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matching = LandBatch.objects.filter(
            Q(number__icontains=value) | Q(name__icontains=value)
            | Q(projects__name__icontains=value) | Q(projects__code__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=matching)


class AcquisitionFilterSet(PeriodFilterSet):
    """Narrows ``land.selectors.acquisitions_in_period``; ``full_access`` = full site access by the
    period's end, as ``land_summary`` counts it."""

    q = django_filters.CharFilter(label=_("项目代码/名称"), method="search")
    area = django_filters.ModelChoiceFilter(label=_("片区"), field_name="project__area", queryset=Area.objects.all())
    full_access = django_filters.BooleanFilter(label=_("已全面进场"), method="filter_full_access")

    class Meta:
        model = Acquisition
        fields = []

    def search(self, queryset, name, value):
        return search_project(queryset, "project__", value)

    def filter_full_access(self, queryset, name, value):
        if value is None:
            return queryset
        access = Q(full_access_on__isnull=False)
        if self.period:
            access &= Q(full_access_on__lte=self.period.end)
        return queryset.filter(access) if value else queryset.exclude(access)
