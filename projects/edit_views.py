"""Project record pages — phase transitions, category changes, node plans, red-flag scores —
as configuration of the generic ``portfolio.editing`` views, plus the two pages of their own:
applying a node-plan template and the monthly scoring overview."""
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from portfolio.editing import RecordType
from investment.selectors import suggested_progress_scores
from portfolio.dossier import project_dossier
from portfolio.numbers import round_half_up
from portfolio.period import request_period

from . import selectors, services
from .milestone_templates import MILESTONE_TEMPLATES
from .models import Area, CategoryChange, Milestone, MonthlyScore, PhaseTransition, Project
from .permissions import can_edit_project, editable_projects, is_admin
from .scoring import LABELS, WEIGHTS


def _transition_create(*, user, instance, form):
    data = form.cleaned_data
    return services.phase_transition_create(
        user=user, project=data["project"], to_phase=data["to_phase"],
        occurred_on=data["occurred_on"], reason=data.get("reason", ""))


PHASE_TRANSITION = RecordType(
    slug="phase", model=PhaseTransition,
    fields=["project", "to_phase", "occurred_on", "reason"], update_fields=["occurred_on", "reason"],
    create=_transition_create, update=services.phase_transition_update,
    delete=services.phase_transition_delete,
)
CATEGORY_CHANGE = RecordType(
    slug="category-change", model=CategoryChange,
    fields=["project", "year", "to_category", "changed_on", "reason", "instruction"],
    validate=services.category_change_validate, initial_from_get=["project", "year"],
)
MILESTONE = RecordType(
    slug="milestone", model=Milestone,
    fields=["project", "name", "order", "planned_on", "done_on", "note"],
    validate=services.milestone_validate,
)
MONTHLY_SCORE = RecordType(
    slug="score", model=MonthlyScore,
    fields=["year", "month", "area", "project", "progress", "quality", "safety", "image", "note"],
    create=services.score_save, update=services.score_save, delete=services.score_delete,
    admin_only=True, initial_from_get=["year", "month", "area", "project", "progress"],
)

RECORD_TYPES = [PHASE_TRANSITION, CATEGORY_CHANGE, MILESTONE, MONTHLY_SCORE]



# --- pages of their own -----------------------------------------------------------------------

class RecordsIndexView(LoginRequiredMixin, TemplateView):
    """台账录入: the projects the user keeps records for (all projects, read-only, for others)."""

    template_name = "records/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        editable = editable_projects(user)
        can_edit = editable.exists()
        projects = (editable if can_edit else Project.objects.all()).select_related("area").order_by(
            "area__order", "area__name", "code")
        return super().get_context_data(projects=projects, can_edit=can_edit, is_admin=is_admin(user), **kwargs)


class TemplateApplyForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起始日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    finish = forms.DateField(label=gettext_lazy("计划完工日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))


class ProjectRecordsView(LoginRequiredMixin, TemplateView):
    """One project's records — phases, category changes, land, tenders, permits, money, node
    plan — with add/edit/delete links for those who may edit the project."""

    template_name = "records/project.html"

    def get_context_data(self, **kwargs):
        project = get_object_or_404(Project.objects.select_related("area"), pk=self.kwargs["pk"])
        today = timezone.localdate()
        as_of = request_period(self.request).period.end
        can_edit = can_edit_project(self.request.user, project)
        apply_form = kwargs.pop("apply_form", None) or TemplateApplyForm(initial={
            "start": project.planned_start or today, "finish": project.planned_finish})
        return super().get_context_data(
            project=project, records=project_dossier(project=project),
            milestones=selectors.node_plan(project=project, as_of=as_of), as_of=as_of,
            can_edit=can_edit, is_admin=is_admin(self.request.user),
            template_nodes=[str(name) for name, _share in MILESTONE_TEMPLATES.get(project.kind, [])],
            apply_form=apply_form, **kwargs)


class MilestoneTemplateApplyView(LoginRequiredMixin, View):
    """POST: create the project's standard nodes (projects.milestone_templates) in one step."""

    def post(self, request, pk):
        project = get_object_or_404(Project, pk=pk)
        if not can_edit_project(request.user, project):
            raise PermissionDenied(_("您没有修改该项目的权限。"))
        form = TemplateApplyForm(request.POST)
        if form.is_valid():
            try:
                created = services.milestones_apply_template(
                    user=request.user, project=project, start=form.cleaned_data["start"],
                    finish=form.cleaned_data["finish"])
            except ValidationError as e:
                for name, errors in e.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("已按模板新增%(n)s个节点。") % {"n": len(created)})
                return redirect("records:project", pk=project.pk)
        page = ProjectRecordsView()
        page.setup(request, pk=pk)
        return page.render_to_response(page.get_context_data(apply_form=form))


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

