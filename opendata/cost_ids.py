"""The CoST Infrastructure Data Standard (CoST IDS) disclosure items, and which of them a project
of an OC4IDS package discloses.

The items and where OC4IDS holds each follow the OC4IDS documentation's mapping of the CoST IDS
(release 0.9.5, ``mapping/project-level-*.csv`` and ``mapping/process-level-*.csv`` of
open-contracting/infrastructure). Project level: identification, preparation, completion; process
level (per contract): procurement, implementation; plus the reactive disclosure of payments
(``reactive-process-level-implementation.csv``), which the product holds. An item counts as disclosed for a project
when the package holds a value at that place (for process-level items: in at least one of its
contracting processes).
"""
from dataclasses import dataclass
from typing import Callable

from .codelists import PROJECT_STATUS_LABELS


@dataclass(frozen=True)
class Item:
    key: str
    name: str        # Chinese
    name_en: str     # as the CoST IDS names it
    stage: str       # Chinese stage heading
    where: str       # the OC4IDS field(s)
    test: Callable[[dict], bool]


def _processes(project):
    return [p.get("summary") or {} for p in project.get("contractingProcesses") or []]


def _any_process(test):
    return lambda project: any(test(s) for s in _processes(project))


def _has_role(role):
    return lambda project: any(role in (p.get("roles") or []) for p in project.get("parties") or [])


def _documents(kind):
    return lambda project: any(d.get("documentType") == kind for d in project.get("documents") or [])


def _modification(kind):
    return _any_process(lambda s: any(m.get("type") == kind for m in s.get("modifications") or []))


def _completion(*fields):
    return lambda project: any((project.get("completion") or {}).get(f) for f in fields)


IDENTIFICATION, PREPARATION, COMPLETION = "项目识别", "项目准备", "项目竣工"
PROCUREMENT, IMPLEMENTATION = "合同：采购", "合同：实施"

ITEMS = (
    Item("owner", "项目业主", "Project owner", IDENTIFICATION, "parties[publicAuthority]", _has_role("publicAuthority")),
    Item("sector", "行业", "Sector", IDENTIFICATION, "sector", lambda p: bool(p.get("sector"))),
    Item("subsector", "子行业", "Subsector", IDENTIFICATION, "sector（子类）/ additionalClassifications",
         lambda p: any("." in s for s in p.get("sector") or []) or bool(p.get("additionalClassifications"))),
    Item("name", "项目名称", "Project name", IDENTIFICATION, "title", lambda p: bool(p.get("title"))),
    Item("location", "项目地点", "Project location", IDENTIFICATION, "locations", lambda p: bool(p.get("locations"))),
    Item("purpose", "建设目的", "Purpose", IDENTIFICATION, "purpose", lambda p: bool(p.get("purpose"))),
    Item("description", "项目概况", "Project description", IDENTIFICATION, "description",
         lambda p: bool(p.get("description"))),
    Item("scope", "建设规模（主要产出）", "Project scope (main output)", PREPARATION, "documents[projectScope]",
         _documents("projectScope")),
    Item("environment", "环境影响", "Environmental impact", PREPARATION, "environment",
         lambda p: bool(p.get("environment"))),
    Item("land", "土地与安置影响", "Land and settlement impact", PREPARATION, "social.landCompensationBudget",
         lambda p: bool((p.get("social") or {}).get("landCompensationBudget"))),
    Item("contact", "业主联系方式", "Contact details", PREPARATION, "parties[publicAuthority].address / contactPoint",
         lambda p: any("publicAuthority" in (o.get("roles") or []) and (o.get("address") or o.get("contactPoint"))
                       for o in p.get("parties") or [])),
    Item("funding", "资金来源", "Funding sources", PREPARATION, "parties[funder] / budget.budgetBreakdowns",
         lambda p: _has_role("funder")(p) or bool((p.get("budget") or {}).get("budgetBreakdowns"))),
    Item("budget", "项目预算（总投资）", "Project budget", PREPARATION, "budget.amount",
         lambda p: bool((p.get("budget") or {}).get("amount"))),
    Item("budget_approval", "预算批准日期", "Project budget approval date", PREPARATION, "budget.approvalDate",
         lambda p: bool((p.get("budget") or {}).get("approvalDate"))),
    Item("status", "项目状态", "Project status (current)", COMPLETION, "status", lambda p: bool(p.get("status"))),
    Item("completion_cost", "竣工造价", "Project completion cost", COMPLETION, "completion.finalValue",
         _completion("finalValue")),
    Item("completion_date", "竣工日期", "Completion date", COMPLETION, "completion.endDate", _completion("endDate")),
    Item("completion_scope", "竣工规模", "Project scope at completion", COMPLETION, "completion.finalScope",
         _completion("finalScope")),
    Item("change_reasons", "项目变化原因", "Reasons for project changes", COMPLETION,
         "completion.*Details", _completion("endDateDetails", "finalValueDetails", "finalScopeDetails")),
    Item("audit", "审计与评价报告", "Reference to audit and evaluation reports", COMPLETION,
         "documents[financialAuditReport / technicalAuditReport]",
         lambda p: _documents("financialAuditReport")(p) or _documents("technicalAuditReport")(p)),
    Item("progress", "实施进度报告", "Implementation progress reports", COMPLETION, "metrics",
         lambda p: bool(p.get("metrics"))),
    Item("procuring_entity", "招标人", "Procuring entity", PROCUREMENT, "summary.tender.procuringEntity",
         _any_process(lambda s: bool((s.get("tender") or {}).get("procuringEntity")))),
    Item("administrative_entity", "合同管理单位", "Contract administrative entity", PROCUREMENT,
         "summary.tender.administrativeEntity",
         _any_process(lambda s: bool((s.get("tender") or {}).get("administrativeEntity")))),
    Item("contract_status", "合同状态", "Contract status", PROCUREMENT, "summary.status",
         _any_process(lambda s: bool(s.get("status")))),
    Item("procurement_method", "采购方式", "Procurement process", PROCUREMENT, "summary.tender.procurementMethod",
         _any_process(lambda s: bool((s.get("tender") or {}).get("procurementMethod")))),
    Item("contract_type", "合同类型", "Contract type", PROCUREMENT, "summary.nature",
         _any_process(lambda s: bool(s.get("nature")))),
    Item("tenderers", "投标单位数", "Number of firms tendering", PROCUREMENT, "summary.tender.numberOfTenderers",
         _any_process(lambda s: (s.get("tender") or {}).get("numberOfTenderers") is not None)),
    Item("cost_estimate", "招标控制价（预算）", "Cost estimate", PROCUREMENT, "summary.tender.costEstimate",
         _any_process(lambda s: bool((s.get("tender") or {}).get("costEstimate")))),
    Item("contract_title", "合同名称", "Contract title", PROCUREMENT, "summary.title",
         _any_process(lambda s: bool(s.get("title")))),
    Item("contract_firms", "合同单位", "Contract firm(s)", PROCUREMENT, "summary.suppliers",
         _any_process(lambda s: bool(s.get("suppliers")))),
    Item("contract_scope", "合同工作内容", "Contract scope of work", PROCUREMENT, "summary.description",
         _any_process(lambda s: bool(s.get("description")))),
    Item("contract_price", "合同价", "Contract price", PROCUREMENT, "summary.contractValue",
         _any_process(lambda s: bool(s.get("contractValue")))),
    Item("contract_period", "合同工期", "Contract start date and contract period", PROCUREMENT,
         "summary.contractPeriod", _any_process(lambda s: bool(s.get("contractPeriod")))),
    Item("price_variation", "合同价变更", "Variation to contract price", IMPLEMENTATION,
         "summary.modifications[value]", _modification("value")),
    Item("escalation", "合同价格调整（调差）", "Escalation of contract price", IMPLEMENTATION,
         "summary.documents[escalationApprovals]",
         _any_process(lambda s: any(d.get("documentType") == "escalationApprovals" for d in s.get("documents") or []))),
    Item("duration_variation", "工期变更", "Variation to contract duration", IMPLEMENTATION,
         "summary.modifications[duration]", _modification("duration")),
    Item("scope_variation", "范围变更", "Variation to contract scope", IMPLEMENTATION,
         "summary.modifications[scope]", _modification("scope")),
    Item("variation_reasons", "变更原因", "Reasons for price, scope and duration changes", IMPLEMENTATION,
         "summary.modifications.rationale",
         _any_process(lambda s: any(m.get("rationale") for m in s.get("modifications") or []))),
    Item("payments", "支付记录（依申请公开）", "Disbursement records or payment certificates (reactive)",
         IMPLEMENTATION, "summary.transactions", _any_process(lambda s: bool(s.get("transactions")))),
)


@dataclass(frozen=True)
class ProjectCoverage:
    code: str
    title: str
    status: str
    covered: tuple   # one bool per item of ITEMS

    @property
    def count(self):
        return sum(self.covered)

    @property
    def status_label(self):
        """The status in Chinese for the page (``status`` is the package's projectStatus code)."""
        return PROJECT_STATUS_LABELS.get(self.status, self.status)


def coverage(package):
    """([ProjectCoverage], {item key: number of projects disclosing it})."""
    rows = []
    for project in package.get("projects", []):
        code = next((i.get("id") for i in project.get("identifiers") or []), project.get("id", ""))
        rows.append(ProjectCoverage(code=code, title=project.get("title", ""), status=project.get("status", ""),
                                    covered=tuple(bool(item.test(project)) for item in ITEMS)))
    counts = {item.key: sum(row.covered[i] for row in rows) for i, item in enumerate(ITEMS)}
    return rows, counts
