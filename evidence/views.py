"""Evidence pages: a project's photos of a month (upload, gallery), the protected file view, the
list of projects under construction without a photo, key personnel and attendance, inspections."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from portfolio.exports.responses import content_disposition
from portfolio.forms import add_service_errors
from portfolio.generic import ObjectListView
from portfolio.numbers import percent
from portfolio.period import request_period
from projects.models import Project
from projects.permissions import can_edit_project, can_inspect, editable_projects, has_a_role, is_admin

from . import selectors, services
from .filters import MissingPhotoFilterSet
from .forms import AttendanceImportForm, EvidenceForm, InspectionForm, KeyPersonForm, PhotoUploadForm
from .models import Finding, FindingStatus, KeyPerson, Photo, Post
from .tables import MissingPhotoTable


def may_read(user):
    """A file is for users with a role (管理员, 领导, 录入员) or superusers; a login alone is not enough."""
    return has_a_role(user)


class FileView(LoginRequiredMixin, View):
    """The one way a stored file leaves the system: login and role checked, streamed with its
    content type, never sniffed, never from a public URL. ``kind``: full or thumb."""

    model = Photo
    kind = "full"

    def get(self, request, pk):
        if not may_read(request.user):
            raise PermissionDenied
        photo = get_object_or_404(Photo, pk=pk)
        if self.kind == "full":
            field, content_type = photo.image, photo.content_type
        else:
            field, content_type = photo.thumbnail, "image/jpeg"
        try:
            handle = field.storage.open(field.name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404(_("文件不存在。")) from None
        response = FileResponse(handle, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        extension = "jpg" if content_type == "image/jpeg" else "png"
        response["Content-Disposition"] = content_disposition(f"photo-{photo.pk}-{self.kind}.{extension}",
                                                              disposition="inline")
        return response


class ProjectMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = get_object_or_404(Project.objects.select_related("area", "contractor", "supervisor"),
                                         pk=kwargs["pk"])
        choice = self.period_choice = request_period(request)
        self.period = choice.period
        self.may_edit = can_edit_project(request.user, self.project)
        if request.method == "POST" and not self.may_edit:
            raise PermissionDenied
        if request.method == "POST" and choice.errors:
            # photos or attendance would land in the default month, not the one the user meant
            messages.error(request, _("年度或月份有误，未保存：%(e)s") % {"e": "；".join(map(str, choice.errors))})
            return redirect(request.path)
        return super().dispatch(request, *args, **kwargs)

    def back(self, name):
        return redirect(f"{reverse(name, args=[self.project.pk])}?year={self.period.year}&month={self.period.month}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, period=self.period, period_choice=self.period_choice,
                                        may_edit=self.may_edit, **kwargs)


class ProjectPhotosView(ProjectMixin, TemplateView):
    """A project's progress photos: the chosen month's, the upload form, and the other months."""

    template_name = "evidence/project_photos.html"

    def post(self, request, *args, **kwargs):
        form = PhotoUploadForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                added = services.photos_add(project=self.project, year=self.period.year, month=self.period.month,
                                            uploads=form.uploads(), user=request.user,
                                            caption=form.cleaned_data["caption"])
                messages.success(request, _("已上传 %(n)s 张照片。") % {"n": len(added)})
                return self.back("evidence:project_photos")
            except ValidationError as e:
                errors = e.messages
        else:
            errors = [m for field_errors in form.errors.values() for m in field_errors]
        return self.render_to_response(self.get_context_data(form=form, upload_errors=errors), status=400)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PhotoUploadForm())
        months = selectors.photos_by_month(project=self.project)
        current = next((photos for key, photos in months if key == (self.period.year, self.period.month)), [])
        return super().get_context_data(months=months, current=current, **kwargs)


class PhotoDeleteView(LoginRequiredMixin, View):
    model = Photo

    def post(self, request, pk):
        photo = get_object_or_404(Photo.objects.select_related("project"), pk=pk)
        try:
            services.photo_delete(photo=photo, user=request.user)
        except ValidationError as e:
            messages.error(request, "；".join(e.messages))
        else:
            messages.success(request, _("已删除照片。"))
        return redirect(f"{reverse('evidence:project_photos', args=[photo.project_id])}"
                        f"?year={photo.year}&month={photo.month}")


class MissingPhotoListView(ObjectListView):
    """本月无形象进度照片: the projects under construction without a progress photo of the month —
    the rows of the dashboard's evidence coverage."""

    selector = staticmethod(selectors.entries_without_photo)
    filterset_class = MissingPhotoFilterSet
    table_class = MissingPhotoTable
    title = gettext_lazy("在建项目本月无形象进度照片")

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "period": self.period}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["description"] = _("%(year)s年%(month)s月末在建的项目中，尚未上传%(month)s月形象进度照片的项目。") % {
            "year": self.period.year, "month": self.period.month}
        return context


# --- key personnel and attendance ---------------------------------------------------------------

def raise_links(person, period):
    """One-click 问题 and 督办 for a person below the threshold: the supervision app's create pages,
    prefilled with the project and the sentence."""
    text = _("%(post)s%(name)s %(year)s年%(month)s月到岗率%(rate)s%%，低于要求的%(min)s%%。") % {
        "post": person.get_post_display(), "name": person.name, "year": period.year, "month": period.month,
        "rate": percent(person.rate, 0), "min": person.threshold}
    return {"problem": reverse("problem_create") + "?" + urlencode({
                "project": person.project_id, "type": "other", "description": text,
                "year": period.year, "month": period.month}),
            "order": reverse("order_create") + "?" + urlencode({
                "project": person.project_id, "source": "other", "content": text})}


def with_links(people, period):
    for person in people:
        person.links = raise_links(person, period) if person.warning else None
    return people


class ProjectPersonnelView(ProjectMixin, TemplateView):
    """A project's key people with the month's attendance and on-site rate; editors add people,
    enter the month's days or import the attendance system's workbook."""

    template_name = "evidence/project_personnel.html"

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "person":
            form = KeyPersonForm(request.POST)
            if form.is_valid():
                person = form.save(commit=False)
                person.project = self.project
                person.organisation = (self.project.supervisor if person.post in ("chief_supervisor", "supervising_engineer")
                                       else self.project.contractor)
                try:
                    services.key_person_save(person=person)
                    messages.success(request, _("已添加 %(name)s。") % {"name": person.name})
                    return self.back("evidence:project_personnel")
                except ValidationError as e:
                    add_service_errors(form, e)
            return self.render_to_response(self.get_context_data(person_form=form), status=400)
        if action == "attendance":
            people = {p.pk: p for p in KeyPerson.objects.filter(project=self.project)}
            days, errors = {}, {}
            for pk, person in people.items():
                raw = request.POST.get(f"days-{pk}", "").strip()
                if raw == "":
                    days[person] = None
                elif raw.isdecimal() and len(raw) <= 2:
                    days[person] = int(raw)
                else:
                    errors[pk] = _("请输入0到31之间的整数。")
            if not errors:
                try:
                    services.attendance_set(year=self.period.year, month=self.period.month, days_by_person=days)
                    messages.success(request, _("已保存本月考勤。"))
                    return self.back("evidence:project_personnel")
                except ValidationError as e:
                    errors = {int(k): v[0] for k, v in e.message_dict.items()} if hasattr(e, "error_dict") \
                        else {0: e.messages[0]}
            return self.render_to_response(self.get_context_data(attendance_errors=errors,
                                                                 typed=request.POST), status=400)
        if action == "import":
            from .attendance_import import import_attendance

            form = AttendanceImportForm(request.POST, request.FILES)
            if form.is_valid():
                result = import_attendance(project=self.project, period=self.period, upload=form.cleaned_data["file"])
                if not result.errors:
                    messages.success(request, _("已导入 %(n)s 人的考勤。") % {"n": result.saved})
                    return self.back("evidence:project_personnel")
                return self.render_to_response(self.get_context_data(import_errors=result.errors), status=400)
            return self.render_to_response(self.get_context_data(import_form=form), status=400)
        raise PermissionDenied

    def get_context_data(self, **kwargs):
        kwargs.setdefault("person_form", KeyPersonForm())
        kwargs.setdefault("import_form", AttendanceImportForm())
        people = with_links(selectors.personnel_month(period=self.period, projects=[self.project]), self.period)
        typed = kwargs.pop("typed", None)
        for person in people:
            person.typed = typed.get(f"days-{person.pk}", "")[:10] if typed is not None else None
        return super().get_context_data(people=people, working_days=selectors.working_days(
            self.period.year, self.period.month), **kwargs)


class AttendanceWarningsView(LoginRequiredMixin, TemplateView):
    """Every key person below their post's threshold in the month, with one-click 问题 / 督办."""

    template_name = "evidence/attendance_warnings.html"

    def get_context_data(self, **kwargs):
        choice = request_period(self.request)
        period = choice.period
        people = selectors.personnel_month(period=period)
        warnings = with_links([p for p in people if p.warning], period)
        missing = [p for p in people if p.days_present is None]
        return super().get_context_data(period=period, period_choice=choice, warnings=warnings, missing=missing,
                                        thresholds=[(Post(k).label, v) for k, v in selectors.thresholds().items()],
                                        people_count=len(people),
                                        working_days=selectors.working_days(period.year, period.month), **kwargs)


# --- inspections ---------------------------------------------------------------------------------

class InspectionsView(LoginRequiredMixin, TemplateView):
    """Findings up to the month's end: open and overdue by project and by contractor, each
    finding with its state and actions, and the month's 质量/安全 score suggestions by area."""

    template_name = "evidence/inspections.html"

    def get_context_data(self, **kwargs):
        choice = request_period(self.request)
        period = choice.period
        findings = selectors.findings_in_period(period=period)
        user = self.request.user
        editable = None if is_admin(user) else set(editable_projects(user).values_list("pk", flat=True))
        inspector_of = set(user.inspections.values_list("pk", flat=True)) if can_inspect(user) else set()
        for f in findings:
            f.may_submit = f.status != FindingStatus.CLOSED and (editable is None or f.inspection.project_id in editable)
            f.may_accept = (f.status == FindingStatus.SUBMITTED and f.submitted_by_id != user.pk
                            and (is_admin(user) or f.inspection_id in inspector_of))
        return super().get_context_data(
            period=period, period_choice=choice, findings=findings, by_project=selectors.open_findings_by(period=period, key="project"),
            by_contractor=selectors.open_findings_by(period=period, key="contractor"),
            evidence_form=EvidenceForm(), **kwargs)


class InspectionCreateView(ProjectMixin, TemplateView):
    template_name = "evidence/inspection_form.html"

    def get(self, request, *args, **kwargs):
        if not self.may_edit:
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = InspectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            findings = ([{"description": data["description"], "severity": data["severity"] or "minor",
                          "deadline": data["deadline"]}] if data["description"] else [])
            try:
                services.inspection_create(project=self.project, kind=data["kind"], inspected_on=data["inspected_on"],
                                           inspectors=list(data["inspectors"]), note=data["note"], findings=findings)
                messages.success(request, _("已登记检查。"))
                return redirect(f"{reverse('evidence:inspections')}?year={data['inspected_on'].year}"
                                f"&month={data['inspected_on'].month}")
            except ValidationError as e:
                add_service_errors(form, e)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", InspectionForm())
        return super().get_context_data(**kwargs)


def _finding_back(request, finding):
    d = finding.inspection.inspected_on
    return redirect(f"{reverse('evidence:inspections')}?year={request.GET.get('year', d.year)}"
                    f"&month={request.GET.get('month', d.month)}#finding-{finding.pk}")


class FindingSubmitView(LoginRequiredMixin, View):
    """The contractor side sends the photo of the fix."""

    model = Finding

    def post(self, request, pk):
        finding = get_object_or_404(Finding.objects.select_related("inspection__project"), pk=pk)
        if not can_edit_project(request.user, finding.inspection.project):
            raise PermissionDenied
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择整改照片。"))
            return _finding_back(request, finding)
        try:
            services.finding_submit_evidence(finding=finding, upload=form.cleaned_data["photo"], user=request.user)
            messages.success(request, _("已提交整改照片，待检查人验收。"))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return _finding_back(request, finding)


class FindingDecideView(LoginRequiredMixin, View):
    """An inspector accepts the fix (the finding closes) or sends it back."""

    model = Finding
    decision = "accept"

    def post(self, request, pk):
        finding = get_object_or_404(Finding.objects.select_related("inspection__project"), pk=pk)
        try:
            if self.decision == "accept":
                services.finding_accept(finding=finding, user=request.user)
                messages.success(request, _("已验收，问题销项。"))
            else:
                services.finding_reject(finding=finding, user=request.user)
                messages.success(request, _("已退回整改。"))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        return _finding_back(request, finding)
