"""One generic create / update / delete for every record staff keep (NetBox style), and the
``RecordType`` that configures it. A record type is one entry of ``records.registry``: the model,
the form fields and the service hooks (here), and what the registry builds from it — its list page
(``records.lists.RecordList``), its section on the project's record page
(``records.sections.Section``), its item in the 台账 menu and its label in the change history.

    TENDER = RecordType(
        slug="tender", model=Tender, fields=["project", "kind", "title", ...],
        validate=procurement_services.tender_validate,
        list=RecordList(...), section=Section(...),
    )

Rights: the pages are for users who may edit at least one project (录入员 of an area or project,
管理员); leaders get 403. The form offers only the user's own projects and refuses with 403 a
posted project it does not offer (``ProjectChoiceField``, each id parsed once); the service checks
the record's projects again (before and after the change), so a crafted POST is refused with 403.
Forms only parse input; all validation is in the services, whose Chinese ``ValidationError``
messages are shown beside their fields. A stale form — the record was changed by someone else
after the edit or delete page was opened — is refused, naming who changed it, when and what
(the record's latest django-simple-history row travels with the form as ``loaded_change``).
After a save the user returns to ``?next=`` (a local URL) or to the project's record page.
"""
from dataclasses import dataclass, field
from typing import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Model
from django.forms.models import construct_instance, modelform_factory
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from portfolio.forms import IdChoiceField, IdMultipleChoiceField, add_service_errors
from portfolio.validators import parse_id
from projects import services
from projects.models import Project
from projects.permissions import editable_projects, is_admin


class ProjectChoiceField(IdChoiceField):
    """A record's project, chosen by id among those the form offers (the user's editable ones).
    The posted value is parsed once (``parse_id``): what is no id is an invalid choice, as
    ``IdChoiceField`` says; an id the form does not offer is a crafted request (the form never
    shows one) and ``refuse`` (``projects.services.require_editable``) answers 403."""

    refuse = None
    """Set by ``RecordForm``: refuse(ids) raises PermissionDenied; None for an administrator, to
    whom every project is offered (an id of none is an invalid choice)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = value.pk if isinstance(value, Model) else parse_id(value)
        if pk is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        found = self.queryset.filter(pk=pk).first()
        if found is None:
            if self.refuse is not None:
                self.refuse([pk])
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": str(value)[:20]})
        return found


class ProjectMultipleChoiceField(IdMultipleChoiceField):
    """A record's projects (a land batch's), each posted id parsed once and checked as
    ``ProjectChoiceField`` checks one."""

    refuse = None

    def _check_values(self, value):
        ids, crafted = {}, []
        for v in value:
            pk = v.pk if isinstance(v, Model) else parse_id(v)
            if pk is None:
                crafted.append(v)
            else:
                ids.setdefault(pk, v)
        found = self.queryset.filter(pk__in=ids) if ids else self.queryset.none()
        missing = set(ids) - {p.pk for p in found}  # evaluates found: the form's value, no second query
        if missing and self.refuse is not None:
            self.refuse(sorted(missing))  # a project not offered is refused first, as a crafted request
        if crafted or missing:
            shown = crafted[0] if crafted else ids[min(missing)]
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": str(shown)[:20]})
        return found


class RecordForm(forms.ModelForm):
    """Input parsing only (model validation is the service's): Bootstrap widgets, HTML date
    inputs, and project choices limited to the user's editable projects."""

    limit_choices = {}
    """{field: choices(user) → QuerySet}, set from ``RecordType.limit_choices``."""

    def __init__(self, *args, user, admin_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        projects = editable_projects(user).select_related("area").order_by("code")
        refuse = None if is_admin(user) else (lambda ids: services.require_editable(user, ids))
        for name in ("project", "projects"):
            if name in self.fields:
                self.fields[name].queryset = projects
                self.fields[name].refuse = refuse
        for name, choices in self.limit_choices.items():
            if name in self.fields:
                self.fields[name].queryset = choices(user)
        if "project" in self.fields and not is_admin(user):
            # A record without a project is the center's own: administrators only.
            self.fields["project"].required = True
        for f in self.fields.values():
            if isinstance(f, forms.DateField):
                f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            if isinstance(f.widget, forms.CheckboxInput):
                css = "form-check-input"
            f.widget.attrs.setdefault("class", css)
            if isinstance(f.widget, forms.SelectMultiple):
                f.widget.attrs.setdefault("size", 8)

    def _post_clean(self):
        # Copy the values onto the instance without Model.full_clean(): the service validates.
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as e:
            self._update_errors(e)

    def m2m_data(self):
        return {f.name: self.cleaned_data[f.name] for f in self.instance._meta.many_to_many
                if f.name in self.cleaned_data}

    def add_service_errors(self, error):
        """Show a service's ValidationError beside its fields (or above the form, named)."""
        add_service_errors(self, error, label=lambda name: self.instance._meta.get_field(name).verbose_name)


def _id_choices(model_field, **kwargs):
    """The form field of a model field; a relation is chosen by id (``portfolio.forms.IdChoiceField``,
    a project by ``ProjectChoiceField``): a posted value that is no id ("²", 40 digits) is an
    invalid choice before the database sees it."""
    to_project = model_field.is_relation and model_field.related_model is Project
    if isinstance(model_field, models.ForeignKey):
        kwargs.setdefault("form_class", ProjectChoiceField if to_project else IdChoiceField)
    elif isinstance(model_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ProjectMultipleChoiceField if to_project else IdMultipleChoiceField)
    return model_field.formfield(**kwargs)


def _default_save(record_type):
    def save(*, user, instance, form):
        return services.record_save(user=user, instance=instance, m2m=form.m2m_data(),
                                    validate=record_type.validate)
    return save


def _default_delete(*, user, instance):
    services.record_delete(user=user, instance=instance)


@dataclass
class RecordType:
    """The configuration of one kind of record.

    ``fields`` for the create form, ``update_fields`` for the edit form (default: the same);
    ``validate(instance, m2m)`` checks across relations before ``full_clean``; ``create``,
    ``update`` and ``delete`` replace the generic service calls when a record needs its own
    (phase transitions, scores); ``admin_only`` closes the pages to 录入员; ``initial_from_get``
    lists fields that may be preset from the query string (``?project=12``).
    """

    slug: str
    model: type
    fields: list
    update_fields: list | None = None
    validate: Callable | None = None
    create: Callable | None = None
    update: Callable | None = None
    delete: Callable | None = None
    admin_only: bool = False
    initial_from_get: list = field(default_factory=lambda: ["project"])
    form_class: type | None = None
    limit_choices: dict = field(default_factory=dict)
    """{field: choices(user) → QuerySet}: the choices a form offers (the user's acquisition tasks)."""
    list: object = None
    """A ``records.lists.RecordList``: the list page the registry builds (selector, FilterSet, Table)."""
    list_url: str | None = None
    """Or the URL name of a page of its own that lists the records (流动红旗: ``records:scores``)."""
    section: object = None
    """A ``records.sections.Section``: the record's card on the project's record page."""
    menu: str | None = None
    """The label in the 台账 menu (default: the list's title); types without a list have none."""
    menu_extra: object = field(default_factory=lambda: [])
    """More menu items right after this one: [(label, URL name)] (节点计划 → 逾期节点)."""

    @property
    def title(self):
        return self.model._meta.verbose_name

    @property
    def history_label(self):
        """How the change history names a record of this type (``portfolio.history``)."""
        return str(self.model._meta.verbose_name)

    @property
    def list_url_name(self):
        if self.list is not None:
            return self.list.name
        return self.list_url

    @property
    def menu_label(self):
        if self.menu:
            return self.menu
        return self.list.title if self.list is not None else None

    def form_for(self, *, updating):
        fields = (self.update_fields or self.fields) if updating else self.fields
        form = modelform_factory(self.model, form=self.form_class or RecordForm, fields=fields,
                                 formfield_callback=_id_choices)
        if self.limit_choices:
            form.limit_choices = {**form.limit_choices, **self.limit_choices}
        return form

    def save_for(self, *, updating):
        hook = self.update if updating else self.create
        return hook or _default_save(self)

    def delete_hook(self):
        return self.delete or _default_delete

    def urls(self):
        """The create, update and delete pages of this record type (names ``<slug>_add`` …).
        Each is a subclass with ``model`` set, so URL walkers and tests see the model."""
        attrs = {"record_type": self, "model": self.model}
        create = type(f"{self.model.__name__}CreateView", (RecordCreateView,), attrs)
        update = type(f"{self.model.__name__}UpdateView", (RecordUpdateView,), attrs)
        delete = type(f"{self.model.__name__}DeleteView", (RecordDeleteView,), attrs)
        return [
            path(f"{self.slug}/add/", create.as_view(), name=f"{self.slug}_add"),
            path(f"{self.slug}/<int:pk>/edit/", update.as_view(), name=f"{self.slug}_edit"),
            path(f"{self.slug}/<int:pk>/delete/", delete.as_view(), name=f"{self.slug}_delete"),
        ]


LOADED_FIELD = "loaded_change"


def current_label(field, record):
    """A field's value on a (historical) record as a person reads it."""
    from portfolio.versions import show_value

    if field.is_relation:
        related = getattr(record, field.name, None)
        return str(related) if related is not None else _("（空）")
    return show_value(field, getattr(record, field.attname), {})


class RecordMixin(LoginRequiredMixin):
    """Shared by the three generic pages: rights, the object, where to go back to."""

    record_type: RecordType = None
    model = None
    template_name = "records/record_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            allowed = is_admin(request.user) if self.record_type.admin_only else (
                editable_projects(request.user).exists())
            if not allowed:
                raise PermissionDenied(_("您没有录入该类记录的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        obj = get_object_or_404(self.model, pk=self.kwargs["pk"])
        if self.record_type.admin_only:
            return obj
        projects = services.record_projects(obj)
        if not projects and not is_admin(self.request.user):
            raise PermissionDenied(_("您没有修改该记录的权限。"))
        services.require_editable(self.request.user, projects)
        return obj

    def success_url(self, obj=None):
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, {self.request.get_host()},
                                                        require_https=self.request.is_secure()):
            return next_url
        project_id = getattr(obj, "project_id", None)
        if project_id:
            return reverse("records:project", args=[project_id])
        return reverse("records:index")

    def last_change(self, obj):
        """The record's latest history row: the version an edit or delete page was opened at."""
        return obj.history.select_related("history_user").order_by("-history_id").first()

    def stale(self, obj, refused=None):
        """None when the posted form was loaded at the record's current version; else (message,
        current version): a Chinese message naming who changed the record since, when, and the
        fields with their values now. A form posted without ``loaded_change`` counts as stale:
        leaving the field out must not skip the check."""
        loaded = self.request.POST.get(LOADED_FIELD) or ""
        current = self.last_change(obj)
        if current is None or loaded == str(current.history_id):
            return None
        from investment.services import user_label

        from portfolio.versions import shown_fields

        loaded_id = parse_id(loaded)
        before = obj.history.filter(history_id=loaded_id).first() if loaded_id else None
        changed = [
            f"{f.verbose_name}：{current_label(f, current)}"
            for f in shown_fields(self.model)
            if before is not None and getattr(before, f.attname) != getattr(current, f.attname)
        ]
        message = _("该记录已被%(who)s于%(when)s修改，%(refused)s") % {
            "who": user_label(current.history_user),
            "when": timezone.localtime(current.history_date).strftime("%Y-%m-%d %H:%M"),
            "refused": refused or _("您的修改未保存。")}
        if changed:
            message += _("现在的内容：%(fields)s。") % {"fields": "；".join(changed)}
        return message + _("请核对后再操作。"), current.history_id

    def render(self, form=None, obj=None, status=200, loaded_change=None, **extra):
        if obj is not None and loaded_change is None:
            # a re-shown form keeps the version it was first loaded at
            loaded_change = self.request.POST.get(LOADED_FIELD) or getattr(self.last_change(obj), "history_id", "")
        context = {
            "record_type": self.record_type, "form": form, "object": obj, "loaded_change": loaded_change,
            "next": self.request.POST.get("next") or self.request.GET.get("next", ""),
            "cancel_url": self.success_url(obj), **extra,
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class RecordFormView(RecordMixin, View):
    updating = False

    def get_instance(self):
        return self.get_object() if self.updating else self.model()

    def initial_from_query(self):
        """A new record's fields preset from the link that opened the form (``initial_from_get``):
        a related row by its id (``parse_id``: a crafted id presets nothing), other values as given."""
        get, initial = self.request.GET, {}
        relations = {f.name: f.many_to_many for f in self.model._meta.get_fields() if f.is_relation}
        for name in self.record_type.initial_from_get:
            values = [v for v in get.getlist(name) if v]
            if name in relations:
                values = [i for i in map(parse_id, values) if i is not None]
            if values:
                initial[name] = values if relations.get(name) else values[-1]
        if relations.get("projects") and "projects" not in initial:
            # a project's record page links to 新增 with ?project=: preset it among the projects
            ids = [i for i in map(parse_id, get.getlist("project")) if i is not None]
            if ids:
                initial["projects"] = ids
        return initial

    def build_form(self, instance, data=None):
        initial = {} if self.updating else self.initial_from_query()
        form_class = self.record_type.form_for(updating=self.updating)
        return form_class(data, instance=instance, initial=initial, user=self.request.user)

    def get(self, request, *args, **kwargs):
        instance = self.get_instance()
        return self.render(self.build_form(instance), instance if self.updating else None)

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = self.build_form(instance, request.POST)  # a project it does not offer: 403 (ProjectChoiceField)
        stale = self.stale(instance) if self.updating else None
        if stale:
            message, current = stale
            form.is_valid()
            form.add_error(None, message)
            # shown again with what the user typed; saving it now is a deliberate overwrite
            return self.render(form, instance, loaded_change=current)
        if form.is_valid():
            try:
                obj = self.record_type.save_for(updating=self.updating)(
                    user=request.user, instance=form.instance, form=form)
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                messages.success(request, _("已保存%(what)s。") % {"what": self.record_type.title})
                return HttpResponseRedirect(self.success_url(obj))
        return self.render(form, instance if self.updating else None, status=200)


class RecordCreateView(RecordFormView):
    updating = False


class RecordUpdateView(RecordFormView):
    updating = True


class RecordDeleteView(RecordMixin, View):
    template_name = "records/record_confirm_delete.html"

    def get(self, request, *args, **kwargs):
        return self.render(obj=self.get_object())

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        back = self.success_url(obj)
        stale = self.stale(obj, refused=_("记录未删除。"))
        if stale:
            message, current = stale
            return self.render(obj=obj, errors=[message], loaded_change=current)
        try:
            self.record_type.delete_hook()(user=request.user, instance=obj)
        except ValidationError as e:
            return self.render(obj=obj, errors=e.messages)
        messages.success(request, _("已删除%(what)s。") % {"what": self.record_type.title})
        return HttpResponseRedirect(back)
