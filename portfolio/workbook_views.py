"""/reports/district.xlsx?year=&month=: the district's monthly workbook as a download."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import View

from .period import request_period
from .workbook import build_district_workbook, workbook_filename
from .exports import xlsx_response


class DistrictWorkbookView(LoginRequiredMixin, View):
    """Every signed-in user may read every figure (projects.permissions), so the workbook is
    the same for all of them; anonymous users are sent to the login page."""

    def get(self, request):
        choice = request_period(request)
        if choice.errors:
            return HttpResponseBadRequest(f"{_('年度或月份有误')}：{''.join(choice.errors)}".encode(),
                                          content_type="text/plain; charset=utf-8")
        if choice.empty:
            raise Http404(_("尚无任何月度进度数据。"))
        period = choice.period
        book = build_district_workbook(period=period)
        return xlsx_response(book, workbook_filename(period),
                             fallback=f"district-{period.year}-{period.month:02d}.xlsx")
