"""Project pages: the project list, a project's page, the start/resumption records behind the
dashboard's 复工率 / 开工率 / 提前开工 (the milestone list is built by ``records.registry``)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from portfolio.charts import project_monthly_chart
from portfolio.dossier import project_dossier
from portfolio.generic import ObjectListView
from portfolio.numbers import percent
from portfolio.period import request_period
from portfolio.rag import Rag
from portfolio.selectors import project_rows, rag_by_month

from . import selectors
from .filters import ProjectFilterSet
from .models import Project
from .permissions import can_edit_project
from .tables import ProjectTable


class ProjectListView(ObjectListView):
    """项目列表: the year's plan entries with completion 1-N月 and RAG status."""

    selector = staticmethod(project_rows)
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    title = _("项目列表")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        if self.period:
            context["description"] = _("%(period)s：完成投资为1-%(month)s月累计；亮灯按时间进度%(elapsed)s%%判断。") % {
                "period": self.period, "month": self.period.month,
                "elapsed": percent(self.period.elapsed, 0)}  # as the dashboard's 时间进度 (pct:0)
        return context


class StartRecordsView(LoginRequiredMixin, TemplateView):
    """The records behind 复工率, 开工率 and 提前开工 for the period."""

    template_name = "projects/starts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = request_period(self.request).period
        context["period"] = period
        if period:
            records = selectors.start_records(period=period)
            context.update(
                figures=selectors.starts(period=period),
                resumption=selectors.resumption(period=period),
                resumption_records=selectors.resumption_records(period=period),
                due_started=[r for r in records if r["due"] and r["started"]],
                due_not_started=[r for r in records if r["due"] and not r["started"]],
                not_due=[r for r in records if not r["due"]],
                early=with_days_early(selectors.early_starts(period=period)),
            )
        return context


class ProjectDetailView(LoginRequiredMixin, TemplateView):
    """A project's page: everything recorded about it."""

    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = get_object_or_404(
            Project.objects.select_related("area", "owner_unit", "contractor", "supervisor"), pk=self.kwargs["pk"])
        dossier = project_dossier(project=project)
        years = [e.plan.year for e in dossier["entries"]]
        as_of = request_period(self.request).period
        year = as_of.year if as_of.year in years else (years[-1] if years else None)
        entry = next((e for e in dossier["entries"] if e.plan.year == year), None)
        series = monthly_series(dossier["progress"], year)
        if entry:
            last = as_of.month if as_of.year == year else (12 if as_of.year > year else 0)
            colours = rag_by_month(entry=entry, last_month=last)
            for row in series:
                row["rag"] = colours.get(row["month"])
        context.update(
            project=project, d=dossier, year=year, entry=entry, series=series,
            chart=project_monthly_chart(series, target=entry.target if entry else None) if entry else None,
            as_of=as_of.end, rag_labels=dict(Rag.choices),
            can_edit=can_edit_project(self.request.user, project),
        )
        return context


def with_days_early(entries):
    """The early-start entries, each with ``days_early`` = planned start − actual start."""
    entries = list(entries)
    for e in entries:
        e.days_early = (e.project.planned_start - e.project.actual_start).days
    return entries


def monthly_series(progress, year):
    """Months 1..12 of a year: the month's amount and the cumulative amount (None after the last
    month entered), with the progress record when there is one."""
    by_month = {p.month: p for p in progress if p.entry.plan.year == year}
    last = max(by_month, default=0)
    rows, cumulative = [], 0
    for month in range(1, 13):
        p = by_month.get(month)
        if p:
            cumulative += p.completed
        rows.append({"month": month, "record": p,
                     "completed": p.completed if p else None,
                     "cumulative": cumulative if month <= last else None})
    return rows
