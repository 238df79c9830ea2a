import django_filters
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet
from projects.filters import ProjectSearchFilter, area_filter

from .models import Negotiation, Permit, PermitKind, Tender, TenderKind


class TenderFilterSet(PeriodFilterSet):
    """Narrows ``procurement.selectors.tenders_in_period``."""

    q = ProjectSearchFilter(label=_("项目/标段"), also=["title"])
    area = area_filter()
    kind = django_filters.ChoiceFilter(label=_("招标类型"), choices=TenderKind.choices)
    works = django_filters.BooleanFilter(label=_("施工+监理"), method="filter_works")

    class Meta:
        model = Tender
        fields = []

    def filter_works(self, queryset, name, value):
        works = [TenderKind.CONSTRUCTION, TenderKind.SUPERVISION]
        if value is None:
            return queryset
        return queryset.filter(kind__in=works) if value else queryset.exclude(kind__in=works)


class PermitFilterSet(PeriodFilterSet):
    """Narrows ``procurement.selectors.permits_in_period``."""

    q = ProjectSearchFilter()
    area = area_filter()
    kind = django_filters.ChoiceFilter(label=_("证照类型"), choices=PermitKind.choices)

    class Meta:
        model = Permit
        fields = []


class NegotiationFilterSet(PeriodFilterSet):
    """Narrows ``procurement.selectors.negotiations_in_period``."""

    q = ProjectSearchFilter(label=_("项目/活动"), prefix="projects__", also=["title"], many=True)
    area = area_filter("projects__", distinct=True)

    class Meta:
        model = Negotiation
        fields = []
