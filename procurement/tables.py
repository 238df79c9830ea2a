import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portfolio.tables import BaseTable, DateColumn, ProjectLinkColumn, WanColumn

from .models import Permit, Tender
from .selectors import PERMIT_TARGET_DAYS

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class TenderTable(BaseTable):
    project = ProjectLinkColumn()
    area = tables.Column(_("片区"), accessor="project__area__name")
    kind = tables.Column(_("招标类型"))
    title = tables.Column(_("标段名称"))
    published_on = DateColumn(verbose_name=_("公告日期"))
    bid_opened_on = DateColumn(verbose_name=_("开标日期"))
    winner = tables.Column(_("中标单位"), accessor="winner__name")
    amount = WanColumn(verbose_name=_("中标金额（万元）"))

    class Meta(BaseTable.Meta):
        model = Tender
        fields = ()
        order_by = ("bid_opened_on",)


class PermitTable(BaseTable):
    project = ProjectLinkColumn()
    area = tables.Column(_("片区"), accessor="project__area__name")
    kind = tables.Column(_("证照类型"))
    number = tables.Column(_("证书编号"))
    bid_opened_on = DateColumn(verbose_name=_("施工开标日期"))
    issued_on = DateColumn(verbose_name=_("核发日期"))
    lead_days = tables.Column(_("办证时长（天）"), accessor="lead_time", order_by=("lead_time",), attrs=NUM)

    class Meta(BaseTable.Meta):
        model = Permit
        fields = ()
        order_by = ("issued_on",)

    def render_lead_days(self, value):
        days = value.days
        if days > PERMIT_TARGET_DAYS:
            return format_html('<span class="text-danger fw-semibold" title="超过{}天">{}</span>', PERMIT_TARGET_DAYS, days)
        return days
