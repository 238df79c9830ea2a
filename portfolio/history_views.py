"""变更记录: a project's change history page (``portfolio.history.project_history``), paged."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from projects.models import Project, Role
from projects.permissions import has_role, is_admin

from .history import project_history

HISTORY_PER_PAGE = 50


class ProjectHistoryView(LoginRequiredMixin, TemplateView):
    """Who changed what of a project and its records, when, old and new values; newest first."""

    template_name = "portfolio/project_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        prefetch_related_objects([user], "groups")  # the role checks read the groups once
        if not (is_admin(user) or has_role(user, Role.LEADER) or has_role(user, Role.STAFF)):
            raise PermissionDenied(_("您没有查看变更记录的权限。"))
        project = get_object_or_404(Project.objects.select_related("area"), pk=kwargs["pk"])
        page = Paginator(project_history(project=project), HISTORY_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(project=project, changes=page.object_list, page_obj=page)
        return context
