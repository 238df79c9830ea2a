"""/reports/district.xlsx?year=&month=: the district's monthly workbook as a download."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import View

from investment.selectors import latest_period

from .forms import PeriodForm
from .workbook import build_district_workbook, workbook_filename
from .exports import xlsx_response


class DistrictWorkbookView(LoginRequiredMixin, View):
    """Every signed-in user may read every figure (projects.permissions), so the workbook is
    the same for all of them; anonymous users are sent to the login page."""

    def get(self, request):
        form = PeriodForm(request.GET or None, default=latest_period)
        if form.is_bound and not form.is_valid():
            errors = "；".join(str(e) for field in form for e in field.errors)
            return HttpResponseBadRequest(f"{_('年度或月份有误')}：{errors}".encode(),
                                          content_type="text/plain; charset=utf-8")
        period = form.period()
        if period is None:
            raise Http404(_("尚无任何月度进度数据。"))
        book = build_district_workbook(period=period)
        return xlsx_response(book, workbook_filename(period),
                             fallback=f"district-{period.year}-{period.month:02d}.xlsx")
