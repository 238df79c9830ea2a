"""The report's figures (the seed summary's part 一) for a period, composed from the apps'
selectors. The dashboard, the district workbook and the report paragraph all read this."""
from investment import selectors as investment
from portfolio.numbers import rate
from land import selectors as land
from procurement import selectors as procurement
from projects import selectors as projects


def report_figures(*, period):
    categories = projects.category_counts(period=period)
    changes = projects.category_changes(period=period)
    return {
        "period": period,
        "completion": investment.completion_summary(period=period),
        "categories": categories,
        "changes": changes,
        "unplanned": projects.unplanned_entries(period=period),
        "phases": projects.phase_counts(period=period),
        "resumption": projects.resumption(period=period),
        "starts": projects.starts(period=period),
        "land": land.land_summary(period=period),
        "preliminary_done": projects.preliminary_done(period=period).count(),
        "tenders": procurement.tender_summary(period=period),
        "permits": procurement.permit_lead_times(period=period),
        "funding": investment.funding_summary(period=period),
        "savings": investment.savings_summary(period=period),
        "local_branches": projects.local_branches(period=period),
    }


def project_rows(*, period):
    """The year's plan entries known at the end of the period — the rows of the project list and of
    the laggards — with ``completed_to_date`` (1-N月), ``completed_in_month`` (N月),
    ``current_category`` and ``current_phase`` (after the dated changes up to the period's end)
    and ``rag`` (see ``portfolio.rag``)."""
    from django.db.models import Q

    from .rag import rag_expression

    return (
        investment.entries_with_completion(period=period)
        .filter(Q(added_on__isnull=True) | Q(added_on__lte=period.end))
        .annotate(current_category=projects.category_as_of(period.end),
                  current_phase=projects.phase_as_of(period.end))
        .annotate(rag=rag_expression(period))
    )


def rag_counts(*, period):
    """How many of the year's plan entries are red, amber, green or not judged (none)."""
    from django.db.models import Count

    from .rag import Rag

    rows = project_rows(period=period).order_by().values("rag").annotate(n=Count("id"))
    counts = {r["rag"]: r["n"] for r in rows}
    return {value: counts.get(value, 0) for value in Rag.values}


def laggards(*, period, limit=12):
    """The red and amber entries, red first, least completed share first."""
    from django.db.models import Case, F, IntegerField, Value, When

    from .rag import Rag, behind_elapsed

    rows = list(
        project_rows(period=period).filter(rag__in=[Rag.RED, Rag.AMBER])
        .order_by(Case(When(rag=Rag.RED, then=Value(0)), default=Value(1), output_field=IntegerField()),
                  F("project__planned_start").asc(nulls_last=True), "project__code")[:limit]
    )
    for row in rows:
        row.completion_rate = rate(row.completed_to_date, row.target)
        row.behind = behind_elapsed(completed=row.completed_to_date, target=row.target, period=period)
    return rows


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
        rag=rag_counts(period=period),
        laggards=laggards(period=period),
        overdue=projects.overdue_by_area(as_of=period.end),
    )
    figures["overdue_total"] = sum(r["n"] for r in figures["overdue"])
    return figures
