import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portfolio.tables import NUM, AreaColumn, BaseTable, DateColumn, ProjectLinkColumn, WanColumn

from .models import Negotiation, Permit, Tender
from .selectors import PERMIT_TARGET_DAYS



class TenderTable(BaseTable):
    project = ProjectLinkColumn()
    area = AreaColumn()
    kind = tables.Column(_("招标类型"))
    title = tables.Column(_("标段名称"))
    published_on = DateColumn(verbose_name=_("公告日期"))
    bid_opened_on = DateColumn(verbose_name=_("开标日期"))
    winner = tables.Column(_("中标单位"), accessor="winner__name")
    amount = WanColumn(verbose_name=_("中标金额（万元）"))

    class Meta(BaseTable.Meta):
        model = Tender
        order_by = ("bid_opened_on",)


class PermitTable(BaseTable):
    project = ProjectLinkColumn()
    area = AreaColumn()
    kind = tables.Column(_("证照类型"))
    number = tables.Column(_("证书编号"))
    bid_opened_on = DateColumn(verbose_name=_("施工开标日期"))
    issued_on = DateColumn(verbose_name=_("核发日期"))
    lead_days = tables.Column(_("办证时长（天）"), accessor="lead_time", order_by=("lead_time",), attrs=NUM)

    class Meta(BaseTable.Meta):
        model = Permit
        order_by = ("issued_on",)

    def render_lead_days(self, value):
        days = value.days
        if days > PERMIT_TARGET_DAYS:
            return format_html('<span class="text-danger fw-semibold" title="超过{}天">{}</span>', PERMIT_TARGET_DAYS, days)
        return days


class NegotiationTable(BaseTable):
    held_on = DateColumn(verbose_name=_("日期"))
    title = tables.Column(_("活动名称"))
    project_count = tables.Column(_("参加项目（个）"), attrs=NUM)
    projects = tables.Column(_("参加项目"), orderable=False, empty_values=())
    suppliers_attending = tables.Column(_("到会供应商（家）"), attrs=NUM)
    contractors = tables.Column(_("参加单位"), orderable=False, empty_values=())
    note = tables.Column(_("说明"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Negotiation
        order_by = ("held_on",)
        default_columns = ("held_on", "title", "project_count", "projects", "suppliers_attending")

    def render_projects(self, record):
        return "、".join(p.name for p in record.projects.all())

    def render_contractors(self, record):
        return "、".join(o.name for o in record.contractors.all())
