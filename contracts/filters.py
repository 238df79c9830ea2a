"""FilterSets narrowing the selectors of ``contracts.selectors`` (they own the date rules)."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from investment.models import PlanEntry
from portfolio.filters import PeriodFilterSet, yes_or_no
from projects.filters import ProjectSearchFilter, area_filter

from .models import Contract, ContractKind, Payment, StatisticsRegistration, StatisticsReport, Variation, VariationKind


class ContractFilterSet(PeriodFilterSet):
    """Narrows ``contracts_in_period`` and ``payment_review``."""

    q = ProjectSearchFilter(label=_("项目/合同"), also=["title", "number", "firm__name"])
    area = area_filter()
    kind = django_filters.ChoiceFilter(label=_("合同类型"), choices=ContractKind.choices)

    class Meta:
        model = Contract
        fields = []


class VariationFilterSet(PeriodFilterSet):
    q = ProjectSearchFilter(prefix="contract__project__")
    area = area_filter("contract__project__")
    kind = django_filters.ChoiceFilter(label=_("变更类型"), choices=VariationKind.choices)
    approved = django_filters.BooleanFilter(label=_("已批准"), field_name="approved_on", lookup_expr="isnull",
                                            exclude=True)

    class Meta:
        model = Variation
        fields = []


class PaymentFilterSet(PeriodFilterSet):
    q = ProjectSearchFilter(prefix="contract__project__")
    area = area_filter("contract__project__")
    kind = django_filters.ChoiceFilter(label=_("合同类型"), field_name="contract__kind", choices=ContractKind.choices)

    class Meta:
        model = Payment
        fields = []


class RegistrationFilterSet(PeriodFilterSet):
    q = ProjectSearchFilter()
    area = area_filter()

    class Meta:
        model = StatisticsRegistration
        fields = []


class StatisticsReportFilterSet(RegistrationFilterSet):
    class Meta:
        model = StatisticsReport
        fields = []


class PlanEntryFilterSet(RegistrationFilterSet):
    """Narrows lists of plan entries (开工未入库)."""

    class Meta:
        model = PlanEntry
        fields = []


class CompletionFilterSet(PlanEntryFilterSet):
    on_time = django_filters.BooleanFilter(label=_("按期竣工"), method="filter_on_time")

    def filter_on_time(self, queryset, name, value):
        from .selectors import on_time_q

        return yes_or_no(queryset, value, on_time_q())


class ReconciliationFilterSet(PlanEntryFilterSet):
    flagged = django_filters.BooleanFilter(label=_("差异超限"), method="filter_flagged")

    def filter_flagged(self, queryset, name, value):
        from .selectors import flagged_entry_ids

        if value is None or self.period is None:
            return queryset
        return yes_or_no(queryset, value, Q(pk__in=flagged_entry_ids(period=self.period)))
