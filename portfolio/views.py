from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from investment.selectors import latest_period, plan_years
from projects.models import PlanCategory

from .forms import PeriodForm
from .selectors import report_figures


class PeriodMixin:
    """Reads ``?year=&month=`` (default: the latest month with data) into ``self.period``."""

    def get_period(self):
        form = PeriodForm(self.request.GET or None, default=latest_period())
        return form, form.period()


class DashboardView(LoginRequiredMixin, PeriodMixin, TemplateView):
    """领导看板: the year's figures as of the chosen month."""

    template_name = "portfolio/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, period = self.get_period()
        context.update(period_form=form, period=period, years=plan_years(), categories=PlanCategory)
        if period:
            context["figures"] = report_figures(period=period)
        return context
