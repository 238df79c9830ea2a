"""/reports/district.xlsx?year=&month=: the district's monthly workbook as a download."""
from .exports import xlsx_response
from .generic import PeriodDownloadView
from .workbook import build_district_workbook, workbook_filename


class DistrictWorkbookView(PeriodDownloadView):
    """Every signed-in user may read every figure (projects.permissions), so the workbook is
    the same for all of them; anonymous users are sent to the login page."""

    def download(self, period):
        book = build_district_workbook(period=period)
        return xlsx_response(book, workbook_filename(period),
                             fallback=f"district-{period.year}-{period.month:02d}.xlsx")
