"""The tests' fast loader of the 2020 data set (tests/demo.py) writes exactly the rows that
``manage.py load_demo`` writes, so tests that use it test what `make demo` serves."""
import pytest
from django.apps import apps
from django.core.management import call_command

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
    call_command("load_demo", "--year", "2020", verbosity=0)  # the 2020 part (2021: test_demo_2021)
    by_command = snapshot()
    assert len(by_command["investment.MonthlyProgress"]) == 424
    apps.get_model("contracts", "Contract").objects.all().delete()  # it PROTECTs tenders and firms
    for model in reversed(MODELS):
        model.objects.all().delete()
    load_demo_data()
    assert snapshot() == by_command
    call_command("load_demo", "--year", "2020", verbosity=0)  # loading again over existing rows changes nothing
    assert snapshot() == by_command
