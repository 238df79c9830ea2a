import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from portfolio.tables import BaseTable, DateColumn, ProjectLinkColumn, WanColumn

from .models import Funding, Saving


class FundingTable(BaseTable):
    received_on = DateColumn(verbose_name=_("到位日期"))
    source = tables.Column(_("资金来源"))
    project = ProjectLinkColumn(default="（中心）")
    amount = WanColumn(verbose_name=_("金额（万元）"))
    note = tables.Column(_("说明"))

    class Meta(BaseTable.Meta):
        model = Funding
        order_by = ("received_on",)

    total_columns = ("amount",)


class SavingTable(BaseTable):
    recorded_on = DateColumn(verbose_name=_("日期"))
    kind = tables.Column(_("节约方式"))
    project = ProjectLinkColumn(default="（中心）")
    amount = WanColumn(verbose_name=_("金额（万元）"))
    description = tables.Column(_("说明"))

    class Meta(BaseTable.Meta):
        model = Saving
        order_by = ("recorded_on",)

    total_columns = ("amount",)
