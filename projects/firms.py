"""外地企业在本地设立分公司: the firms behind the report's "推动14家外地建筑企业、6家监理企业在望城
成立了分公司", as the list the dashboard's figures link to (filter, table and view of one small
record list, kept together until the records package takes them in)."""
import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet
from portfolio.generic import ObjectListView
from portfolio.tables import BaseTable, DateColumn

from .models import Organisation, OrganisationRole
from .selectors import local_branch_firms

BRANCH_ROLES = [(OrganisationRole.CONTRACTOR.value, OrganisationRole.CONTRACTOR.label),
                (OrganisationRole.SUPERVISOR.value, OrganisationRole.SUPERVISOR.label)]


class FirmFilterSet(PeriodFilterSet):
    """Narrows ``projects.selectors.local_branch_firms``."""

    q = django_filters.CharFilter(label=_("单位名称"), field_name="name", lookup_expr="icontains")
    role = django_filters.ChoiceFilter(label=_("单位类型"), choices=BRANCH_ROLES)

    class Meta:
        model = Organisation
        fields = []


class FirmTable(BaseTable):
    name = tables.Column(_("单位名称"))
    role = tables.Column(_("单位类型"))
    local_branch_on = DateColumn(verbose_name=_("本地分公司成立日期"))

    class Meta(BaseTable.Meta):
        model = Organisation
        order_by = ("role", "local_branch_on")


class FirmListView(ObjectListView):
    selector = staticmethod(local_branch_firms)
    filterset_class = FirmFilterSet
    table_class = FirmTable
    title = _("外地企业本地分公司")
    description = _("外地施工、监理企业在本地成立分公司（所选期间内成立）。")
