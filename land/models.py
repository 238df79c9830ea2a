"""Land: approval batches (用地报批) and, per project and year, acquisition (征地),
demolition agreements (签约拆房) and full site access (全面进场).

征地 and 拆房 are dated: an ``Acquisition`` (a project's task in a year) holds its dated
``AcquisitionProgress`` rows — land handed over and demolition agreements signed on a day — and a
1-N月 figure sums the rows dated within months 1..N. The acquisition's own ``acquired_mu`` and
``buildings_signed`` are the year's totals as the lists show them, kept equal to the sums of its
dated rows by ``land.services``."""
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
    """A project's acquisition and demolition task (征拆任务) in one year, and its full site access.

    ``acquired_mu`` and ``buildings_signed`` are the year's totals (全年累计). When the task has
    dated progress rows (``progress``) they equal the rows' sums: the services recompute them on
    every change of a row, and refuse a total typed on the acquisition form that differs from the
    rows. A total entered without dated rows is dated by the service at the day it states it
    (see ``land.services.acquisition_progress_sync``), so every figure can be placed in a month.
    """

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


class AcquisitionProgress(models.Model):
    """Dated progress of an acquisition task (征拆进度): land acquired (征地, 亩) and buildings whose
    demolition agreement was signed (签约拆房, 栋) on ``recorded_on``.

    One row per agreement, or per month for a monthly return (dated the month's last day, or the
    day of full site access if that is earlier). The 1-N月 征地 and 拆房 figures are the sums of the
    rows dated within months 1..N (``land.selectors.land_summary``); the task's yearly totals
    (``Acquisition.acquired_mu``/``buildings_signed``) are their sums over the whole year.
    """

    acquisition = models.ForeignKey(Acquisition, models.CASCADE, related_name="progress", verbose_name=_("征拆任务"))
    recorded_on = models.DateField(_("日期"), help_text=_("交地或签订拆迁协议的日期；按月汇总填报的，填当月最后一日。"))
    acquired_mu = models.DecimalField(_("征地面积（亩）"), **AREA_MU, default=0)
    buildings_signed = models.PositiveIntegerField(_("签约拆房（栋）"), default=0)
    note = models.CharField(_("备注"), max_length=300, blank=True, help_text=_("协议编号、地块或说明"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["acquisition", "recorded_on", "id"]
        verbose_name = _("征拆进度")
        verbose_name_plural = _("征拆进度")
        indexes = [models.Index(fields=["recorded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(acquired_mu__gte=0), name="acquisition_progress_area_not_negative",
                violation_error_message=_("征地面积不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(acquired_mu__gt=0) | Q(buildings_signed__gt=0),
                name="acquisition_progress_not_empty",
                violation_error_message=_("征地面积和签约拆房不能都为零。"),
            ),
        ]

    def __str__(self):
        return f"{self.acquisition} · {self.recorded_on:%Y-%m-%d}"

    @property
    def project_id(self):
        """The project the row belongs to (the rights of the record pages follow it)."""
        return self.acquisition.project_id if self.acquisition_id else None

    def clean(self):
        if self.recorded_on and self.acquisition_id and self.recorded_on.year != self.acquisition.year:
            raise ValidationError({"recorded_on": _("日期必须在征拆任务所属年度（%(year)s年）内。")
                                   % {"year": self.acquisition.year}})
