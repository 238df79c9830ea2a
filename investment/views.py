"""月度填报 pages: the month page (enter and save a whole month), its Excel template and upload,
month locks and the reporting status for leaders."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portfolio.exports.responses import XLSX_CONTENT_TYPE, content_disposition
from portfolio.numbers import Period
from portfolio.period import parse_period
from projects.models import Role
from projects.permissions import editable_projects, has_role, is_admin

from . import exports, selectors, services
from .forms import MonthLockForm, MonthUploadForm, ProgressFormSet, UploadError, column_label
from .month_page import loaded_inputs, month_lines, posted_inputs


def remember_groups(user):
    """Load the user's groups once: every role check of the request then reads the cache."""
    prefetch_related_objects([user], "groups")


def can_read_all(user):
    return is_admin(user) or has_role(user, Role.LEADER)


def may_enter(user):
    return is_admin(user) or has_role(user, Role.STAFF)


class MonthMixin(LoginRequiredMixin):
    """Reads ``year``/``month`` from the URL (404 for a month outside 1–12)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        remember_groups(request.user)
        self.year, self.month = kwargs["year"], kwargs["month"]
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2100:
            raise Http404(_("没有这个月份。"))
        if not (can_read_all(request.user) or may_enter(request.user)):
            raise PermissionDenied(_("您没有访问月度填报的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def month_context(self):
        this = Period(self.year, self.month)
        prev, nxt = this.preceding(), this.following()
        return {"year": self.year, "month": self.month, "prev": (prev.year, prev.month), "next": (nxt.year, nxt.month),
                "years": selectors.plan_years(), "months": range(1, 13)}


def month_projects(user):
    """Leaders and admins see every project of the month; staff see their own."""
    return None if can_read_all(user) else editable_projects(user)


class DefaultMonthView(LoginRequiredMixin, View):
    """/progress/: the month asked for by ``?year=&month=`` (the period parser's rules), else the
    default month; an invalid value is said on the page it lands on."""

    def get(self, request):
        year, month = services.default_month()
        asked = parse_period(request.GET, default=Period(year, month))
        for error in asked.errors:
            messages.error(request, error)
        return redirect("investment:month", year=asked.period.year, month=asked.period.month)


class MonthView(MonthMixin, View):
    """One row per project; inputs for this month; all-or-nothing save."""

    template_name = "investment/month.html"

    def entries(self):
        """The page's plan entries (``selectors.month_entries`` of the user's projects), read once."""
        return list(selectors.month_entries(year=self.year, month=self.month,
                                            projects=month_projects(self.request.user)))

    def rows(self, entries=None):
        return selectors.month_rows(year=self.year, month=self.month, projects=month_projects(self.request.user),
                                    entries=entries)

    def closed_reason(self):
        try:
            services.check_month_open(year=self.year, month=self.month)
        except ValidationError as exc:
            return exc.messages[0]
        return None

    def get(self, request, *args, **kwargs):
        return self.render_loaded()

    def post(self, request, *args, **kwargs):
        if not may_enter(request.user):
            raise PermissionDenied(_("领导账号只能查看，不能填报。"))
        formset = ProgressFormSet(request.POST, prefix="rows")
        if not formset.management_form.is_valid() or not all(form.readable() for form in formset):
            return self.incomplete()
        # rows with cells that could not be read are checked too (without those cells), so that
        # one save reports every error of every row; nothing is written while any remains
        unread = {form.cleaned_data["entry"]: set(form.errors) for form in formset if form.errors}
        general, warnings = [], {}
        # read once: the service checks the rows against them, a refused save shows them again
        entries = self.entries()
        try:
            result = services.progress_save_month(
                user=request.user, year=self.year, month=self.month,
                rows=[form.to_input() for form in formset], validate_only=bool(unread),
                entries={e.pk: e for e in entries},
            )
        except services.MonthEntryError as exc:
            general, warnings = exc.general, exc.warnings
            forms_by_entry = {form.cleaned_data["entry"]: form for form in formset}
            for entry_id, fields in exc.cells.items():
                for field, msgs in fields.items():
                    if field in unread.get(entry_id, ()):
                        continue  # the cell's own message is shown
                    for msg in msgs:
                        forms_by_entry[entry_id].add_error(None if field == services.ROW else field, msg)
        else:
            if not unread:
                messages.success(request, _("已保存%(y)s年%(m)s月：新增%(c)s行，修改%(u)s行，未变%(n)s行。") % {
                    "y": self.year, "m": self.month, "c": result.created, "u": result.updated, "n": result.unchanged})
                return redirect(reverse("investment:month", args=[self.year, self.month]))
        rows = self.rows(entries)
        return self.render(rows, formset, general=general, warnings=warnings, status=200)

    def incomplete(self):
        """A POST without a row's hidden fields (a crafted or truncated request): the page as
        loaded, saying so, and nothing saved."""
        return self.render_loaded(general=[_("提交的数据不完整，未保存；请刷新页面后重新填写。")], status=400)

    def render_loaded(self, **kwargs):
        """The page as loaded: the formset (unbound, its forms built only if someone asks) gives the
        management form; the rows' inputs are written from the same initial values without a form."""
        rows = self.rows()
        initials = [_initial(row) for row in rows]
        formset = ProgressFormSet(initial=initials, prefix="rows")
        return self.render(rows, formset, inputs=loaded_inputs(initials), **kwargs)

    def render(self, rows, formset, general=(), warnings=None, status=200, inputs=None):
        user = self.request.user
        closed = self.closed_reason()
        editable_ids = set(editable_projects(user).values_list("pk", flat=True)) if may_enter(user) else set()
        page = month_lines(rows=rows, inputs=posted_inputs(formset) if inputs is None else inputs,
                           editable_ids=editable_ids, closed=closed, year=self.year, month=self.month,
                           warnings=warnings)
        has_errors = (bool(general) or (formset.is_bound and any(f.errors for f in formset))
                      or bool(warnings))
        context = {
            **self.month_context(), **page, "formset": formset, "closed": closed,
            # not {{ formset.management_form }}: the template engine tries formset["management_form"]
            # first, which builds every form of the formset
            "management_form": formset.management_form,
            "can_save": not closed and any(line.editable for line in page["lines"] + page["folded"]),
            "general_errors": general, "has_errors": has_errors,
            "lock": selectors.month_lock(year=self.year, month=self.month),
            "is_admin": is_admin(user), "can_read_all": can_read_all(user), "may_enter": may_enter(user),
            "lock_form": MonthLockForm(), "upload_form": None,
        }
        if context["is_admin"]:
            context["lock_history"] = selectors.month_lock_history(year=self.year, month=self.month)
        return render(self.request, self.template_name, context, status=status)


def _initial(row):
    p = row.progress
    return {
        "entry": row.entry.pk, "version": p.version if p else 0,
        "fingerprint": services.progress_fingerprint(p),
        "completed": p.completed if p else None,
        "physical_percent": p.physical_percent if p else None,
        "physical_progress": p.physical_progress if p else "",
        "problems": p.problems if p else "",
    }


class MonthTemplateView(MonthMixin, View):
    """下载模板: the month's workbook for the user's projects, named after their areas and the
    month (``南片_2020年12月_月度进度填报.xlsx``; 全区 for an administrator)."""

    def get(self, request, *args, **kwargs):
        if not may_enter(request.user):
            raise PermissionDenied(_("领导账号只能查看，不能填报。"))
        rows = selectors.month_rows(year=self.year, month=self.month, projects=editable_projects(request.user))
        scope = template_scope(request.user, rows)
        book = exports.month_template(year=self.year, month=self.month, rows=rows, scope=scope)
        # a few hundred rows at most: served from memory (tests and scripts read ``.content``)
        response = HttpResponse(book.to_bytes(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(
            exports.template_filename(scope=scope, year=self.year, month=self.month),
            fallback=f"progress-{self.year}-{self.month:02d}.xlsx")
        return response


def template_scope(user, rows):
    """全区 for an administrator (every project); else the areas of the template's rows, in the
    areas' order (南片, or 南片、北片 for someone assigned projects of both)."""
    if is_admin(user):
        return _("全区")
    areas = {}
    for row in rows:
        area = row.project.area
        areas.setdefault(area.pk, area)
    names = [a.name for a in sorted(areas.values(), key=lambda a: (a.order, a.name))]
    return "、".join(names) or _("本人")


MAX_LISTED_ERRORS = 100
"""An upload's error table lists this many; the page says how many more there are."""


class MonthUploadView(MonthMixin, View):
    """上传: check every row of a filled template; save only a fully valid file."""

    template_name = "investment/upload.html"

    def get(self, request, *args, **kwargs):
        if not may_enter(request.user):
            raise PermissionDenied(_("领导账号只能查看，不能填报。"))
        return self.render(MonthUploadForm(user=request.user, year=self.year, month=self.month))

    def post(self, request, *args, **kwargs):
        if not may_enter(request.user):
            raise PermissionDenied(_("领导账号只能查看，不能填报。"))
        form = MonthUploadForm(request.POST, request.FILES, user=request.user, year=self.year, month=self.month)
        try:
            services.check_month_open(year=self.year, month=self.month)
        except ValidationError as exc:
            closed = exc.messages  # said first; the file's rows are still checked and listed
        else:
            closed = []
        if not form.is_valid():
            return self.render(form, general=closed)
        general, errors = list(closed), list(form.row_errors)
        try:
            # every row is checked in this one pass: the cells that could not be read (listed by
            # the form) and the rules of the rest; a save happens only when nothing is wrong
            if closed or errors:
                services.progress_check_month(user=request.user, year=self.year, month=self.month,
                                              rows=form.inputs, allow_confirm=False, entries=form.entries)
                result = None
            else:
                result = services.progress_save_month(user=request.user, year=self.year, month=self.month,
                                                      rows=form.inputs, allow_confirm=False,
                                                      entries=form.entries)
        except services.MonthEntryError as exc:
            general += [m for m in exc.general if m not in general]
            for row_number, fields in {**exc.warnings, **exc.cells}.items():
                for field, msgs in fields.items():
                    if field in form.unread.get(row_number, ()):
                        continue  # that cell could not be read; its message is already listed
                    errors.extend(UploadError(row_number, column_label(field), msg) for msg in msgs)
        else:
            if result is not None:
                messages.success(request, _("上传成功：新增%(c)s行，修改%(u)s行，未变%(n)s行。") % {
                    "c": result.created, "u": result.updated, "n": result.unchanged})
                return redirect(reverse("investment:month", args=[self.year, self.month]))
        errors.sort(key=lambda e: (e.row, e.column))
        return self.render(form, general=general, errors=errors)

    def render(self, form, general=(), errors=()):
        context = {**self.month_context(), "form": form, "general_errors": general,
                   "errors": errors[:MAX_LISTED_ERRORS], "error_count": len(errors),
                   "errors_not_listed": max(0, len(errors) - MAX_LISTED_ERRORS)}
        return render(self.request, self.template_name, context)


class MonthLockView(MonthMixin, View):
    """Admins lock or reopen a month (reason required to reopen)."""

    def post(self, request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied(_("只有管理员可以锁定或解锁月份。"))
        form = MonthLockForm(request.POST)
        if form.is_valid():
            action = services.month_lock if form.cleaned_data["action"] == "lock" else services.month_reopen
            try:
                action(user=request.user, year=self.year, month=self.month, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                for msg in exc.messages:
                    messages.error(request, msg)
            else:
                done = _("已锁定") if form.cleaned_data["action"] == "lock" else _("已解锁")
                messages.success(request, _("%(y)s年%(m)s月%(done)s。") % {"y": self.year, "m": self.month, "done": done})
        else:
            messages.error(request, _("操作无效。"))
        return redirect(reverse("investment:month", args=[self.year, self.month]))


class StatusView(MonthMixin, TemplateView):
    """填报情况: which projects have not reported the month, per area and per staff member."""

    template_name = "investment/status.html"

    def get(self, request, *args, **kwargs):
        if not can_read_all(request.user):
            raise PermissionDenied(_("填报情况仅供领导和管理员查看。"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(self.month_context())
        context["status"] = selectors.reporting_status(year=self.year, month=self.month, today=today)
        context["today"] = today
        context["future"] = (self.year, self.month) > (today.year, today.month)
        return context
