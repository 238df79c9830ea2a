"""Table of the 本月无形象进度照片 list."""
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portfolio.tables import AreaColumn, BaseTable, ProjectLinkColumn


class MissingPhotoTable(BaseTable):
    """Rows are ``evidence.selectors.entries_without_photo`` plan entries."""

    code = tables.Column(_("项目代码"), accessor="project__code", attrs={"td": {"class": "project-code"}})
    name = ProjectLinkColumn(accessor="project", verbose_name=_("项目名称"))
    area = AreaColumn()
    contractor = tables.Column(_("施工单位"), accessor="project__contractor__name", default="")
    upload = tables.Column(_("上传"), accessor="project_id", orderable=False, exclude_from_export=True)

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period

    def render_upload(self, value):
        url = reverse("evidence:project_photos", args=[value])
        if self.period:
            url += f"?year={self.period.year}&month={self.period.month}"
        return format_html('<a href="{}">上传照片</a>', url)

    class Meta(BaseTable.Meta):
        fields = ("code", "name", "area", "contractor", "upload")
        default_columns = fields
