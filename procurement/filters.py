import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet, yes_or_no
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
        return yes_or_no(queryset, value, Q(kind__in=[TenderKind.CONSTRUCTION, TenderKind.SUPERVISION]))


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
