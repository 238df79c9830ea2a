"""Attacks on the read model of the monthly sums (``investment.models.ProgressRollup``): each test
makes a write the way a user (or the system) can, then compares what the read model holds, or what
a page built from it shows, with the on-the-fly SQL (``investment.selectors.sum_progress``)."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from investment import services
from investment.models import MonthlyProgress
from investment.services import ProgressInput
from tests.progress_support import YEAR, world  # noqa: F401  (fixture)
from tests.test_demo_2021 import demo_2021  # noqa: F401  (fixture: manage.py load_demo, shared)
from tests.test_rollup import assert_rollups_are_the_sums, expected_rollups, stored_rollups


@pytest.mark.django_db(transaction=True)
def test_two_clerks_saving_two_months_of_one_project_at_once(world):
    """PostgreSQL, READ COMMITTED: one clerk saves May of 南片一号路 while another saves June of it.
    The second save's sums must include the first save's May once it commits (the read model was
    upserted from a snapshot taken before the first save committed: May was lost from 1-6月)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    may_saved, june_started, errors = threading.Event(), threading.Event(), []

    def save(month, amount):
        services.progress_save_month(user=world.admin, year=YEAR, month=month, rows=[
            ProgressInput(entry_id=world.s1.pk, completed=Decimal(amount), key=1)])

    def may():
        try:
            with transaction.atomic():
                save(5, "100")
                may_saved.set()
                june_started.wait(30)
                time.sleep(0.5)  # the June save is waiting behind this transaction by now
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    def june():
        try:
            may_saved.wait(30)
            june_started.set()
            save(6, "7")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=may), threading.Thread(target=june)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert MonthlyProgress.objects.filter(entry=world.s1).count() == 2
    expected = expected_rollups()
    assert stored_rollups()[world.s1.pk] == expected[world.s1.pk]
    assert_rollups_are_the_sums()


def test_loaddata_of_a_record_that_belongs_to_another_entry_here(world, tmp_path):
    """A fixture (another database's dumpdata) holds a record whose id is here a record of another
    entry: loaddata moves it. The old entry's sums must lose it, as an admin move does."""
    from django.core import serializers
    from django.core.management import call_command

    from tests import factories

    here = factories.progress(world.s1, 3, "40")
    factories.progress(world.s1, 4, "2")
    moved = MonthlyProgress(pk=here.pk, entry=world.s2, month=3, completed=Decimal("5"), version=1,
                            updated_at=here.updated_at)
    fixture = tmp_path / "other.json"
    fixture.write_text(serializers.serialize("json", [moved]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert MonthlyProgress.objects.get(pk=here.pk).entry == world.s2
    assert_rollups_are_the_sums()


def test_loaddata_of_records_before_their_entry_and_plan(world, tmp_path):
    """``dumpdata investment.monthlyprogress investment.planentry investment.annualplan`` writes the
    records first; loaded into a database without that plan, each record arrives before its entry
    and plan (foreign keys are checked at the end): the sums must still be there once loaded."""
    from django.core import serializers
    from django.core.management import call_command

    from investment.models import AnnualPlan, PlanEntry
    from tests import factories

    plan = factories.plan(2019)
    entry = factories.plan_entry(factories.project(area=world.north), plan=plan)
    rows = [factories.progress(entry, m, str(m * 10)) for m in (2, 5)]
    fixture = tmp_path / "2019.json"
    fixture.write_text(serializers.serialize("json", [*rows, PlanEntry.objects.get(pk=entry.pk),
                                                      AnnualPlan.objects.get(pk=plan.pk)]))
    plan.delete()
    call_command("loaddata", str(fixture), verbosity=0)
    assert MonthlyProgress.objects.filter(entry=entry).count() == 2
    assert entry.pk in expected_rollups()
    assert_rollups_are_the_sums()


def test_load_demo_2020_again_over_2021(demo_2021):  # noqa: F811
    """``manage.py load_demo --year 2020`` over a database with 2021 loaded (the 2020 records saved
    again by loaddata, 2021's left alone): the sums of both years are the records'."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", "--year", "2020", stdout=StringIO())
    years = {values[0] for values in assert_rollups_are_the_sums().values()}
    assert {2020, 2021} <= years


def test_the_dashboard_curve_is_the_records_month_by_month(demo_2021):  # noqa: F811
    """The curve (累计完成投资进度: this year's and last year's cumulative share of the target, by
    month) from the read model equals the monthly records summed on the fly."""
    from django.db.models import Sum

    from investment.models import PlanEntry
    from investment.selectors import monthly_curve
    from portfolio.numbers import rate

    for year in (2020, 2021):
        amounts = {}
        for r in (MonthlyProgress.objects.filter(entry__plan__year__in=(year, year - 1)).order_by()
                  .values("entry__plan__year", "month").annotate(s=Sum("completed"))):
            amounts[(r["entry__plan__year"], r["month"])] = r["s"]
        targets = dict(PlanEntry.objects.filter(plan__year__in=(year, year - 1)).order_by()
                       .values_list("plan__year").annotate(t=Sum("target")))
        last = max((m for y, m in amounts if y == year), default=0)
        assert last > 0
        for point in monthly_curve(year=year):
            m = point["month"]
            cumulative = sum(amounts.get((year, k), 0) for k in range(1, m + 1))
            before = sum(amounts.get((year - 1, k), 0) for k in range(1, m + 1))
            assert point["cumulative"] == (cumulative if m <= last else None)
            assert point["share"] == (rate(cumulative, targets[year]) if m <= last else None)
            assert point["previous_share"] == (
                rate(before, targets[year - 1]) if any(y == year - 1 for y, _m in amounts) else None)
