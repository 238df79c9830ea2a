"""The report paragraph page: /reports/summary/?year=&month= (and ?format=txt to download)."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views.generic import TemplateView

from investment.selectors import plan_years

from .exports import content_disposition, download_name
from .summary import draft_summary, draft_summary_text
from .views import PeriodMixin


class SummaryView(LoginRequiredMixin, PeriodMixin, TemplateView):
    """工作总结（数据部分）: the drafted paragraphs, a copy button and a .txt download."""

    template_name = "portfolio/summary.html"

    def get(self, request, *args, **kwargs):
        choice, period = self.get_period()
        if period and request.GET.get("format") == "txt":
            response = HttpResponse(draft_summary_text(period=period), content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = content_disposition(
                download_name("工作总结", f"{period.year}年{period.month}月", ext="txt"),
                fallback=f"summary-{period.year}-{period.month:02d}.txt")
            return response
        context = self.get_context_data(period_choice=choice, period=period, years=plan_years())
        if period:
            context["paragraphs"] = draft_summary(period=period)
        return self.render_to_response(context)
