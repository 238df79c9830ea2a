"""Pages of problems (/problems/), 督办 orders (/supervision/) and the inbox (/inbox/). Thin:
parse, call a selector or a service, render. Rights are the services' (``projects.permissions``);
a refused step is a 403 with its Chinese reason, a broken rule a message beside the form."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portfolio.forms import add_service_errors
from portfolio.generic import ObjectListView
from portfolio.period import parse_period
from portfolio.validators import parse_id
from projects.models import Milestone, Project
from projects.permissions import acts_for_unit, can_supervise, editable_projects

from . import selectors, services
from .filters import OrderFilterSet, ProblemFilterSet
from .forms import OrderForm, ProblemCloseForm, ProblemEditForm, ProblemForm, StepForm
from .models import OrderSource, OrderState, Problem, ProblemStatus, ProblemType
from .tables import OrderTable, ProblemTable, colour_badge


def _save(request, form, save, message, url_name):
    """A valid form's data through ``save`` (a service call returning the saved object): then
    ``message`` and a redirect to that object's ``url_name`` page. None when the form is to be
    shown again — invalid, or the service's ValidationError put beside its fields."""
    if not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as e:
        add_service_errors(form, e)
        return None
    messages.success(request, message)
    return HttpResponseRedirect(reverse(url_name, args=[saved.pk]))


# --- problems --------------------------------------------------------------------------------

class ProblemListView(ObjectListView):
    model = Problem
    selector = staticmethod(selectors.problems_in_period)
    filterset_class = ProblemFilterSet
    table_class = ProblemTable
    title = _("问题清单")
    description = _("各项目的要素保障问题：责任单位、解决时限和状态。状态为期末时的状态；销号须填写解决情况。")

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "as_of": self.period.end}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if editable_projects(self.request.user).exists():
            context["add_url"] = reverse("problem_create")
        return context


class ProblemCreateView(LoginRequiredMixin, View):
    """/problems/new/?project=&type=&description=&year=&month= — the query prefills the form (a month
    row's 存在问题 raises a problem in one click); POST raises it."""

    template_name = "supervision/problem_form.html"

    def projects(self):
        projects = editable_projects(self.request.user)
        if not projects.exists():
            raise PermissionDenied(_("您没有登记问题的权限（只有录入员和管理员可以登记问题）。"))
        return projects.select_related("area").order_by("code")

    def get(self, request):
        projects = self.projects()
        initial = {"type": request.GET.get("type") if request.GET.get("type") in ProblemType.values else None,
                   "description": request.GET.get("description", "")[:2000]}
        project_id = parse_id(request.GET.get("project"))
        if project_id and projects.filter(pk=project_id).exists():
            initial["project"] = project_id
            project = Project.objects.get(pk=project_id)
            initial["responsible_unit"] = project.owner_unit_id
        asked = parse_period(request.GET, default=None)
        if request.GET.get("month") and not asked.defaulted and not asked.errors:
            initial.update(year=asked.period.year, month=asked.period.month)
        return self.render(ProblemForm(projects=projects, initial=initial))

    def post(self, request):
        form = ProblemForm(request.POST, projects=self.projects())
        saved = _save(request, form, lambda data: services.problem_create(
            user=request.user, project=data["project"], type=data["type"], description=data["description"],
            responsible_unit=data["responsible_unit"], deadline=data["deadline"],
            year=data["year"], month=data["month"]), _("已登记问题。"), "problem_detail")
        return saved or self.render(form)

    def render(self, form):
        return TemplateResponse(self.request, self.template_name, {"form": form})


class ProblemDetailView(LoginRequiredMixin, View):
    model = Problem
    template_name = "supervision/problem_detail.html"

    def get_problem(self, pk):
        return get_object_or_404(Problem.objects.select_related(
            "project", "project__area", "responsible_unit", "raised_by", "closed_by"), pk=pk)

    def get(self, request, pk):
        return self.render(self.get_problem(pk), ProblemCloseForm())

    def post(self, request, pk):
        problem = self.get_problem(pk)
        form = ProblemCloseForm(request.POST)
        saved = _save(request, form, lambda data: services.problem_close(
            user=request.user, problem=problem, resolution=data["resolution"]), _("问题已销号。"), "problem_detail")
        return saved or self.render(problem, form)

    def render(self, problem, form):
        user = self.request.user
        context = {
            "problem": problem, "form": form,
            "may_close": problem.status == ProblemStatus.OPEN
            and editable_projects(user).filter(pk=problem.project_id).exists(),
            "may_issue": can_supervise(user),
            "orders": list(problem.orders.select_related("responsible_unit").order_by("issued_at")),
            "today": timezone.localdate(),
        }
        return TemplateResponse(self.request, self.template_name, context)


class ProblemEditView(LoginRequiredMixin, View):
    """/problems/<pk>/edit/: an open problem's type, description, unit and deadline."""

    model = Problem
    template_name = "supervision/problem_edit.html"

    def get_problem(self, pk):
        problem = get_object_or_404(Problem.objects.select_related("project"), pk=pk)
        if not editable_projects(self.request.user).filter(pk=problem.project_id).exists():
            raise PermissionDenied(_("您没有修改该问题的权限。"))
        return problem

    def get(self, request, pk):
        problem = self.get_problem(pk)
        initial = {"type": problem.type, "description": problem.description,
                   "responsible_unit": problem.responsible_unit_id, "deadline": problem.deadline,
                   "loaded_change": services.problem_version(problem)}
        return self.render(problem, ProblemEditForm(initial=initial))

    def post(self, request, pk):
        problem = self.get_problem(pk)
        form = ProblemEditForm(request.POST)
        saved = _save(request, form, lambda data: services.problem_update(user=request.user, problem=problem, **data),
                      _("已保存问题。"), "problem_detail")
        return saved or self.render(problem, form)

    def render(self, problem, form):
        return TemplateResponse(self.request, self.template_name, {"problem": problem, "form": form})


# --- orders ----------------------------------------------------------------------------------

class OrderListView(ObjectListView):
    model = selectors.Order
    selector = staticmethod(selectors.orders_in_period)
    filterset_class = OrderFilterSet
    table_class = OrderTable
    title = _("督办")
    description = _("下发 → 签收 → 办理 → 反馈 → 复核（通过或退回）→ 办结。时限：距办理时限3天内为黄色，超过时限为红色。")
    template_name = "supervision/order_list.html"

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "as_of": selectors.status_date(self.period)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_supervise(self.request.user):
            context["add_url"] = reverse("order_create")
            context["nobody_can_sign"] = list(selectors.orders_nobody_can_sign())
        context["stats_by_unit"] = selectors.order_stats(period=self.period, by="unit")
        context["stats_by_area"] = selectors.order_stats(period=self.period, by="area")
        return context


class OrderCreateView(LoginRequiredMixin, View):
    """/supervision/new/?problem=<pk> or ?project=&source=&milestone=&content= — prefilled from
    where the leader clicked (a problem, a red project, an overdue node, a missing report)."""

    template_name = "supervision/order_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_supervise(request.user):
            raise PermissionDenied(services.ISSUER_ONLY)
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        get = self.request.GET
        initial = {"deadline": timezone.localdate() + dt.timedelta(days=14), "source": OrderSource.OTHER}
        problem_id, project_id, milestone_id = (parse_id(get.get(n)) for n in ("problem", "project", "milestone"))
        problem = Problem.objects.select_related("project").filter(pk=problem_id).first() if problem_id else None
        milestone = (Milestone.objects.select_related("project").filter(pk=milestone_id).first()
                     if milestone_id else None)
        project = (problem.project if problem else milestone.project if milestone else
                   Project.objects.filter(pk=project_id).first() if project_id else None)
        if project is not None:
            initial.update(project=project.pk, responsible_unit=project.owner_unit_id)
        if get.get("source") in OrderSource.values:
            initial["source"] = get["source"]
        if problem is not None:
            initial.update(problem=problem.pk, source=OrderSource.PROBLEM,
                           content=_("请于时限内解决：%(text)s") % {"text": problem.description},
                           responsible_unit=problem.responsible_unit_id or initial.get("responsible_unit"))
            if problem.deadline and problem.deadline >= timezone.localdate():
                initial["deadline"] = problem.deadline
        elif milestone is not None:
            initial.update(milestone=milestone.pk, source=OrderSource.OVERDUE_NODE,
                           content=_("节点“%(name)s”计划于%(date)s完成，已逾期，请加快推进并反馈完成时间。")
                           % {"name": milestone.name, "date": milestone.planned_on.isoformat()})
        if get.get("content"):
            initial["content"] = get["content"][:2000]
        return initial, project, problem, milestone

    def get(self, request):
        initial, project, problem, milestone = self.initial()
        unit_id = initial.get("responsible_unit")
        lonely = unit_id is not None and not selectors.has_liaison(unit_id)
        return self.render(OrderForm(initial=initial), project=project, problem=problem, milestone=milestone,
                           unit_without_liaison=lonely)

    def post(self, request):
        form = OrderForm(request.POST)
        saved = _save(request, form, lambda data: services.order_issue(
            user=request.user, project=data["project"], content=data["content"],
            responsible_unit=data["responsible_unit"], deadline=data["deadline"], source=data["source"],
            problem=data["problem"], milestone=data["milestone"]), _("督办已下发。"), "order_detail")
        problem = form.cleaned_data.get("problem") if hasattr(form, "cleaned_data") else None
        return saved or self.render(form, problem=problem)

    def render(self, form, **extra):
        return TemplateResponse(self.request, self.template_name, {"form": form, **extra})


class OrderDetailView(LoginRequiredMixin, View):
    """An order with its steps; POST ``step`` (sign, progress, reply, return, accept) and ``text``."""

    model = selectors.Order
    template_name = "supervision/order_detail.html"

    def get_order(self, pk):
        try:
            return selectors.order_with_events(pk)
        except selectors.Order.DoesNotExist:
            raise Http404(_("没有该督办。"))

    def get(self, request, pk):
        return self.render(self.get_order(pk), StepForm())

    def post(self, request, pk):
        order = self.get_order(pk)
        step = request.POST.get("step", "")
        if step not in services.STEPS:
            if not (can_supervise(request.user) or acts_for_unit(request.user, order.responsible_unit_id)):
                raise PermissionDenied(_("只有领导、管理员和责任单位联络人可以办理督办。"))
            messages.error(request, _("无法识别的操作。"))
            return self.render(order, StepForm(), status=400)
        form = StepForm(request.POST)
        saved = _save(request, form, lambda data: services.STEPS[step](
            user=request.user, order=order, **({} if step == "sign" else {"text": data["text"]})),
            _("已保存：%(step)s。") % {"step": STEP_LABELS[step]}, "order_detail")
        return saved or self.render(self.get_order(pk), form, failed_step=step)

    def render(self, order, form, status=200, failed_step=""):
        user = self.request.user
        unit_side = acts_for_unit(user, order.responsible_unit_id)
        issuer_side = can_supervise(user) and not unit_side
        today = timezone.localdate()
        state = order.state
        open_for_unit = state in (OrderState.SIGNED, OrderState.IN_PROGRESS, OrderState.RETURNED)
        context = {
            "order": order, "form": form, "failed_step": failed_step,
            "colour": colour_badge(selectors.deadline_colour(order, today)),
            "days_left": (order.deadline - today).days,
            "may_sign": unit_side and state == OrderState.ISSUED,
            "may_reply": unit_side and open_for_unit,
            "may_review": issuer_side and state == OrderState.REPLIED,
            "unit_side": unit_side, "issuer_side": issuer_side,
            # issuing stays allowed (the center may phone the unit), but nobody can sign it here
            "unit_without_liaison": not selectors.has_liaison(order.responsible_unit_id),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


STEP_LABELS = {"sign": _("签收"), "progress": _("办理进展"), "reply": _("反馈"), "return": _("退回"),
               "accept": _("复核通过，办结")}


# --- inbox -----------------------------------------------------------------------------------

class InboxView(LoginRequiredMixin, View):
    template_name = "supervision/inbox.html"

    def get(self, request):
        page = Paginator(selectors.inbox(request.user), 50).get_page(request.GET.get("page"))
        return TemplateResponse(request, self.template_name, {"page": page})

    def post(self, request):
        pk = request.POST.get("pk", "")
        if pk and parse_id(pk) is None:
            messages.error(request, _("无效的消息。"))
        else:
            count = services.notification_read(user=request.user, pk=parse_id(pk))
            messages.success(request, _("已标为已读 %(n)s 条。") % {"n": count})
        return HttpResponseRedirect(reverse("inbox"))
