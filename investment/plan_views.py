"""下一年度计划 pages (administrators): prepare (roll-forward, template, import), review and
confirm, node plans per area. Thin: parse, call ``plan_services``, render. The draft between the
steps is the checked rows in the session (``plan_services`` module doc)."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portfolio.exports.writer import xlsx_response
from projects.models import Area
from projects.permissions import is_admin

from . import plan_exports, plan_services
from .models import AnnualPlan
from .plan_forms import NodePlanForm, PlanUploadForm

MAX_LISTED_ERRORS = 200


def draft_key(year):
    return f"plan_draft_{year}"


def load_draft(request, year):
    data = request.session.get(draft_key(year))
    if not data:
        return None, []
    return data, [plan_services.PlanRow.from_json(row) for row in data["rows"]]


def store_draft(request, year, rows, source):
    request.session[draft_key(year)] = {"source": source, "rows": [row.to_json() for row in rows]}


class PlanAdminMixin(LoginRequiredMixin):
    """Administrators only; ``self.year`` is the year being planned."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_admin(request.user):
            raise PermissionDenied(_("只有管理员可以编制年度计划。"))
        self.year = kwargs["year"]
        if not 2001 <= self.year <= 2100:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def base_context(self):
        return {"year": self.year, "previous_year": self.year - 1,
                "plan": AnnualPlan.objects.filter(year=self.year).first()}


class PlanNextYearView(LoginRequiredMixin, View):
    """The menu's 编制年度计划: the year after the latest plan (this year's next without any)."""

    def get(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied(_("只有管理员可以编制年度计划。"))
        latest = AnnualPlan.objects.order_by("-year").values_list("year", flat=True).first()
        return redirect(reverse("plans:prepare", args=[(latest or timezone.localdate().year) + 1]))


class PlanPrepareView(PlanAdminMixin, View):
    template_name = "investment/plan_prepare.html"

    def get(self, request, *args, **kwargs):
        return self.render(PlanUploadForm(year=self.year))

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "rollforward":
            rows = [p.as_row() for p in plan_services.plan_roll_forward(year=self.year)]
            for number, row in enumerate(rows, start=1):
                row.row, row.target = number, row.target or 0
            store_draft(request, self.year, rows, "rollforward")
            return redirect(reverse("plans:review", args=[self.year]))
        form = PlanUploadForm(request.POST, request.FILES, year=self.year)
        if not form.is_valid():
            return self.render(form)
        errors = list(form.row_errors)
        unread = {(e.row, e.column) for e in errors}
        # the rules of every row in the same pass; a cell that could not be read is reported once
        errors += [e for e in plan_services.plan_rows_validate(year=self.year, rows=form.plan_rows)
                   if (e.row, e.column) not in unread]
        if errors:
            errors.sort(key=lambda e: (e.row, e.column))
            return self.render(form, errors=errors)
        store_draft(request, self.year, form.plan_rows, "import")
        return redirect(reverse("plans:review", args=[self.year]))

    def render(self, form, errors=()):
        areas = Area.objects.annotate(
            planned=Count("projects", filter=Q(projects__plan_entries__plan__year=self.year), distinct=True),
            without_nodes=Count("projects", filter=Q(projects__plan_entries__plan__year=self.year,
                                                     projects__milestones__isnull=True), distinct=True),
        )
        draft, rows = load_draft(self.request, self.year)
        context = {**self.base_context(), "form": form, "errors": errors[:MAX_LISTED_ERRORS],
                   "error_count": len(errors), "errors_not_listed": max(0, len(errors) - MAX_LISTED_ERRORS),
                   "proposals": plan_services.plan_roll_forward(year=self.year), "areas": areas,
                   "draft": draft, "draft_rows": len(rows), "node_form": NodePlanForm()}
        return render(self.request, self.template_name, context)


class PlanTemplateView(PlanAdminMixin, View):
    """下载模板: the plan table with the roll-forward filled in, targets to be set."""

    def get(self, request, *args, **kwargs):
        book = plan_exports.plan_template(year=self.year, proposals=plan_services.plan_roll_forward(year=self.year))
        return xlsx_response(book, f"{self.year}年度计划表.xlsx", fallback=f"plan-{self.year}.xlsx")


class PlanReviewView(PlanAdminMixin, View):
    template_name = "investment/plan_review.html"

    def get(self, request, *args, **kwargs):
        draft, rows = load_draft(request, self.year)
        if not rows:
            messages.info(request, _("还没有%(year)s年度计划草稿，请先导入计划表或以结转建议为草稿。") % {"year": self.year})
            return redirect(reverse("plans:prepare", args=[self.year]))
        return self.render(draft, rows, plan_services.plan_rows_validate(year=self.year, rows=rows))

    def post(self, request, *args, **kwargs):
        draft, rows = load_draft(request, self.year)
        if request.POST.get("action") == "discard":
            request.session.pop(draft_key(self.year), None)
            messages.info(request, _("草稿已放弃。"))
            return redirect(reverse("plans:prepare", args=[self.year]))
        if not rows:  # confirmed or discarded in another tab, or the session ended
            if AnnualPlan.objects.filter(year=self.year).exists():
                messages.info(request, _("没有待确认的草稿：%(year)s年度计划已经生成。") % {"year": self.year})
            else:
                messages.error(request, _("没有待确认的草稿（可能已在其他窗口放弃，或登录已过期），"
                                          "请重新导入计划表或以结转建议为草稿。"))
            return redirect(reverse("plans:prepare", args=[self.year]))
        try:
            plan = plan_services.annual_plan_create(user=request.user, year=self.year, rows=rows,
                                                    title=request.POST.get("title", "").strip()[:200])
        except plan_services.PlanImportError as exc:
            return self.render(draft, rows, exc.errors)
        request.session.pop(draft_key(self.year), None)
        messages.success(request, _("%(title)s已生成：%(n)s个项目。下一步：按片区生成节点计划。") % {
            "title": plan.title, "n": len(rows)})
        return redirect(reverse("plans:prepare", args=[self.year]) + "#node-plans")

    def render(self, draft, rows, errors):
        context = {**self.base_context(), "draft": draft, "rows": rows, "errors": errors,
                   "review": plan_services.plan_review(year=self.year, rows=rows)}
        return render(self.request, self.template_name, context)


class PlanNodePlansView(PlanAdminMixin, View):
    """按片区生成节点计划: one POST per area."""

    def post(self, request, *args, **kwargs):
        form = NodePlanForm(request.POST)
        if form.is_valid():
            area = form.cleaned_data["area"]
            done, created = plan_services.plan_milestones_apply(user=request.user, year=self.year, area=area)
            messages.success(request, _("%(area)s：%(p)s个项目生成了节点计划，共%(n)s个节点。") % {
                "area": area.name, "p": len(done), "n": created})
        else:
            messages.error(request, _("请选择片区。"))
        return redirect(reverse("plans:prepare", args=[self.year]) + "#node-plans")
