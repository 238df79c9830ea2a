"""The evidence parts of pages owned by other apps: the project page's section and the
dashboard's coverage card (one tag each, so those templates gain one line)."""
from django import template
from django.utils import timezone

from portfolio.period import request_period
from projects.permissions import can_edit_project

from .. import selectors

register = template.Library()


@register.inclusion_tag("evidence/includes/project_evidence.html", takes_context=True)
def project_evidence(context, project):
    """Photos month by month, key people, open findings and awards of the project (4 queries)."""
    from ..models import Award, KeyPerson

    request = context.get("request")
    period = request_period(request).period if request else None
    return {
        "project": project, "period": period,
        "months": selectors.photos_by_month(project=project),
        "people_count": KeyPerson.objects.filter(project=project).count(),
        # as of the page's month end, as the inspections page it links to counts it
        "open_findings": selectors.open_findings_count(
            project=project, as_of=period.end if period else timezone.localdate()),
        "awards": list(Award.objects.filter(project=project)),
        "may_edit": bool(request and can_edit_project(request.user, project)),
    }


@register.inclusion_tag("evidence/includes/coverage_card.html")
def evidence_coverage_card(shown, period):
    """The dashboard's card: coverage and missing from the figure catalogue, by area from its part."""
    if "evidence_coverage" not in shown:
        return {"hidden": True}
    return {"coverage": shown["evidence_coverage"], "missing": shown["evidence_missing"],
            "areas": shown.parts["evidence"]["areas"], "period": period}


@register.inclusion_tag("evidence/includes/score_suggestions.html")
def evidence_score_suggestions(period):
    """The month's 质量/安全 suggestions by area, beside the 流动红旗 scores (never written into them)."""
    from projects.models import Area

    suggestions = selectors.score_suggestions(period=period)
    return {"period": period, "suggestions": [(a, suggestions.get(a.pk)) for a in Area.objects.all()],
            "link": True}
