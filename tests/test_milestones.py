"""Node plans: overdue = planned date passed and not done (checked on the boundary day), the
overdue list by area with days late, the one-step template, and the timeline on the record page."""
import datetime as dt

import pytest
from django.urls import reverse

from projects import selectors
from projects.milestone_templates import MILESTONE_TEMPLATES
from projects.models import Project, ProjectKind
from tests import factories

D = dt.date.fromisoformat


@pytest.fixture
def areas(db):
    return factories.area("南片", order=1), factories.area("北片", order=2)


@pytest.fixture
def road(areas):
    """A road of the 2021 plan: node plans count for the projects of the year's plan."""
    project = factories.project(area=areas[0], name="金坪路", kind=ProjectKind.ROAD)
    factories.plan_entry(project, year=2021)
    return project


def overdue_ids(as_of):
    return set(selectors.overdue_milestones(as_of=D(as_of)).values_list("name", flat=True))


def test_overdue_around_the_boundary_day(road):
    factories.milestone(project=road, name="路基", planned_on=D("2021-03-01"))
    factories.milestone(project=road, name="路面", planned_on=D("2021-03-01"), done_on=D("2021-03-05"))
    # On the planned day itself nothing is late yet.
    assert overdue_ids("2021-03-01") == set()
    # The day after, both are late (路面 was done only on the 5th).
    assert overdue_ids("2021-03-02") == {"路基", "路面"}
    assert overdue_ids("2021-03-04") == {"路基", "路面"}
    # Done on the 5th: no longer overdue from that day on.
    assert overdue_ids("2021-03-05") == {"路基"}


def test_overdue_page_by_area_with_days_late(client, areas, road):
    north_project = factories.project(area=areas[1], name="青竹湖路")
    factories.plan_entry(north_project, year=2021)
    outside_plan = factories.project(area=areas[1], name="规划中道路")  # in no plan of 2021: not counted
    factories.milestone(project=outside_plan, name="立项", planned_on=D("2021-01-10"))
    factories.milestone(project=road, name="路基", planned_on=D("2021-03-01"))
    factories.milestone(project=north_project, name="招标", planned_on=D("2021-02-20"))
    factories.milestone(project=north_project, name="开工", planned_on=D("2021-03-10"))  # not yet due
    client.force_login(factories.leader())
    response = client.get(reverse("records:overdue"), {"as_of": "2021-03-02"})
    html = response.content.decode()
    assert 'data-figure="overdue-total">2<' in html
    assert f'data-area-count="{areas[0].pk}">1<' in html and f'data-area-count="{areas[1].pk}">1<' in html
    groups = selectors.overdue_milestones_by_area(as_of=D("2021-03-02"))
    assert [(g["area"].name, [(m.name, m.days_late) for m in g["milestones"]]) for g in groups] == [
        ("南片", [("路基", 1)]), ("北片", [("招标", 10)])]
    main = html[html.index("<main"):html.index("</main>")]  # the page, without the menu
    assert "开工" not in main


def test_template_applied_in_one_step(client, areas, road):
    client.force_login(factories.staff("luru_nan", areas=[areas[0]]))
    url = reverse("records:milestones_apply", args=[road.pk])
    response = client.post(url, {"start": "2021-01-01", "finish": "2021-12-31"})
    assert response.status_code == 302
    nodes = list(road.milestones.order_by("order"))
    assert [m.name for m in nodes] == ["施工图审查", "招标", "开工", "路基", "路面", "交工验收"]
    assert nodes[0].planned_on == D("2021-01-19")   # 5 % of 364 days
    assert nodes[-1].planned_on == D("2021-12-31")
    assert all(a.planned_on <= b.planned_on for a, b in zip(nodes, nodes[1:]))
    # Applying again adds nothing; nodes already there are kept as they are.
    nodes[0].done_on = D("2021-01-15")
    nodes[0].save()
    client.post(url, {"start": "2021-02-01", "finish": "2021-12-31"})
    assert road.milestones.count() == 6
    assert road.milestones.get(name="施工图审查").done_on == D("2021-01-15")


def test_template_with_finish_before_start_is_refused(client, areas, road):
    client.force_login(factories.staff("luru_nan", areas=[areas[0]]))
    response = client.post(reverse("records:milestones_apply", args=[road.pk]),
                           {"start": "2021-06-01", "finish": "2021-01-01"})
    assert response.status_code == 200
    assert "计划完工日期必须晚于起始日期" in response.content.decode()
    assert not road.milestones.exists()


def test_every_kind_has_a_template_ending_at_the_finish():
    for kind in ProjectKind.values:
        shares = [share for _name, share in MILESTONE_TEMPLATES[kind]]
        assert shares == sorted(shares) and shares[-1] == 1.0, kind


def test_timeline_on_the_record_page_is_as_of_the_periods_end(client, areas, road):
    factories.milestone(project=road, name="施工图审查", order=1, planned_on=D("2021-02-01"), done_on=D("2021-01-31"))
    factories.milestone(project=road, name="招标", order=2, planned_on=D("2021-03-27"))
    factories.milestone(project=road, name="开工", order=3, planned_on=D("2021-04-15"), done_on=D("2021-04-20"))
    client.force_login(factories.leader())
    html = client.get(reverse("records:project", args=[road.pk]), {"year": 2021, "month": 3}).content.decode()
    states = [s for s in ("done", "overdue", "pending") if f'data-state="{s}"' in html]
    assert states == ["done", "overdue", "pending"]
    assert '已逾期 <span data-figure="days-late">4</span> 天' in html  # 27 → 31 March
    # at the end of April 招标 is 34 days late and 开工, done on the 20th, is done
    html = client.get(reverse("records:project", args=[road.pk]), {"year": 2021, "month": 4}).content.decode()
    assert '已逾期 <span data-figure="days-late">34</span> 天' in html
    assert html.count('data-state="done"') == 2


def test_the_2021_plan_in_the_data_set(demo_2020):
    # 23 projects due to finish in 2021, each with a node plan
    due_2021 = Project.objects.filter(planned_finish__year=2021)
    assert due_2021.count() == 23
    assert all(p.milestones.exists() for p in due_2021)
    assert selectors.overdue_milestones_by_area(as_of=D("2020-12-31"))
