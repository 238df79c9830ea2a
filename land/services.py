"""Writing land records. Checks across fields and relations:

- a batch's approved area (报批面积) is not negative and its approval not before its submission
  (DB constraints too; checked here first so the message stands beside the field);
- a batch is submitted within its year and covers at least one project;
- an acquisition's area (征地面积) is not negative; once it has dated progress rows its yearly
  totals are their sums (changed through the rows, not typed);
- a progress row (征拆进度) is dated within its task's year and records land or buildings.

征地 and 拆房 are dated (``AcquisitionProgress``): every change of a row recomputes its task's
yearly totals, and a total typed on the acquisition form of a task without rows becomes one
dated row (``acquisition_progress_sync``), so the 1-N月 figures can place every 亩 and 栋.
"""
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.services import record_delete, record_save

from .models import Acquisition, AcquisitionProgress


def land_batch_validate(instance, m2m=None):
    errors = {}
    if instance.area_mu is not None and instance.area_mu < Decimal(0):
        errors["area_mu"] = _("报批面积不能为负数。")
    if instance.approved_on and instance.submitted_on and instance.approved_on < instance.submitted_on:
        errors["approved_on"] = _("批复日期不能早于报批日期（%(date)s）。") % {"date": instance.submitted_on}
    if instance.submitted_on and instance.year and instance.submitted_on.year != instance.year:
        errors["submitted_on"] = _("报批日期必须在所属年度（%(year)s年）内。") % {"year": instance.year}
    if m2m is not None and "projects" in m2m and not m2m["projects"]:
        errors["projects"] = _("请至少选择一个项目。")
    if errors:
        raise ValidationError(errors)


def _progress_sums(acquisition_id):
    row = AcquisitionProgress.objects.filter(acquisition_id=acquisition_id).aggregate(
        mu=Sum("acquired_mu"), buildings=Sum("buildings_signed"))
    return row["mu"] or Decimal(0), row["buildings"] or 0


def acquisition_validate(instance, m2m=None):
    if instance.acquired_mu is not None and instance.acquired_mu < Decimal(0):
        raise ValidationError({"acquired_mu": _("征地面积不能为负数。")})
    if not instance.pk or not AcquisitionProgress.objects.filter(acquisition_id=instance.pk).exists():
        return
    mu, buildings = _progress_sums(instance.pk)
    errors = {}
    message = _("已按日期记录征拆进度（合计%(mu)s亩、%(buildings)s栋），年度合计由进度记录汇总，"
                "请在征拆进度中增改。") % {"mu": mu, "buildings": buildings}
    if instance.acquired_mu is not None and instance.acquired_mu != mu:
        errors["acquired_mu"] = message
    if instance.buildings_signed is not None and instance.buildings_signed != buildings:
        errors["buildings_signed"] = message
    outside = AcquisitionProgress.objects.filter(acquisition_id=instance.pk).exclude(recorded_on__year=instance.year)
    if instance.year and outside.exists():
        errors["year"] = _("已有征拆进度记录的日期不在%(year)s年内。") % {"year": instance.year}
    if errors:
        raise ValidationError(errors)


def acquisition_progress_date(acquisition, today=None):
    """The day a yearly total typed without dated rows is placed on: the full site access
    (全面进场) if recorded in the year, else today, within the task's year."""
    if acquisition.full_access_on and acquisition.full_access_on.year == acquisition.year:
        return acquisition.full_access_on
    today = today or timezone.localdate()
    return min(max(today, dt.date(acquisition.year, 1, 1)), dt.date(acquisition.year, 12, 31))


def acquisition_totals_refresh(acquisition):
    """Set the task's yearly totals to the sums of its dated rows (saved with history)."""
    mu, buildings = _progress_sums(acquisition.pk)
    if (acquisition.acquired_mu, acquisition.buildings_signed) != (mu, buildings):
        acquisition.acquired_mu, acquisition.buildings_signed = mu, buildings
        acquisition.save(update_fields=["acquired_mu", "buildings_signed"])


def acquisition_progress_sync(acquisition):
    """A task saved with yearly totals but no dated rows gets one row carrying them, dated by
    ``acquisition_progress_date``; a task with rows keeps totals equal to their sums."""
    if AcquisitionProgress.objects.filter(acquisition_id=acquisition.pk).exists():
        acquisition_totals_refresh(acquisition)
    elif acquisition.acquired_mu or acquisition.buildings_signed:
        AcquisitionProgress.objects.create(
            acquisition=acquisition, recorded_on=acquisition_progress_date(acquisition),
            acquired_mu=acquisition.acquired_mu, buildings_signed=acquisition.buildings_signed,
            note=_("按年度合计录入"))


def acquisition_save(*, user, instance, form=None, m2m=None):
    """Save an acquisition task through the record form, then date its totals."""
    with transaction.atomic():
        acquisition = record_save(user=user, instance=instance, m2m=m2m, validate=acquisition_validate)
        acquisition_progress_sync(acquisition)
    return acquisition


def acquisition_progress_validate(instance, m2m=None):
    errors = {}
    if instance.acquired_mu is not None and instance.acquired_mu < Decimal(0):
        errors["acquired_mu"] = _("征地面积不能为负数。")
    elif not instance.acquired_mu and not instance.buildings_signed:
        errors["acquired_mu"] = _("征地面积和签约拆房不能都为零。")
    if instance.pk:
        stored = AcquisitionProgress.objects.only("acquisition_id").get(pk=instance.pk)
        if stored.acquisition_id != instance.acquisition_id:
            errors["acquisition"] = _("进度记录不能移到另一个征拆任务，请删除后在该任务下新增。")
    if errors:
        raise ValidationError(errors)


def acquisition_progress_save(*, user, instance, form=None, m2m=None):
    """Create or update a dated row and recompute its task's yearly totals."""
    with transaction.atomic():
        row = record_save(user=user, instance=instance, m2m=m2m, validate=acquisition_progress_validate)
        acquisition_totals_refresh(Acquisition.objects.select_for_update().get(pk=row.acquisition_id))
    return row


def acquisition_progress_delete(*, user, instance):
    with transaction.atomic():
        acquisition_id = instance.acquisition_id
        record_delete(user=user, instance=instance)
        acquisition_totals_refresh(Acquisition.objects.select_for_update().get(pk=acquisition_id))
