from django.utils.translation import gettext_lazy as _

from portfolio.generic import ObjectListView

from . import selectors
from .filters import PermitFilterSet, TenderFilterSet
from .tables import PermitTable, TenderTable


class TenderListView(ObjectListView):
    selector = staticmethod(selectors.tenders_in_period)
    filterset_class = TenderFilterSet
    table_class = TenderTable
    record_type = "tender"
    title = _("招标采购")


class PermitListView(ObjectListView):
    selector = staticmethod(selectors.permits_in_period)
    filterset_class = PermitFilterSet
    table_class = PermitTable
    record_type = "permit"
    title = _("许可证与办证时长")
    description = _("办证时长 = 核发日期 − 该项目首次施工招标开标日期；标准为%(days)s天内。") % {
        "days": selectors.PERMIT_TARGET_DAYS}
