"""The pages of this app beyond the registry's record lists: the 资金支付 review, 开工未入库, the
monthly 统计对账 and 按期竣工 — each a configured ``ObjectListView`` (thin: selector, FilterSet, Table)."""
from django.utils.translation import gettext_lazy as _

from portfolio.generic import ObjectListView

from . import selectors
from .filters import CompletionFilterSet, ContractFilterSet, PlanEntryFilterSet, ReconciliationFilterSet
from .models import Contract
from .tables import CompletionTable, PaymentReviewTable, ReconciliationTable, UnregisteredTable


class PaymentReviewView(ObjectListView):
    model = Contract
    selector = staticmethod(selectors.payment_review)
    filterset_class = ContractFilterSet
    table_class = PaymentReviewTable
    title = _("资金支付审查")
    description = _("期末累计支付超过“累计完成产值 × 进度款支付比例”（超进度支付）或超过现合同价（合同价 + 已批准变更，"
                    "超合同价支付）的合同。累计完成产值为最近一次进度款申请时经监理确认的数。")


class StartedUnregisteredView(ObjectListView):
    selector = staticmethod(selectors.started_unregistered)
    filterset_class = PlanEntryFilterSet
    table_class = UnregisteredTable
    title = _("开工未入库项目")
    description = _("年度计划项目中期末前已实际开工、但期末时尚未在统计部门入库的项目（先入库，后有数）。")


class ReconciliationView(ObjectListView):
    selector = staticmethod(selectors.reconciliation_in_period)
    filterset_class = ReconciliationFilterSet
    table_class = ReconciliationTable
    title = _("统计对账")

    @property
    def description(self):
        return _("年度计划项目的调度完成投资（月度填报）、统计完成投资（联网直报）与合同支付，%(months)s累计与%(month)s月；"
                 "调度与统计累计相差超过%(gap)s万元的标红。") % {
            "months": self.period.label, "month": self.period.month, "gap": selectors.gap_threshold()}

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "threshold": selectors.gap_threshold()}


class CompletionsView(ObjectListView):
    selector = staticmethod(selectors.completions_due)
    filterset_class = CompletionFilterSet
    table_class = CompletionTable
    title = _("按期竣工")
    description = _("年度计划项目中计划完工日期在1-N月内的项目；按期竣工 = 实际完工日期不晚于计划完工日期。"
                    "按期竣工率 = 按期竣工项目 ÷ 应竣工项目。")
