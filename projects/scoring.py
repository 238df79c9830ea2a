"""流动红旗 scoring: the weights of the four criteria, in one place.

进度 (progress) weighs most because the campaign (百日冲刺、决胜攻坚) is about getting the year's
investment done; 质量, 安全 and 形象 share the rest equally. Weights sum to 1, so the total is on
the same 0–100 scale as each criterion. Change them here; every total, ranking and flag holder
follows (``projects.selectors.score_ranking``).
"""
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _

WEIGHTS = {
    "progress": Decimal("0.4"),
    "quality": Decimal("0.2"),
    "safety": Decimal("0.2"),
    "image": Decimal("0.2"),
}
LABELS = {"progress": _("进度"), "quality": _("质量"), "safety": _("安全"), "image": _("形象")}

assert sum(WEIGHTS.values()) == 1, "score weights must sum to 1"

TOTAL_PLACES = 1
"""A score (a total, a criterion's weighted average) is shown with one decimal everywhere: the
dashboard, the 流动红旗 pages, the 红黑榜 and the 调度会 pack (``total_text``)."""


def total_text(value):
    """A score as every page shows it: rounded half up to ``TOTAL_PLACES``, '—' when there is none."""
    from portfolio.numbers import round_half_up

    return "—" if value is None else f"{round_half_up(value, TOTAL_PLACES):f}"


def weighted_total(score):
    """The weighted total of a MonthlyScore (or any object/dict with the four criteria)."""
    get = score.get if isinstance(score, dict) else lambda name: getattr(score, name)
    return sum((Decimal(get(name)) * weight for name, weight in WEIGHTS.items()), Decimal(0))


def weighted_total_expression():
    """The same total as a database expression, for ordering and aggregating in SQL."""
    terms = [F(name) * weight for name, weight in WEIGHTS.items()]
    expression = terms[0]
    for term in terms[1:]:
        expression = expression + term
    return ExpressionWrapper(expression, output_field=DecimalField(max_digits=9, decimal_places=4))
