"""Keeping the ``ProgressRollup`` read model equal to the monthly records it sums.

One function writes it: ``refresh_rollups(entry_ids)`` recomputes the rows of those plan entries
from their ``MonthlyProgress`` (one INSERT … SELECT … ON CONFLICT statement) — call it inside the
transaction of any write that changes an entry's monthly records. The signal receivers below call
it for single-row saves and deletes (forms, admin, history revert, ``loaddata``); bulk writers
(the month save and upload, the demo and bench loaders) call it for the entries they touched,
since ``bulk_create``/``bulk_update``/``COPY`` send no signals. ``rebuild_rollups`` rebuilds a year
or everything (``manage.py rebuild_rollups``; the migration that created the table ran it)."""
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, router, transaction
from django.db.models.signals import post_delete, post_save
from django.db.models import Subquery
from django.dispatch import receiver

MONTHS = range(1, 13)
CHUNK = 900  # entry ids per statement (SQLite's bound parameters)


def _upsert_sql(progress_model, rollup_model, where):
    """INSERT … SELECT of the rollup rows of the monthly records matching ``where`` (SQL on the
    records ``mp`` and the entries' plans ``ap``), replacing the rows already there (PostgreSQL
    and SQLite ≥ 3.24 share the ON CONFLICT syntax)."""
    entry_model = progress_model._meta.get_field("entry").related_model
    plan_model = entry_model._meta.get_field("plan").related_model
    q = connections[router.db_for_write(rollup_model)].ops.quote_name
    sums = ", ".join(f"COALESCE(SUM(CASE WHEN mp.{q('month')} <= {m} THEN mp.{q('completed')} END), 0)"
                     for m in MONTHS)
    columns = ["year", "last_month", *(f"to_{m}" for m in MONTHS)]
    return (
        f"INSERT INTO {q(rollup_model._meta.db_table)} ({q('entry_id')}, {', '.join(q(c) for c in columns)}) "
        f"SELECT mp.{q('entry_id')}, MAX(ap.{q('year')}), MAX(mp.{q('month')}), {sums} "
        f"FROM {q(progress_model._meta.db_table)} mp "
        f"JOIN {q(entry_model._meta.db_table)} pe ON pe.{q('id')} = mp.{q('entry_id')} "
        f"JOIN {q(plan_model._meta.db_table)} ap ON ap.{q('id')} = pe.{q('plan_id')} "
        f"WHERE {where} GROUP BY mp.{q('entry_id')} "
        f"ON CONFLICT ({q('entry_id')}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns)
    )


def refresh_rollups(entry_ids, *, removed=True):
    """Rewrite the rollup rows of these plan entries from their monthly records, in the caller's
    transaction (one statement per 900 entries; ``removed``: also drop the row of an entry whose
    last record is gone — one more statement; a save that only adds or changes records skips it)."""
    from .models import MonthlyProgress, PlanEntry, ProgressRollup

    entry_ids = sorted({int(pk) for pk in entry_ids if pk is not None})
    if not entry_ids:
        return
    using = router.db_for_write(ProgressRollup)
    with transaction.atomic(using=using, savepoint=False), connections[using].cursor() as cursor:
        for i in range(0, len(entry_ids), CHUNK):
            chunk = entry_ids[i:i + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            if connections[using].features.has_select_for_update:
                # PostgreSQL (READ COMMITTED): another transaction writing other months of these
                # entries must commit before the sums are read — else the upsert below, waiting for
                # its row, writes sums from a snapshot without that transaction's records. Entries
                # locked in id order (no deadlock); NO KEY: the records' foreign-key checks pass.
                list(PlanEntry.objects.filter(pk__in=chunk).order_by("pk")
                     .select_for_update(no_key=True).values_list("pk", flat=True))
            if removed:
                ProgressRollup.objects.filter(entry_id__in=chunk).exclude(
                    entry_id__in=Subquery(MonthlyProgress.objects.filter(entry_id__in=chunk).values("entry_id"))
                ).delete()
            cursor.execute(_upsert_sql(MonthlyProgress, ProgressRollup, f"mp.entry_id IN ({marks})"), chunk)


def rebuild_rollups(year=None, *, progress_model=None, rollup_model=None):
    """Rebuild the rollup of one plan year (or of every year) from the monthly records; the same
    result however often it runs. Returns the number of rows. The models may be a migration's."""
    if progress_model is None:
        from .models import MonthlyProgress as progress_model, ProgressRollup as rollup_model
    using = router.db_for_write(rollup_model)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if year is None:
            rollup_model.objects.all().delete()
            cursor.execute(_upsert_sql(progress_model, rollup_model, "1 = 1"))
            return rollup_model.objects.count()
        rollup_model.objects.filter(entry__plan__year=year).delete()
        cursor.execute(_upsert_sql(progress_model, rollup_model, "ap.year = %s"), [year])
        return rollup_model.objects.filter(entry__plan__year=year).count()


# --- single-row writes: forms, the admin, history revert, loaddata -------------------------------

_deferred = ContextVar("rollups_deferred", default=None)  # the plan entries saved while deferred


@contextmanager
def deferred_rollups():
    """Inside, single-row saves of monthly records, entries and plans only note their plan entry;
    on leaving without error, the rows of those entries and of every entry with a row are
    rewritten at once (``refresh_rollups``: the same rows as row by row). For writers of many rows
    through ``save()`` — ``load_demo``'s ``loaddata`` of the 2020 data set: ~1,000 raw saves that
    each read the record's old entry and rewrote its row (a quarter of the loading's queries)."""
    if _deferred.get() is not None:  # nested: the outer one refreshes
        yield
        return
    touched = set()
    token = _deferred.set(touched)
    try:
        yield
    finally:
        _deferred.reset(token)
    if touched:
        from .models import ProgressRollup

        # an entry whose records moved to another entry keeps its (stale) row until now: refreshing
        # every entry that has a row drops or rewrites it, as the record's own save would have
        refresh_rollups(touched | set(ProgressRollup.objects.values_list("entry_id", flat=True)))


def connect_signals():
    """Called by ``InvestmentConfig.ready``."""
    from django.db.models.signals import pre_save

    from .models import AnnualPlan, MonthlyProgress, PlanEntry, ProgressRollup

    @receiver(pre_save, sender=MonthlyProgress, dispatch_uid="rollup_progress_saving", weak=False)
    def progress_saving(sender, instance, raw=False, **kwargs):
        if _deferred.get() is not None:
            return
        # a record moved to another entry (the admin; loaddata of a record whose id is here another
        # entry's, hence raw saves too) changes the old entry's sums too
        instance._rollup_old_entry = (
            MonthlyProgress.objects.filter(pk=instance.pk).values_list("entry_id", flat=True).first()
            if instance.pk is not None else None)

    @receiver(post_save, sender=MonthlyProgress, dispatch_uid="rollup_progress_saved", weak=False)
    def progress_saved(sender, instance, **kwargs):
        if (touched := _deferred.get()) is not None:
            touched.add(instance.entry_id)
            return
        old = getattr(instance, "_rollup_old_entry", None)
        refresh_rollups({instance.entry_id, old}, removed=old is not None and old != instance.entry_id)

    @receiver(post_delete, sender=MonthlyProgress, dispatch_uid="rollup_progress_deleted", weak=False)
    def progress_deleted(sender, instance, origin=None, **kwargs):
        if (touched := _deferred.get()) is not None:
            touched.add(instance.entry_id)
            return
        # deleted with its plan entry (or plan), the entry's rollup row goes by its own cascade
        if origin is None or isinstance(origin, MonthlyProgress) or getattr(origin, "model", None) is MonthlyProgress:
            refresh_rollups([instance.entry_id])

    # loaddata (raw) checks foreign keys at the end: a fixture may bring an entry's records before
    # the entry and its plan, whose rollup rows the records' saves could not write yet
    @receiver(post_save, sender=PlanEntry, dispatch_uid="rollup_entry_saved", weak=False)
    def entry_saved(sender, instance, created, raw=False, **kwargs):
        if (touched := _deferred.get()) is not None:
            touched.add(instance.pk)  # its row's year too is rewritten from its plan
            return
        if raw:
            refresh_rollups([instance.pk])
        elif not created:  # an entry moved to another year's plan (the admin)
            ProgressRollup.objects.filter(entry_id=instance.pk).update(
                year=Subquery(AnnualPlan.objects.filter(pk=instance.plan_id).values("year")[:1]))

    @receiver(post_save, sender=AnnualPlan, dispatch_uid="rollup_plan_saved", weak=False)
    def plan_saved(sender, instance, created, raw=False, **kwargs):
        if (touched := _deferred.get()) is not None:
            touched.update(PlanEntry.objects.filter(plan=instance).values_list("pk", flat=True))
            return
        if raw:
            refresh_rollups(PlanEntry.objects.filter(plan=instance).values_list("pk", flat=True))
        elif not created:  # a plan's year corrected (the admin)
            ProgressRollup.objects.filter(entry__plan=instance).exclude(year=instance.year).update(year=instance.year)
