"""The portfolio: areas, organisations, projects, their phases, plan-category changes,
milestones and the monthly red-flag scores.

Plan categories live here (not in ``investment``) because a project's category changes are
project history; ``investment.PlanEntry`` imports the same choices.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.validators import month_constraint, refuse_dates_outside_years, refuse_future_dates

from .codes import validate_project_code


class PlanCategory(models.TextChoices):
    CONTINUING = "continuing", _("续建")
    NEW = "new", _("新建")
    PRELIMINARY = "preliminary", _("预备")
    SUPERVISED = "supervised", _("社会监管")
    RESERVE = "reserve", _("储备")

    @classmethod
    def implementation(cls):
        """Categories that mean 'being built this year' (实施): 续建 and 新建."""
        return [cls.CONTINUING, cls.NEW]


class Phase(models.TextChoices):
    PRELIMINARY = "preliminary", _("前期")
    CONSTRUCTION = "construction", _("在建")
    COMPLETED = "completed", _("完工")
    DELIVERED = "delivered", _("交付")

    @classmethod
    def rank(cls, value):
        """Position in the life cycle, so that forward and backward moves can be told apart."""
        return list(cls.values).index(value)


class ProjectKind(models.TextChoices):
    ROAD = "road", _("道路")
    SCHOOL = "school", _("学校")
    BUILDING = "building", _("房建")
    PARK = "park", _("公园绿化")
    UTILITY = "utility", _("市政配套")
    OTHER = "other", _("其他")


class OrganisationRole(models.TextChoices):
    OWNER = "owner", _("业主单位")
    CONTRACTOR = "contractor", _("施工单位")
    SUPERVISOR = "supervisor", _("监理单位")
    DESIGNER = "designer", _("设计单位")
    OTHER = "other", _("其他")


MONEY = {"max_digits": 14, "decimal_places": 2}
"""Amounts are 万元 with two decimals (i.e. to the 100 yuan); 14 digits hold any district budget."""


class Area(models.Model):
    """A 片区指挥部 (area command): 南片 or 北片."""

    name = models.CharField(_("片区"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("片区")
        verbose_name_plural = _("片区")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """An owner unit, contractor, supervisor or designer.

    Firms from outside the district are encouraged to register a local branch (分公司) so that
    taxes are paid in the district; ``local_branch_on`` records when that happened.
    """

    name = models.CharField(_("单位名称"), max_length=200, unique=True)
    role = models.CharField(_("单位类型"), max_length=20, choices=OrganisationRole.choices)
    is_from_outside = models.BooleanField(_("外地企业"), default=False)
    local_branch_on = models.DateField(_("本地分公司成立日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self):
        return self.name

    def clean(self):
        if self.local_branch_on and not self.is_from_outside:
            raise ValidationError(
                {"local_branch_on": _("只有外地企业才登记本地分公司成立日期。")}
            )


class Project(models.Model):
    """A government-invested project the center builds as agent (代建项目)."""

    code = models.CharField(
        _("项目代码"), max_length=40, unique=True, validators=[validate_project_code],
        error_messages={"unique": _("项目代码已被其他项目使用，不能重复。")},
        help_text=_("全国投资项目在线审批监管平台代码，如 2021-430112-48-01-100001；尚未赋码的用临时代码，如 临-2021-0001。"),
    )
    name = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("项目类型"), max_length=20, choices=ProjectKind.choices)
    area = models.ForeignKey(Area, models.PROTECT, related_name="projects", verbose_name=_("片区"))
    owner_unit = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="owned_projects",
        verbose_name=_("业主单位"),
    )
    contractor = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="built_projects",
        verbose_name=_("施工单位"),
    )
    supervisor = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="supervised_projects",
        verbose_name=_("监理单位"),
    )
    total_investment = models.DecimalField(_("总投资（万元）"), **MONEY, default=0)
    phase = models.CharField(_("阶段"), max_length=20, choices=Phase.choices, default=Phase.PRELIMINARY)
    preliminary_done_on = models.DateField(_("前期工作完成日期"), null=True, blank=True)
    planned_start = models.DateField(_("计划开工日期"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工日期"), null=True, blank=True)
    planned_finish = models.DateField(_("计划完工日期"), null=True, blank=True)
    actual_finish = models.DateField(_("实际完工日期"), null=True, blank=True)
    description = models.TextField(_("建设内容"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0),
                name="project_total_investment_not_negative",
                violation_error_message=_("总投资不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(actual_finish__isnull=True)
                | Q(actual_start__isnull=False, actual_finish__gte=models.F("actual_start")),
                name="project_finish_after_start",
                violation_error_message=_("实际完工日期不能早于实际开工日期。"),
            ),
        ]

    def __str__(self):
        return self.name


class PhaseTransition(models.Model):
    """A dated move of a project from one phase to another (前期 → 在建 → 完工 → 交付).

    The phase of a project as of any date is the ``to_phase`` of its latest transition on or
    before that date; ``Project.phase`` is the current value kept in step by the service.
    """

    project = models.ForeignKey(Project, models.CASCADE, related_name="phase_transitions", verbose_name=_("项目"))
    from_phase = models.CharField(_("原阶段"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("新阶段"), max_length=20, choices=Phase.choices)
    occurred_on = models.DateField(_("日期"))
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "occurred_on", "id"]
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        indexes = [models.Index(fields=["project", "occurred_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_phase=models.F("to_phase")),
                name="phase_transition_changes_phase",
                violation_error_message=_("新阶段必须与原阶段不同。"),
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.get_from_phase_display()}→{self.get_to_phase_display()}"

    def clean(self):
        refuse_future_dates(self, "occurred_on")


class CategoryChange(models.Model):
    """A dated change of a project's plan category within a year (预备转实施, 调整为预备),
    with the reason and, where there is one, the leader's instruction (批示)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="category_changes", verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    from_category = models.CharField(_("原类别"), max_length=20, choices=PlanCategory.choices)
    to_category = models.CharField(_("新类别"), max_length=20, choices=PlanCategory.choices)
    changed_on = models.DateField(_("调整日期"))
    reason = models.CharField(_("调整原因"), max_length=300)
    instruction = models.CharField(_("领导批示"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "changed_on", "id"]
        verbose_name = _("类别调整")
        verbose_name_plural = _("类别调整")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_category=models.F("to_category")),
                name="category_change_changes_category",
                violation_error_message=_("新类别必须与原类别不同。"),
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.get_from_category_display()}→{self.get_to_category_display()}"

    def clean(self):
        if self.changed_on and self.year and self.changed_on.year != self.year:
            raise ValidationError({"changed_on": _("调整日期必须在所属年度内。")})


class Milestone(models.Model):
    """A node of a project's node plan (节点计划). Overdue = planned date passed, not done."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones", verbose_name=_("项目"))
    name = models.CharField(_("节点"), max_length=100)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "planned_on"]
        verbose_name = _("节点计划")
        verbose_name_plural = _("节点计划")
        indexes = [models.Index(fields=["planned_on", "done_on"])]

    def __str__(self):
        return f"{self.project} · {self.name}"

    def clean(self):
        refuse_dates_outside_years(self, "planned_on", "done_on")


SCORE = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


class MonthlyScore(models.Model):
    """流动红旗 evaluation of an area (project empty) or of one project in a month, on
    进度 progress, 质量 quality, 安全 safety and 形象 site image, each 0–100."""

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    area = models.ForeignKey(Area, models.PROTECT, related_name="scores", verbose_name=_("片区"))
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="scores", verbose_name=_("项目"),
    )
    progress = models.DecimalField(_("进度"), **SCORE)
    quality = models.DecimalField(_("质量"), **SCORE)
    safety = models.DecimalField(_("安全"), **SCORE)
    image = models.DecimalField(_("形象"), **SCORE)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("评分人"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "month", "area"]
        verbose_name = _("月度考评")
        verbose_name_plural = _("月度考评")
        constraints = [
            month_constraint("score_month_valid"),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100, quality__gte=0, quality__lte=100,
                            safety__gte=0, safety__lte=100, image__gte=0, image__lte=100),
                name="score_between_0_and_100",
                violation_error_message=_("各项得分必须在0到100之间。"),
            ),
            models.UniqueConstraint(
                fields=["year", "month", "area"], condition=Q(project__isnull=True),
                name="one_area_score_per_month",
                violation_error_message=_("该片区本月已有考评记录。"),
            ),
            models.UniqueConstraint(
                fields=["year", "month", "project"], condition=Q(project__isnull=False),
                name="one_project_score_per_month",
                violation_error_message=_("该项目本月已有考评记录。"),
            ),
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月 {self.project or self.area}"


class Role(models.TextChoices):
    """The three kinds of users; each is a ``django.contrib.auth`` group created by a migration."""

    STAFF = "录入员", _("录入员")
    LEADER = "领导", _("领导")
    ADMIN = "管理员", _("管理员")


class StaffAssignment(models.Model):
    """Which projects a 录入员 may edit: a whole area, or one project."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="assignments", verbose_name=_("用户"),
    )
    area = models.ForeignKey(
        Area, models.CASCADE, null=True, blank=True, related_name="assignments", verbose_name=_("片区"),
    )
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="assignments", verbose_name=_("项目"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("录入员分工")
        verbose_name_plural = _("录入员分工")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(project__isnull=True))
                | (Q(area__isnull=True) & Q(project__isnull=False)),
                name="assignment_is_area_or_project",
                violation_error_message=_("分工须指定一个片区或一个项目（二选一）。"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.area or self.project}"
