"""Land: approval batches (用地报批) and, per project and year, acquisition (征地),
demolition agreements (签约拆房) and full site access (全面进场)."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Project

AREA_MU = {"max_digits": 12, "decimal_places": 2}


class LandBatch(models.Model):
    """A numbered land-use approval batch covering several projects and an area in 亩."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(_("批次编号"), max_length=50)
    name = models.CharField(_("批次名称"), max_length=200, blank=True)
    submitted_on = models.DateField(_("报批日期"))
    approved_on = models.DateField(_("批复日期"), null=True, blank=True)
    area_mu = models.DecimalField(_("报批面积（亩）"), **AREA_MU)
    projects = models.ManyToManyField(Project, related_name="land_batches", verbose_name=_("涉及项目"))

    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("用地报批批次")
        verbose_name_plural = _("用地报批批次")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], name="one_land_batch_number_per_year",
                violation_error_message=_("本年度已有该编号的报批批次。"),
            ),
            models.CheckConstraint(
                condition=Q(area_mu__gte=0), name="land_batch_area_not_negative",
                violation_error_message=_("报批面积不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=models.F("submitted_on")),
                name="land_batch_approved_after_submitted",
                violation_error_message=_("批复日期不能早于报批日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.year}年第{self.number}批次"


class Acquisition(models.Model):
    """A project's acquisition and demolition work in one year, and its full site access."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="acquisitions", verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    acquired_mu = models.DecimalField(_("征地面积（亩）"), **AREA_MU, default=0)
    buildings_signed = models.PositiveIntegerField(_("签约拆房（栋）"), default=0)
    full_access_on = models.DateField(_("全面进场日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "project__code"]
        verbose_name = _("征地拆迁")
        verbose_name_plural = _("征地拆迁")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"], name="one_acquisition_per_project_and_year",
                violation_error_message=_("该项目本年度已有征拆记录。"),
            ),
            models.CheckConstraint(
                condition=Q(acquired_mu__gte=0), name="acquisition_area_not_negative",
                violation_error_message=_("征地面积不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.project}"

    def clean(self):
        if self.full_access_on and self.year and self.full_access_on.year > self.year:
            raise ValidationError({"full_access_on": _("全面进场日期不能晚于所属年度。")})
