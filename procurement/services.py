"""Writing tenders and permits. Checks across records live here (``Permit.clean`` already
refuses a permit issued before the project's construction bid opening):

- a tender's bid opening (开标) is not before its announcement (公告) — a DB constraint too,
  checked here first so the message stands beside the field;
- moving a construction tender's bid opening later must not leave an already issued permit
  before the (new) first opening — permits follow the bid opening (报建在开标之后);
- nor a contract of the tender signed before it (the contract is signed after the opening).
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Permit, Tender, TenderKind


def tender_validate(instance, m2m=None):
    errors = {}
    if instance.published_on and instance.bid_opened_on and instance.bid_opened_on < instance.published_on:
        errors["bid_opened_on"] = _("开标日期（%(opened)s）不能早于公告日期（%(published)s）。") % {
            "opened": instance.bid_opened_on, "published": instance.published_on}
    if instance.kind == TenderKind.CONSTRUCTION and instance.bid_opened_on and instance.project_id:
        openings = list(
            Tender.objects.filter(project_id=instance.project_id, kind=TenderKind.CONSTRUCTION,
                                  bid_opened_on__isnull=False)
            .exclude(pk=instance.pk).values_list("bid_opened_on", flat=True)
        ) + [instance.bid_opened_on]
        first_opening = min(openings)
        early_permit = (
            Permit.objects.filter(project_id=instance.project_id, issued_on__lt=first_opening)
            .order_by("issued_on").first()
        )
        if early_permit:
            errors["bid_opened_on"] = _(
                "该项目的%(permit)s已于%(issued)s核发，施工招标开标日期不能晚于核发日期。") % {
                "permit": early_permit.get_kind_display(), "issued": early_permit.issued_on}
    if instance.pk and instance.bid_opened_on and "bid_opened_on" not in errors:
        # the contract's side of ``contracts.services.contract_validate``: signed after the opening
        early_contract = (instance.contracts.filter(signed_on__lt=instance.bid_opened_on)
                          .order_by("signed_on").first())
        if early_contract:
            errors["bid_opened_on"] = _("该招标的合同“%(title)s”已于%(signed)s签订，开标日期不能晚于签订日期。") % {
                "title": early_contract.title, "signed": early_contract.signed_on}
    if errors:
        raise ValidationError(errors)



def negotiation_validate(instance, m2m=None):
    """洽商活动: at least one project and one supplier; the participating firms are contractors
    that won a tender of one of the meeting's projects (施工单位 of the projects present)."""
    m2m = m2m or {}
    errors = {}
    projects = list(m2m.get("projects", instance.projects.all() if instance.pk else []))
    if not projects:
        errors["projects"] = _("请至少选择一个参加洽商的项目。")
    if instance.suppliers_attending is not None and instance.suppliers_attending < 1:
        errors["suppliers_attending"] = _("到会供应商至少1家。")
    contractors = list(m2m.get("contractors", []))
    if projects and contractors:
        winners = set(Tender.objects.filter(project__in=projects, winner__isnull=False)
                      .values_list("winner_id", flat=True))
        strangers = [c for c in contractors if c.pk not in winners]
        if strangers:
            errors["contractors"] = _("%(firms)s未中标所选项目，不能作为参加单位。") % {
                "firms": "、".join(c.name for c in strangers)}
    if errors:
        raise ValidationError(errors)
