"""Problems (问题) raised against projects, 督办 orders followed until closed, and reminders.

A problem is what blocks a project (要素保障: land, planning, permits, money …): who must solve it,
by when, and — to close it — how it was solved. A 督办 order is a written instruction from the
center's leaders to a responsible unit with a deadline; it runs the loop 下发 → 签收 → 办理 →
反馈 → 复核 (accepted → 办结, or 退回 with a reason), every step an ``OrderEvent`` with who and
when. The unit's side are the users linked to the unit (``UnitMember``). Reminders go to an in-app
inbox (``Notification``), which is also the sent log that keeps ``send_reminders`` idempotent.

Transitions and their rights live in ``supervision.services``; figures in ``supervision.selectors``.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Milestone, Organisation, Project


class ProblemType(models.TextChoices):
    """要素保障 — what kind of support the project is missing."""

    LAND = "land", _("用地")
    PLANNING = "planning", _("规划")
    ENVIRONMENT = "environment", _("环评")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")
    FUNDING = "funding", _("资金")
    DEMOLITION = "demolition", _("征拆")
    PIPELINES = "pipelines", _("管线迁改")
    UTILITIES = "utilities", _("水电气")
    OTHER = "other", _("其他")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待解决")
    CLOSED = "closed", _("已解决")


class Problem(models.Model):
    """A problem blocking a project, raised from a month row's 存在问题 (``year``/``month``) or
    directly on the project. Closed only with its resolution (service rule, and a constraint)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="problems", verbose_name=_("项目"))
    type = models.CharField(_("问题类型"), max_length=30, choices=ProblemType.choices)
    description = models.TextField(_("问题描述"))
    responsible_unit = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="problems",
        verbose_name=_("责任单位"),
    )
    deadline = models.DateField(_("解决时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    resolution = models.TextField(_("解决情况"), blank=True)
    year = models.PositiveSmallIntegerField(_("提出年度"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        _("提出月份"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)])
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("提出人"))
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("销号人"))
    closed_at = models.DateTimeField(_("解决时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        indexes = [models.Index(fields=["status", "raised_at"]), models.Index(fields=["year", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(resolution="")),
                name="problem_closed_with_resolution",
                violation_error_message=_("问题销号须填写解决情况。"),
            ),
            models.CheckConstraint(
                condition=(Q(year__isnull=True) & Q(month__isnull=True))
                | (Q(year__isnull=False) & Q(month__gte=1) & Q(month__lte=12)),
                name="problem_month_with_year",
                violation_error_message=_("提出月份须同时填写年度和1–12月。"),
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_type_display()}"

    def clean(self):
        if self.status == ProblemStatus.CLOSED and not (self.resolution or "").strip():
            raise ValidationError({"resolution": _("问题销号须填写解决情况。")})


class OrderState(models.TextChoices):
    ISSUED = "issued", _("下发")
    SIGNED = "signed", _("签收")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已反馈")
    RETURNED = "returned", _("退回")
    CLOSED = "closed", _("办结")


class OrderSource(models.TextChoices):
    PROBLEM = "problem", _("问题")
    RED_LIGHT = "red_light", _("红灯项目")
    OVERDUE_NODE = "overdue_node", _("逾期节点")
    MISSING_REPORT = "missing_report", _("未按时填报")
    OTHER = "other", _("其他")


class Order(models.Model):
    """A 督办 order: content, responsible unit, deadline, and where it is in the loop."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="orders", verbose_name=_("项目"))
    problem = models.ForeignKey(
        Problem, models.SET_NULL, null=True, blank=True, related_name="orders", verbose_name=_("问题"))
    milestone = models.ForeignKey(
        Milestone, models.SET_NULL, null=True, blank=True, related_name="orders", verbose_name=_("节点"))
    source = models.CharField(_("督办来源"), max_length=20, choices=OrderSource.choices, default=OrderSource.OTHER)
    content = models.TextField(_("督办内容"))
    responsible_unit = models.ForeignKey(
        Organisation, models.PROTECT, related_name="orders", verbose_name=_("责任单位"))
    deadline = models.DateField(_("办理时限"))
    state = models.CharField(_("状态"), max_length=20, choices=OrderState.choices, default=OrderState.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("下发人"))
    issued_at = models.DateTimeField(_("下发时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    times_returned = models.PositiveSmallIntegerField(_("退回次数"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["issued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="closed") & Q(closed_at__isnull=False))
                | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="order_closed_at_iff_closed",
                violation_error_message=_("办结的督办须有办结时间，未办结的不能有。"),
            ),
        ]

    def __str__(self):
        return f"督办 #{self.pk} · {self.project}"

    @property
    def is_closed(self):
        return self.state == OrderState.CLOSED


class OrderEventKind(models.TextChoices):
    ISSUE = "issue", _("下发")
    SIGN = "sign", _("签收")
    PROGRESS = "progress", _("办理")
    REPLY = "reply", _("反馈")
    RETURN = "return", _("退回")
    ACCEPT = "accept", _("复核通过")
    CLOSE = "close", _("办结")


class OrderEvent(models.Model):
    """One step of an order's loop: who did what, when, with what text."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="events", verbose_name=_("督办"))
    kind = models.CharField(_("环节"), max_length=20, choices=OrderEventKind.choices)
    text = models.TextField(_("内容"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("办理人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("督办环节")
        verbose_name_plural = _("督办环节")

    def __str__(self):
        return f"{self.order} · {self.get_kind_display()}"


class UnitMember(models.Model):
    """A user who acts for a responsible unit: signs, handles and replies to its 督办 orders."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="unit_memberships",
                             verbose_name=_("用户"))
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="members",
                                     verbose_name=_("单位"))

    class Meta:
        verbose_name = _("单位联络人")
        verbose_name_plural = _("单位联络人")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_unit",
                                               violation_error_message=_("该用户已是该单位联络人。"))]

    def __str__(self):
        return f"{self.user} · {self.organisation}"


class ReminderSettings(models.Model):
    """The administrator's reminder settings (one row, ``ReminderSettings.load()``)."""

    report_day = models.PositiveSmallIntegerField(
        _("月报截止日"), default=5, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("次月第N日仍未填报即提醒录入员。"))
    node_days_ahead = models.PositiveSmallIntegerField(
        _("节点提前提醒天数"), default=7, validators=[MinValueValidator(0), MaxValueValidator(60)])
    order_days_ahead = models.PositiveSmallIntegerField(
        _("督办提前提醒天数"), default=3, validators=[MinValueValidator(0), MaxValueValidator(30)])
    send_email = models.BooleanField(_("同时发送邮件"), default=True)

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="reminder_settings_singleton")]

    def __str__(self):
        return str(_("提醒设置"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        obj, _created = cls.objects.get_or_create(pk=1, defaults={"report_day": settings.PROGRESS_DEADLINE_DAY})
        return obj


class NotificationKind(models.TextChoices):
    LATE_REPORT = "late_report", _("月报未填报")
    NODE_DUE = "node_due", _("节点临期")
    NODE_OVERDUE = "node_overdue", _("节点逾期")
    ORDER_DUE = "order_due", _("督办临期")
    ORDER_OVERDUE = "order_overdue", _("督办超期")
    ORDER_ISSUED = "order_issued", _("督办下发")
    ORDER_REPLIED = "order_replied", _("督办反馈")
    ORDER_RETURNED = "order_returned", _("督办退回")
    ORDER_CLOSED = "order_closed", _("督办办结")


class Notification(models.Model):
    """A message in a user's inbox — and the sent log: a reminder is sent once per
    (recipient, kind, object, day) — the unique ``key`` + ``sent_on`` — whatever runs it twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications",
                                  verbose_name=_("收件人"))
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    key = models.CharField(_("对象"), max_length=100, help_text=_("提醒的对象，如 order:12、month:2020-06。"))
    sent_on = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed = models.BooleanField(_("已发邮件"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "key", "sent_on"],
                                               name="one_reminder_per_day")]

    def __str__(self):
        return self.title
