import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from portfolio.links import pk_url
from portfolio.tables import NUM, AreaColumn, BaseTable, DateColumn, ProjectLinkColumn

from .models import Acquisition, LandBatch



class LandBatchTable(BaseTable):
    year = tables.Column(_("年度"))
    number = tables.Column(_("批次编号"))
    name = tables.Column(_("批次名称"))
    submitted_on = DateColumn(verbose_name=_("报批日期"))
    approved_on = DateColumn(verbose_name=_("批复日期"))
    area_mu = tables.Column(_("面积（亩）"), attrs=NUM)
    project_count = tables.Column(_("项目数"), attrs=NUM)
    projects = tables.Column(_("涉及项目"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = LandBatch
        order_by = ("year", "number")

    def render_projects(self, record):
        return format_html_join("、", '<a href="{}">{}</a>',
                                ((pk_url("projects:detail", p.pk), p.name) for p in record.projects.all()))


class AcquisitionTable(BaseTable):
    year = tables.Column(_("年度"))
    project = ProjectLinkColumn()
    area = AreaColumn()
    acquired_to_date = tables.Column(_("征地（亩，截至期末）"), attrs=NUM)
    buildings_to_date = tables.Column(_("签约拆房（栋，截至期末）"), attrs=NUM)
    full_access_on = DateColumn(verbose_name=_("全面进场日期"))
    note = tables.Column(_("备注"))

    class Meta(BaseTable.Meta):
        model = Acquisition
        order_by = ("year", "project")
