"""The report's figures (the seed summary's part 一) for a period, composed from the apps'
selectors. The dashboard, the district workbook and the report paragraph all read this."""
from investment import selectors as investment
from portfolio.numbers import rate
from land import selectors as land
from procurement import selectors as procurement
from projects import selectors as projects


REPORT_PARTS = {
    "completion": lambda p: investment.completion_summary(period=p),
    "categories": lambda p: projects.category_counts(period=p),
    "changes": lambda p: projects.category_changes(period=p),
    "unplanned": lambda p: projects.unplanned_entries(period=p),
    "phases": lambda p: projects.phase_counts(period=p),
    "resumption": lambda p: projects.resumption(period=p),
    "starts": lambda p: projects.starts(period=p),
    "early_by_kind": lambda p: projects.early_starts_by_kind(period=p),
    "land": lambda p: land.land_summary(period=p),
    "preliminary_done": lambda p: projects.preliminary_done(period=p).count(),
    "tenders": lambda p: procurement.tender_summary(period=p),
    "permits": lambda p: procurement.permit_lead_times(period=p),
    "funding": lambda p: investment.funding_summary(period=p),
    "savings": lambda p: investment.savings_summary(period=p),
    "local_branches": lambda p: projects.local_branches(period=p),
}
"""The report's figures (工作总结 part 一) of a period, by part: each one app selector. The figure
catalogue (``portfolio.figures``) reads these parts; nothing else computes them."""


def report_figures(*, period, entries=None, extra=None, extra_names=(), early=None, unplanned=None):
    """The report's parts (``REPORT_PARTS``) of the period in a handful of queries: the plan
    entries read once (``plan_pass``) give completion, categories and phases; the small summaries
    are read together in one statement (``portfolio.fused``); the lists (changes, 计划外, early
    starts, permits) one query each. Each part is still its selector's (same definitions).
    ``extra``: a function returning more specs ``{name: spec}`` to read in the same statement (results
    under their names), ``extra_names`` their names; each spec a function of the period alone (the
    statement and its specs are built once per period and names, ``portfolio.fused.run_together``).
    ``early``: ``early_starts_by_kind`` of the period, ``unplanned``: ``unplanned_entries``, when
    the caller has read them."""
    from django.db.models import Count

    from land import selectors as land_selectors
    from procurement import selectors as procurement_selectors

    from .fused import Aggregate, run_together

    if entries is None:
        entries = plan_pass(period=period, rag=False)
    if early is None:
        early = projects.early_starts_by_kind(period=period)

    def specs():  # functions of the period (and the extra names) alone: built once per key and process
        more = extra() if extra else {}
        assert sorted(more) == sorted(extra_names), "extra_names names the extra specs"
        return {
            "land": land_selectors.land_summary_spec(period=period),
            "preliminary_done": Aggregate(projects.preliminary_done(period=period), {"n": Count("id")},
                                          lambda row: row["n"]),
            "tenders": procurement_selectors.tender_summary_spec(period=period),
            "funding": investment.funding_summary_spec(period=period),
            "savings": investment.savings_summary_spec(period=period),
            "local_branches": projects.local_branches_spec(period=period),
            "resumption": projects.resumption_spec(period=period),
            "starts": projects.starts_spec(period=period, early_read=True),
            **more,
        }

    together = run_together(specs, key=("report_figures", period, *sorted(extra_names)))
    together["starts"]["early"] = sum(len(group) for group in early.values())
    figures = {
        "period": period,
        "completion": investment.completion_from_entries(entries),
        "categories": projects.category_counts(period=period, entries=entries),
        "changes": projects.category_changes(period=period),
        "unplanned": projects.unplanned_entries(period=period) if unplanned is None else unplanned,
        "phases": projects.phase_counts(period=period, entries=entries),
        "early_by_kind": early,
        "permits": procurement.permit_lead_times(period=period),
        **together,
    }
    for name, part in REPORT_PARTS.items():  # a part added to REPORT_PARTS and not read above: alone
        if name not in figures:
            figures[name] = part(period)
    return figures


def plan_pass(*, period, rag=True, photos=False):
    """The year's plan entries as of the period (``project_rows``), read once as rows for the
    figures that count or add them up: ``target``, ``is_municipal_key``, ``completed_to_date``,
    the planned and current category, the current phase, the area, the laggards' sort keys and
    (``rag``) the status; from June on also ``completed_to_june`` and ``in_plan_june`` (the 双过半
    population, ``in_plan_q`` of June); with ``photos`` also ``has_photo`` (a progress photo of the
    month, ``evidence.selectors.has_photo``) and the area's name and order. One query."""
    from django.db.models import BooleanField, ExpressionWrapper

    from investment.models import in_plan_q
    from portfolio.numbers import Period

    from .rag import rag_of

    qs = investment.entries_with_completion(period=period).annotate(
        current_category=projects.category_as_of(period.end), current_phase=projects.phase_as_of(period.end))
    fields = ["id", "category", "current_category", "current_phase", "unplanned", "is_municipal_key", "target",
              "project__area", "project__planned_start", "project__actual_start", "project__code", "completed_to_date"]
    if period.month >= 6:
        june = Period(period.year, 6)
        qs = qs.annotate(completed_to_june=investment.completed_through(6),
                         in_plan_june=ExpressionWrapper(in_plan_q(june), output_field=BooleanField()))
        fields += ["completed_to_june", "in_plan_june"]
    if photos:
        from evidence.selectors import has_photo

        qs = qs.annotate(has_photo=has_photo(period))
        fields += ["has_photo", "project__area__name", "project__area__order"]
    rows = list(qs.order_by().values(*fields))
    if rag:  # the status from the values just read (each correlated sum evaluated once, not per clause)
        for row in rows:
            row["rag"] = rag_of(period=period, phase=row["current_phase"], category=row["current_category"],
                                planned_start=row["project__planned_start"], actual_start=row["project__actual_start"],
                                target=row["target"], completed=row["completed_to_date"])
    return rows


def project_rows(*, period):
    """The year's plan entries known at the end of the period — the rows of the project list and of
    the laggards — with ``completed_to_date`` (1-N月), ``completed_in_month`` (N月),
    ``current_category`` and ``current_phase`` (after the dated changes up to the period's end)
    and ``rag`` (see ``portfolio.rag``)."""
    from .rag import rag_expression

    return (
        investment.entries_with_completion(period=period)
        .annotate(current_category=projects.category_as_of(period.end),
                  current_phase=projects.phase_as_of(period.end))
        .annotate(rag=rag_expression(period))
    )


def rag_by_month(*, entry, last_month=12):
    """The entry's status (``portfolio.rag``) at the end of each month 1..``last_month`` of its
    year, as ``{month: rag}`` — the project page's colour month by month — in one query: each
    month's completion, category and phase read once, then the rule of ``project_rows`` applied
    to them (``rag_of``, the rule of ``rag_expression`` on values read: in SQL each clause repeated
    the correlated category and phase lookups of its month)."""
    from investment.models import PlanEntry
    from investment.selectors import completed_through
    from portfolio.numbers import Period

    from .rag import rag_of

    year = entry.plan.year
    months = range(1, last_month + 1)
    annotations = {}
    for m in months:
        end = Period(year, m).end
        annotations.update({f"done_{m}": completed_through(m),
                            f"category_{m}": projects.category_as_of(end),
                            f"phase_{m}": projects.phase_as_of(end)})
    row = (PlanEntry.objects.filter(pk=entry.pk).annotate(**annotations)
           .values("target", "project__planned_start", "project__actual_start", *annotations).first())
    if row is None:
        return {m: None for m in months}
    return {m: rag_of(period=Period(year, m), phase=row[f"phase_{m}"], category=row[f"category_{m}"],
                      planned_start=row["project__planned_start"], actual_start=row["project__actual_start"],
                      target=row["target"], completed=row[f"done_{m}"])
            for m in months}


def rag_overview(*, period, limit=12, entries=None, load=None):
    """RAG counts and the laggards in two queries: one reads every entry's ``rag`` with the keys
    the laggards are ordered by (counting and ordering in Python: a ``GROUP BY`` or ``ORDER BY``
    on ``rag`` makes PostgreSQL evaluate its correlated subqueries again per row), the other loads
    the ``limit`` laggards in full.

    - ``counts``: how many of the year's plan entries are red, amber, green or not judged (none);
    - ``laggards``: the red and amber entries, red first, then by planned start (none last) and
      code, each with ``completion_rate`` and ``behind`` (see ``portfolio.rag.behind_elapsed``).

    ``load``: with ``entries``, a function of the laggards' ids giving {id: entry} with plan,
    project and area (read with other entries in one query, ``dashboard_figures``).
    """
    from collections import Counter

    from .rag import Rag, behind_elapsed

    if entries is not None:  # rows of ``plan_pass`` already read
        rows = [(e["id"], e["rag"], e["project__planned_start"], e["project__code"]) for e in entries]
    else:
        rows = list(project_rows(period=period).order_by().values_list(
            "id", "rag", "project__planned_start", "project__code"))
    counts = Counter(rag for _id, rag, _start, _code in rows)
    flagged = sorted(
        (row for row in rows if row[1] in (Rag.RED, Rag.AMBER)),
        key=lambda row: (row[1] != Rag.RED, row[2] is None, row[2] or 0, row[3]),
    )[:limit]
    if entries is not None:  # their values are in the rows: load the entries and projects only
        from investment.models import PlanEntry

        values = {e["id"]: e for e in entries}
        ids = [row[0] for row in flagged]
        loaded = load(ids) if load else PlanEntry.objects.select_related("plan", "project", "project__area").in_bulk(ids)
        for pk, entry in loaded.items():
            for name in ("completed_to_date", "current_category", "current_phase", "rag"):
                setattr(entry, name, values[pk][name])
    else:
        loaded = project_rows(period=period).filter(id__in=[row[0] for row in flagged]).in_bulk()
    laggards = [loaded[row[0]] for row in flagged]
    for entry in laggards:
        entry.completion_rate = rate(entry.completed_to_date, entry.target)
        entry.behind = behind_elapsed(completed=entry.completed_to_date, target=entry.target, period=period)
    return {"counts": {value: counts.get(value, 0) for value in Rag.values}, "laggards": laggards}


def rag_counts(*, period):
    """How many of the year's plan entries are red, amber, green or not judged (none)."""
    return rag_overview(period=period, limit=0)["counts"]


def area_rows(*, period, entries=None):
    """Areas side by side: target, completion, rate (investment) and the month's score."""
    scores = projects.area_scores(period=period)
    return [{**row, "score": scores.get(row["area"].pk)}
            for row in investment.area_completion(period=period, entries=entries)]


def dashboard_figures(*, period):
    """Everything the leader dashboard shows for the period: the report's figures plus the curve,
    双过半, areas, RAG counts and laggards, overdue milestones, evidence coverage and the years with
    a plan (the period picker's). Each figure once, from its selector; the plan entries the lists show (laggards, 计划外, early starts) are
    loaded in one query (``projects.entries_and_early_starts``)."""
    from contracts.selectors import four_rates_spec
    from evidence.selectors import evidence_coverage

    from .numbers import Period

    entries = plan_pass(period=period, photos=True)
    loaded = {}

    def load(laggard_ids):  # rag_overview's laggards, with the 计划外 entries and the early starts
        unplanned_ids = [row["id"] for row in entries if row["unplanned"]]
        found, early = projects.entries_and_early_starts(period=period, pks=[*laggard_ids, *unplanned_ids])
        loaded.update(found=found, early=early)
        return found

    overview = rag_overview(period=period, entries=entries, load=load)
    early = loaded["early"]
    unplanned = projects.unplanned_entries(period=period, rows=entries, loaded=loaded["found"])
    june = Period(period.year, 6)

    def extra():  # read in the summaries' statement (built once per period and process)
        specs = {"ledger": four_rates_spec(period=period), "curve": investment.monthly_curve_spec(year=period.year),
                 "years": investment.plan_years_spec()}  # the period picker's
        if period.month > 6:  # the 百日竞赛's figures (1-6月), read in the same statements and rows
            specs.update(june_resumption=projects.resumption_spec(period=june),
                         june_starts=projects.starts_spec(period=june, early_read=True))
        return specs

    names = ("ledger", "curve", "years", *(("june_resumption", "june_starts") if period.month > 6 else ()))
    figures = report_figures(period=period, entries=entries, extra=extra, extra_names=names, early=early,
                             unplanned=unplanned)
    if period.month > 6:
        june_early = projects.early_starts_by_kind(period=june, later=early)
        figures["june_starts"]["early"] = sum(len(g) for g in june_early.values())
    half = None
    if period.month >= 6:  # 双过半: the June population's completion 1-6月, from the same rows
        june_rows = [e for e in entries if e["in_plan_june"]]
        half = investment.half_from_completion(investment.completion_from_entries(june_rows, "completed_to_june"))
    if period.month > 6:
        figures["june_parts"] = {"resumption": figures.pop("june_resumption"), "starts": figures.pop("june_starts"),
                                 "early_by_kind": june_early, "half": half}
    figures.update(
        half=half,
        areas=area_rows(period=period, entries=entries),
        overdue=projects.overdue_by_area(as_of=period.end),
        evidence=evidence_coverage(period=period, entries=entries),
        rag=overview["counts"], laggards=overview["laggards"],
    )
    return figures
