from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from investment import selectors as investment_selectors
from investment.filters import FundingFilterSet, SavingFilterSet
from investment.tables import FundingTable, SavingTable

from investment.models import FundingSource
from investment.selectors import latest_period, plan_years
from projects.models import Phase, PlanCategory

from . import rag
from .charts import completion_curve_chart
from .forms import PeriodForm
from .generic import ObjectListView
from .numbers import Period
from .selectors import dashboard_figures


class PeriodMixin:
    """Reads ``?year=&month=`` (default: the latest month with data) into ``self.period``."""

    def get_period(self):
        form = PeriodForm(self.request.GET or None, default=latest_period)
        return form, form.period()


class DashboardView(LoginRequiredMixin, PeriodMixin, TemplateView):
    """领导看板: the year's figures as of the chosen month, each linked to its records."""

    template_name = "portfolio/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, period = self.get_period()
        context.update(period_form=form, period=period, years=plan_years(), categories=PlanCategory,
                       phases=Phase, funding_sources=FundingSource, rag_legend=rag.legend(),
                       rag_labels=dict(rag.Rag.choices))
        if period:
            figures = dashboard_figures(period=period)
            context.update(figures=figures, period_june=Period(period.year, 6),
                           curve_chart=completion_curve_chart(figures["curve"], month=period.month))
        return context


class FundingListView(ObjectListView):
    """争取上级资金 records (investment app; the view lives here as investment/views.py belongs
    to the monthly-entry pages)."""

    selector = staticmethod(investment_selectors.funding_records)
    filterset_class = FundingFilterSet
    table_class = FundingTable
    record_type = "funding"
    title = _("争取上级资金")


class SavingListView(ObjectListView):
    selector = staticmethod(investment_selectors.saving_records)
    filterset_class = SavingFilterSet
    table_class = SavingTable
    record_type = "saving"
    title = _("节约资金")
