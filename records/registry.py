"""The registry of record types — every kind of record staff keep, one entry each.

An entry (``records.editing.RecordType``) names the model, the form fields and the service hooks
(validation lives in the app's ``services``), its list page (``records.lists.RecordList``: the
app's ``<records>_in_period`` selector, FilterSet and Table), its card on the project's record page
(``records.sections.Section``), its item in the 台账 menu and — through the model's verbose name —
its label in the change history. From these the package builds:

- the create / edit / delete pages ``records:<slug>_add|_edit|_delete`` (``records.urls``);
- the list pages at their URL names (``land:batches``, ``procurement:tenders``, ``funding_list`` …;
  ``records.lists.urlpatterns``, mounted by the root URLconf);
- the 台账 menu (``{% record_menu %}`` in ``templates/includes/nav_items.html``) and the records
  index ``/records/``;
- the sections of ``/records/project/<pk>/``.

A new record type is one entry here plus its model, selector, service, FilterSet and Table in its
app (and a row template ``templates/records/rows/<slug>.html``).
"""
from django.utils.translation import gettext_lazy as _

from contracts import selectors as contract_selectors
from contracts import services as contract_services
from contracts.filters import (
    ContractFilterSet, PaymentFilterSet, RegistrationFilterSet, StatisticsReportFilterSet, VariationFilterSet,
)
from contracts.models import Contract, Payment, StatisticsRegistration, StatisticsReport, Variation
from contracts.tables import ContractTable, PaymentTable, RegistrationTable, StatisticsReportTable, VariationTable
from investment import record_services as investment_services
from investment import selectors as investment_selectors
from investment.filters import FundingFilterSet, SavingFilterSet
from investment.models import Funding, Saving
from investment.tables import FundingTable, SavingTable
from land import selectors as land_selectors
from land import services as land_services
from land.filters import AcquisitionFilterSet, LandBatchFilterSet
from land.models import Acquisition, AcquisitionProgress, LandBatch
from land.tables import AcquisitionTable, LandBatchTable
from procurement import selectors as procurement_selectors
from procurement import services as procurement_services
from procurement.filters import NegotiationFilterSet, PermitFilterSet, TenderFilterSet
from procurement.models import Negotiation, Permit, Tender
from procurement.tables import NegotiationTable, PermitTable, TenderTable
from projects import edit_views as project_forms
from projects import selectors as project_selectors
from projects import services as project_services
from projects.filters import MilestoneFilterSet
from projects.models import CategoryChange, Milestone, MonthlyScore, Organisation, OrganisationRole, PhaseTransition
from projects.permissions import editable_projects
from projects.tables import MilestoneTable

from .editing import RecordType
from .lists import RecordList
from .sections import Delete, Section

LEFT, RIGHT = 0, 1


def _permit_comparison(view):
    return {"lead_times": procurement_selectors.permit_lead_time_comparison(period=view.period)}


LAND_BATCH = RecordType(
    slug="land-batch", model=LandBatch,
    fields=["year", "number", "name", "submitted_on", "approved_on", "area_mu", "projects"],
    validate=land_services.land_batch_validate, initial_from_get=["year"],
    list=RecordList(selector=land_selectors.land_batches_in_period, filterset=LandBatchFilterSet,
                    table=LandBatchTable, title=_("用地报批批次"), path="batches/", name="land:batches"),
    menu=_("用地报批"),
    section=Section(_("用地报批"), lambda p: p.land_batches.order_by("year", "number"), "land-batches",
                    LEFT, add_label=_("新增报批批次")),
)
ACQUISITION = RecordType(
    slug="acquisition", model=Acquisition,
    fields=["project", "year", "acquired_mu", "buildings_signed", "full_access_on", "note"],
    validate=land_services.acquisition_validate, initial_from_get=["project", "year"],
    create=land_services.acquisition_save, update=land_services.acquisition_save,
    list=RecordList(selector=land_selectors.acquisitions_in_period, filterset=AcquisitionFilterSet,
                    table=AcquisitionTable, title=_("征地拆迁"), path="acquisitions/", name="land:acquisitions"),
    section=Section(_("征地拆迁"), lambda p: p.acquisitions.order_by("year"), "acquisitions", LEFT,
                    add_label=_("新增征拆任务")),
)
ACQUISITION_PROGRESS = RecordType(
    slug="acquisition-progress", model=AcquisitionProgress,
    fields=["acquisition", "recorded_on", "acquired_mu", "buildings_signed", "note"],
    validate=land_services.acquisition_progress_validate, initial_from_get=["acquisition"],
    create=land_services.acquisition_progress_save, update=land_services.acquisition_progress_save,
    delete=land_services.acquisition_progress_delete,
    limit_choices={"acquisition": lambda user: Acquisition.objects.filter(project__in=editable_projects(user))
                   .select_related("project").order_by("-year", "project__code")},
    # the dated rows are listed under their task: 征地拆迁 shows the sums as of the period
    list_url="land:acquisitions",
    section=Section(_("征拆进度"), lambda p: AcquisitionProgress.objects.filter(acquisition__project=p)
                    .select_related("acquisition").order_by("recorded_on", "id"),
                    "acquisition-progress", LEFT, add_label=_("新增征拆进度")),
)
TENDER = RecordType(
    slug="tender", model=Tender,
    fields=["project", "kind", "title", "published_on", "bid_opened_on", "winner", "amount"],
    validate=procurement_services.tender_validate,
    list=RecordList(selector=procurement_selectors.tenders_in_period, filterset=TenderFilterSet,
                    table=TenderTable, title=_("招标采购"), path="tenders/", name="procurement:tenders"),
    section=Section(_("招标"), lambda p: p.tenders.select_related("winner").order_by("bid_opened_on", "id"),
                    "tenders", RIGHT, add_label=_("新增招标")),
)
PERMIT = RecordType(
    slug="permit", model=Permit, fields=["project", "kind", "number", "issued_on"],
    list=RecordList(
        selector=procurement_selectors.permits_in_period, filterset=PermitFilterSet, table=PermitTable,
        title=_("许可证与办证时长"), path="permits/", name="procurement:permits",
        description=_("办证时长 = 核发日期 − 该项目首次施工招标开标日期；标准为%(days)s天内。")
        % {"days": procurement_selectors.PERMIT_TARGET_DAYS},
        template_name="records/permit_list.html", context=_permit_comparison),
    menu=_("许可证"),
    section=Section(_("许可证"), lambda p: procurement_selectors.permit_records().filter(project=p),
                    "permits", RIGHT, add_label=_("新增许可证")),
)
NEGOTIATION = RecordType(
    slug="negotiation", model=Negotiation,
    fields=["held_on", "title", "projects", "contractors", "suppliers_attending", "note"],
    validate=procurement_services.negotiation_validate,
    limit_choices={"contractors": lambda user: Organisation.objects.filter(role=OrganisationRole.CONTRACTOR)},
    list=RecordList(
        selector=procurement_selectors.negotiations_in_period, filterset=NegotiationFilterSet,
        table=NegotiationTable, title=_("洽商活动"), path="negotiations/", name="procurement:negotiations",
        description=_("四零采购：在建项目施工单位与本地材料供应商面对面洽谈（零障碍、零仓储、零物流、零损耗）。")),
    section=Section(_("洽商活动"), lambda p: p.negotiations.order_by("held_on", "id"), "negotiations", RIGHT,
                    add_label=_("新增洽商活动")),
)
MILESTONE = RecordType(
    slug="milestone", model=Milestone,
    fields=["project", "name", "order", "planned_on", "done_on", "note"],
    validate=project_services.milestone_validate,
    list=RecordList(
        selector=project_selectors.milestones_in_period, filterset=MilestoneFilterSet, table=MilestoneTable,
        title=_("节点计划"), path="milestones/", name="projects:milestones",
        description=_("年度计划项目的节点；逾期 = 期末时计划完成日期已过且尚未完成，逾期天数截至期末。"),
        table_kwargs=lambda view: {"as_of": view.period.end}),
    menu_extra=[(_("逾期节点"), "records:overdue")],
    section=Section(_("节点计划"), lambda p: (), "node-plan", RIGHT, add_label=_("新增节点"),
                    template="records/sections/milestone.html"),
)
FUNDING = RecordType(
    slug="funding", model=Funding, fields=["project", "source", "amount", "received_on", "note"],
    validate=investment_services.amount_validate,
    list=RecordList(selector=investment_selectors.fundings_in_period, filterset=FundingFilterSet,
                    table=FundingTable, title=_("争取上级资金"), path="funding/", name="funding_list"),
    menu=_("争取资金"),
    section=Section(_("争取资金"), lambda p: p.fundings.order_by("received_on", "id"), "fundings", LEFT,
                    add_label=_("新增争取资金")),
)
SAVING = RecordType(
    slug="saving", model=Saving, fields=["project", "kind", "amount", "recorded_on", "description"],
    validate=investment_services.amount_validate,
    list=RecordList(selector=investment_selectors.savings_in_period, filterset=SavingFilterSet,
                    table=SavingTable, title=_("节约资金"), path="savings/", name="saving_list"),
    section=Section(_("节约资金"), lambda p: p.savings.order_by("recorded_on", "id"), "savings", LEFT,
                    add_label=_("新增节约资金")),
)
PHASE_TRANSITION = RecordType(
    slug="phase", model=PhaseTransition,
    fields=["project", "to_phase", "occurred_on", "reason"], update_fields=["occurred_on", "reason"],
    create=project_forms.transition_create, update=project_services.phase_transition_update,
    delete=project_services.phase_transition_delete,
    section=Section(_("阶段变更"), lambda p: p.phase_transitions.order_by("occurred_on", "id"),
                    "phase-transitions", LEFT, delete=Delete.LAST_FOR_ADMIN, delete_label=_("撤销")),
)
CATEGORY_CHANGE = RecordType(
    slug="category-change", model=CategoryChange,
    fields=["project", "year", "to_category", "changed_on", "reason", "instruction"],
    validate=project_services.category_change_validate, initial_from_get=["project", "year"],
    section=Section(_("类别调整"), lambda p: p.category_changes.order_by("year", "changed_on", "id"),
                    "category-changes", LEFT),
)
MONTHLY_SCORE = RecordType(
    slug="score", model=MonthlyScore,
    fields=["year", "month", "area", "project", "progress", "quality", "safety", "image", "note"],
    create=project_services.score_save, update=project_services.score_save,
    delete=project_services.score_delete,
    admin_only=True, initial_from_get=["year", "month", "area", "project", "progress"],
    list_url="records:scores",
    section=Section(_("流动红旗考评"), lambda p: p.scores.order_by("year", "month", "id"), "scores", RIGHT,
                    add_label=_("新增考评")),
)

def _user_contracts(user):
    return Contract.objects.filter(project__in=editable_projects(user)).select_related("project").order_by(
        "project__code", "signed_on")


def _user_tenders(user):
    return Tender.objects.filter(project__in=editable_projects(user)).select_related("project").order_by(
        "project__code", "bid_opened_on")


CONTRACT = RecordType(
    slug="contract", model=Contract,
    fields=["project", "tender", "firm", "kind", "number", "title", "price", "signed_on", "duration_days",
            "progress_payment_ratio", "scope", "settled_amount", "audited_amount"],
    validate=contract_services.contract_validate, delete=contract_services.contract_delete,
    initial_from_get=["project", "tender"],
    limit_choices={"tender": _user_tenders},
    list=RecordList(selector=contract_selectors.contracts_in_period, filterset=ContractFilterSet,
                    table=ContractTable, title=_("合同与支付"), path="", name="contracts:list",
                    description=_("现合同价 = 合同价 + 期末前已批准的变更；累计支付、累计完成产值截至期末；"
                                  "审减 = 结算 − 审计。")),
    menu_extra=[(_("资金支付审查"), "contracts:payment_review")],
    section=Section(_("合同"), lambda p: p.contracts.select_related("firm").order_by("signed_on", "id"),
                    "contracts", RIGHT, add_label=_("新增合同")),
)
VARIATION = RecordType(
    slug="variation", model=Variation,
    fields=["contract", "kind", "amount", "days", "reason", "requested_on", "approved_on"],
    validate=contract_services.variation_validate, delete=contract_services.variation_delete,
    initial_from_get=["contract"],
    limit_choices={"contract": _user_contracts},
    list=RecordList(selector=contract_selectors.variations_in_period, filterset=VariationFilterSet,
                    table=VariationTable, title=_("合同变更与签证"), path="variations/", name="contracts:variations"),
    menu=_("变更签证"),
    section=Section(_("变更与签证"), lambda p: Variation.objects.filter(contract__project=p)
                    .select_related("contract").order_by("requested_on", "id"), "variations", RIGHT,
                    add_label=_("新增变更")),
)
PAYMENT = RecordType(
    slug="payment", model=Payment, fields=["contract", "paid_on", "work_completed", "amount", "note"],
    validate=contract_services.payment_validate, initial_from_get=["contract"],
    limit_choices={"contract": _user_contracts},
    list=RecordList(selector=contract_selectors.payments_in_period, filterset=PaymentFilterSet,
                    table=PaymentTable, title=_("进度款支付"), path="payments/", name="contracts:payments"),
    section=Section(_("进度款支付"), lambda p: Payment.objects.filter(contract__project=p)
                    .select_related("contract").order_by("paid_on", "id"), "payments", RIGHT,
                    add_label=_("新增支付")),
)
STATISTICS_REGISTRATION = RecordType(
    slug="statistics-registration", model=StatisticsRegistration,
    fields=["project", "registered_on", "statistics_code"],
    validate=contract_services.registration_validate, delete=contract_services.registration_delete,
    list=RecordList(selector=contract_selectors.registrations_in_period, filterset=RegistrationFilterSet,
                    table=RegistrationTable, title=_("统计入库"), path="statistics/registrations/",
                    name="contracts:registrations"),
    menu_extra=[(_("开工未入库"), "contracts:unregistered"), (_("统计对账"), "contracts:reconciliation")],
    section=Section(_("统计入库"), lambda p: StatisticsRegistration.objects.filter(project=p), "statistics-registration",
                    LEFT, add_label=_("登记入库")),
)
STATISTICS_REPORT = RecordType(
    slug="statistics-report", model=StatisticsReport, fields=["project", "year", "month", "amount"],
    validate=contract_services.statistics_report_validate, initial_from_get=["project", "year", "month"],
    list=RecordList(selector=contract_selectors.statistics_reports_in_period, filterset=StatisticsReportFilterSet,
                    table=StatisticsReportTable, title=_("统计月报"), path="statistics/reports/",
                    name="contracts:statistics_reports"),
    section=Section(_("统计月报（联网直报）"), lambda p: p.statistics_reports.order_by("year", "month"),
                    "statistics-reports", LEFT, add_label=_("新增统计数")),
)

REGISTRY = [
    LAND_BATCH, ACQUISITION, ACQUISITION_PROGRESS, TENDER, PERMIT, NEGOTIATION, MILESTONE, FUNDING, SAVING,
    PHASE_TRANSITION, CATEGORY_CHANGE, MONTHLY_SCORE,
    CONTRACT, VARIATION, PAYMENT, STATISTICS_REGISTRATION, STATISTICS_REPORT,
]
"""In menu order; the project page orders its sections by column, then by this order."""

BY_SLUG = {record_type.slug: record_type for record_type in REGISTRY}
assert len(BY_SLUG) == len(REGISTRY), "two record types share a slug"


def menu_items():
    """The 台账 menu: [(label, URL name)] of the record types with a list, in registry order."""
    items = []
    for record_type in REGISTRY:
        if record_type.list is not None and record_type.menu_label:
            items.append((record_type.menu_label, record_type.list_url_name))
            items.extend(record_type.menu_extra)
    return items
