"""Contracts the center signs as 代建 unit, their variations (变更/签证), progress payments (进度款),
结算/审计 at the end; and the statistics ledger: a project's 入库 (registration with the
statistics bureau) and the monthly figure reported through 联网直报.

Amounts are 万元 (``projects.models.MONEY``). The figures built on these — the current price,
paid against price and against work completed, the reconciliation — are in ``selectors``.
"""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.validators import refuse_future_dates
from procurement.models import Tender
from projects.models import MONEY, Organisation, Project


MAX_DAYS = 36500
"""A contract's duration and a variation's change of time stay within a hundred years (the end date,
signed_on + days, must remain a date: the OC4IDS package computes it)."""


class ContractKind(models.TextChoices):
    CONSTRUCTION = "construction", _("施工")
    SUPERVISION = "supervision", _("监理")
    DESIGN = "design", _("设计")
    EQUIPMENT = "equipment", _("设备")
    OTHER = "other", _("其他")


class Contract(models.Model):
    """A contract of a project with a firm, usually awarded by one of its tenders.

    ``progress_payment_ratio`` is the agreed share (%) of the work completed that progress payments
    may reach (进度款支付比例, typically 70–80 %). ``settled_amount`` (结算) and ``audited_amount``
    (审计) are filled in at the end; 审减 = 结算 − 审计."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="contracts", verbose_name=_("项目"))
    tender = models.ForeignKey(Tender, models.PROTECT, null=True, blank=True, related_name="contracts",
                               verbose_name=_("招标"), help_text=_("直接委托的合同可不选。"))
    firm = models.ForeignKey(Organisation, models.PROTECT, related_name="contracts", verbose_name=_("合同单位"))
    kind = models.CharField(_("合同类型"), max_length=20, choices=ContractKind.choices)
    number = models.CharField(_("合同编号"), max_length=60, blank=True)
    title = models.CharField(_("合同名称"), max_length=200)
    price = models.DecimalField(_("合同价（万元）"), **MONEY)
    signed_on = models.DateField(_("签订日期"))
    duration_days = models.PositiveIntegerField(_("合同工期（天）"), null=True, blank=True)
    progress_payment_ratio = models.DecimalField(
        _("进度款支付比例（%）"), max_digits=5, decimal_places=2, default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("累计支付不超过已完成产值的该比例。"))
    settled_amount = models.DecimalField(_("结算金额（万元）"), **MONEY, null=True, blank=True)
    audited_amount = models.DecimalField(_("审计金额（万元）"), **MONEY, null=True, blank=True)
    scope = models.TextField(_("合同范围"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_on", "id"]
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="contract_price_not_negative",
                                   violation_error_message=_("合同价不能为负数。")),
            models.CheckConstraint(
                condition=Q(progress_payment_ratio__gte=0) & Q(progress_payment_ratio__lte=100),
                name="contract_payment_ratio_0_100", violation_error_message=_("进度款支付比例应在0–100%之间。")),
            models.CheckConstraint(
                condition=(Q(settled_amount__isnull=True) | Q(settled_amount__gte=0))
                & (Q(audited_amount__isnull=True) | Q(audited_amount__gte=0)),
                name="contract_final_amounts_not_negative", violation_error_message=_("结算、审计金额不能为负数。")),
            models.CheckConstraint(
                condition=Q(audited_amount__isnull=True) | Q(settled_amount__isnull=False),
                name="contract_audit_after_settlement", violation_error_message=_("先有结算金额，才有审计金额。")),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_cut(self):
        """审减 = 结算 − 审计 (None until both are known)."""
        if self.settled_amount is None or self.audited_amount is None:
            return None
        return self.settled_amount - self.audited_amount

    def clean(self):
        refuse_future_dates(self, "signed_on")
        errors = {}
        if self.tender_id and self.project_id and self.tender.project_id != self.project_id:
            errors["tender"] = _("所选招标不属于该项目。")
        if self.audited_amount is not None and self.settled_amount is None:
            errors["audited_amount"] = _("先有结算金额，才有审计金额。")
        if self.duration_days is not None and self.duration_days > MAX_DAYS:
            errors["duration_days"] = _("合同工期不能超过%(n)s天。") % {"n": MAX_DAYS}
        if errors:
            raise ValidationError(errors)


class VariationKind(models.TextChoices):
    DESIGN_CHANGE = "design_change", _("设计变更")
    SITE_INSTRUCTION = "site_instruction", _("现场签证")
    DURATION = "duration", _("工期调整")
    SCOPE = "scope", _("范围调整")


class Variation(models.Model):
    """A change of a contract's price, time or scope (变更/签证), with its reason. It counts in the
    contract's current price from its approval date (``approved_on``; empty = not approved yet)."""

    contract = models.ForeignKey(Contract, models.CASCADE, related_name="variations", verbose_name=_("合同"))
    kind = models.CharField(_("变更类型"), max_length=20, choices=VariationKind.choices)
    amount = models.DecimalField(_("金额增减（万元）"), **MONEY, default=0, help_text=_("核减填负数。"))
    days = models.IntegerField(_("工期增减（天）"), default=0)
    reason = models.CharField(_("变更原因"), max_length=300)
    requested_on = models.DateField(_("申报日期"))
    approved_on = models.DateField(_("批准日期"), null=True, blank=True, help_text=_("未批准的变更不计入合同价。"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_on", "id"]
        verbose_name = _("合同变更")
        verbose_name_plural = _("合同变更")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=models.F("requested_on")),
                name="variation_approved_after_requested", violation_error_message=_("批准日期不能早于申报日期。")),
        ]

    def __str__(self):
        return f"{self.contract} {self.get_kind_display()}"

    @property
    def project_id(self):
        """The project the record belongs to (rights, the 修改 link): its contract's."""
        return self.contract.project_id if self.contract_id else None

    @property
    def approved(self):
        return self.approved_on is not None

    def clean(self):
        refuse_future_dates(self, "requested_on", "approved_on")
        if self.days is not None and abs(self.days) > MAX_DAYS:
            raise ValidationError({"days": _("工期增减不能超过%(n)s天。") % {"n": MAX_DAYS}})
        if self.approved_on and self.requested_on and self.approved_on < self.requested_on:
            raise ValidationError({"approved_on": _("批准日期不能早于申报日期。")})


class Payment(models.Model):
    """A progress payment (进度款): the month's request as certified — ``work_completed`` is the
    contract's cumulative completed work value (累计完成产值) the supervisor certified with it — and
    the amount paid on ``paid_on``. The warnings compare the cumulative paid with this work value
    (× the contract's ratio) and with the current price (``contracts.selectors``)."""

    contract = models.ForeignKey(Contract, models.CASCADE, related_name="payments", verbose_name=_("合同"))
    work_completed = models.DecimalField(_("累计完成产值（万元）"), **MONEY,
                                         help_text=_("本次申请时经监理确认的累计完成产值。"))
    amount = models.DecimalField(_("本期支付（万元）"), **MONEY)
    paid_on = models.DateField(_("支付日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("进度款支付")
        verbose_name_plural = _("进度款支付")
        indexes = [models.Index(fields=["contract", "paid_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive",
                                   violation_error_message=_("支付金额应大于0。")),
            models.CheckConstraint(condition=Q(work_completed__gte=0), name="payment_work_not_negative",
                                   violation_error_message=_("累计完成产值不能为负数。")),
        ]

    def __str__(self):
        return f"{self.contract} {self.paid_on:%Y-%m-%d}"

    @property
    def project_id(self):
        return self.contract.project_id if self.contract_id else None

    def clean(self):
        refuse_future_dates(self, "paid_on")
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("支付金额应大于0。")})
        if self.work_completed is not None and self.work_completed < 0:
            raise ValidationError({"work_completed": _("累计完成产值不能为负数。")})


class StatisticsRegistration(models.Model):
    """入库 (纳统): the date the project was registered with the statistics bureau; from that month on
    its 固定资产投资 is counted ("先入库，后有数")."""

    project = models.OneToOneField(Project, models.CASCADE, related_name="statistics_registration",
                                   verbose_name=_("项目"))
    registered_on = models.DateField(_("入库日期"))
    statistics_code = models.CharField(_("统计库项目编码"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["registered_on", "id"]
        verbose_name = _("统计入库")
        verbose_name_plural = _("统计入库")

    def __str__(self):
        return f"{self.project} 入库 {self.registered_on:%Y-%m}"

    def clean(self):
        refuse_future_dates(self, "registered_on")


class StatisticsReport(models.Model):
    """The month's 固定资产投资 of the project reported to the statistics bureau (联网直报, 统计口径)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="statistics_reports", verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    amount = models.DecimalField(_("统计完成投资（万元）"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "month", "project__code"]
        verbose_name = _("统计月报")
        verbose_name_plural = _("统计月报")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="one_statistics_report_per_month",
                                    violation_error_message=_("该项目本月已有统计数。")),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="statistics_month_1_12",
                                   violation_error_message=_("月份应为1–12。")),
            models.CheckConstraint(condition=Q(amount__gte=0), name="statistics_amount_not_negative",
                                   violation_error_message=_("统计完成投资不能为负数。")),
        ]

    def __str__(self):
        return f"{self.project} {self.year}年{self.month}月"
