"""FilterSets of the problem list and the 督办 list (they narrow ``problems_in_period`` and
``orders_in_period``; ``year``/``month`` are the period, parsed by the generic list view)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet
from projects.filters import ProjectSearchFilter, area_filter
from projects.models import Organisation

from .models import Order, OrderSource, OrderState, Problem, ProblemStatus, ProblemType
from .selectors import open_q


def _units(request):
    return Organisation.objects.order_by("name")


class ProblemFilterSet(PeriodFilterSet):
    """``status`` is as of the period's end (``selectors.open_q``): 待解决 = not closed by then."""

    q = ProjectSearchFilter()
    area = area_filter()
    unit = django_filters.ModelChoiceFilter(label=_("责任单位"), field_name="responsible_unit", queryset=_units)
    type = django_filters.ChoiceFilter(label=_("问题类型"), choices=ProblemType.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProblemStatus.choices, method="filter_status")

    class Meta:
        model = Problem
        fields = []

    def filter_status(self, queryset, name, value):
        if not value or self.period is None:
            return queryset
        is_open = open_q(self.period.end)
        return queryset.filter(is_open) if value == ProblemStatus.OPEN else queryset.exclude(is_open)


class OrderFilterSet(PeriodFilterSet):
    """``state`` is as of the period's end (``selectors.with_state_at``), as the 办结 figures are."""

    q = ProjectSearchFilter()
    area = area_filter()
    unit = django_filters.ModelChoiceFilter(label=_("责任单位"), field_name="responsible_unit", queryset=_units)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=OrderState.choices, field_name="state_at_end",
                                        help_text=_("期末时的状态"))
    source = django_filters.ChoiceFilter(label=_("来源"), choices=OrderSource.choices)

    class Meta:
        model = Order
        fields = []
