from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


from investment.models import FundingSource
from investment.selectors import plan_years
from projects.models import Phase, PlanCategory

from . import rag
from .charts import completion_curve_chart
from .period import request_period
from .numbers import Period
from .selectors import dashboard_figures
from .figures import figure_values


class PeriodMixin:
    """The request's period (``portfolio.period.request_period``) and the picker's context."""

    def get_period(self):
        choice = request_period(self.request)
        return choice, None if choice.empty else choice.period


class DashboardView(LoginRequiredMixin, PeriodMixin, TemplateView):
    """领导看板: the year's figures as of the chosen month, each linked to its records."""

    template_name = "portfolio/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choice, period = self.get_period()
        context.update(period_choice=choice, period=period, categories=PlanCategory,
                       phases=Phase, funding_sources=FundingSource, rag_legend=rag.legend(),
                       rag_labels=dict(rag.Rag.choices))
        if not period:
            context["years"] = plan_years()
        else:
            figures = dashboard_figures(period=period)  # with the years, read in its summaries' statement
            context.update(figures=figures, years=figures["years"], period_june=Period(period.year, 6),
                           shown=figure_values(period=period, figures=figures),
                           curve_chart=completion_curve_chart(figures["curve"], month=period.month))
        return context
