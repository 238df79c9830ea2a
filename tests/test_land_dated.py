"""征地 and 拆房 are dated (征拆进度): through the record forms a yearly total typed on a task
without rows becomes one dated row, a dated row changes its task's totals, a total that
contradicts the rows is refused, and the 1-N月 figures count the rows dated by month N."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from land.models import Acquisition, AcquisitionProgress
from land.selectors import land_summary
from portfolio.numbers import Period
from projects.models import PlanCategory
from tests import factories
from tests.forms_support import post, south, staff_client, submit  # noqa: F401


@pytest.fixture
def project(south):
    p = factories.project(area=south, name="金坪路")
    factories.plan_entry(p, category=PlanCategory.NEW)
    return p


def test_a_total_typed_without_rows_is_dated_at_full_site_access(staff_client, project):
    response = post(staff_client, "acquisition", {"project": project.pk, "year": 2020, "acquired_mu": "35.5",
                                                 "buildings_signed": 3, "full_access_on": "2020-08-01"})
    assert response.status_code == 302
    row = AcquisitionProgress.objects.get()
    assert (row.recorded_on, row.acquired_mu, row.buildings_signed) == (dt.date(2020, 8, 1), Decimal("35.5"), 3)
    assert land_summary(period=Period(2020, 7))["acquired_mu"] == 0
    assert land_summary(period=Period(2020, 8))["acquired_mu"] == Decimal("35.5")


def test_dated_rows_make_the_totals_and_the_months(staff_client, project):
    task = factories.acquisition(project, year=2020)
    for on, mu, buildings in [("2020-03-15", "12.5", 2), ("2020-09-10", "7.5", 1)]:
        response = post(staff_client, "acquisition-progress", {
            "acquisition": task.pk, "recorded_on": on, "acquired_mu": mu, "buildings_signed": buildings})
        assert response.status_code == 302
    task.refresh_from_db()
    assert (task.acquired_mu, task.buildings_signed) == (Decimal("20"), 3)
    june, dec = land_summary(period=Period(2020, 6)), land_summary(period=Period(2020, 12))
    assert (june["acquired_mu"], june["buildings_signed"]) == (Decimal("12.5"), 2)
    assert (dec["acquired_mu"], dec["buildings_signed"]) == (Decimal("20"), 3)
    assert dec["with_task"] == 1  # counted once, whatever the number of rows

    # a total typed against the rows is refused beside its field
    refused = post(staff_client, "acquisition", {"project": project.pk, "year": 2020, "acquired_mu": "50",
                                                "buildings_signed": 3}, pk=task.pk)
    assert "年度合计由进度记录汇总" in refused.content.decode()
    task.refresh_from_db()
    assert task.acquired_mu == Decimal("20")

    # deleting a row takes it out of the totals
    row = AcquisitionProgress.objects.get(recorded_on=dt.date(2020, 9, 10))
    submit(staff_client, reverse("records:acquisition-progress_delete", args=[row.pk]))
    task.refresh_from_db()
    assert (task.acquired_mu, task.buildings_signed) == (Decimal("12.5"), 2)


def test_a_row_outside_the_tasks_year_or_empty_is_refused(staff_client, project):
    task = factories.acquisition(project, year=2020)
    outside = post(staff_client, "acquisition-progress", {
        "acquisition": task.pk, "recorded_on": "2021-01-05", "acquired_mu": "3", "buildings_signed": 0})
    assert "日期必须在征拆任务所属年度（2020年）内" in outside.content.decode()
    empty = post(staff_client, "acquisition-progress", {
        "acquisition": task.pk, "recorded_on": "2020-05-05", "acquired_mu": "0", "buildings_signed": 0})
    assert "征地面积和签约拆房不能都为零" in empty.content.decode()
    assert not AcquisitionProgress.objects.exists()


def test_another_areas_task_is_not_offered_and_a_crafted_post_is_refused(staff_client, project):
    north = factories.area("北片")
    theirs = factories.acquisition(factories.project(area=north, name="七峰路"), year=2020)
    page = staff_client.get(reverse("records:acquisition-progress_add")).content.decode()
    assert "七峰路" not in page
    response = post(staff_client, "acquisition-progress", {
        "acquisition": theirs.pk, "recorded_on": "2020-05-05", "acquired_mu": "3", "buildings_signed": 0})
    assert response.status_code in (200, 403)
    assert not AcquisitionProgress.objects.exists()
    assert Acquisition.objects.get(pk=theirs.pk).acquired_mu == 0
