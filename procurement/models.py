"""Tenders (施工/监理招标, 设备采购) with their bid openings, and permits (工程规划许可证,
施工许可证). Permit lead time is measured from the project's construction bid opening."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.validators import refuse_dates_outside_years, refuse_future_dates
from projects.models import MONEY, Organisation, Project


class TenderKind(models.TextChoices):
    CONSTRUCTION = "construction", _("施工招标")
    SUPERVISION = "supervision", _("监理招标")
    EQUIPMENT = "equipment", _("设备采购")


class Tender(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="tenders", verbose_name=_("项目"))
    kind = models.CharField(_("招标类型"), max_length=20, choices=TenderKind.choices)
    title = models.CharField(_("标段名称"), max_length=200)
    published_on = models.DateField(_("公告日期"), null=True, blank=True)
    bid_opened_on = models.DateField(_("开标日期"), null=True, blank=True)
    winner = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="tenders_won",
        verbose_name=_("中标单位"),
    )
    amount = models.DecimalField(_("中标金额（万元）"), **MONEY, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid_opened_on", "id"]
        verbose_name = _("招标")
        verbose_name_plural = _("招标")
        indexes = [models.Index(fields=["project", "kind", "bid_opened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="tender_amount_not_negative",
                violation_error_message=_("中标金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(bid_opened_on__isnull=True)
                | Q(bid_opened_on__gte=models.F("published_on")),
                name="tender_opened_after_published",
                violation_error_message=_("开标日期不能早于公告日期。"),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        refuse_dates_outside_years(self, "published_on", "bid_opened_on")


class PermitKind(models.TextChoices):
    PLANNING = "planning", _("工程规划许可证")
    CONSTRUCTION = "construction", _("施工许可证")


class Permit(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="permits", verbose_name=_("项目"))
    kind = models.CharField(_("证照类型"), max_length=20, choices=PermitKind.choices)
    number = models.CharField(_("证书编号"), max_length=100, blank=True)
    issued_on = models.DateField(_("核发日期"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("许可证")
        verbose_name_plural = _("许可证")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"], name="one_permit_of_each_kind_per_project",
                violation_error_message=_("该项目已有此类许可证。"),
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.get_kind_display()}"

    def clean(self):
        """A permit is issued after the project's construction tender opened (报建在开标之后), and
        by today."""
        refuse_future_dates(self, "issued_on")
        if not (self.project_id and self.issued_on):
            return
        first_opening = (
            Tender.objects.filter(project_id=self.project_id, kind=TenderKind.CONSTRUCTION,
                                  bid_opened_on__isnull=False)
            .order_by("bid_opened_on").values_list("bid_opened_on", flat=True).first()
        )
        if first_opening and self.issued_on < first_opening:
            raise ValidationError(
                {"issued_on": _("核发日期（%(issued)s）早于施工招标开标日期（%(opened)s）。")
                 % {"issued": self.issued_on, "opened": first_opening}}
            )


class Negotiation(models.Model):
    """洽商活动: a 四零采购 matchmaking meeting — the contractors of the district's projects meet
    material suppliers of the district face to face, so that materials are bought locally
    (零障碍、零仓储、零物流、零损耗)."""

    held_on = models.DateField(_("日期"))
    title = models.CharField(_("活动名称"), max_length=200)
    projects = models.ManyToManyField(Project, related_name="negotiations", verbose_name=_("参加项目"))
    contractors = models.ManyToManyField(
        Organisation, blank=True, related_name="negotiations", verbose_name=_("参加单位"))
    suppliers_attending = models.PositiveIntegerField(_("到会供应商（家）"))
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords(m2m_fields=[projects, contractors])

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("洽商活动")
        verbose_name_plural = _("洽商活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(suppliers_attending__gte=1), name="negotiation_has_suppliers",
                violation_error_message=_("到会供应商至少1家。"),
            ),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def clean(self):
        refuse_dates_outside_years(self, "held_on")
