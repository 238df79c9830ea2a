"""Reading the portfolio: categories and their changes, phases, starts and resumption,
preliminary work, local branches, milestones. Figures are "as of" the end of a Period."""
import datetime as dt
from collections import Counter

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from investment.models import PlanEntry
from portfolio.numbers import rate

from .models import CategoryChange, Milestone, Organisation, OrganisationRole, Phase, PhaseTransition, PlanCategory


def phase_as_of(date, project_ref="project"):
    """Expression: the phase of the project at ``date`` = the latest transition on or before it."""
    latest = (
        PhaseTransition.objects.filter(project=OuterRef(project_ref), occurred_on__lte=date)
        .order_by("-occurred_on", "-id").values("to_phase")[:1]
    )
    return Coalesce(Subquery(latest), Value(Phase.PRELIMINARY), output_field=CharField())


def category_as_of(date):
    """Expression on PlanEntry: its category at ``date`` after the year's dated changes."""
    latest = (
        CategoryChange.objects.filter(project=OuterRef("project"), year=OuterRef("plan__year"),
                                      changed_on__lte=date)
        .order_by("-changed_on", "-id").values("to_category")[:1]
    )
    return Coalesce(Subquery(latest), F("category"), output_field=CharField())


def plan_entries_as_of(*, period):
    """The year's plan as of the period (``PlanEntry.objects.in_plan``), annotated with
    ``current_category`` and ``current_phase``."""
    return PlanEntry.objects.in_plan(period).annotate(
        current_category=category_as_of(period.end), current_phase=phase_as_of(period.end))


def category_counts(*, period, entries=None):
    """Projects of the year's plan by category: ``planned`` = as the plan was set (计划内 only;
    their sum is the number of plan projects), ``current`` = after the dated changes up to the
    end of the period (计划外 included). ``entries``: rows of ``plan_entries_as_of`` already read."""
    rows = entries if entries is not None else (
        plan_entries_as_of(period=period).values("category", "current_category", "unplanned"))
    planned, current = Counter(), Counter()
    for row in rows:
        if not row["unplanned"]:
            planned[row["category"]] += 1
        current[row["current_category"]] += 1
    return {
        "planned": {c: planned.get(c, 0) for c in PlanCategory.values},
        "planned_total": sum(planned.values()),
        "current": {c: current.get(c, 0) for c in PlanCategory.values},
    }


def category_changes(*, period):
    """The year's dated category changes up to the end of the period, with the two counts the
    report gives: moved to 预备 (调整为预备) and moved from 预备 to implementation (预备转实施)."""
    changes = list(
        CategoryChange.objects.filter(year=period.year, changed_on__lte=period.end)
        .select_related("project").order_by("changed_on", "id")
    )
    implementation = set(PlanCategory.implementation())
    return {
        "changes": changes,
        "to_preliminary": [c for c in changes if c.to_category == PlanCategory.PRELIMINARY],
        "to_implementation": [
            c for c in changes
            if c.from_category == PlanCategory.PRELIMINARY and c.to_category in implementation
        ],
    }


def unplanned_entries(*, period, rows=None, loaded=None):
    """Projects added outside the plan (计划外) by the end of the period. ``rows``: the period's
    plan rows already read (``portfolio.selectors.plan_pass``: ``id``, ``unplanned``) and
    ``loaded`` {id: entry} holding those of them that are 计划外 (``entries_and_early_starts``):
    picked and ordered here instead of a query."""
    if rows is None:
        return list(
            PlanEntry.objects.in_plan(period).filter(unplanned=True)
            .select_related("project").order_by("added_on", "project__code")
        )
    from django.db import connections, router

    nulls_last = connections[router.db_for_read(PlanEntry)].features.nulls_order_largest  # as ORDER BY added_on
    entries = [loaded[row["id"]] for row in rows if row["unplanned"]]
    return sorted(entries, key=lambda e: ((e.added_on is None) == nulls_last, e.added_on or dt.date.min,
                                          e.project.code))


def phase_counts(*, period, entries=None):
    """The year's plan projects (计划外 included) by phase at the end of the period:
    完工交付 = phase 交付 (delivered), 在建 = under construction. ``entries``: rows of
    ``plan_entries_as_of`` already read (counted instead of a query)."""
    if entries is not None:
        counts = Counter(row["current_phase"] for row in entries)
    else:
        rows = plan_entries_as_of(period=period).values("current_phase").annotate(n=Count("id"))
        counts = {r["current_phase"]: r["n"] for r in rows}
    return {p: counts.get(p, 0) for p in Phase.values}


def resumption(*, period):
    """复工率 = 续建 projects of the plan resumed (复工) by the end of the period ÷ all 续建
    projects of the plan (category as planned)."""
    return resumption_spec(period=period).run()


def resumption_spec(*, period):
    """``resumption`` as aggregates (``portfolio.fused``)."""
    from portfolio.fused import Aggregate

    qs = PlanEntry.objects.filter(plan__year=period.year, category=PlanCategory.CONTINUING, unplanned=False)
    return Aggregate(qs, {
        "total": Count("id"),
        "resumed": Count("id", filter=Q(resumed_on__gte=period.start, resumed_on__lte=period.end)),
    }, lambda row: {**row, "rate": rate(row["resumed"], row["total"])})


def started_by_q(date, prefix="project__"):
    """The start rule (已开工): the project actually started (实际开工) on or before ``date``;
    ``prefix`` reaches the project (PlanEntry: ``project__``; Project: ``""``)."""
    return Q(**{f"{prefix}actual_start__isnull": False, f"{prefix}actual_start__lte": date})


def starts(*, period):
    """Construction starts of the year up to the end of the period.

    - 新建项目 = plan entries whose planned category is 新建 (计划外 excluded);
    - due (应开工) = those planned to start by the end of the period;
    - started (已开工) = due projects that actually started by then; 开工率 = started ÷ due;
      the same for municipal key projects (市重大开工率);
    - new_starts = 新建 projects that started this year by the end of the period, due or not;
    - early (提前开工) = projects of the year's plan, 计划外 included, that started in the period
      before their planned start date.
    """
    return starts_spec(period=period).run()


def starts_spec(*, period, early_read=False):
    """``starts`` as aggregates (``portfolio.fused``), the early starts counted with them;
    ``early_read``: the caller has read ``early_starts`` already and sets ``early`` in the result
    itself (the spec is then a function of the period alone, kept with its compiled statement)."""
    from portfolio.fused import Aggregate, Combine

    new = PlanEntry.objects.filter(plan__year=period.year, category=PlanCategory.NEW, unplanned=False)
    started_q = started_by_q(period.end)
    due_q = Q(project__planned_start__isnull=False, project__planned_start__lte=period.end)
    in_year_q = started_q & Q(project__actual_start__gte=period.start)
    key_q = Q(is_municipal_key=True)
    parts = {"new": Aggregate(new, {
        "due": Count("id", filter=due_q),
        "started": Count("id", filter=due_q & started_q),
        "municipal_due": Count("id", filter=due_q & key_q),
        "municipal_started": Count("id", filter=due_q & started_q & key_q),
        "new_starts": Count("id", filter=in_year_q),
    })}
    if not early_read:
        parts["early"] = Aggregate(early_starts(period=period), {"n": Count("id")}, lambda row: row["n"])

    def finish(parts):
        row = dict(parts["new"])
        row["early"] = None if early_read else parts["early"]
        row["rate"] = rate(row["started"], row["due"])
        row["municipal_rate"] = rate(row["municipal_started"], row["municipal_due"])
        return row

    return Combine(parts, finish)


def start_records(*, period):
    """The 新建 projects behind 开工率, each with due/started flags (for the drill-down list)."""
    entries = (
        PlanEntry.objects.filter(plan__year=period.year, category=PlanCategory.NEW, unplanned=False)
        .select_related("project", "project__area").order_by("project__planned_start", "project__code")
    )
    rows = []
    for e in entries:
        p = e.project
        rows.append({
            "entry": e, "project": p,
            "due": bool(p.planned_start and p.planned_start <= period.end),
            "started": bool(p.actual_start and p.actual_start <= period.end),
            "early": bool(p.actual_start and p.planned_start and p.actual_start < p.planned_start),
        })
    return rows


def preliminary_done(*, period):
    """Projects of the year's plan as of the period whose preliminary work (前期工作) was finished
    in the period (months 1..N)."""
    from .models import Project

    return Project.objects.filter(preliminary_done_on__range=(period.start, period.end),
                                  pk__in=PlanEntry.objects.in_plan(period).values("project"))


def local_branches(*, period):
    """Firms from outside the district that set up a local branch (在望城成立分公司) in the period,
    by role: construction (施工) and supervision (监理)."""
    return local_branches_spec(period=period).run()


def local_branches_spec(*, period):
    """``local_branches`` as aggregates (``portfolio.fused``)."""
    from portfolio.fused import Aggregate

    return Aggregate(local_branch_firms(period=period), {
        "construction": Count("id", filter=Q(role=OrganisationRole.CONTRACTOR)),
        "supervision": Count("id", filter=Q(role=OrganisationRole.SUPERVISOR)),
        "total": Count("id"),
    })


# --- milestone lateness: the one definition ---------------------------------------------------

def due_q(as_of):
    """A milestone is due (到期) at ``as_of`` when its planned date is before it."""
    return Q(planned_on__lt=as_of)


def overdue_q(as_of):
    """A milestone is overdue at ``as_of`` when it is due then (``due_q``) and was not done by it."""
    return due_q(as_of) & (Q(done_on__isnull=True) | Q(done_on__gt=as_of))


def overdue_milestones(*, as_of):
    """The node plans of the year's plan as of ``as_of``'s month (``milestones_in_period``) that
    are overdue at ``as_of`` (``overdue_q``): the dashboard's figure at a period's end, the 逾期节点
    page at any date, the workbook's red rows."""
    from portfolio.numbers import Period

    return (milestones_in_period(period=Period(as_of.year, as_of.month)).filter(overdue_q(as_of))
            .order_by("planned_on"))


def days_late(milestone, as_of):
    """Days late at ``as_of``: from the planned date to its completion, or to ``as_of`` while not
    done by then; 0 when on time or not yet due."""
    done = milestone.done_on if milestone.done_on and milestone.done_on <= as_of else None
    return max(0, ((done or as_of) - milestone.planned_on).days)


def milestone_state(milestone, as_of):
    """'done', 'overdue' or 'pending' at ``as_of`` (overdue as ``overdue_q``)."""
    if milestone.done_on and milestone.done_on <= as_of:
        return "done"
    return "overdue" if milestone.planned_on < as_of else "pending"


def node_plan(*, project, as_of):
    """A project's milestones in order, each with ``state`` and ``days_late`` at ``as_of``."""
    milestones = list(Milestone.objects.filter(project=project).order_by("order", "planned_on", "id"))
    for m in milestones:
        m.state = milestone_state(m, as_of)
        m.days_late = days_late(m, as_of)
    return milestones


def overdue_milestones_by_area(*, as_of):
    """Overdue milestones at ``as_of`` grouped by area (in area order), each milestone with
    ``days_late`` = days since its planned date; the most late first within an area."""
    groups = {}
    for m in overdue_milestones(as_of=as_of).order_by("project__area__order", "project__area__name", "planned_on", "id"):
        m.days_late = days_late(m, as_of)
        area = m.project.area
        groups.setdefault(area.pk, {"area": area, "milestones": []})["milestones"].append(m)
    rows = list(groups.values())
    for row in rows:
        row["count"] = len(row["milestones"])
        row["max_days_late"] = max(m.days_late for m in row["milestones"])
    return rows


# --- red-flag scores (issue 7) --------------------------------------------------------------

SCORE_ORDER = ("-total", "-progress", "-safety", "area__order", "area__name")
"""Ranking order: weighted total, ties broken by 进度 then 安全."""


def _scores(**filters):
    from .models import MonthlyScore
    from .scoring import weighted_total_expression

    return (
        MonthlyScore.objects.filter(**filters).select_related("area", "project")
        .annotate(total=weighted_total_expression())
    )


def _ranked(rows):
    for i, row in enumerate(rows, start=1):
        row.rank = i
        row.is_flag_holder = i == 1
    return rows


def score_ranking(*, year, month, projects=False):
    """The month's 流动红旗 ranking: area scores (or project scores with ``projects=True``),
    each with ``total`` = the weighted total (projects.scoring.WEIGHTS) and ``rank``; best first,
    ties broken by 进度 then 安全. The flag holder (红旗) is the first; ``is_flag_holder`` marks it."""
    return _ranked(list(_scores(year=year, month=month, project__isnull=not projects).order_by(*SCORE_ORDER)))


def flag_holder(*, year, month):
    """The area holding the red flag for the month, or None when nobody was scored."""
    ranking = score_ranking(year=year, month=month)
    return ranking[0] if ranking else None


def score_history(*, year=None):
    """Every month with area scores (newest first): its ranking and flag holder. One query."""
    scores = _scores(project__isnull=True, **({"year": year} if year else {}))
    months = {}
    for score in scores.order_by("-year", "-month", *SCORE_ORDER):
        months.setdefault((score.year, score.month), []).append(score)
    return [
        {"year": y, "month": m, "ranking": _ranked(rows), "holder": rows[0]}
        for (y, m), rows in months.items()
    ]


def early_start_q(period):
    """The rule of 提前开工 on PlanEntry (see ``early_starts``)."""
    return Q(project__actual_start__isnull=False, project__actual_start__gte=period.start,
             project__actual_start__lte=period.end, project__planned_start__isnull=False,
             project__actual_start__lt=F("project__planned_start"))


def early_starts(*, period):
    """The plan entries behind 提前开工 (see ``starts``): projects of the year's plan, 计划外
    included, that started in the period before their planned start date."""
    return (
        PlanEntry.objects.filter(plan__year=period.year).filter(early_start_q(period))
        .select_related("project", "project__area").order_by("project__actual_start", "project__code")
    )


def entries_and_early_starts(*, period, pks):
    """In one query: the plan entries ``pks`` of the period's year (with plan, project and area:
    {id: entry}) and the period's early starts (``early_starts``) grouped as
    ``early_starts_by_kind``."""
    from django.db.models import BooleanField, ExpressionWrapper

    early_q = early_start_q(period)
    loaded = (PlanEntry.objects.filter(plan__year=period.year).filter(early_q | Q(pk__in=list(pks)))
              .select_related("plan", "project", "project__area")
              .annotate(is_early=ExpressionWrapper(early_q, output_field=BooleanField())).order_by())
    loaded = {entry.pk: entry for entry in loaded}
    early = sorted((e for e in loaded.values() if e.is_early),
                   key=lambda e: (e.project.actual_start, e.project.code))  # as early_starts orders them
    return loaded, early_starts_by_kind(period=period, entries=early)


def resumption_records(*, period):
    """The 续建 plan entries behind 复工率, with ``resumed`` = resumed by the end of the period."""
    entries = (
        PlanEntry.objects.filter(plan__year=period.year, category=PlanCategory.CONTINUING, unplanned=False)
        .select_related("project", "project__area").order_by("resumed_on", "project__code")
    )
    return [
        {"entry": e, "project": e.project,
         "resumed": bool(e.resumed_on and period.start <= e.resumed_on <= period.end)}
        for e in entries
    ]


def area_scores(*, period):
    """The 流动红旗 scores of the areas (project empty) for month N of the year, by area id;
    ``total`` = the weighted total of 进度, 质量, 安全, 形象 (weights in ``projects.scoring``),
    ``rank`` and ``is_flag_holder`` as in ``score_ranking``."""
    return {s.area_id: s for s in score_ranking(year=period.year, month=period.month)}


def overdue_by_area(*, as_of):
    """Overdue milestones (see ``overdue_milestones``) counted by area."""
    rows = (
        overdue_milestones(as_of=as_of).order_by()
        .values("project__area", "project__area__name").annotate(n=Count("id"))
        .order_by("project__area__name")
    )
    return list(rows)


def milestones_in_period(*, period, filters=None):
    """The node plans of the projects in the year's plan as of the period, with project and area
    joined; ``overdue_milestones`` are those overdue at a date."""
    from portfolio.filters import narrow

    qs = (Milestone.objects.filter(project__in=PlanEntry.objects.in_plan(period).values("project"))
          .select_related("project", "project__area"))
    return narrow(qs, "projects.filters.MilestoneFilterSet", filters)



# --- figures of the report's framing (issue 13, item 7) ----------------------------------------

EARLY_START_KINDS = ("new", "to_implementation", "unplanned")
"""The kinds the report names early starts by: 新建 (in the plan, not 预备), 预备转实施 (planned
as 预备, moved to implementation during the year) and 计划外 (added outside the plan)."""


def early_start_kind(entry):
    """The kind of an early start (``EARLY_START_KINDS``) from its plan entry."""
    if entry.unplanned:
        return "unplanned"
    if entry.category == PlanCategory.PRELIMINARY:
        return "to_implementation"
    return "new"


def early_starts_by_kind(*, period, later=None, entries=None):
    """The early starts of ``early_starts`` grouped by kind: {kind: [plan entries]} in
    ``EARLY_START_KINDS`` order, each list in order of actual start. One query; none when
    ``later`` holds this result for a later month of the same year (the early starts of months
    1..N are those of a later period that started by the end of month N), or ``entries`` the
    period's early starts already read in order (``entries_and_early_starts``)."""
    if later is not None:
        return {kind: [e for e in entries if e.project.actual_start <= period.end] for kind, entries in later.items()}
    groups = {kind: [] for kind in EARLY_START_KINDS}
    for entry in (early_starts(period=period) if entries is None else entries):
        groups[early_start_kind(entry)].append(entry)
    return groups


def early_start_kind_q(kind):
    """The filter on PlanEntry that selects one kind of ``early_start_kind``."""
    if kind == "unplanned":
        return Q(unplanned=True)
    if kind == "to_implementation":
        return Q(unplanned=False, category=PlanCategory.PRELIMINARY)
    return Q(unplanned=False) & ~Q(category=PlanCategory.PRELIMINARY)


def land_batch_projects(*, period):
    """Projects covered by the land-use approval batches (用地报批) of the year submitted by the
    end of the period — the projects ``land.selectors.land_summary`` counts as ``batch_projects``."""
    from land.selectors import batches_submitted  # land reads projects' models, never its selectors

    from .models import Project

    return Project.objects.filter(land_batches__in=batches_submitted(period=period)).distinct()


def local_branch_firms(*, period):
    """The firms ``local_branches`` counts: from outside the district, local branch set up in the
    period; ``role`` narrows to contractors (施工) or supervisors (监理)."""
    return (Organisation.objects.filter(is_from_outside=True, local_branch_on__range=(period.start, period.end))
            .order_by("role", "local_branch_on", "name"))
