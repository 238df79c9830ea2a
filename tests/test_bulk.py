"""portfolio.bulk.update_rows writes what Django's bulk_update writes (the month save's UPDATE)."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from investment.models import MonthlyProgress
from portfolio.bulk import update_rows
from tests import factories as f

FIELDS = ["completed", "physical_percent", "physical_progress", "problems", "version", "updated_by", "updated_at"]


def stored(pks):
    return {p.pk: tuple(getattr(p, name) for name in FIELDS)
            for p in MonthlyProgress.objects.filter(pk__in=pks).order_by("pk")}


def rows(n):
    return [f.progress(f.plan_entry(), 3, completed=i, physical_percent=Decimal(i), physical_progress=f"原{i}")
            for i in range(n)]


def change(progress, user, now):
    for i, p in enumerate(progress):
        p.completed = Decimal(f"{i * 7}.{i % 10}5")
        p.physical_percent = None if i % 2 else Decimal("55.5")  # NULL in some rows
        p.physical_progress = f"第{i}行“引号”'单引号' %s %%"
        p.problems = ""  # the same in every row
        p.version += 1
        p.updated_by, p.updated_at = user, now


@pytest.mark.django_db
def test_update_rows_writes_the_same_as_bulk_update():
    user, now = f.staff(), timezone.now()
    mine, django_s = rows(6), rows(6)
    change(mine, user, now)
    change(django_s, user, now)
    with CaptureQueriesContext(connection) as queries:
        assert update_rows(MonthlyProgress, mine, FIELDS) == 6
    assert len([q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]) == 1
    MonthlyProgress.objects.bulk_update(django_s, FIELDS)
    assert list(stored([p.pk for p in mine]).values()) == list(stored([p.pk for p in django_s]).values())
    first = MonthlyProgress.objects.get(pk=mine[1].pk)
    assert (first.completed, first.physical_percent, first.physical_progress) == (
        Decimal("7.15"), None, "第1行“引号”'单引号' %s %%")


@pytest.mark.django_db
def test_update_rows_a_column_null_in_every_row_and_untouched_rows():
    """A column NULL in every changed row (PostgreSQL must be told its type); rows not passed keep
    their values."""
    progress = rows(3)
    for p in progress[:2]:
        p.physical_percent = None
        p.completed = Decimal("1.50") + p.pk
    assert update_rows(MonthlyProgress, progress[:2], ["physical_percent", "completed"]) == 2
    after = {p.pk: p for p in MonthlyProgress.objects.filter(pk__in=[p.pk for p in progress])}
    assert [after[p.pk].physical_percent for p in progress] == [None, None, Decimal("2.00")]
    assert [after[p.pk].completed for p in progress] == [Decimal("1.50") + progress[0].pk,
                                                         Decimal("1.50") + progress[1].pk, Decimal("2.00")]


@pytest.mark.django_db
def test_update_rows_in_batches_as_bulk_update(monkeypatch):
    user, now = f.staff(), timezone.now()
    mine, django_s = rows(5), rows(5)
    change(mine, user, now)
    change(django_s, user, now)
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 2)  # the database's limit
    with CaptureQueriesContext(connection) as queries:
        assert update_rows(MonthlyProgress, mine, FIELDS) == 5
    assert len([q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]) == 3
    monkeypatch.undo()
    MonthlyProgress.objects.bulk_update(django_s, FIELDS)
    assert list(stored([p.pk for p in mine]).values()) == list(stored([p.pk for p in django_s]).values())
