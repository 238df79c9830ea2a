"""One truth in every month: for every month 1–12 of 2020 (the data set) and of a generated year
(tests/generated_year.py), every figure that links to a list counts exactly the rows of that list,
the district workbook's sheets hold the same rows, and the summary paragraph states the same
numbers — all as of the end of the month."""
import re
from decimal import Decimal
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from portfolio.figures import figure_values, linked_counts
from portfolio.numbers import Period
from tests.demo import shared_fixture
from tests.generated_year import build_year
from tests.xlsx import download, numbered_runs
from tests.xlsx import values as workbook_values

pytestmark = pytest.mark.slow  # 24 months × ~30 pages: the whole suite, not the quick one

GENERATED_YEAR = 2023
# built once per worker, each test in a savepoint inside it (tests/demo.py)
generated_year = shared_fixture("generated_year", lambda: build_year(year=GENERATED_YEAR))

# figure → the phrase the summary paragraph states it with (when the figure is not zero)
SUMMARY_PHRASES = {
    "plan_total": "共计{}个",
    "land_batches": "{}个批次",
    "land_batch_projects": "批次{}个项目",
    "land_with_task": "有征拆任务的{}个项目",
    "preliminary_done": "完成了{}个项目的前期工作",
    "tenders_works": "{}次施工或监理招标",
    "tenders_equipment": "{}个设备采购招标",
    "permit_count": "{}个许可证",
    "branches_construction": "{}家外地建筑企业",
    "branches_supervision": "{}家监理企业",
}


def rows_of(client, url):
    """The row count the list page shows. Its badge counts the rows of every page whatever columns
    are shown, so the page is asked for as small as a user can make it — 25 rows, one column
    (the column chooser's ``columns``) — which renders fastest."""
    query = "per_page=25"
    table = getattr(getattr(resolve(urlsplit(url).path).func, "view_class", None), "table_class", None)
    if table is not None:
        query += f"&columns={next(iter(table.base_columns))}"
    html = client.get(url + ("&" if "?" in url else "?") + query).content.decode()
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


class ListRows:
    """Each list page opened once per month: a figure and a workbook sheet that count the same
    list compare with the same page."""

    def __init__(self, client):
        self.client, self.seen = client, {}

    def __call__(self, url):
        if url not in self.seen:
            self.seen[url] = rows_of(self.client, url)
        return self.seen[url]


def section_rows(ws, index):
    runs = numbered_runs(ws)
    return len(runs[index]) if index < len(runs) else 0


def list_url(name, period, **params):
    query = {"year": period.year, "month": period.month, **params}
    return reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def check_month(client, period):
    values = figure_values(period=period)
    list_rows = ListRows(client)
    # 1. every linked figure counts the rows of its list
    counts = linked_counts(period=period, values=values)
    assert {"plan_total", "land_batch_projects", "preliminary_done", "branches_construction", "early_unplanned",
            "overdue_milestones", "payments", "completion_due", "completed_on_time", "payment_warnings",
            "started_unregistered", "reconciliation_gaps", "evidence_missing"} <= {key for key, _count, _url in counts}
    for key, count, url in counts:
        assert list_rows(url) == count, (str(period), key, url)

    # 2. the workbook's sheets hold the lists' rows
    response = client.get(reverse("district_workbook"), {"year": period.year, "month": period.month})
    book = workbook_values(download(response))  # the values only: no formula is read here
    details = numbered_runs(book["项目明细"])
    assert sum(len(run) for run in details) == list_rows(list_url("projects:list", period)), str(period)
    expected_sections = {
        ("用地", 0): "land:batches", ("用地", 1): "land:acquisitions",
        ("招标与许可", 0): "procurement:tenders", ("招标与许可", 1): "procurement:permits",
        ("资金与节约", 0): "funding_list", ("资金与节约", 1): "saving_list",
        ("节点计划", 0): "projects:milestones",
    }
    for (sheet, index), name in expected_sections.items():
        assert section_rows(book[sheet], index) == list_rows(list_url(name, period)), (str(period), sheet, index)
    # the acquisition rows are as of the period too: their sums are the 征地/拆房 figures
    tasks = numbered_runs(book["用地"])[1]
    assert sum(Decimal(str(row[4] or 0)) for row in tasks) == values["acquired_mu"].value, str(period)
    assert sum(row[5] or 0 for row in tasks) == values["buildings_signed"].value, str(period)
    overdue_rows = sum(1 for run in numbered_runs(book["节点计划"]) for row in run if row[7] == "逾期")
    assert overdue_rows == values["overdue_milestones"].value
    assert overdue_rows == list_rows(list_url("projects:milestones", period, overdue="true"))

    # 3. the summary paragraph states the same numbers
    out = StringIO()
    call_command("draft_summary", str(period.year), str(period.month), stdout=out)
    text = out.getvalue()
    for key, phrase in SUMMARY_PHRASES.items():
        shown = values[key]
        if shown.value:
            assert phrase.format(shown.text) in text, (str(period), key, phrase.format(shown.text))


@pytest.mark.usefixtures("demo_2020")
@pytest.mark.parametrize("month", range(1, 13))
def test_2020_every_month_agrees(leader_client, month):
    check_month(leader_client, Period(2020, month))


@pytest.mark.usefixtures("generated_year")
@pytest.mark.parametrize("month", range(1, 13))
def test_a_generated_year_every_month_agrees(leader_client, month):
    check_month(leader_client, Period(GENERATED_YEAR, month))


@pytest.mark.usefixtures("generated_year")
def test_the_generated_year_is_not_empty():
    """The walk above means something only if the generated year has figures in every kind."""
    values = figure_values(period=Period(GENERATED_YEAR, 12))
    for key in ("plan_total", "unplanned", "land_batches", "land_with_task", "tenders_works", "permit_count",
                "preliminary_done", "branches_construction", "early_starts", "overdue_milestones",
                "to_implementation", "to_preliminary", "phase_delivered"):
        assert values[key].value, key
