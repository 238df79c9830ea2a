"""The 红黑榜 of a month: areas and responsible units ranked on the components of
``ranking.rules``, each read from the selector that owns its figure — completion and red lights
from ``portfolio.selectors.project_rows`` (``portfolio.rag``), overdue nodes from
``projects.selectors.overdue_milestones``, 督办 from ``supervision``, scores from
``projects.selectors.area_scores``/``projects.scoring`` — as of the end of the month.

``monthly_ranking(period=…)`` is the one function behind the page, the workbook's 红黑榜 sheet and
the 调度会 pack. A fixed number of queries whatever the number of projects, nodes and orders.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from decimal import Decimal

from django.db.models import Avg, Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from investment.selectors import progress_against_schedule
from portfolio.numbers import wan
from portfolio.rag import Rag
from portfolio.selectors import project_rows
from projects.models import Area, MonthlyScore, Organisation
from projects.scoring import total_text, weighted_total_expression
from projects.selectors import area_scores, due_q, milestones_in_period, overdue_milestones

from . import rules
from .models import Exemption

AREAS, UNITS = "areas", "units"
RED, BLACK = "red", "black"
BOARD_LABELS = {RED: _lazy("红榜"), BLACK: _lazy("黑榜")}


def score_text(value):
    """A score as shown on the page, the sheet's 说明 and the 调度会 pack: ``projects.scoring.total_text``
    (one decimal, '—' if none), as the dashboard and the 流动红旗 pages show scores."""
    return total_text(value)


@dataclass
class Component:
    """One component of a row: its ``score`` (0–100, None when there is nothing to judge) and
    the figures it comes from, in words (``detail``)."""

    key: str
    score: Decimal = None
    detail: str = ""

    @property
    def label(self):
        return rules.LABELS[self.key]

    @property
    def text(self):
        return score_text(self.score)


@dataclass
class Row:
    """An area or a responsible unit in a month's ranking."""

    subject: object
    components: dict
    red_lights: int = 0
    total: Decimal = None
    rank: int = None
    board: str = ""
    exemption: Exemption = None

    @property
    def name(self):
        return self.subject.name

    @property
    def total_text(self):
        return score_text(self.total)

    @property
    def board_label(self):
        return BOARD_LABELS.get(self.board, "")

    def component_list(self):
        return [self.components[key] for key in rules.WEIGHTS]


@dataclass
class _Tally:
    """The raw counts of one area or unit, summed from the rows of each selector."""

    target: Decimal = Decimal(0)
    completed: Decimal = Decimal(0)
    entries: int = 0
    red: int = 0
    nodes_due: int = 0
    nodes_overdue: int = 0
    orders_due: int = 0
    orders_on_time: int = 0
    score: Decimal = None
    scored_projects: int = 0
    seen: set = field(default_factory=set)


def orders_due(*, period):
    """督办 orders judged for on-time closing in the period: those of ``orders_in_period`` whose
    deadline falls in months 1..N of the year. Rows ``(area, responsible unit, on_time)`` with
    ``on_time`` = ``supervision.selectors.closed_on_time`` (closed on or before the deadline)."""
    from supervision.selectors import closed_on_time, orders_in_period

    rows = (orders_in_period(period=period).filter(deadline__range=(period.start, period.end))
            .order_by().values_list("project__area", "responsible_unit", "deadline", "closed_at"))
    return [(area, unit, closed_on_time(SimpleNamespace(deadline=deadline, closed_at=closed_at)))
            for area, unit, deadline, closed_at in rows]


def _tallies(period):
    """{(AREAS|UNITS, id): _Tally} from one query per selector."""
    tallies = defaultdict(_Tally)

    def both(area, unit):
        return [tallies[(AREAS, area)]] + ([tallies[(UNITS, unit)]] if unit else [])

    entries = project_rows(period=period).order_by().values_list(
        "project__area", "project__owner_unit", "target", "completed_to_date", "rag")
    for area, unit, target, completed, rag in entries:
        for t in both(area, unit):
            t.target += target or 0
            t.completed += completed or 0
            t.entries += 1
            t.red += rag == Rag.RED
    due = milestones_in_period(period=period).filter(due_q(period.end))
    for attr, qs in (("nodes_due", due), ("nodes_overdue", overdue_milestones(as_of=period.end))):
        for area, unit, n in qs.order_by().values_list("project__area", "project__owner_unit").annotate(n=Count("id")):
            for t in both(area, unit):
                setattr(t, attr, getattr(t, attr) + n)
    for area, unit, on_time in orders_due(period=period):
        for t in both(area, unit):
            t.orders_due += 1
            t.orders_on_time += on_time
    for area_id, score in area_scores(period=period).items():
        tallies[(AREAS, area_id)].score = score.total
    unit_scores = (
        MonthlyScore.objects.filter(year=period.year, month=period.month, project__isnull=False,
                                    project__owner_unit__isnull=False)
        .order_by().values_list("project__owner_unit")
        .annotate(avg=Avg(weighted_total_expression()), n=Count("id"))
    )
    for unit, avg, n in unit_scores:
        tallies[(UNITS, unit)].score, tallies[(UNITS, unit)].scored_projects = Decimal(avg), n
    return tallies


def _components(t, kind, period):
    schedule = progress_against_schedule(completed=t.completed, target=t.target, period=period)
    nodes = (Decimal(100) * (1 - Decimal(t.nodes_overdue) / t.nodes_due)) if t.nodes_due else None
    orders = (Decimal(100) * t.orders_on_time / t.orders_due) if t.orders_due else None
    if t.score is None:
        score_detail = _("未考评")
    elif kind == AREAS:
        score_detail = _("片区考评总分")
    else:
        score_detail = _("%(n)s个项目考评均分") % {"n": t.scored_projects}
    return {
        "schedule": Component("schedule", schedule, _("完成%(done)s / 应完成%(due)s万元，红灯%(red)s个") % {
            "done": wan(t.completed, 0), "due": wan(t.target * period.elapsed, 0), "red": t.red}
            if t.target else _("无年度目标")),
        "nodes": Component("nodes", nodes, _("逾期%(late)s / 到期%(due)s个") % {
            "late": t.nodes_overdue, "due": t.nodes_due} if t.nodes_due else _("无到期节点")),
        "orders": Component("orders", orders, _("按时办结%(ok)s / 到期%(due)s件") % {
            "ok": t.orders_on_time, "due": t.orders_due} if t.orders_due else _("无到期督办")),
        "scores": Component("scores", t.score, score_detail),
    }


def _rank(rows):
    """Order ranked rows (total desc, fewer red lights, name), number them and mark the lists;
    exempt rows follow, unranked."""
    ranked = sorted((r for r in rows if r.exemption is None and r.total is not None),
                    key=lambda r: (-r.total, r.red_lights, getattr(r.subject, "order", 0), r.name))
    exempt = sorted((r for r in rows if r.exemption is not None), key=lambda r: r.name)
    n = rules.list_size(len(ranked))
    for i, row in enumerate(ranked, start=1):
        row.rank = i
        row.board = RED if i <= n else BLACK if i > len(ranked) - n else ""
    return ranked + exempt


def monthly_ranking(*, period):
    """The month's 红黑榜: ``{"areas": [Row], "units": [Row], "period": period}``. Each list holds
    the ranked rows in rank order (``board`` = "red" for the 红榜, "black" for the 黑榜), then the
    exempted rows with their ``exemption`` (reason, by, at). Areas: every area; units: the owner
    units of the year's plan projects and the units 督办 orders were addressed to — those with
    nothing to judge at all are left out."""
    tallies = _tallies(period)
    exemptions = Exemption.objects.filter(year=period.year, month=period.month).select_related("by")
    exempt = {(AREAS, e.area_id) if e.area_id else (UNITS, e.organisation_id): e for e in exemptions}
    subjects = {
        AREAS: Area.objects.order_by("order", "name").in_bulk(),
        UNITS: Organisation.objects.in_bulk([i for kind, i in list(tallies) + list(exempt) if kind == UNITS]),
    }
    result = {"period": period}
    for kind in (AREAS, UNITS):
        rows = []
        for pk, subject in subjects[kind].items():
            t = tallies.get((kind, pk), _Tally())
            components = _components(t, kind, period)
            row = Row(subject, components, red_lights=t.red,
                      total=rules.weighted_total({k: c.score for k, c in components.items()}),
                      exemption=exempt.get((kind, pk)))
            if row.total is not None or row.exemption is not None:
                rows.append(row)
        result[kind] = _rank(rows)
    return result


def ranking_lists(rows):
    """The 红榜 and the 黑榜 of a ranked list (the 黑榜 worst first, as it is read out)."""
    return {"red": [r for r in rows if r.board == RED],
            "black": [r for r in reversed(rows) if r.board == BLACK]}
