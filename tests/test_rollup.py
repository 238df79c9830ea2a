"""The read model of the monthly sums (``investment.models.ProgressRollup``) equals the on-the-fly
SQL (``investment.selectors.sum_progress``, a correlated sum per entry) after every kind of write
of monthly progress: the month page, the upload, the service, the admin (add, change, move,
delete, history revert), model saves and deletes, deleting an entry or a plan, the loaders
(``load_demo``, the tests' bulk loader, the bench generator) and ``manage.py rebuild_rollups``;
and a random sequence of writes. The selectors that read it give the sums of the records."""
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from investment.models import AnnualPlan, MonthlyProgress, PlanEntry, ProgressRollup
from investment.rollups import deferred_rollups, rebuild_rollups
from investment.selectors import entries_with_completion, month_entries, sum_progress
from investment.services import ProgressInput, progress_save_month
from portfolio.numbers import Period
from tests import factories
from tests.progress_support import MONTH, YEAR, form_data, month_url, world  # noqa: F401  (fixture)
from tests.test_demo_2021 import demo_2021  # noqa: F401  (fixture: manage.py load_demo, shared)
from tests.test_progress_upload import fill, template, upload

MONTHS = range(1, 13)


def expected_rollups():
    """{entry id: (year, last month, completed 1..1, …, 1..12)} from the records, with the
    on-the-fly SQL, for every entry with at least one record."""
    last = MonthlyProgress.objects.filter(entry=OuterRef("pk")).order_by("-month").values("month")[:1]
    rows = (PlanEntry.objects.filter(progress__isnull=False).distinct()
            .annotate(last=Subquery(last), **{f"s{m}": sum_progress(month__lte=m) for m in MONTHS})
            .values("pk", "plan__year", "last", *(f"s{m}" for m in MONTHS)))
    return {r["pk"]: (r["plan__year"], r["last"], *(r[f"s{m}"] for m in MONTHS)) for r in rows}


def stored_rollups():
    return {r["entry"]: (r["year"], r["last_month"], *(r[f"to_{m}"] for m in MONTHS))
            for r in ProgressRollup.objects.values("entry", "year", "last_month", *(f"to_{m}" for m in MONTHS))}


def assert_rollups_are_the_sums():
    expected = expected_rollups()
    assert stored_rollups() == expected
    return expected


def rollup_of(entry):
    return stored_rollups().get(entry.pk)


# --- one test per writer ---------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_record_saved_without_a_transaction_is_saved_with_its_rollup_or_not_at_all(monkeypatch):
    """A save outside any transaction (a script, the shell): when the read model cannot be written,
    the record is not saved either, so the two never disagree."""
    entry = factories.plan_entry()
    record = factories.progress(entry, 3, "10")

    def fail(*args, **kwargs):
        raise RuntimeError("rollup write failed")

    monkeypatch.setattr("investment.rollups.refresh_rollups", fail)
    record.completed = Decimal("25")
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        MonthlyProgress(entry=entry, month=4, completed=Decimal("5")).save()
    monkeypatch.undo()
    assert list(MonthlyProgress.objects.filter(entry=entry).values_list("month", "completed")) == [(3, Decimal("10"))]
    assert rollup_of(entry)[4] == Decimal("10")  # (year, last month, 1..1月, 1..2月, 1..3月, …)
    assert_rollups_are_the_sums()


def test_model_save_and_factory(world):
    factories.progress(world.s1, 3, "10")
    factories.progress(world.s1, 5, "2.5")
    row = factories.progress(world.s2, 6, "7")
    row.completed = Decimal("8.25")
    row.save()
    assert_rollups_are_the_sums()
    assert rollup_of(world.s1)[2:] == (0, 0, 10, 10, Decimal("12.5"), *[Decimal("12.5")] * 7)
    assert rollup_of(world.s1)[1] == 5 and world.n1.pk not in stored_rollups()


def test_month_page_save_creates_then_changes(client, world):
    client.force_login(world.staff_s)
    page = client.get(month_url())
    response = client.post(month_url(), form_data(page, {world.s1.pk: {"completed": "30", "physical_percent": "10"},
                                                         world.s2.pk: {"completed": "4.5", "physical_percent": "5"}}))
    assert response.status_code == 302
    assert rollup_of(world.s1)[2 + MONTH - 1] == Decimal("30")
    page = client.get(month_url())
    response = client.post(month_url(), form_data(page, {world.s1.pk: {"completed": "31.5"}}))
    assert response.status_code == 302
    assert rollup_of(world.s1)[2 + MONTH - 1] == Decimal("31.5")
    assert_rollups_are_the_sums()


def test_upload(client, world):
    factories.progress(world.s2, MONTH, "5", updated_by=world.staff_s)
    client.force_login(world.staff_s)
    wb = template(client)
    fill(wb.worksheets[0], world.s1.project.code, completed=123.45, percent=40, progress="主线贯通", problems="")
    fill(wb.worksheets[0], world.s2.project.code, completed="66")
    assert upload(client, wb).status_code == 302
    assert (rollup_of(world.s1)[-1], rollup_of(world.s2)[-1]) == (Decimal("123.45"), Decimal("66"))
    assert_rollups_are_the_sums()


def test_service_save_of_several_months(world):
    for month, amount in ((1, "1"), (2, "2"), (4, "4")):
        progress_save_month(user=world.admin, year=YEAR, month=month,
                            rows=[ProgressInput(entry_id=world.n1.pk, completed=Decimal(amount), key=1)])
    progress_save_month(user=world.admin, year=YEAR, month=2,
                        rows=[ProgressInput(entry_id=world.n1.pk, completed=Decimal("20"), version=1, key=1)])
    assert rollup_of(world.n1)[1:6] == (4, 1, 21, 21, 25)
    assert_rollups_are_the_sums()


def admin_post(client, url, **values):
    data = {"physical_percent": "", "physical_progress": "", "problems": "", **values}
    return client.post(url, data)


def test_admin_add_change_move_and_delete(client, world):
    client.force_login(world.admin)
    response = admin_post(client, reverse("admin:investment_monthlyprogress_add"),
                          entry=world.s1.pk, month=2, completed="40")
    assert response.status_code == 302
    row = MonthlyProgress.objects.get(entry=world.s1, month=2)
    assert rollup_of(world.s1)[3] == Decimal("40")
    change = reverse("admin:investment_monthlyprogress_change", args=[row.pk])
    assert admin_post(client, change, entry=world.s1.pk, month=2, completed="41").status_code == 302
    assert rollup_of(world.s1)[3] == Decimal("41")
    assert_rollups_are_the_sums()

    factories.progress(world.s1, 1, "1")
    assert admin_post(client, change, entry=world.n1.pk, month=2, completed="41").status_code == 302  # moved
    assert rollup_of(world.s1)[1:] == (1, *[Decimal("1")] * 12)
    assert rollup_of(world.n1)[1:4] == (2, 0, 41)
    assert_rollups_are_the_sums()

    delete = reverse("admin:investment_monthlyprogress_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert world.n1.pk not in stored_rollups()
    assert_rollups_are_the_sums()


def test_admin_bulk_delete_action(client, world):
    rows = [factories.progress(world.s1, m, "3") for m in (1, 2, 3)] + [factories.progress(world.s2, 1, "9")]
    client.force_login(world.admin)
    response = client.post(reverse("admin:investment_monthlyprogress_changelist"), {
        "action": "delete_selected", "_selected_action": [rows[1].pk, rows[3].pk], "post": "yes"})
    assert response.status_code == 302
    assert rollup_of(world.s1)[1:5] == (3, 3, 3, 6) and world.s2.pk not in stored_rollups()
    assert_rollups_are_the_sums()


def test_admin_history_revert(client, world):
    row = factories.progress(world.s1, 4, "10")
    row.completed = Decimal("99")
    row.save()
    first = row.history.order_by("history_date", "history_id").first()
    client.force_login(world.admin)
    revert = reverse("admin:investment_monthlyprogress_simple_history", args=[row.pk, first.history_id])
    response = admin_post(client, revert, entry=world.s1.pk, month=4, completed="10")
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(pk=row.pk).completed == Decimal("10")
    assert rollup_of(world.s1)[-1] == Decimal("10")
    assert_rollups_are_the_sums()


def test_queryset_and_instance_deletes(world):
    for m in (1, 2, 3):
        factories.progress(world.s1, m, str(m))
    MonthlyProgress.objects.filter(entry=world.s1, month=2).delete()
    assert rollup_of(world.s1)[1:5] == (3, 1, 1, 4)
    MonthlyProgress.objects.get(entry=world.s1, month=3).delete()
    assert rollup_of(world.s1)[1] == 1
    assert_rollups_are_the_sums()


def test_deleting_an_entry_or_a_plan_takes_its_rollup(world):
    factories.progress(world.s1, 1, "5")
    factories.progress(world.s2, 1, "6")
    other = factories.plan_entry(factories.project(area=world.north), plan=factories.plan(2019))
    factories.progress(other, 12, "7")
    world.s1.delete()
    assert set(stored_rollups()) == {world.s2.pk, other.pk}
    AnnualPlan.objects.get(year=2019).delete()
    assert set(stored_rollups()) == {world.s2.pk}
    assert_rollups_are_the_sums()


def test_random_sequence_of_writes(world):
    rng = random.Random(19)
    entries = [world.s1, world.s2, world.n1]
    for _step in range(60):
        entry, month = rng.choice(entries), rng.randint(1, 12)
        row = MonthlyProgress.objects.filter(entry=entry, month=month).first()
        action = rng.choice(["save", "save", "service", "delete", "move"])
        if action == "delete" and row:
            row.delete()
        elif action == "move" and row:
            target = rng.choice(entries)
            if not MonthlyProgress.objects.filter(entry=target, month=month).exists():
                row.entry = target
                row.save()
        elif action == "service":
            progress_save_month(user=world.admin, year=YEAR, month=month, rows=[ProgressInput(
                entry_id=entry.pk, completed=Decimal(rng.randint(0, 5000)) / 100, version=row.version if row else 0,
                key=1)])
        elif row:
            row.completed = Decimal(rng.randint(0, 5000)) / 100
            row.save()
        else:
            factories.progress(entry, month, Decimal(rng.randint(0, 5000)) / 100)
        assert_rollups_are_the_sums()


# --- loaders and the command -------------------------------------------------------------------------

def test_saves_with_deferred_rollups_write_them_once_at_the_end(world):
    """``deferred_rollups`` (load_demo's loaddata): record and entry saves inside note their
    entries; on leaving, the rows are the sums — also of an entry whose last record moved away."""
    factories.progress(world.s2, 3, "7")
    with deferred_rollups():
        factories.progress(world.s1, 3, "10")
        moved = MonthlyProgress.objects.get(entry=world.s2)
        moved.entry = world.n1
        moved.save()
        gone = factories.progress(world.n1, 5, "2")
        gone.delete()
        world.s1.save()
        assert world.s1.pk not in stored_rollups() and world.s2.pk in stored_rollups()  # not yet
    assert rollup_of(world.s1)[4] == Decimal("10") and rollup_of(world.n1)[4] == Decimal("7")
    assert world.s2.pk not in stored_rollups()
    assert_rollups_are_the_sums()



def test_deferred_rollups_follow_an_entry_moved_to_another_plan_and_a_plan_whose_year_changes(db):
    """Inside ``deferred_rollups`` an entry saved with another year's plan, and a plan saved with
    another year, note their entries: on leaving, the rows carry the new years (the same rows as
    ``rebuild_rollups``)."""
    moved, stays = factories.plan_entry(year=2020), factories.plan_entry(year=2020)
    factories.progress(moved, 2, "4")
    factories.progress(stays, 3, "6")
    plan_2020 = moved.plan
    with deferred_rollups():
        moved.plan = factories.plan(2021)
        moved.save()
        plan_2020.year = 2019
        plan_2020.save()
        assert stored_rollups()[moved.pk][0] == 2020 and stored_rollups()[stays.pk][0] == 2020  # not yet
    assert rollup_of(moved)[:2] == (2021, 2) and rollup_of(stays)[:2] == (2019, 3)
    rows = assert_rollups_are_the_sums()
    assert rebuild_rollups() == len(rows) and stored_rollups() == rows

def test_load_demo(demo_2021):  # noqa: F811
    assert len(assert_rollups_are_the_sums()) > 40


def test_tests_bulk_loader(demo_2020):
    assert len(assert_rollups_are_the_sums()) > 20


def test_bench_generator(db):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import generate

    generate(projects=12, areas=2, years=2, start_year=2021, verbose=False)
    assert len(assert_rollups_are_the_sums()) >= 12


def test_rebuild_command_restores_and_is_idempotent(demo_2020):
    expected = expected_rollups()
    ProgressRollup.objects.filter(pk__in=[pk for pk, values in expected.items() if values[0] == 2020][:5]).delete()
    ProgressRollup.objects.filter(year=2020).update(to_12=Decimal("1"))
    out = StringIO()
    call_command("rebuild_rollups", "--year", "2020", stdout=out)
    of_2020 = sum(1 for values in expected.values() if values[0] == 2020)
    assert of_2020 < len(expected)  # the data set has another year, which --year leaves alone
    assert f"已重建2020年投资完成累计：{of_2020} 个计划项目" in out.getvalue()
    assert stored_rollups() == expected
    call_command("rebuild_rollups", stdout=StringIO())
    assert stored_rollups() == expected
    assert rebuild_rollups() == len(expected)


# --- the readers give the sums of the records --------------------------------------------------------

def test_selectors_read_the_sums_of_the_records(demo_2020):
    for month in MONTHS:
        period = Period(2020, month)
        fast = {e.pk: (e.completed_to_date, e.completed_in_month) for e in entries_with_completion(period=period)}
        slow = {e["pk"]: (e["a"], e["b"]) for e in PlanEntry.objects.in_plan(period).annotate(
            a=sum_progress(month__lte=month), b=sum_progress(month=month)).values("pk", "a", "b")}
        assert fast == slow and len(fast) > 20
        page = {e.pk: (e.completed_before, e.completed_to_date) for e in month_entries(year=2020, month=month)}
        assert page == {pk: (a - b, a) for pk, (a, b) in slow.items()}
    assert MonthlyProgress.objects.aggregate(m=Max("month"))["m"] == 12
