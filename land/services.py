"""Writing land records. Checks across fields and relations:

- a batch's approved area (报批面积) is not negative and its approval not before its submission
  (DB constraints too; checked here first so the message stands beside the field);
- a batch is submitted within its year and covers at least one project;
- an acquisition's area (征地面积) is not negative.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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


def acquisition_validate(instance, m2m=None):
    if instance.acquired_mu is not None and instance.acquired_mu < Decimal(0):
        raise ValidationError({"acquired_mu": _("征地面积不能为负数。")})
