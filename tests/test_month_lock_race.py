"""Month locks hold against concurrent saves and against Django admin (issue 14: 11 of 12 saves
committed after a lock; admin moved a plan entry out of a locked month)."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse

from investment import services
from investment.models import AnnualPlan, MonthlyProgress, PlanEntry
from investment.services import MonthEntryError, ProgressInput
from tests import factories
from tests.progress_support import MONTH, YEAR, world  # noqa: F401

SAVES = 12


@pytest.mark.django_db(transaction=True)
def test_no_save_commits_after_the_lock(monkeypatch):
    """12 clerks save while an administrator locks the month: six press 保存 at once, the lock
    comes while the first save is writing, the other six press 保存 after the lock. Each save lingers
    inside its transaction (as a 200-row save does), which is where a lock used to slip in
    between the check and the commit. The lock counts the month's rows inside its own
    transaction, once it holds the month: that count must be final."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises writers "
                    "with IMMEDIATE transactions (tests/test_sqlite_concurrency.py)")
    area = factories.area("南片")
    entries = [factories.plan_entry(factories.project(area=area, name=f"项目{n}")) for n in range(SAVES)]
    clerk, admin = factories.staff("luru", areas=[area]), factories.admin_user("admin1")

    save_rows = services._save_rows

    def lingering_save_rows(**kwargs):
        inside_a_save.set()
        time.sleep(0.15)
        return save_rows(**kwargs)

    monkeypatch.setattr(services, "_save_rows", lingering_save_rows)
    start, inside_a_save, lock_requested = threading.Barrier(SAVES + 1), threading.Event(), threading.Event()
    saved, refused, seen_by_lock = [], [], []

    def save(index, entry):
        start.wait()
        if index >= SAVES // 2:  # the second half presses 保存 once the administrator has pressed 锁定
            lock_requested.wait(30)
            time.sleep(0.3)  # the lock's SELECT … FOR UPDATE is queued by then
        try:
            services.progress_save_month(user=clerk, year=YEAR, month=MONTH, rows=[
                ProgressInput(entry_id=entry.pk, completed=Decimal("1"), physical_percent=Decimal("5"))])
            saved.append(entry.pk)
        except MonthEntryError as exc:
            refused.append(" ".join(exc.messages))
        finally:
            connection.close()

    def lock():
        start.wait()
        inside_a_save.wait(30)  # a save has passed its checks and is writing
        lock_requested.set()
        try:
            with transaction.atomic():
                services.month_lock(user=admin, year=YEAR, month=MONTH, reason="已报区统计局")
                seen_by_lock.append(MonthlyProgress.objects.filter(month=MONTH).count())
        except Exception as exc:  # reported below, not lost in the thread
            seen_by_lock.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i, e)) for i, e in enumerate(entries)]
    threads.append(threading.Thread(target=lock))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(seen_by_lock) == 1 and isinstance(seen_by_lock[0], int), seen_by_lock
    assert len(saved) + len(refused) == SAVES
    assert refused and all("已锁定" in message for message in refused), (saved, refused, seen_by_lock)
    assert MonthlyProgress.objects.filter(month=MONTH).count() == seen_by_lock[0] == len(saved)


def change_entry_plan(client, entry, plan):
    return client.post(reverse("admin:investment_planentry_change", args=[entry.pk]), {
        "plan": plan.pk, "project": entry.project_id, "category": entry.category, "target": "1000",
        "is_municipal_key": "", "unplanned": "", "added_on": "", "instruction": "", "resumed_on": "",
    })


def test_admin_cannot_move_a_plan_entry_out_of_a_locked_year(client, world):
    other_year = factories.plan(2021)
    services.month_lock(user=world.admin, year=YEAR, month=MONTH, reason="已报区统计局")
    client.force_login(world.admin)
    html = change_entry_plan(client, world.n1, other_year).content.decode()
    assert "2020年6月已锁定，改变计划项目的年度会改变已锁定月份的数据" in html
    assert PlanEntry.objects.get(pk=world.n1.pk).plan.year == YEAR


def test_admin_cannot_move_a_plan_entry_into_a_locked_year(client, world):
    other_year = factories.plan(2019)
    services.month_lock(user=world.admin, year=2019, month=12, reason="年报")
    client.force_login(world.admin)
    html = change_entry_plan(client, world.n1, other_year).content.decode()
    assert "2019年12月已锁定" in html
    assert PlanEntry.objects.get(pk=world.n1.pk).plan.year == YEAR


def test_admin_cannot_move_a_plan_entry_with_progress(client, world):
    factories.progress(world.s1, 3, "10", updated_by=world.staff_s)
    client.force_login(world.admin)
    html = change_entry_plan(client, world.s1, factories.plan(2021)).content.decode()
    assert "该计划项目已有月度填报数据，不能改到其他年度" in html
    assert PlanEntry.objects.get(pk=world.s1.pk).plan.year == YEAR


def test_admin_moves_a_plan_entry_between_open_years_without_progress(client, world):
    other_year = factories.plan(2021)
    client.force_login(world.admin)
    assert change_entry_plan(client, world.n1, other_year).status_code == 302
    assert PlanEntry.objects.get(pk=world.n1.pk).plan == other_year


def test_admin_cannot_change_the_year_of_a_plan_with_progress(client, world):
    factories.progress(world.s1, 3, "10", updated_by=world.staff_s)
    plan = AnnualPlan.objects.get(year=YEAR)
    client.force_login(world.admin)
    response = client.post(reverse("admin:investment_annualplan_change", args=[plan.pk]), {
        "year": "2021", "title": plan.title, "approved_on": "", "note": "",
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0"})
    assert "该计划项目已有月度填报数据" in response.content.decode()
    assert AnnualPlan.objects.get(pk=plan.pk).year == YEAR
