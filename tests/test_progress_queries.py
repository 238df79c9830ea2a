"""One upload POST and one month-form POST read the month's plan entries (``month_entries``, the
expensive query with the correlated sums) once, and stay within a fixed number of queries."""
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from investment import exports
from investment.models import MonthlyProgress
from tests.progress_support import MONTH, YEAR, form_data, month_url, world  # noqa: F401

ENTRIES_SQL = '"completed_elsewhere"'
ROLLUP_LOCK = int(connection.features.has_select_for_update)
"""PostgreSQL: the rollup locks the saved entries before summing them (investment.rollups)."""
"""The alias only ``month_entries``'s query selects."""


def entries_reads(queries):
    return sum(ENTRIES_SQL in q["sql"] for q in queries.captured_queries)


def _upload(client, wb):
    out = BytesIO()
    wb.save(out)
    return client.post(reverse("investment:upload", args=[YEAR, MONTH]),
                       {"file": SimpleUploadedFile("progress.xlsx", out.getvalue())})


def _filled_template(client, world, completed):
    wb = load_workbook(BytesIO(client.get(reverse("investment:template", args=[YEAR, MONTH])).content))
    ws = wb.worksheets[0]
    for r in range(exports.FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(r, exports.COLUMN_INDEX["code"]).value == world.s1.project.code:
            ws.cell(r, exports.COLUMN_INDEX["completed"]).value = completed
    return wb


def test_an_upload_reads_the_month_once(client, world, django_assert_max_num_queries):
    client.force_login(world.staff_s)
    wb = _filled_template(client, world, 12)
    with django_assert_max_num_queries(20 + ROLLUP_LOCK), CaptureQueriesContext(connection) as queries:  # +1: rollup
        response = _upload(client, wb)
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(entry=world.s1).completed == Decimal("12")
    assert entries_reads(queries) == 1


def test_a_refused_upload_reads_the_month_once(client, world, django_assert_max_num_queries):
    client.force_login(world.staff_s)
    wb = _filled_template(client, world, -1)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as queries:
        response = _upload(client, wb)
    assert "本月完成投资不能为负数。" in response.content.decode()
    assert not MonthlyProgress.objects.exists()
    assert entries_reads(queries) == 1


def test_a_month_form_save_reads_the_month_once(client, world, django_assert_max_num_queries):
    client.force_login(world.staff_s)
    data = form_data(client.get(month_url()), {world.s1.pk: {"completed": "7"}})
    with django_assert_max_num_queries(16 + ROLLUP_LOCK), CaptureQueriesContext(connection) as queries:  # +1: rollup
        response = client.post(month_url(), data)
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(entry=world.s1).completed == Decimal("7")
    assert entries_reads(queries) == 1


def test_a_refused_month_form_save_reads_the_month_once(client, world, django_assert_max_num_queries):
    client.force_login(world.staff_s)
    data = form_data(client.get(month_url()), {world.s1.pk: {"completed": "-3"}})
    with django_assert_max_num_queries(19), CaptureQueriesContext(connection) as queries:
        response = client.post(month_url(), data)
    assert "本月完成投资不能为负数。" in response.content.decode()
    assert not MonthlyProgress.objects.exists()
    assert entries_reads(queries) == 1
