"""The yearly investment plan, monthly progress, month locks, money secured and money saved.

All amounts are ``Decimal`` 万元. Rates are never stored: ``investment.selectors`` computes them.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.validators import refuse_future_dates
from projects.models import MONEY, PlanCategory, Project


class AnnualPlan(models.Model):
    """The year's fixed-asset investment plan (固定资产投资计划)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("计划名称"), max_length=200)
    approved_on = models.DateField(_("下达日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")

    def __str__(self):
        return self.title


def in_plan_q(period, prefix=""):
    """The year's plan as of the end of ``period`` — the one population of every card, count, rate,
    list, sheet and sentence about the plan: every entry of the year's plan as issued (计划内: the
    plan covers the year from January, whenever it was issued) and the 计划外 entries added by the
    period's end. ``prefix`` reaches PlanEntry from another model (``"entry__"``)."""
    return Q(**{f"{prefix}plan__year": period.year}) & (
        Q(**{f"{prefix}unplanned": False}) | Q(**{f"{prefix}added_on__isnull": True})
        | Q(**{f"{prefix}added_on__lte": period.end})
    )


class PlanEntryQuerySet(models.QuerySet):
    def in_plan(self, period):
        """The year's plan as of the period (``in_plan_q``)."""
        return self.filter(in_plan_q(period))


class PlanEntry(models.Model):
    """One project in one year's plan: its category as planned at the start of the year,
    whether it is a municipal key project, whether it was added outside the plan (计划外),
    and its investment target for the year.

    ``category`` is the category as planned; changes during the year are
    ``projects.CategoryChange`` rows. ``resumed_on`` is the year's resumption after the
    Spring Festival stop (复工), meaningful for 续建 projects.
    """

    plan = models.ForeignKey(AnnualPlan, models.CASCADE, related_name="entries", verbose_name=_("年度计划"))
    project = models.ForeignKey(Project, models.PROTECT, related_name="plan_entries", verbose_name=_("项目"))
    category = models.CharField(_("计划类别"), max_length=20, choices=PlanCategory.choices)
    is_municipal_key = models.BooleanField(_("市重大"), default=False)
    unplanned = models.BooleanField(_("计划外"), default=False)
    added_on = models.DateField(_("列入日期"), null=True, blank=True)
    instruction = models.CharField(_("批示依据"), max_length=300, blank=True)
    target = models.DecimalField(_("年度计划投资（万元）"), **MONEY, default=0)
    resumed_on = models.DateField(_("复工日期"), null=True, blank=True)

    history = HistoricalRecords()

    objects = PlanEntryQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "project__code"]
        verbose_name = _("年度计划项目")
        verbose_name_plural = _("年度计划项目")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "project"], name="one_plan_entry_per_project_and_year",
                violation_error_message=_("该项目已列入本年度计划，不能重复添加。"),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0), name="plan_entry_target_not_negative",
                violation_error_message=_("年度计划投资不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.plan.year} · {self.project}"


class MonthlyProgress(models.Model):
    """What a project did in one month: investment completed that month (not cumulative),
    physical progress (形象进度) as text and percent of the whole project, and problems.

    ``version`` increases on every save so that a stale form can be detected.
    """

    entry = models.ForeignKey(PlanEntry, models.CASCADE, related_name="progress", verbose_name=_("计划项目"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    completed = models.DecimalField(
        _("本月完成投资（万元）"), **MONEY, default=0, validators=[MinValueValidator(0)],
    )
    physical_percent = models.DecimalField(
        _("形象进度（%）"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    physical_progress = models.TextField(_("形象进度"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("填报人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "month"]
        verbose_name = _("月度进度")
        verbose_name_plural = _("月度进度")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "month"], name="one_progress_per_project_and_month",
                violation_error_message=_("该项目本月已有填报记录。"),
            ),
            models.CheckConstraint(
                condition=Q(completed__gte=0), name="progress_completed_not_negative",
                violation_error_message=_("本月完成投资不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(physical_percent__isnull=True)
                | Q(physical_percent__gte=0, physical_percent__lte=100),
                name="progress_percent_between_0_and_100",
                violation_error_message=_("形象进度百分比必须在0到100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="progress_month_valid",
                violation_error_message=_("月份必须在1到12之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.entry} {self.month}月"

    def save(self, *args, **kwargs):
        # the read model's rows (investment.rollups, a post_save receiver) are written in the
        # record's own transaction even when the caller has none: both or neither
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(MonthlyProgress), savepoint=False):
            super().save(*args, **kwargs)


class MonthLock(models.Model):
    """Whether a month is closed for entry. Locking and reopening are kept in its history."""

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    is_locked = models.BooleanField(_("已锁定"), default=True)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    changed_at = models.DateTimeField(_("操作时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("月份锁定")
        verbose_name_plural = _("月份锁定")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"], name="one_lock_per_month",
                violation_error_message=_("该月份已有锁定记录。"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="lock_month_valid",
                violation_error_message=_("月份必须在1到12之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月"


class FundingSource(models.TextChoices):
    SPECIAL_BOND = "special_bond", _("专项债")
    CENTRAL_BUDGET = "central_budget", _("中央预算内资金")
    OTHER_HIGHER = "other_higher", _("其他上级资金")


class Funding(models.Model):
    """Money secured from higher levels (争取上级资金) for a project or for the center."""

    project = models.ForeignKey(
        Project, models.PROTECT, null=True, blank=True, related_name="fundings", verbose_name=_("项目"),
    )
    source = models.CharField(_("资金来源"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("金额（万元）"), **MONEY)
    received_on = models.DateField(_("到位日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("争取资金")
        verbose_name_plural = _("争取资金")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="funding_amount_positive",
                violation_error_message=_("金额必须大于0。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.amount}万元"

    def clean(self):
        refuse_future_dates(self, "received_on")


class SavingKind(models.TextChoices):
    EARTHWORK = "earthwork", _("跨项目土方平衡")
    MERGED_TENDER = "merged_tender", _("合并施工招标")
    DESIGN = "design", _("优化设计方案")
    OTHER = "other", _("其他")

    @classmethod
    def management(cls):
        """Savings of fiscal funds by management (节约财政资金): earthwork balancing, merged tenders."""
        return [cls.EARTHWORK, cls.MERGED_TENDER]


class Saving(models.Model):
    """Money saved (节约资金) on a project by management or design optimisation."""

    project = models.ForeignKey(
        Project, models.PROTECT, null=True, blank=True, related_name="savings", verbose_name=_("项目"),
    )
    kind = models.CharField(_("节约方式"), max_length=20, choices=SavingKind.choices)
    amount = models.DecimalField(_("金额（万元）"), **MONEY)
    recorded_on = models.DateField(_("日期"))
    description = models.CharField(_("说明"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_on", "id"]
        verbose_name = _("节约资金")
        verbose_name_plural = _("节约资金")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="saving_amount_positive",
                violation_error_message=_("金额必须大于0。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}万元"

    def clean(self):
        refuse_future_dates(self, "recorded_on")


class ProgressRollup(models.Model):
    """A read model of ``MonthlyProgress``: per plan entry, the completed amount of months 1..m of
    its year (``to_1`` … ``to_12``, cumulative), the latest month with a record (``last_month``) and
    the plan's year. A row exists exactly for the entries with at least one monthly record.

    Never edited by hand: ``investment.rollups.refresh_rollups`` rewrites an entry's row in the
    same transaction as every write of its monthly records (services, admin, history, deletes,
    loaders), and ``manage.py rebuild_rollups`` rebuilds it from the records. It equals the
    on-the-fly sums (``investment.selectors.sum_progress``), which tests/test_rollup.py checks
    after every kind of write; the selectors read it instead of summing per entry."""

    entry = models.OneToOneField(PlanEntry, models.CASCADE, primary_key=True, related_name="rollup",
                                 verbose_name=_("计划项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last_month = models.PositiveSmallIntegerField(_("最近填报月份"))
    to_1 = models.DecimalField(_("1月累计"), **MONEY, default=0)
    to_2 = models.DecimalField(_("1-2月累计"), **MONEY, default=0)
    to_3 = models.DecimalField(_("1-3月累计"), **MONEY, default=0)
    to_4 = models.DecimalField(_("1-4月累计"), **MONEY, default=0)
    to_5 = models.DecimalField(_("1-5月累计"), **MONEY, default=0)
    to_6 = models.DecimalField(_("1-6月累计"), **MONEY, default=0)
    to_7 = models.DecimalField(_("1-7月累计"), **MONEY, default=0)
    to_8 = models.DecimalField(_("1-8月累计"), **MONEY, default=0)
    to_9 = models.DecimalField(_("1-9月累计"), **MONEY, default=0)
    to_10 = models.DecimalField(_("1-10月累计"), **MONEY, default=0)
    to_11 = models.DecimalField(_("1-11月累计"), **MONEY, default=0)
    to_12 = models.DecimalField(_("1-12月累计"), **MONEY, default=0)

    class Meta:
        verbose_name = _("月度进度累计（只读汇总）")
        verbose_name_plural = _("月度进度累计（只读汇总）")
        indexes = [models.Index(fields=["year", "last_month"], name="rollup_year_last_month")]

    def __str__(self):
        return f"{self.entry_id} {self.year}年累计"
