"""The records index (台账录入) and a project's record page, both built from ``records.registry``;
applying a project's standard node plan from its record page."""
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

from portfolio.forms import add_service_errors
from portfolio.period import request_period
from projects import selectors, services
from projects.milestone_templates import MILESTONE_TEMPLATES
from projects.models import Project
from projects.permissions import can_edit_project, editable_projects, is_admin

from .registry import REGISTRY
from .sections import project_sections


def may_add(record_type, *, can_edit, admin):
    """Whether the user gets 新增 for this type: administrators always; otherwise users who keep
    the records of some project, for the types that are not administrators' only."""
    return admin or (can_edit and not record_type.admin_only)


class RecordsIndexView(LoginRequiredMixin, TemplateView):
    """台账录入: every record type (its list, and 新增 for those who may add it) and the projects the
    user keeps records for (all projects, read-only, for others)."""

    template_name = "records/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        editable = editable_projects(user)
        can_edit = editable.exists()
        admin = is_admin(user)
        projects = (editable if can_edit else Project.objects.all()).select_related("area").order_by(
            "area__order", "area__name", "code")
        types = [{"type": rt, "list_url_name": rt.list_url_name,
                  "may_add": may_add(rt, can_edit=can_edit, admin=admin)} for rt in REGISTRY]
        return super().get_context_data(projects=projects, can_edit=can_edit, is_admin=admin,
                                        record_types=types, **kwargs)


class TemplateApplyForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起始日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    finish = forms.DateField(label=gettext_lazy("计划完工日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))


class ProjectRecordsView(LoginRequiredMixin, TemplateView):
    """One project's records, one section per registered record type, with add/edit/delete links
    for those who may edit the project."""

    template_name = "records/project.html"

    def get_context_data(self, **kwargs):
        project = get_object_or_404(Project.objects.select_related("area"), pk=self.kwargs["pk"])
        today = timezone.localdate()
        as_of = request_period(self.request).period.end
        can_edit = can_edit_project(self.request.user, project)
        admin = is_admin(self.request.user)
        apply_form = kwargs.pop("apply_form", None) or TemplateApplyForm(initial={
            "start": project.planned_start or today, "finish": project.planned_finish})
        columns = project_sections(REGISTRY, project=project)
        for column in columns:
            for section in column:
                section["may_edit"] = can_edit and (admin or not section["type"].admin_only)
        return super().get_context_data(
            project=project, columns=columns,
            milestones=selectors.node_plan(project=project, as_of=as_of), as_of=as_of,
            can_edit=can_edit, is_admin=admin,
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
                add_service_errors(form, e)
            else:
                messages.success(request, _("已按模板新增%(n)s个节点。") % {"n": len(created)})
                return redirect("records:project", pk=project.pk)
        page = ProjectRecordsView()
        page.setup(request, pk=pk)
        return page.render_to_response(page.get_context_data(apply_form=form))
