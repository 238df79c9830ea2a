"""A project's change history (变更记录), read from django-simple-history.

Every model keeps a historical table with a full snapshot per change, the user (set by
``HistoryRequestMiddleware`` for form saves and by ``default_user`` for the bulk saves of the month
page) and the time. The page shows, for the project and each record hanging off it, who changed
what and when, with old and new values — the differences between consecutive snapshots.
A fixed number of queries: one per kind of record, plus one per kind of related label.
"""
import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from land.models import Acquisition
from procurement.models import Permit, Tender
from projects.models import CategoryChange, Milestone, PhaseTransition, Project

from .models import AnnualPlan, Funding, MonthlyProgress, PlanEntry, Saving

HIDDEN_FIELDS = {"id", "version", "updated_at", "updated_by", "changed_at", "project", "entry"}
KIND = {"+": "新增", "~": "修改", "-": "删除"}


def _records(model, **filters):
    return list(
        model.history.filter(**filters).select_related("history_user").order_by("id", "history_date", "history_id")
    )


def project_history(project):
    """The changes of ``project`` and its records, newest first (the page shows them paginated)."""
    entry_records = _records(PlanEntry, project_id=project.pk)
    entry_ids = {r.id for r in entry_records}
    sources = [
        (Project, _records(Project, id=project.pk)),
        (PlanEntry, entry_records),
        (MonthlyProgress, _records(MonthlyProgress, entry_id__in=entry_ids)),
        (CategoryChange, _records(CategoryChange, project_id=project.pk)),
        (PhaseTransition, _records(PhaseTransition, project_id=project.pk)),
        (Milestone, _records(Milestone, project_id=project.pk)),
        (Acquisition, _records(Acquisition, project_id=project.pk)),
        (Tender, _records(Tender, project_id=project.pk)),
        (Permit, _records(Permit, project_id=project.pk)),
        (Funding, _records(Funding, project_id=project.pk)),
        (Saving, _records(Saving, project_id=project.pk)),
    ]
    labels = _related_labels(sources)
    plan_years = dict(AnnualPlan.objects.values_list("pk", "year"))
    entry_year = {r.id: plan_years.get(r.plan_id) for r in entry_records}
    changes = []
    for model, records in sources:
        previous = None
        for record in records:
            before = previous if previous is not None and previous.id == record.id else None
            diffs = _diff(model, before, record, labels)
            if record.history_type == "~" and not diffs:
                previous = record
                continue
            changes.append({
                "when": record.history_date,
                "who": record.history_user,
                "kind": KIND.get(record.history_type, record.history_type),
                "model": model._meta.verbose_name,
                "object": _object_label(model, record, plan_years, entry_year),
                "reason": record.history_change_reason or "",
                "diffs": diffs,
            })
            previous = record
    changes.sort(key=lambda c: c["when"], reverse=True)
    return changes


def shown_fields(model):
    """The fields a change history shows (not ids, versions or bookkeeping)."""
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def _diff(model, before, after, labels):
    """[(field label, old, new)] of the fields that differ (all non-empty ones for a creation)."""
    rows = []
    for f in shown_fields(model):
        new = getattr(after, f.attname)
        old = getattr(before, f.attname) if before is not None else None
        if before is None and after.history_type == "-":
            continue
        if before is not None and old == new:
            continue
        if before is None and new in (None, ""):
            continue
        rows.append((f.verbose_name, show_value(f, old, labels) if before is not None else "", show_value(f, new, labels)))
    return rows


def show_value(field, value, labels):
    """A stored value as the history shows it (choices by label, FKs by ``labels``, dates ISO)."""
    if value is None or value == "":
        return _("（空）")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.ForeignKey):
        return labels.get(field.related_model, {}).get(value, f"#{value}")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _related_labels(sources):
    """{related model: {pk: str(object)}} for the foreign keys shown, one query per model."""
    wanted = {}
    for model, records in sources:
        for f in shown_fields(model):
            if isinstance(f, models.ForeignKey):
                ids = wanted.setdefault(f.related_model, set())
                ids.update(getattr(r, f.attname) for r in records if getattr(r, f.attname) is not None)
    return {
        related: {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for related, ids in wanted.items() if ids
    }


def _object_label(model, record, plan_years, entry_year):
    if model is Project:
        return _("项目信息")
    if model is PlanEntry:
        return _("%(y)s年度计划") % {"y": plan_years.get(record.plan_id, "?")}
    if model is MonthlyProgress:
        return _("%(y)s年%(m)s月进度") % {"y": entry_year.get(record.entry_id, "?"), "m": record.month}
    if model is CategoryChange:
        return _("%(y)s年类别调整") % {"y": record.year}
    if model is Milestone:
        return record.name
    return str(model._meta.verbose_name)
