"""Writing contracts, variations, payments and the statistics ledger. The record pages save through
``projects.services.record_save`` (rights, then these checks, then ``full_clean``); ``ledger_save``
is the same write without a user, for the demo data and commands.

Checks across records:
- a contract's tender is of the same project (``Contract.clean``);
- a variation does not bring the contract's price below zero; it is approved after it was asked for;
- a payment is not before the contract was signed; its 累计完成产值 does not fall from one payment to the next;
- a statistics figure is not for a month before the project's 入库 ("先入库，后有数"), nor a future month.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.numbers import Period, plain
from projects.services import record_delete

from .models import Payment, StatisticsRegistration, StatisticsReport, Variation


def contract_validate(instance, m2m=None):
    if instance.tender_id and instance.project_id and instance.tender.project_id != instance.project_id:
        raise ValidationError({"tender": _("所选招标不属于该项目。")})
    if instance.tender_id and instance.tender.bid_opened_on and instance.signed_on \
            and instance.signed_on < instance.tender.bid_opened_on:
        raise ValidationError({"signed_on": _("签订日期不能早于开标日期（%(opened)s）。")
                                            % {"opened": instance.tender.bid_opened_on}})
    if instance.pk:
        _contract_keeps_its_records(instance)


def _approved_total(contract_id, but=None):
    """The amounts of the contract's approved variations (万元), but the variation ``but`` (a pk)."""
    return (Variation.objects.filter(contract_id=contract_id, approved_on__isnull=False).exclude(pk=but)
            .aggregate(s=Sum("amount"))["s"] or Decimal(0))


def _contract_keeps_its_records(contract):
    """An edited contract stays consistent with its variations and payments, the rules of
    ``variation_validate`` and ``payment_validate`` seen from the contract: the approved cuts do
    not bring the price below zero, and nothing was asked for or paid before the signing."""
    errors = {}
    approved = _approved_total(contract.pk)
    if contract.price is not None and contract.price + approved < 0:
        errors["price"] = _("已批准变更合计%(approved)s万元，合同价不能低于%(least)s万元（否则现合同价为负数）。") % {
            "approved": plain(approved), "least": plain(-approved)}
    if contract.signed_on:
        first_payment = contract.payments.order_by("paid_on").values_list("paid_on", flat=True).first()
        first_request = contract.variations.order_by("requested_on").values_list("requested_on", flat=True).first()
        if first_payment and first_payment < contract.signed_on:
            errors["signed_on"] = _("该合同已有%(date)s的支付，签订日期不能晚于该日。") % {"date": first_payment}
        elif first_request and first_request < contract.signed_on:
            errors["signed_on"] = _("该合同已有%(date)s申报的变更，签订日期不能晚于该日。") % {"date": first_request}
    if errors:
        raise ValidationError(errors)


def variation_validate(instance, m2m=None):
    if not instance.contract_id or instance.amount is None:
        return
    contract = instance.contract
    others = _approved_total(contract.pk, but=instance.pk)
    mine = instance.amount if instance.approved_on else Decimal(0)
    if contract.price + others + mine < 0:
        raise ValidationError({"amount": _("核减后合同价为负数（合同价%(price)s万元，已批准变更%(others)s万元）。")
                                         % {"price": contract.price, "others": others}})
    if instance.requested_on and contract.signed_on and instance.requested_on < contract.signed_on:
        raise ValidationError({"requested_on": _("申报日期不能早于合同签订日期（%(signed)s）。")
                                               % {"signed": contract.signed_on}})


def payment_validate(instance, m2m=None):
    if instance.contract_id and instance.paid_on and instance.paid_on < instance.contract.signed_on:
        raise ValidationError({"paid_on": _("支付日期不能早于合同签订日期（%(signed)s）。")
                                          % {"signed": instance.contract.signed_on}})
    if instance.contract_id and instance.paid_on and instance.work_completed is not None:
        _work_completed_cumulates(instance)


def _work_completed_cumulates(payment):
    """累计完成产值 is cumulative: not below an earlier payment's, not above a later one's (the month's
    value typed in its place made the latest figure, which the 超进度 check reads, fall)."""
    others = Payment.objects.filter(contract_id=payment.contract_id).exclude(pk=payment.pk)
    before = others.filter(paid_on__lt=payment.paid_on).order_by("-work_completed").first()
    after = others.filter(paid_on__gt=payment.paid_on).order_by("work_completed").first()
    if before and payment.work_completed < before.work_completed:
        raise ValidationError({"work_completed": _("累计完成产值不能低于此前%(date)s支付时确认的%(value)s万元（填累计数，不是当期数）。")
                                                 % {"date": before.paid_on, "value": plain(before.work_completed)}})
    if after and payment.work_completed > after.work_completed:
        raise ValidationError({"work_completed": _("累计完成产值不能高于此后%(date)s支付时确认的%(value)s万元。")
                                                 % {"date": after.paid_on, "value": plain(after.work_completed)}})


def statistics_report_validate(instance, m2m=None):
    if not (instance.project_id and instance.year and instance.month) or not 1 <= instance.month <= 12:
        return
    today = timezone.localdate()
    if (instance.year, instance.month) > (today.year, today.month):
        raise ValidationError({"month": _("不能填报未来月份的统计数。")})
    registration = StatisticsRegistration.objects.filter(project_id=instance.project_id).first()
    if registration is None:
        raise ValidationError({"project": _("该项目尚未入库，先入库，后有数。")})
    registered = registration.registered_on
    if (instance.year, instance.month) < (registered.year, registered.month):
        raise ValidationError({"month": _("该项目%(date)s入库，此前月份没有统计数。") % {"date": f"{registered.year}年{registered.month}月"}})


def registration_validate(instance, m2m=None):
    if not (instance.pk and instance.registered_on):
        return
    moved_from = (StatisticsRegistration.objects.filter(pk=instance.pk).exclude(project_id=instance.project_id)
                  .values_list("project_id", flat=True).first())
    if moved_from and StatisticsReport.objects.filter(project_id=moved_from).exists():
        raise ValidationError({"project": _("原项目已有统计数，入库记录不能改到其他项目；先入库，后有数。")})
    first = (StatisticsReport.objects.filter(project_id=instance.project_id).order_by("year", "month")
             .values_list("year", "month").first())
    if first and first < (instance.registered_on.year, instance.registered_on.month):
        raise ValidationError({"registered_on": _("该项目已有%(y)s年%(m)s月的统计数，入库日期不能晚于该月。")
                                                % {"y": first[0], "m": first[1]}})


def _contract_deletable(contract):
    """A contract goes with its payments and variations (they cascade): one that has any is not
    deleted — a careless 删除 (say, to enter it again) would take its 累计支付 with it."""
    payments, variations = contract.payments.count(), contract.variations.count()
    if payments or variations:
        raise ValidationError(_("该合同已有%(p)s笔进度款支付、%(v)s项变更签证，不能删除；请先删除这些记录。")
                              % {"p": payments, "v": variations})


def contract_delete(*, user, instance):
    record_delete(user=user, instance=instance, validate=_contract_deletable)


def _variation_deletable(variation):
    """Without this approved variation the contract's price stays at or above zero (the rule of
    ``variation_validate``): an approved increase that a later cut counts on is not deleted."""
    if not variation.approved_on:
        return
    rest = _approved_total(variation.contract_id, but=variation.pk)
    price = variation.contract.price
    if price + rest < 0:
        raise ValidationError(_("删除该变更后现合同价为负数（合同价%(price)s万元，其余已批准变更%(rest)s万元），不能删除。")
                              % {"price": plain(price), "rest": plain(rest)})


def variation_delete(*, user, instance):
    record_delete(user=user, instance=instance, validate=_variation_deletable)


def _registration_deletable(registration):
    """先入库，后有数: the 入库 of a project with statistics figures stays (delete them first)."""
    first = (StatisticsReport.objects.filter(project_id=registration.project_id).order_by("year", "month")
             .values_list("year", "month").first())
    if first:
        raise ValidationError(_("该项目已有%(y)s年%(m)s月起的统计数，不能删除入库记录；先入库，后有数。")
                              % {"y": first[0], "m": first[1]})


def registration_delete(*, user, instance):
    record_delete(user=user, instance=instance, validate=_registration_deletable)


def ledger_save(instance, validate=None):
    """Create or update a record of this app without a user (demo data, commands): the record's
    checks, ``full_clean``, save — in one transaction."""
    with transaction.atomic():
        if validate:
            validate(instance, {})
        instance.full_clean()
        instance.save()
    return instance


VALIDATORS = {
    "Contract": contract_validate, "Variation": variation_validate, "Payment": payment_validate,
    "StatisticsReport": statistics_report_validate, "StatisticsRegistration": registration_validate,
}


def month_end(year, month):
    """The last day of the month (``portfolio.numbers.Period.end``)."""
    return Period(year, month).end
