"""The product's values → OC4IDS codes (one place). Every code used here is in the release's
codelists (``tests/test_opendata_package.py`` checks each mapping against the CSVs).

- ``projectStatus`` (closed) from the phase as of the package's year end and the year's plan
  category: 前期 → ``preparation`` (``identification`` for a 储备 project, which is only in the
  pipeline); 在建 → ``implementation``; 完工 and 交付 → ``completion`` (hand-over and close-out).
  The product has no cancelled projects (a project moved to 预备 is postponed, not cancelled), so
  ``cancelled`` is never produced.
- ``projectType`` (closed) from the project's name, the only place it is said: 改扩建/拓宽/延 →
  ``expansion``, 提质改造/改造 → ``rehabilitation``, else ``construction``.
- ``projectSector`` (open) from the project kind; 房建 and 其他 are too mixed to map and are left out.
- ``partyRole``: the owner unit (责任单位) is the ``publicAuthority`` (and ``buyer``: its budget pays);
  the center, as 代建 agent, is the ``procuringEntity`` and ``administrativeEntity``; contractors,
  supervisors, designers and suppliers that won a tender or signed a contract are ``supplier``.
- ``contractNature`` (closed): 施工 → construction, 监理 → supervision, 设计 → design; 设备 and 其他
  have no code and are left out.
- ``modificationType`` (open): 设计变更 and 现场签证 change the price (``value``), 工期调整 the
  ``duration``, 范围调整 the ``scope``.
"""
from contracts.models import ContractKind, VariationKind
from procurement.models import TenderKind
from projects.models import Phase, PlanCategory, ProjectKind

PHASE_STATUS = {
    Phase.PRELIMINARY: "preparation",
    Phase.CONSTRUCTION: "implementation",
    Phase.COMPLETED: "completion",
    Phase.DELIVERED: "completion",
}


PROJECT_STATUS_LABELS = {
    "identification": "储备",
    "preparation": "前期",
    "implementation": "在建",
    "completion": "完工交付",
    "cancelled": "取消",
}
"""The projectStatus codes as the pages name them (the code itself stays in the package)."""


def project_status(phase, category=None):
    if phase == Phase.PRELIMINARY and category == PlanCategory.RESERVE:
        return "identification"
    return PHASE_STATUS[phase]


TYPE_WORDS = (("改扩建", "expansion"), ("拓宽", "expansion"), ("延", "expansion"),
              ("提质改造", "rehabilitation"), ("改造", "rehabilitation"))


def project_type(name):
    for word, code in TYPE_WORDS:
        if word in name:
            return code
    return "construction"


KIND_SECTOR = {
    ProjectKind.ROAD: "transport.road",
    ProjectKind.SCHOOL: "education",
    ProjectKind.PARK: "cultureSportsAndRecreation",
    ProjectKind.UTILITY: "waterAndWaste",
}

OWNER_ROLES = ["publicAuthority", "buyer"]
CENTER_ROLES = ["procuringEntity", "administrativeEntity"]
SUPPLIER_ROLES = ["supplier"]

CONTRACT_NATURE = {
    ContractKind.CONSTRUCTION: "construction",
    ContractKind.SUPERVISION: "supervision",
    ContractKind.DESIGN: "design",
}
TENDER_NATURE = {
    TenderKind.CONSTRUCTION: "construction",
    TenderKind.SUPERVISION: "supervision",
}

MODIFICATION_TYPE = {
    VariationKind.DESIGN_CHANGE: "value",
    VariationKind.SITE_INSTRUCTION: "value",
    VariationKind.DURATION: "duration",
    VariationKind.SCOPE: "scope",
}
