"""红黑榜 rules — the components, their weights and the size of the lists, in one place.

Each month every area (片区) and every responsible unit (责任单位: the owner unit of the year's
plan projects, and the unit a 督办 order is addressed to) gets four component scores, each 0–100:

- **进度** (weight 0.4) — completion against the schedule to date: 100 × 完成投资 1-N月 ÷
  (年度计划 × N/12), at most 100 — the rule of the 流动红旗's suggested 进度 score
  (``investment.selectors.progress_against_schedule``). The number of red lights
  (``portfolio.rag``) is shown beside it and breaks ties.
- **节点** (weight 0.2) — nodes kept: 100 × (1 − 逾期节点 ÷ 到期节点) at the end of the month;
  到期 = planned before the month's end (``projects.selectors.due_q``), 逾期 =
  ``projects.selectors.overdue_milestones`` (due and not done by then).
- **督办** (weight 0.2) — 督办 closed on time: 100 × 按时办结 ÷ 到期督办; 到期 = deadline in the
  year up to the month's end, 按时办结 = closed on or before the deadline.
- **考评** (weight 0.2) — the month's 流动红旗 score (``projects.scoring``): the area's own
  total; for a unit the average total of its projects scored that month.

Completion, red lights and nodes count for the project's area and its owner unit (业主单位); a
督办 order counts for its project's area and for the unit it is addressed to (责任单位), which may
be another body (a utility, a bureau) than the owner.

A component a row has nothing to judge on (no target, no node due, no order due, not scored) is
left out and the weights of the others are scaled up to 1, so the total stays on 0–100. Rows are
ranked by total (best first), ties broken by fewer red lights, then the areas' order or the name. The first ``LIST_SIZE``
are the 红榜, the last ``LIST_SIZE`` the 黑榜 (with fewer than 2 × ``LIST_SIZE`` rows, half each).
An exempted row (``ranking.models.Exemption``) is not ranked; its reason is shown instead.
"""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

WEIGHTS = {
    "schedule": Decimal("0.4"),
    "nodes": Decimal("0.2"),
    "orders": Decimal("0.2"),
    "scores": Decimal("0.2"),
}
LABELS = {"schedule": _("进度"), "nodes": _("节点"), "orders": _("督办"), "scores": _("考评")}
DEFINITIONS = {
    "schedule": _("1-N月完成投资 ÷（年度计划 × N/12）× 100，最高100分"),
    "nodes": _("（1 − 逾期节点 ÷ 到期节点）× 100"),
    "orders": _("按时办结督办 ÷ 到期督办 × 100"),
    "scores": _("当月流动红旗考评总分（责任单位取其项目考评均分）"),
}
LIST_SIZE = 3
"""How many rows the 红榜 and the 黑榜 each hold (at most half the ranked rows each)."""

assert sum(WEIGHTS.values()) == 1, "ranking weights must sum to 1"


def weighted_total(components):
    """Σ weight × score over the components that have a score, divided by the sum of their
    weights (so a missing component neither helps nor hurts); None when none has a score."""
    present = {k: v for k, v in components.items() if v is not None}
    if not present:
        return None
    weight = sum(WEIGHTS[k] for k in present)
    return sum((WEIGHTS[k] * Decimal(v) for k, v in present.items()), Decimal(0)) / weight


def list_size(ranked):
    """The size of each of the 红榜 and the 黑榜 for ``ranked`` rows."""
    return min(LIST_SIZE, ranked // 2)
