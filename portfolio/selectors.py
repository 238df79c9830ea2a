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


def report_figures(*, period):
    return {"period": period, **{name: part(period) for name, part in REPORT_PARTS.items()}}


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
    year, as ``{month: rag}`` — the project page's colour month by month — in one query: the
    rule of ``project_rows`` applied to each month's completion, category and phase."""
    from investment.models import PlanEntry
    from investment.selectors import sum_progress
    from portfolio.numbers import Period

    from .rag import rag_expression

    year = entry.plan.year
    months = range(1, last_month + 1)
    annotations = {}
    for m in months:
        end = Period(year, m).end
        annotations.update({f"done_{m}": sum_progress(month__lte=m),
                            f"category_{m}": projects.category_as_of(end),
                            f"phase_{m}": projects.phase_as_of(end)})
    qs = PlanEntry.objects.filter(pk=entry.pk).annotate(**annotations)
    qs = qs.annotate(**{f"rag_{m}": rag_expression(Period(year, m), f"done_{m}", f"category_{m}", f"phase_{m}")
                        for m in months})
    row = qs.values(*[f"rag_{m}" for m in months]).first() or {}
    return {m: row.get(f"rag_{m}") for m in months}


def rag_overview(*, period, limit=12):
    """RAG counts and the laggards in two queries: one reads every entry's ``rag`` with the keys
    the laggards are ordered by (counting and ordering in Python: a ``GROUP BY`` or ``ORDER BY``
    on ``rag`` makes PostgreSQL evaluate its correlated subqueries again per row), the other loads
    the ``limit`` laggards in full.

    - ``counts``: how many of the year's plan entries are red, amber, green or not judged (none);
    - ``laggards``: the red and amber entries, red first, then by planned start (none last) and
      code, each with ``completion_rate`` and ``behind`` (see ``portfolio.rag.behind_elapsed``).
    """
    from collections import Counter

    from .rag import Rag, behind_elapsed

    rows = list(project_rows(period=period).order_by().values_list(
        "id", "rag", "project__planned_start", "project__code"))
    counts = Counter(rag for _id, rag, _start, _code in rows)
    flagged = sorted(
        (row for row in rows if row[1] in (Rag.RED, Rag.AMBER)),
        key=lambda row: (row[1] != Rag.RED, row[2] is None, row[2] or 0, row[3]),
    )[:limit]
    loaded = project_rows(period=period).filter(id__in=[row[0] for row in flagged]).in_bulk()
    laggards = [loaded[row[0]] for row in flagged]
    for entry in laggards:
        entry.completion_rate = rate(entry.completed_to_date, entry.target)
        entry.behind = behind_elapsed(completed=entry.completed_to_date, target=entry.target, period=period)
    return {"counts": {value: counts.get(value, 0) for value in Rag.values}, "laggards": laggards}


def rag_counts(*, period):
    """How many of the year's plan entries are red, amber, green or not judged (none)."""
    return rag_overview(period=period, limit=0)["counts"]


def area_rows(*, period):
    """Areas side by side: target, completion, rate (investment) and the month's score."""
    scores = projects.area_scores(period=period)
    return [{**row, "score": scores.get(row["area"].pk)} for row in investment.area_completion(period=period)]


def dashboard_figures(*, period):
    """Everything the leader dashboard shows for the period: the report's figures plus the curve,
    双过半, areas, RAG counts and laggards, and overdue milestones. Each figure once, from its selector."""
    figures = report_figures(period=period)
    figures.update(
        curve=investment.monthly_curve(year=period.year),
        half=investment.half_and_half(year=period.year) if period.month >= 6 else None,
        areas=area_rows(period=period),
        overdue=projects.overdue_by_area(as_of=period.end),
    )
    overview = rag_overview(period=period)
    figures.update(rag=overview["counts"], laggards=overview["laggards"])
    figures["overdue_total"] = sum(r["n"] for r in figures["overdue"])
    return figures
