import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portfolio import numbers
from portfolio.tables import NUM, AreaColumn, BaseTable, DateColumn, ProjectLinkColumn, WanColumn

from .models import Contract, Payment, StatisticsRegistration, StatisticsReport, Variation
from .selectors import (WARNING_LABELS, allowed_to_date, completed_on_time, contract_warnings, paid_share,
                        reconciliation_flagged)


class ContractTable(BaseTable):
    project = ProjectLinkColumn()
    area = AreaColumn()
    kind = tables.Column(_("类型"))
    title = tables.Column(_("合同名称"))
    firm = tables.Column(_("合同单位"), accessor="firm__name")
    signed_on = DateColumn(verbose_name=_("签订日期"))
    duration_days = tables.Column(_("合同工期（天）"), attrs=NUM)
    current_duration = tables.Column(_("现工期（天）"), attrs=NUM)
    price = WanColumn(verbose_name=_("合同价（万元）"))
    approved_variations = WanColumn(verbose_name=_("已批准变更（万元）"))
    current_price = WanColumn(verbose_name=_("现合同价（万元）"))
    work_completed_to_date = WanColumn(verbose_name=_("累计完成产值（万元）"))
    progress_payment_ratio = tables.Column(_("支付比例（%）"), attrs=NUM)
    allowed = WanColumn(verbose_name=_("允许支付（万元）"), accessor="pk", orderable=False)
    paid_to_date = WanColumn(verbose_name=_("累计支付（万元）"))
    paid_share = tables.Column(_("支付占合同价"), accessor="paid_to_date", orderable=False, attrs=NUM)
    warnings = tables.Column(_("预警"), accessor="pk", orderable=False, empty_values=())
    settled_amount = WanColumn(verbose_name=_("结算（万元）"))
    audited_amount = WanColumn(verbose_name=_("审计（万元）"))
    audit_cut = WanColumn(verbose_name=_("审减（万元）"), accessor="audit_cut", orderable=False)

    total_columns = ("price", "approved_variations", "current_price", "paid_to_date", "settled_amount",
                     "audited_amount")
    """The 合计 row, as the workbook's 合同与支付 sheet ends (审减 is a difference of two of them)."""

    class Meta(BaseTable.Meta):
        model = Contract
        order_by = ("signed_on",)
        default_columns = ("project", "kind", "title", "firm", "current_price", "work_completed_to_date",
                           "paid_to_date", "paid_share", "warnings", "settled_amount", "audited_amount", "audit_cut")

    def render_progress_payment_ratio(self, value):
        return numbers.plain(value, 0)

    def render_paid_share(self, record):
        return numbers.percent_text(paid_share(record), 1)

    def value_paid_share(self, record):
        return paid_share(record)

    def render_allowed(self, record):
        return numbers.wan(allowed_to_date(record), 2)

    def value_allowed(self, record):
        return allowed_to_date(record)

    def render_warnings(self, record):
        labels = [WARNING_LABELS[w] for w in contract_warnings(record)]
        if not labels:
            return "—"
        return format_html_join(" ", '<span class="badge text-bg-danger" data-warning>{}</span>', ((x,) for x in labels))

    def value_warnings(self, record):
        return "、".join(WARNING_LABELS[w] for w in contract_warnings(record))


class PaymentReviewTable(ContractTable):
    """资金支付审查: what was allowed (累计完成产值 × 支付比例) against what was paid."""

    class Meta(ContractTable.Meta):
        default_columns = ("project", "kind", "title", "firm", "current_price", "work_completed_to_date",
                           "progress_payment_ratio", "allowed", "paid_to_date", "paid_share", "warnings")


class VariationTable(BaseTable):
    project = ProjectLinkColumn(accessor="contract__project", order_by=("contract__project__name",))
    contract = tables.Column(_("合同"), accessor="contract__title")
    kind = tables.Column(_("变更类型"))
    amount = WanColumn(verbose_name=_("金额增减（万元）"))
    days = tables.Column(_("工期增减（天）"), attrs=NUM)
    reason = tables.Column(_("变更原因"))
    requested_on = DateColumn(verbose_name=_("申报日期"))
    approved_on = DateColumn(verbose_name=_("批准日期"))

    class Meta(BaseTable.Meta):
        model = Variation
        order_by = ("requested_on",)


class PaymentTable(BaseTable):
    paid_on = DateColumn(verbose_name=_("支付日期"))
    project = ProjectLinkColumn(accessor="contract__project", order_by=("contract__project__name",))
    contract = tables.Column(_("合同"), accessor="contract__title")
    firm = tables.Column(_("收款单位"), accessor="contract__firm__name")
    work_completed = WanColumn(verbose_name=_("累计完成产值（万元）"))
    amount = WanColumn(verbose_name=_("本期支付（万元）"))
    note = tables.Column(_("说明"), orderable=False)

    total_columns = ("amount",)
    """The 合计 of the payments listed: the dashboard's 到位资金 (``four_rates``' funds in place)."""

    class Meta(BaseTable.Meta):
        model = Payment
        order_by = ("paid_on",)


class RegistrationTable(BaseTable):
    project = ProjectLinkColumn()
    area = AreaColumn()
    registered_on = DateColumn(verbose_name=_("入库日期"))
    statistics_code = tables.Column(_("统计库项目编码"))

    class Meta(BaseTable.Meta):
        model = StatisticsRegistration
        order_by = ("registered_on",)


class StatisticsReportTable(BaseTable):
    project = ProjectLinkColumn()
    area = AreaColumn()
    month = tables.Column(_("月份"), attrs=NUM)
    amount = WanColumn(verbose_name=_("统计完成投资（万元）"))

    class Meta(BaseTable.Meta):
        model = StatisticsReport
        order_by = ("month", "project")


class EntryTable(BaseTable):
    """Plan entries (开工未入库, 按期竣工)."""

    code = tables.Column(_("项目代码"), accessor="project__code")
    project = ProjectLinkColumn()
    area = AreaColumn()
    actual_start = DateColumn(verbose_name=_("实际开工"), accessor="project__actual_start")
    planned_finish = DateColumn(verbose_name=_("计划完工"), accessor="project__planned_finish")
    actual_finish = DateColumn(verbose_name=_("实际完工"), accessor="project__actual_finish")

    class Meta(BaseTable.Meta):
        """BaseTable's options (without a Meta, django-tables2 would give this table its defaults)."""


class UnregisteredTable(EntryTable):
    class Meta(EntryTable.Meta):
        sequence = ("code", "project", "area", "actual_start")
        exclude = ("planned_finish", "actual_finish")


class CompletionTable(EntryTable):
    on_time = tables.Column(_("按期竣工"), accessor="pk", orderable=False, empty_values=())

    class Meta(EntryTable.Meta):
        exclude = ("actual_start",)

    def _on_time(self, record):
        return completed_on_time(record.project)

    def render_on_time(self, record):
        return format_html('<span class="{}">{}</span>', "text-success" if self._on_time(record) else "text-danger",
                           "是" if self._on_time(record) else "否")

    def value_on_time(self, record):
        return "是" if self._on_time(record) else "否"


class ReconciliationTable(BaseTable):
    code = tables.Column(_("项目代码"), accessor="project__code")
    project = ProjectLinkColumn()
    area = AreaColumn()
    registered_on = DateColumn(verbose_name=_("入库日期"))
    dispatch_in_month = WanColumn(verbose_name=_("调度本月（万元）"))
    dispatch_to_date = WanColumn(verbose_name=_("调度累计（万元）"))
    statistics_in_month = WanColumn(verbose_name=_("统计本月（万元）"))
    statistics_to_date = WanColumn(verbose_name=_("统计累计（万元）"))
    gap = WanColumn(verbose_name=_("调度−统计（万元）"))
    paid_in_month = WanColumn(verbose_name=_("支付本月（万元）"))
    paid_to_date = WanColumn(verbose_name=_("支付累计（万元）"))

    total_columns = ("dispatch_in_month", "dispatch_to_date", "statistics_in_month", "statistics_to_date", "gap",
                     "paid_in_month", "paid_to_date")
    """The 合计 row, as the workbook's 统计对账 sheet ends."""

    class Meta(BaseTable.Meta):
        order_by = ("code",)

    def __init__(self, *args, threshold=None, **kwargs):
        self.threshold = threshold
        super().__init__(*args, **kwargs)

    def render_gap(self, record, value):
        text = numbers.wan(value, 2)
        if self.threshold is not None and reconciliation_flagged(record, self.threshold):
            return format_html('<span class="text-danger fw-semibold" data-gap-flagged>{}</span>', text)
        return text
