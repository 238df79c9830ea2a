"""The tests' fast loader of the 2020 data set (tests/demo.py) writes exactly the rows that
``manage.py load_demo`` writes, so tests that use it test what `make demo` serves."""
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from tests.demo import load_demo_data

MODELS = [m for m in apps.get_models() if m._meta.app_label in {"projects", "investment", "land", "procurement"}]


def stored(model):
    """Every column but the auto_now time stamps (both loaders stamp the time of loading)."""
    names = [f.attname for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)]
    return sorted(model.objects.order_by().values_list(*names), key=repr)


def snapshot():
    rows = {m._meta.label: stored(m) for m in MODELS if not m._meta.object_name.startswith("Historical")}
    rows["land.LandBatch.projects"] = sorted(
        apps.get_model("land", "LandBatch").projects.through.objects.values_list("landbatch_id", "project_id"))
    return rows


@pytest.mark.slow  # the real load_demo, row by row: the whole suite, not the quick one
def test_fast_loader_writes_the_rows_load_demo_writes(db):
    # the command's rows are read, then rolled back to the empty database (a savepoint: deleting
    # them model by model, with their history rows, cost more than loading them)
    with transaction.atomic():
        call_command("load_demo", "--year", "2020", verbosity=0)  # the 2020 part (2021: test_demo_2021)
        by_command = snapshot()
        transaction.set_rollback(True)
    assert len(by_command["investment.MonthlyProgress"]) == 424
    assert snapshot() == {label: [] for label in by_command}  # the fast loader starts from nothing
    load_demo_data()
    assert snapshot() == by_command
    call_command("load_demo", "--year", "2020", verbosity=0)  # loading again over existing rows changes nothing
    assert snapshot() == by_command
