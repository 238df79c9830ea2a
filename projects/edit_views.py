"""Project record pages of their own — overdue nodes and the monthly red-flag scoring — and the
form adapter of phase transitions (the record types themselves are entries of ``records.registry``)."""
import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from investment.selectors import suggested_progress_scores
from portfolio.numbers import round_half_up
from portfolio.period import request_period

from . import selectors, services
from .models import Area
from .permissions import is_admin
from .scoring import LABELS, WEIGHTS


def transition_create(*, user, instance, form):
    """A phase transition is created by ``services.phase_transition_create`` from the form's data."""
    data = form.cleaned_data
    return services.phase_transition_create(
        user=user, project=data["project"], to_phase=data["to_phase"],
        occurred_on=data["occurred_on"], reason=data.get("reason", ""))


def _as_of(request):
    """``?as_of=`` (a date, or ``today``), else the end of the request's period."""
    value = request.GET.get("as_of", "")
    if value == "today":
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return request_period(request).period.end


class OverdueMilestonesView(LoginRequiredMixin, TemplateView):
    """逾期节点: milestones past their planned date and not done, by area, with days late."""

    template_name = "records/overdue.html"

    def get_context_data(self, **kwargs):
        as_of = _as_of(self.request)
        groups = selectors.overdue_milestones_by_area(as_of=as_of)
        return super().get_context_data(as_of=as_of, is_today=as_of == timezone.localdate(), groups=groups,
                                        total=sum(g["count"] for g in groups), **kwargs)


class ScoresView(LoginRequiredMixin, TemplateView):
    """流动红旗 for one month: the ranking, the flag holder, and for each area its score or —
    for administrators — a link to score it with the suggested 进度 score filled in."""

    template_name = "records/scores.html"

    def get_context_data(self, **kwargs):
        period = request_period(self.request).period
        ranking = selectors.score_ranking(year=period.year, month=period.month)
        suggestions = suggested_progress_scores(period=period)
        scored = {s.area_id for s in ranking}
        unscored = [
            {"area": a, "suggested": round_half_up(suggestions.get(a.pk), 1) if a.pk in suggestions else None}
            for a in Area.objects.order_by("order", "name") if a.pk not in scored
        ]
        for row in ranking:
            s = suggestions.get(row.area_id)
            row.suggested = round_half_up(s, 1) if s is not None else None
        return super().get_context_data(
            period=period, ranking=ranking, unscored=unscored, is_admin=is_admin(self.request.user),
            project_ranking=selectors.score_ranking(year=period.year, month=period.month, projects=True),
            weights=[(LABELS[k], w) for k, w in WEIGHTS.items()], **kwargs)


class ScoreHistoryView(LoginRequiredMixin, TemplateView):
    """流动红旗 history: every scored month, its ranking and flag holder."""

    template_name = "records/score_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=selectors.score_history(),
                                        weights=[(LABELS[k], w) for k, w in WEIGHTS.items()], **kwargs)

