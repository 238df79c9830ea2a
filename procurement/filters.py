import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet
from projects.filters import search_project
from projects.models import Area

from .models import Negotiation, Permit, PermitKind, Tender, TenderKind


class TenderFilterSet(PeriodFilterSet):
    """Narrows ``procurement.selectors.tenders_in_period``."""

    q = django_filters.CharFilter(label=_("项目/标段"), method="search")
    area = django_filters.ModelChoiceFilter(label=_("片区"), field_name="project__area", queryset=Area.objects.all())
    kind = django_filters.ChoiceFilter(label=_("招标类型"), choices=TenderKind.choices)
    works = django_filters.BooleanFilter(label=_("施工+监理"), method="filter_works")

    class Meta:
        model = Tender
        fields = []

    def search(self, queryset, name, value):
        by_title = queryset.filter(title__icontains=value.strip())
        return (search_project(queryset, "project__", value) | by_title) if value.strip() else queryset

    def filter_works(self, queryset, name, value):
        works = [TenderKind.CONSTRUCTION, TenderKind.SUPERVISION]
        if value is None:
            return queryset
        return queryset.filter(kind__in=works) if value else queryset.exclude(kind__in=works)


class PermitFilterSet(PeriodFilterSet):
    """Narrows ``procurement.selectors.permits_in_period``."""

    q = django_filters.CharFilter(label=_("项目代码/名称"), method="search")
    area = django_filters.ModelChoiceFilter(label=_("片区"), field_name="project__area", queryset=Area.objects.all())
    kind = django_filters.ChoiceFilter(label=_("证照类型"), choices=PermitKind.choices)

    class Meta:
        model = Permit
        fields = []

    def search(self, queryset, name, value):
        return search_project(queryset, "project__", value)


class NegotiationFilterSet(PeriodFilterSet):
    """Narrows ``procurement.selectors.negotiations_in_period``."""

    q = django_filters.CharFilter(label=_("项目/活动"), method="search")
    area = django_filters.ModelChoiceFilter(label=_("片区"), field_name="projects__area",
                                            queryset=Area.objects.all(), distinct=True)

    class Meta:
        model = Negotiation
        fields = []

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        meetings = search_project(Negotiation.projects.through.objects.all(), "project__", value)
        return queryset.filter(Q(title__icontains=value.strip()) | Q(pk__in=meetings.values("negotiation_id")))
