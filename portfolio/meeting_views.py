"""/reports/meeting.docx?year=&month=: the month's 调度会 pack as a Word download."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import View

from .exports import content_disposition
from .meeting import DOCX_CONTENT_TYPE, meeting_docx_bytes, meeting_filename
from .period import request_period


class MeetingDocumentView(LoginRequiredMixin, View):
    """Every signed-in user reads every figure (projects.permissions): the same pack for all."""

    def get(self, request):
        choice = request_period(request)
        if choice.errors:
            return HttpResponseBadRequest(f"{_('年度或月份有误')}：{''.join(choice.errors)}".encode(),
                                          content_type="text/plain; charset=utf-8")
        if choice.empty:
            raise Http404(_("尚无任何月度进度数据。"))
        period = choice.period
        response = HttpResponse(meeting_docx_bytes(period=period), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(
            meeting_filename(period), fallback=f"meeting-{period.year}-{period.month:02d}.docx")
        return response
