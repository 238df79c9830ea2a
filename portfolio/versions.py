"""Ground floor: the versions django-simple-history keeps, read the same way everywhere (the
change history, the stale-form message), and the loaded version of a row that has none.

Why a loaded version (载入值): rows written without ``save()`` — ``manage.py load_demo``
(loaddata saves raw), bulk inserts, data brought over from elsewhere — have no history row, so
their first change would have nothing to be compared with: the history could only list the new
values. Just before such a row is changed for the first time, its stored values are therefore
kept as a version of its own (history type "+", no user, reason ``LOADED``). The change history
does not list that version; it is the "before" of the first change, which then reads 修改 old → new
like any other. ``pre_save`` covers the record forms, the admin and every service that calls
``save()``; a bulk update calls ``keep_loaded_versions`` itself (the month page does). This is
bookkeeping of the audit trail, as simple_history's own signals are, not business logic.
"""
import datetime as dt
from functools import cache
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import registered_models
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

LOADED = "载入值"
"""``history_change_reason`` of a loaded version."""

HIDDEN_FIELDS = {"id", "version", "updated_at", "updated_by", "changed_at", "project", "entry"}
"""Bookkeeping a person does not read as a change (ids, versions, the saver and time — shown as
who and when), and the record's parent, which the page already names."""


def shown_fields(model):
    """The fields a change history shows (not ids, versions or bookkeeping)."""
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def person(user, nobody=None):
    """A user as people name them: full name, else username; ``nobody`` (default 系统, for a
    change no one made) when there is no user."""
    if user is None:
        return _("系统") if nobody is None else nobody
    return user.get_full_name() or user.username


def show_value(field, value, labels):
    """A stored value as a person reads it: choices by label, foreign keys by ``labels``
    ({related model: {pk: label}}), 是/否, amounts with their stored decimals, dates ISO."""
    if value is None or value == "":
        return _("（空）")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
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


def tracked_models():
    """The models with a django-simple-history table (not the many-to-many snapshots)."""
    return [m for m in dict.fromkeys(registered_models.values())
            if getattr(m._meta, "simple_history_manager_attribute", None)]


@cache
def m2m_snapshots(history_model):
    """[(many-to-many field, its snapshot model, owner column, member column)] of a history model."""
    result = []
    for field in getattr(history_model, "_history_m2m_fields", []):
        snapshot = next(r.related_model for r in history_model._meta.related_objects
                        if r.related_model.__name__ == f"{history_model.__name__}_{field.name}")
        result.append((field, snapshot, get_m2m_field_name(field), get_m2m_reverse_field_name(field)))
    return tuple(result)


def keep_loaded_versions(model, pks):
    """Keep the stored values of the rows of ``model`` (by pk) that have no history yet as their
    loaded version. At most four queries, whatever the number of rows."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    history = model.history.model
    known = set(history.objects.filter(id__in=pks).order_by().values_list("id", flat=True).distinct())
    rows = list(model._base_manager.filter(pk__in=pks - known)) if pks - known else []
    if not rows:
        return
    now = timezone.now()
    versions = history.objects.bulk_create([
        history(history_date=now, history_type="+", history_user=None, history_change_reason=LOADED,
                **{f.attname: getattr(row, f.attname) for f in history.tracked_fields})
        for row in rows
    ])
    version_of = {v.id: v for v in versions}
    for field, snapshot, owner, member in m2m_snapshots(history):
        through = field.remote_field.through
        members = through.objects.filter(**{f"{owner}_id__in": version_of}).values_list(f"{owner}_id", f"{member}_id")
        snapshot.objects.bulk_create([
            snapshot(history=version_of[owner_id], **{f"{owner}_id": owner_id, f"{member}_id": member_id})
            for owner_id, member_id in members
        ])


def _before_first_change(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    keep_loaded_versions(sender, [instance.pk])


def connect():
    """Keep loaded versions before every ``save()`` of a tracked row (called once, at start-up)."""
    for model in tracked_models():
        pre_save.connect(_before_first_change, sender=model, dispatch_uid=f"loaded-version-{model._meta.label}")
