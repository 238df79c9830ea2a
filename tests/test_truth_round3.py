"""One truth, round 3: figures not yet compared month by month with what stands behind them —
inspections' open findings, 督办 states and figures, contracts and payments, the 红黑榜 sheet, the
调度会 pack — for every month of 2020 and of the demo's 2021 (January–March), as of the month's
end, on the data set `make demo` serves (``load_demo`` and ``ensure_demo_users``: the 2020
problems and 督办 orders come with the demo accounts)."""
import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from evidence.models import Finding, FindingStatus
from portfolio.numbers import Period
from tests.demo import load_demo_command, shared_fixture


def _build():
    load_demo_command()
    call_command("ensure_demo_users", verbosity=0)


demo = shared_fixture("make_demo", _build, fixture_name="make_demo")
pytestmark = pytest.mark.usefixtures("make_demo")

MONTHS = [Period(2020, m) for m in range(1, 13)] + [Period(2021, m) for m in range(1, 4)]
MONTH_IDS = [f"{p.year}-{p.month:02d}" for p in MONTHS]


def month_params(period, **params):
    return {"year": period.year, "month": period.month, **params}


def page(client, url, period, **params):
    response = client.get(url, month_params(period, **params))
    assert response.status_code == 200, url
    return response.content.decode()


def row_count(html):
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


# --- inspections: open and overdue findings as of the month's end -------------------------------

@pytest.fixture
def finding_closed_later(make_demo):
    """The demo's fix waiting for acceptance since 2 December 2020, accepted on 10 February 2021:
    open at the end of every month before February 2021."""
    finding = Finding.objects.get(status=FindingStatus.SUBMITTED)
    finding.status, finding.closed_on = FindingStatus.CLOSED, dt.date(2021, 2, 10)
    finding.accepted_by = finding.inspection.inspectors.get()
    finding.save()
    return finding


def table_rows(html, table_id):
    body = html[html.index(f'id="{table_id}"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return re.findall(r"<tr.*?</tr>", body, re.S)


@pytest.mark.parametrize("period", MONTHS, ids=MONTH_IDS)
def test_open_findings_counted_as_the_rows_open_at_the_months_end(leader_client, finding_closed_later, period):
    html = page(leader_client, reverse("evidence:inspections"), period)
    findings = table_rows(html, "findings")
    open_rows = [row for row in findings if "data-open" in row]
    overdue_rows = [row for row in open_rows if "逾期</span>" in row]
    by_project = [re.findall(r'<td class="num[^"]*">(\d+)</td>', row) for row in table_rows(html, "by-project")
                  if 'class="num' in row]
    by_contractor = [re.findall(r'<td class="num[^"]*">(\d+)</td>', row) for row in table_rows(html, "by-contractor")
                     if 'class="num' in row]
    for counts in (by_project, by_contractor):
        assert sum(int(n_open) for n_open, _late in counts) == len(open_rows)
        assert sum(int(late) for _open, late in counts) == len(overdue_rows)
    # a row open at the month's end says so, whatever its status today
    accepted_later = next((row for row in findings if f'id="finding-{finding_closed_later.pk}"' in row), None)
    if accepted_later is not None:
        assert ("data-open" in accepted_later) is (period.end < dt.date(2021, 2, 10))
        assert ("已销项" in accepted_later) is (period.end >= dt.date(2021, 2, 10))
    # the project page's count is that project's row, and links to this month's page
    project = finding_closed_later.inspection.project
    project_page = page(leader_client, reverse("projects:detail", args=[project.pk]), period)
    shown = int(re.search(r'data-figure="open-findings">(\d+)<', project_page).group(1))
    listed = [row for row in open_rows if f">{project.name}<" in row]
    assert shown == len(listed)
    assert f'{reverse("evidence:inspections")}?year={period.year}&amp;month={period.month}"' in project_page
