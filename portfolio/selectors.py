"""The report's figures (the seed summary's part 一) for a period, composed from the apps'
selectors. The dashboard, the district workbook and the report paragraph all read this."""
from investment import selectors as investment
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
