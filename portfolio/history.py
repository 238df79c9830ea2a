"""A project's change history (变更记录): the one function the history page and the project page
read — every saved change of the project and of every record that hangs off it, newest first.

Which records: every model django-simple-history keeps that has a foreign key to ``Project``
(plan entries, phases, category changes, milestones, scores, funding, savings, acquisitions,
tenders, permits, …), a kept many-to-many to it (land batches), or a foreign key to one of those
(monthly progress under its plan entry). They are selected by the project id in the rows and in
their history, never through another record's history: monthly progress shows whether or not its
plan entry was ever saved. A record type added with a foreign key to ``Project`` appears here
without a change to this module (``_SUBJECTS`` only names it better).

What a change is: a history row compared with the previous version of the same record.

- 新增: the fields it was created with; 删除: the fields it held, gone.
- 修改: the fields that differ from the previous version (a version that changes nothing a
  person reads is not listed). A form saves the row, then its many-to-many, one version each: a
  version that changes only a many-to-many, by the same person within ``SAME_SAVE_SECONDS`` of
  the record's previous change, is shown as part of that change.
- Rows that were loaded, not saved (``manage.py load_demo``, bulk inserts): their loaded version
  (``portfolio.versions.LOADED``, kept just before the first change) is not a change but the
  "before" of the first change, which then reads 修改 old → new. So is a first version that no one
  made and that is not a creation (loaddata sets a batch's projects after its raw save and
  simple_history keeps that as a 修改 by no user). A first version that *a person* made of a row
  with no earlier version (changed before loaded versions were kept) is listed as 修改 with its
  values and the old ones as "（载入值未记录）".

Queries: one for the versions of every kind of record (a UNION of the history tables, each row
read as a JSON object of its columns, so the count does not grow with the kinds of record), one
for the many-to-many snapshots, two for plan years, one per kind of related label (the people who
saved included) — a fixed number, whatever the number of changes.
"""
import datetime as dt
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import IntegerField, Q, TextField, Value
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from investment.models import AnnualPlan, Funding, MonthlyProgress, PlanEntry, Saving
from land.models import Acquisition, LandBatch
from procurement.models import Permit, Tender
from projects.models import (
    CategoryChange, Milestone, MonthlyScore, PhaseTransition, Project, StaffAssignment,
)

from .versions import LOADED, m2m_snapshots, person, show_value, shown_fields, tracked_models

KIND = {"+": "新增", "~": "修改", "-": "删除"}
UNRECORDED = "（载入值未记录）"
SAME_SAVE_SECONDS = 5
GONE = ""


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    """One saved change as the page shows it."""

    when: datetime
    who: str
    kind: str
    record: str
    subject: str
    reason: str = ""
    fields: list = field(default_factory=list)


def project_history(*, project):
    """Every saved change of ``project`` and its records, newest first (see the module docstring)."""
    selected = _sources(project.pk)
    sources = list(zip([model for model, _query in selected], _versions(selected)))
    m2m = _m2m_members(sources)
    context = _Context(project, sources, m2m)
    changes = []
    for order, (model, versions) in enumerate(sources):
        previous, last = None, None
        for version in versions:
            before = previous if previous is not None and previous.id == version.id else None
            if before is None:
                last = None  # another record
            previous = version
            change = _change(model, before, version, context)
            if change is None:
                continue
            if before is not None and last is not None and _same_save(last, change, model):
                _merge(last, change)
                continue
            last = change
            changes.append((version.history_date, order, version.history_id, change))
    changes.sort(key=lambda c: c[:3], reverse=True)
    return [c[3] for c in changes]


def _same_save(earlier, later, model):
    """A form or admin save writes the row, then its many-to-many (one version each, and two for
    a replaced set): a version that changes only a many-to-many, by the same person within a
    few seconds of the record's previous change, is part of that change."""
    m2m = {str(f.verbose_name) for f, *_rest in m2m_snapshots(_history(model).model)}
    return (later.kind == "修改" and later.fields and all(f.label in m2m for f in later.fields)
            and later.who == earlier.who and earlier.kind != "删除"
            and (later.when - earlier.when).total_seconds() < SAME_SAVE_SECONDS)


def _merge(earlier, later):
    for change in later.fields:
        kept = next((f for f in earlier.fields if f.label == change.label), None)
        if kept is None:
            earlier.fields.append(FieldChange(change.label, "" if earlier.kind == "新增" else change.old, change.new))
        else:
            kept.new = change.new
    earlier.fields = [f for f in earlier.fields if f.old != f.new]


def _sources(project_id):
    """[(model, Q over its history)] for the project and every record kind hanging off it."""
    sources = [(Project, Q(id=project_id))]
    children = []
    for model in tracked_models():
        if model is Project:
            continue
        history = _history(model).model
        direct = [f for f in _fk_fields(model) if f.related_model is Project]
        for f in direct:
            ever = history.objects.filter(**{f.attname: project_id}).values("id")
            sources.append((model, Q(id__in=ever)))
        for m2m_field, snapshot, owner, member in m2m_snapshots(history):
            if m2m_field.related_model is Project:
                now = m2m_field.remote_field.through.objects.filter(**{f"{member}_id": project_id})
                ever = snapshot.objects.filter(**{f"{member}_id": project_id}).values("history__id")
                sources.append((model, Q(id__in=now.values(f"{owner}_id")) | Q(id__in=ever)))
        if not direct and not m2m_snapshots(history):
            children.append(model)
    parents = {parent: fk for parent in tracked_models() for fk in _fk_fields(parent)
               if fk.related_model is Project and parent is not Project}
    for model in children:
        for f in _fk_fields(model):
            if f.related_model in parents:
                parent_fk = parents[f.related_model]
                parent_ids = (f.related_model._base_manager.filter(**{parent_fk.attname: project_id}).values("pk"))
                parent_ever = _history(f.related_model).filter(**{parent_fk.attname: project_id}).values("id")
                ever = _history(model).filter(Q(**{f"{f.attname}__in": parent_ids})
                                            | Q(**{f"{f.attname}__in": parent_ever})).values("id")
                sources.append((model, Q(id__in=ever)))
    return sources


def _versions(sources):
    """[versions of the selected records of each source], each record's in the order they were
    written: one query, a UNION ALL over the history tables (which share no columns), each row
    read as a JSON object of its columns and made a history instance again (``_instance``)."""
    branches = [
        _history(model).filter(query).order_by().values(
            union_source=Value(index, output_field=IntegerField()), union_row=_row_json(_history(model).model))
        for index, (model, query) in enumerate(sources)
    ]
    union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    versions = [[] for _source in sources]
    for row in union:
        model = sources[row["union_source"]][0]
        versions[row["union_source"]].append(_instance(_history(model).model, row["union_row"], union.db))
    for found in versions:
        found.sort(key=lambda v: (v.id, v.history_id))
    return versions


JSON_CHUNK = 40
"""Columns per JSON object: PostgreSQL's json_build_object takes at most 100 arguments (a key and
a value each); a history table with more columns is read as objects of objects."""


def _row_json(history_model):
    """A history row as the text of a JSON object of its columns, keyed by column order."""
    columns = [f.attname for f in history_model._meta.concrete_fields]
    chunks = [columns[i:i + JSON_CHUNK] for i in range(0, len(columns), JSON_CHUNK)]
    row = JSONObject(**{str(n): JSONObject(**{f"c{i}": attname for i, attname in enumerate(chunk)})
                        for n, chunk in enumerate(chunks)})
    return Cast(row, output_field=TextField())


def _instance(history_model, text, db):
    """The history instance a JSON row (``_row_json``) holds, its values as the ORM reads them."""
    data = json.loads(text, parse_float=Decimal)
    values = [value for n in range(len(data)) for _key, value in
              sorted(data[str(n)].items(), key=lambda item: int(item[0][1:]))]
    fields = history_model._meta.concrete_fields
    return history_model.from_db(db, [f.attname for f in fields],
                                 [_python(f, value) for f, value in zip(fields, values)])


READ_TYPES = frozenset({
    "AutoField", "BigAutoField", "BigIntegerField", "IntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "ForeignKey", "CharField", "TextField",
    "DateField", "DateTimeField", "DecimalField", "BooleanField"})
"""The column types ``_python`` reads back as the ORM does (tests/test_history.py checks that every
kept column is one); another (JSON, duration) needs its own reading here first."""


def _python(f, value):
    """A column's JSON value as the field's Python value: SQLite has stored decimals as numbers
    (the ORM quantizes them to the field's places), its datetimes as naive UTC text, its booleans
    as 0/1; PostgreSQL writes numerics with their scale and datetimes with their offset."""
    if value is None:
        return None
    if isinstance(f, models.ForeignKey):
        f = f.target_field
    value = f.to_python(value)
    if isinstance(f, models.DecimalField):
        return value.quantize(Decimal(1).scaleb(-f.decimal_places))
    if isinstance(f, models.DateTimeField) and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value, dt.timezone.utc)
    return value


def _m2m_members(sources):
    """{(model, history_id): {m2m field: frozenset of member ids}} for kept many-to-manys."""
    members = {}
    for model, versions in sources:
        for m2m_field, snapshot, owner, member in m2m_snapshots(_history(model).model):
            ids = [v.history_id for v in versions]
            if not ids:
                continue
            for history_id, member_id in snapshot.objects.filter(history_id__in=ids).values_list(
                    "history_id", f"{member}_id"):
                members.setdefault((model, history_id), {}).setdefault(m2m_field, set()).add(member_id)
    return members


class _Context:
    """What the changes need to read: related labels, plan years, many-to-many members."""

    def __init__(self, project, sources, m2m):
        self.m2m = m2m
        wanted = {}
        for model, versions in sources:
            for f in _labelled_fields(model):
                wanted.setdefault(f.related_model, set()).update(
                    getattr(v, f.attname) for v in versions if getattr(v, f.attname) is not None)
        wanted.setdefault(get_user_model(), set()).update(
            v.history_user_id for _model, versions in sources for v in versions if v.history_user_id is not None)
        for by_field in m2m.values():
            for m2m_field, ids in by_field.items():
                wanted.setdefault(m2m_field.related_model, set()).update(ids)
        user_model = get_user_model()
        self.labels = {Project: {project.pk: str(project)}}
        self.plan_year = {}
        for related, ids in wanted.items():
            ids -= set(self.labels.get(related, ()))
            if not ids:
                continue
            # their labels may name their own foreign keys (a plan entry's year and project)
            objects = related._default_manager.filter(pk__in=ids).select_related(
                *[f.name for f in _fk_fields(related)])
            label = person if related is user_model else str
            self.labels.setdefault(related, {}).update((obj.pk, label(obj)) for obj in objects)
            if related is AnnualPlan:
                self.plan_year.update((obj.pk, obj.year) for obj in objects)
        # the plans of entries loaded without history (their progress has history of its own)
        self.entry_plan = {}
        for pk, plan_id, year in PlanEntry.objects.filter(project=project).values_list("pk", "plan_id", "plan__year"):
            self.entry_plan[pk] = plan_id
            self.plan_year[plan_id] = year
        for model, versions in sources:
            if model is PlanEntry:
                self.entry_plan.update((v.id, v.plan_id) for v in versions)

    def who(self, user_id):
        """The person who saved a version (``person``), 系统 when no one did."""
        if user_id is None:
            return person(None)
        return self.labels.get(get_user_model(), {}).get(user_id, f"#{user_id}")

    def entry_year(self, entry_id):
        return self.plan_year.get(self.entry_plan.get(entry_id), "?")


@cache
def _history(model):
    """``model.history``, the class's history manager, kept: simple-history builds a new manager
    class (``from_queryset``, an ``inspect.getmembers`` of the queryset) on every ``.history``
    read, a third of the project page's history time (~90 reads per page). The manager holds no
    state of its own (each query starts a new queryset)."""
    return model.history


@cache
def _fk_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


@cache
def _parent_fields(model):
    """The foreign keys that say whose record it is: to the project, or to a record of it (a
    progress row's plan entry). The page names them already; a change shows them only when it
    moved the record to another parent."""
    return [f for f in _fk_fields(model) if f.related_model is Project
            or any(p.related_model is Project for p in _fk_fields(f.related_model))]


@cache
def _fields(model):
    """The fields a change of ``model`` shows (portfolio.versions.shown_fields, less the parents)."""
    parents = _parent_fields(model)
    return [f for f in shown_fields(model) if f not in parents]


@cache
def _labelled_fields(model):
    """The foreign keys a change may show: the shown ones, and the parents a record moved from."""
    return [f for f in _fk_fields(model) if f in _fields(model) or f in _parent_fields(model)]


def _change(model, before, version, context):
    """The change ``version`` made over ``before`` (None: no earlier version), or None when it is
    not a change a person reads (a loaded version, a save that changed nothing shown)."""
    if version.history_change_reason == LOADED:
        return None
    if (version.history_type == "~" and version.history_user_id is None
            and (before is None or getattr(before, "is_loaded_state", False))):
        # the row as loaded (see the module docstring); loaddata sets each many-to-many field in
        # turn, so the leading versions without a user are all the loaded state
        version.is_loaded_state = True
        return None
    fields = []
    for f in _fields(model) + _moved_fields(model, before, version):
        fields += _field_change(f, before, version, context.labels)
    for m2m_field, *_snapshot in m2m_snapshots(_history(model).model):
        fields += _m2m_change(model, m2m_field, before, version, context)
    if version.history_type == "~" and before is not None and not fields:
        return None
    return Change(
        when=version.history_date,
        who=context.who(version.history_user_id),
        kind=KIND.get(version.history_type, version.history_type),
        record=str(model._meta.verbose_name),
        subject=_subject(model, version, context),
        reason=version.history_change_reason or "",
        fields=fields,
    )


def _moved_fields(model, before, version):
    """The parent fields when a change moved the record to another project or parent record."""
    if before is None or version.history_type != "~":
        return []
    return [f for f in _parent_fields(model) if getattr(before, f.attname) != getattr(version, f.attname)]


def _field_change(f, before, version, labels):
    new = getattr(version, f.attname)
    if version.history_type == "-":
        return [] if new in (None, "") else [FieldChange(f.verbose_name, show_value(f, new, labels), GONE)]
    if before is None:
        if new in (None, ""):
            return []
        old = "" if version.history_type == "+" else UNRECORDED
        return [FieldChange(f.verbose_name, old, show_value(f, new, labels))]
    old = getattr(before, f.attname)
    if old == new:
        return []
    return [FieldChange(f.verbose_name, show_value(f, old, labels), show_value(f, new, labels))]


def _m2m_change(model, m2m_field, before, version, context):
    def members(v):
        ids = context.m2m.get((model, v.history_id), {}).get(m2m_field, set())
        names = sorted(context.labels.get(m2m_field.related_model, {}).get(i, f"#{i}") for i in ids)
        return "、".join(names) or _("（空）")

    new = members(version)
    if version.history_type == "-":  # the many-to-many rows are gone before the version is kept
        old = members(before) if before is not None else new
        return [] if old == _("（空）") else [FieldChange(m2m_field.verbose_name, old, GONE)]
    if before is None:
        old = "" if version.history_type == "+" else UNRECORDED
        return [FieldChange(m2m_field.verbose_name, old, new)]
    old = members(before)
    return [] if old == new else [FieldChange(m2m_field.verbose_name, old, new)]


_SUBJECTS = {
    Project: lambda v, c: _("项目信息"),
    PlanEntry: lambda v, c: _("%(y)s年度计划") % {"y": c.plan_year.get(v.plan_id, "?")},
    MonthlyProgress: lambda v, c: _("%(y)s年%(m)s月进度") % {"y": c.entry_year(v.entry_id), "m": v.month},
    CategoryChange: lambda v, c: _("%(y)s年") % {"y": v.year},
    PhaseTransition: lambda v, c: v.occurred_on.isoformat(),
    Milestone: lambda v, c: v.name,
    MonthlyScore: lambda v, c: _("%(y)s年%(m)s月") % {"y": v.year, "m": v.month},
    StaffAssignment: lambda v, c: c.labels.get(get_user_model(), {}).get(v.user_id, ""),
    Funding: lambda v, c: f"{v.get_source_display()} {v.received_on.isoformat()}",
    Saving: lambda v, c: f"{v.get_kind_display()} {v.recorded_on.isoformat()}",
    LandBatch: lambda v, c: _("%(y)s年第%(n)s批次") % {"y": v.year, "n": v.number},
    Acquisition: lambda v, c: _("%(y)s年") % {"y": v.year},
    Tender: lambda v, c: v.title,
    Permit: lambda v, c: v.get_kind_display(),
}


def _subject(model, version, context):
    """Which record of its kind a version is, as a person names it."""
    name = _SUBJECTS.get(model)
    if name is not None:
        return str(name(version, context))
    for attr in ("name", "title", "number"):
        if getattr(version, attr, ""):
            return str(getattr(version, attr))
    dates = [getattr(version, f.attname) for f in model._meta.concrete_fields
             if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)]
    return next((d.isoformat() for d in dates if d is not None), "")
