"""/reports/meeting.docx?year=&month=: the month's 调度会 pack as a Word download."""
from django.http import HttpResponse

from .exports import content_disposition
from .generic import PeriodDownloadView


class MeetingDocumentView(PeriodDownloadView):
    """Every signed-in user reads every figure (projects.permissions): the same pack for all."""

    def download(self, period):
        # imported here: python-docx costs ~0.15 s of CPU to import, which every process loading
        # the URLs (each worker, `manage.py` command, `check --deploy`) paid at start-up
        from .meeting import DOCX_CONTENT_TYPE, meeting_docx_bytes, meeting_filename

        response = HttpResponse(meeting_docx_bytes(period=period), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(
            meeting_filename(period), fallback=f"meeting-{period.year}-{period.month:02d}.docx")
        return response
