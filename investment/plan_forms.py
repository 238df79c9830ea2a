"""Input parsing of the next-year plan pages: the uploaded plan table and the node-plan area."""
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolio.exports.reader import UnreadableWorkbook, check_upload_size
from projects.models import Area

from . import plan_exports
from .plan_services import plan_rows_parse


class PlanUploadForm(forms.Form):
    """The district's plan table. After ``is_valid()``: ``plan_rows`` (typed rows, unreadable
    cells left empty) and ``row_errors`` (every cell that could not be read)."""

    file = forms.FileField(label=gettext_lazy("年度计划表（.xlsx）"))

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.plan_rows, self.row_errors = [], []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload)
        try:
            rows = plan_exports.read_plan(upload, year=self.year)
        except UnreadableWorkbook as exc:
            raise forms.ValidationError(exc.message) from exc
        if not plan_exports.header_matches(rows):
            raise forms.ValidationError(
                _("不是%(year)s年度计划表：第%(row)s行表头应为 %(titles)s，请使用“下载模板”得到的文件。") % {
                    "year": self.year, "row": plan_exports.HEADER_ROW,
                    "titles": "、".join(str(t) for _k, t in plan_exports.COLUMNS)})
        self.plan_rows, self.row_errors = plan_rows_parse(plan_exports.data_rows(rows))
        return upload


class NodePlanForm(forms.Form):
    area = forms.ModelChoiceField(Area.objects.all(), label=gettext_lazy("片区"))
