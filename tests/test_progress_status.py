"""填报情况: which projects have not reported a month, per area and per staff member, with the
deadline (one setting) and how late they are; only leaders and admins see it."""
import datetime as dt

import pytest
from django.urls import reverse

from investment import selectors
from tests import factories
from tests.progress_support import MONTH, YEAR, world  # noqa: F401

URL = reverse("investment:status", args=[YEAR, MONTH])


def test_staff_cannot_see_it(client, world):
    client.force_login(world.staff_s)
    assert client.get(URL).status_code == 403


def test_missing_projects_per_area_and_staff(client, world, settings):
    settings.PROGRESS_DEADLINE_DAY = 5
    factories.progress(world.s1, MONTH, "10")
    client.force_login(world.leader)
    html = client.get(URL).content.decode()
    assert 'data-figure="deadline">2020-07-05' in html
    assert 'data-figure="due">3' in html and 'data-figure="missing">2' in html
    # per staff member: staff_s has 1 of 2 missing, staff_n 1 of 1
    by_staff = html[html.index('id="by-staff"'):]
    s_row = by_staff[by_staff.index('data-user="staff_s"'):]
    assert '<td class="num" data-cell="missing">1</td>' in s_row[:s_row.index("</tr>")]
    n_row = by_staff[by_staff.index('data-user="staff_n"'):]
    assert '<td class="num" data-cell="missing">1</td>' in n_row[:n_row.index("</tr>")]
    # per area, with a link to the row on the month page
    south = html[html.index('data-area="南片"'):]
    south = south[:south.index("</table>")]
    assert "南片二号学校" in south and "南片一号路" not in south
    assert f'/progress/2020/6/#entry-{world.s2.pk}' in south
    assert "staff_s" in south
    north = html[html.index('data-area="北片"'):]
    assert "北片一号路" in north[:north.index("</table>")]


def test_days_late_counted_from_the_deadline(world, settings):
    settings.PROGRESS_DEADLINE_DAY = 10
    status = selectors.reporting_status(year=YEAR, month=MONTH, today=dt.date(2020, 7, 13))
    assert status["deadline"] == dt.date(2020, 7, 10) and status["days_late"] == 3
    early = selectors.reporting_status(year=YEAR, month=MONTH, today=dt.date(2020, 7, 9))
    assert early["days_late"] == 0
    december = selectors.reporting_status(year=YEAR, month=12, today=dt.date(2021, 1, 1))
    assert december["deadline"] == dt.date(2021, 1, 10)


@pytest.mark.parametrize("day,expected", [(31, dt.date(2020, 2, 29)), (5, dt.date(2020, 2, 5))])
def test_deadline_day_is_clamped_to_the_month(settings, day, expected):
    settings.PROGRESS_DEADLINE_DAY = day
    assert selectors.report_deadline(year=2020, month=1) == expected


def test_unassigned_project_says_so(client, world):
    other_area = factories.area("西片")
    factories.plan_entry(factories.project(area=other_area, name="西片新路"))
    client.force_login(world.admin)
    html = client.get(URL).content.decode()
    west = html[html.index('data-area="西片"'):]
    assert "未分配" in west[:west.index("</table>")]


def test_status_page_query_count_is_fixed(client, world, django_assert_max_num_queries):
    for _ in range(30):
        factories.plan_entry(factories.project(area=world.south))
    client.force_login(world.leader)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200


def test_projects_finished_before_the_month_are_not_due(client, world):
    from projects.models import Phase
    factories.phase_transition(project=world.s1.project, from_phase=Phase.CONSTRUCTION,
                               to_phase=Phase.COMPLETED, occurred_on="2020-05-20")
    factories.phase_transition(project=world.s2.project, from_phase=Phase.CONSTRUCTION,
                               to_phase=Phase.COMPLETED, occurred_on="2020-06-01")
    client.force_login(world.leader)
    html = client.get(URL).content.decode()
    assert 'data-figure="due">2' in html and 'data-figure="missing">2' in html
    south = html[html.index('data-area="南片"'):]
    south = south[:south.index("</table>")]
    assert "南片一号路" not in south and "南片二号学校" in south
