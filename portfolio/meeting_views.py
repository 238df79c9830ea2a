"""/reports/meeting.docx?year=&month=: the month's 调度会 pack as a Word download."""
from django.http import HttpResponse

from .exports import content_disposition
from .generic import PeriodDownloadView
from .meeting import DOCX_CONTENT_TYPE, meeting_docx_bytes, meeting_filename


class MeetingDocumentView(PeriodDownloadView):
    """Every signed-in user reads every figure (projects.permissions): the same pack for all."""

    def download(self, period):
        response = HttpResponse(meeting_docx_bytes(period=period), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(
            meeting_filename(period), fallback=f"meeting-{period.year}-{period.month:02d}.docx")
        return response
