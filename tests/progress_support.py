"""Builders shared by the tests/test_progress_*.py modules: two areas with their staff, and a
helper that posts the month page the way a browser does (every row, with its hidden fields)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Area
from tests import factories

YEAR, MONTH = 2020, 6


class World:
    """南片 with 2 projects, 北片 with 1; staff per area, a leader and an admin; 2020 plan."""

    def __init__(self):
        self.south = factories.area("南片")
        self.north = factories.area("北片")
        Area.objects.filter(pk=self.north.pk).update(order=2)
        self.s1 = factories.plan_entry(factories.project(area=self.south, name="南片一号路",
                                                         total_investment=Decimal("10000")),
                                       target=Decimal("2000"))
        self.s2 = factories.plan_entry(factories.project(area=self.south, name="南片二号学校"),
                                       target=Decimal("3000"))
        self.n1 = factories.plan_entry(factories.project(area=self.north, name="北片一号路"),
                                       target=Decimal("1000"))
        self.staff_s = factories.staff("staff_s", areas=[self.south])
        self.staff_n = factories.staff("staff_n", areas=[self.north])
        self.leader = factories.leader("leader1")
        self.admin = factories.admin_user("admin1")


@pytest.fixture
def world(db):
    return World()


def month_url(year=YEAR, month=MONTH):
    return reverse("investment:month", args=[year, month])


def form_data(response, changes=None):
    """The POST a browser sends for the page in ``response``, with ``changes`` = {entry_id:
    {field: value}} typed over the shown values."""
    changes = changes or {}
    formset = response.context["formset"]
    data = {"rows-TOTAL_FORMS": str(len(formset.forms)), "rows-INITIAL_FORMS": str(len(formset.forms)),
            "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "2000"}
    for i, form in enumerate(formset.forms):
        values = {name: form[name].value() for name in form.fields}
        values.update(changes.get(values["entry"], {}))
        for name, value in values.items():
            if name == "confirm_over":
                if value:
                    data[f"rows-{i}-{name}"] = "on"
                continue
            data[f"rows-{i}-{name}"] = "" if value is None else str(value)
    return data


def save(client, changes, year=YEAR, month=MONTH):
    """Open the month page and save it with ``changes``; returns the POST response."""
    page = client.get(month_url(year, month))
    assert page.status_code == 200
    return client.post(month_url(year, month), form_data(page, changes))
