"""The demo's 2021 (``manage.py load_demo``: portfolio/demo_2021.py): what a newcomer sees of 2021
— the plan's 23 projects to complete in 2021 on the project list, the 1-3月 completion on the
dashboard, node plans for every project, 2021 in the year pickers, the quarter's tenders, permits,
starts and month locks — and that loading again changes no row.

The data set is built by ``load_demo`` (tests.demo.load_demo_command) once per test worker (a shared data set, tests/demo.py);
each test runs in a savepoint inside it."""
import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from investment.models import AnnualPlan, MonthLock, MonthlyProgress, PlanEntry
from procurement.models import Permit, PermitKind, Tender, TenderKind
from projects.models import Milestone, Phase, Project
from tests.demo import load_demo_command, shared_fixture

REPORT_NAMES = ["金星大道（滨水四医院院区）地下通道工程", "普瑞大道（三环线-金星路）提质改造", "区一中改扩建",
                "养老中心", "香桥小学"]


def build_2021():
    load_demo_command()  # its 2020 rows bulk-inserted (tests/demo.py); loading again below is the real command


demo_2021 = shared_fixture("demo_2021", build_2021)


@pytest.fixture
def leader_client_2021(demo_2021, leader_client):
    return leader_client


def figure(html, name):
    return re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', html).group(1).strip()


def test_the_2021_plan_has_the_reports_23_projects_to_complete_in_2021_on_the_project_list(leader_client_2021):
    response = leader_client_2021.get(reverse("projects:list"), {"year": 2021, "month": 3, "finish_year": 2021})
    html = response.content.decode()
    assert figure(html, "row-count") == "23"
    for name in REPORT_NAMES:
        assert name in html, name
    assert PlanEntry.objects.filter(plan__year=2021).count() == 47  # 39 carried + 8 new


def test_dashboard_march_2021_shows_the_quarters_completion_entered(leader_client_2021):
    entered = MonthlyProgress.objects.filter(entry__plan__year=2021).aggregate(s=Sum("completed"))["s"]
    by_month = dict(MonthlyProgress.objects.filter(entry__plan__year=2021).values_list("month")
                    .annotate(s=Sum("completed")))
    assert set(by_month) == {1, 2, 3}
    assert by_month[2] < by_month[1] < by_month[3]  # the Spring Festival in February
    html = leader_client_2021.get("/", {"year": 2021, "month": 3}).content.decode()
    assert "2021年1-3月重点项目建设情况" in html
    assert f"{entered:,.2f} 万元" in html  # the card's exact line under 亿元
    assert figure(html, "completed") == f"{entered / 10000:.1f}"
    target = PlanEntry.objects.filter(plan__year=2021).aggregate(s=Sum("target"))["s"]
    assert figure(html, "target") == f"{target / 10000:.2f}"
    assert re.search(r"续建项目复工率 .*?100%.*?（21/21）", html, re.S)  # all back after the Spring Festival


def test_year_pickers_offer_2021(leader_client_2021):
    for url in ("/", reverse("projects:list")):
        html = leader_client_2021.get(url, {"year": 2020, "month": 12}).content.decode()
        assert re.search(r'<option value="2021"', html), url
        assert re.search(r'<option value="2020"[^>]*selected', html), url


def test_every_2021_project_has_its_node_plan(demo_2021, db):
    in_plan = Project.objects.filter(plan_entries__plan__year=2021)
    assert in_plan.count() == 47
    assert not in_plan.exclude(pk__in=Milestone.objects.values("project")).exists()


def test_the_plan_came_from_the_import_with_provisional_codes_for_the_new_preliminary_projects(demo_2021, db):
    plan = AnnualPlan.objects.get(year=2021)
    assert plan.approved_on == dt.date(2021, 1, 15)
    provisional = dict(Project.objects.filter(code__startswith="临-2021-").values_list("name", "code"))
    assert provisional == {"滨水新城邻里中心": "临-2021-0001", "丁字湾公园二期": "临-2021-0002"}
    assert not Project.objects.filter(kind="other", plan_entries__plan=plan).exists()  # kinds corrected


def test_every_project_started_in_2021_has_its_land_tender_and_permits_in_order(demo_2021, db):
    started = list(Project.objects.filter(actual_start__year=2021))
    assert len(started) == 3
    for project in started:
        tender = Tender.objects.get(project=project, kind=TenderKind.CONSTRUCTION)
        planning = Permit.objects.get(project=project, kind=PermitKind.PLANNING)
        building = Permit.objects.get(project=project, kind=PermitKind.CONSTRUCTION)
        assert dt.date(2021, 1, 15) < tender.published_on < tender.bid_opened_on < planning.issued_on \
            <= building.issued_on < project.actual_start, project  # after the plan was issued
        assert (tender.bid_opened_on - tender.published_on).days >= 20, project
        assert (building.issued_on - tender.bid_opened_on).days <= 45, project
        assert project.phase == Phase.CONSTRUCTION and project.contractor == tender.winner, project
        assert project.phase_transitions.get(occurred_on=project.actual_start).to_phase == Phase.CONSTRUCTION
        batch = project.land_batches.get(year=2021)
        assert batch.submitted_on < batch.approved_on < project.actual_start, project


def test_january_and_february_are_locked_march_is_open_and_laggards_say_why(leader_client_2021):
    locks = dict(MonthLock.objects.filter(year=2021).values_list("month", "is_locked"))
    assert locks[1] and locks[2] and not locks.get(3, False)
    html = leader_client_2021.get(reverse("investment:month", args=[2021, 2])).content.decode()
    assert "2021年2月已锁定" in html
    lagging = MonthlyProgress.objects.filter(entry__plan__year=2021, month=3).exclude(problems="")
    assert sorted(p.entry.project.name for p in lagging) == ["华灿路", "腾飞路", "青竹湖路"]


def test_the_month_page_opens_on_march_2021_the_month_being_entered(leader_client_2021):
    response = leader_client_2021.get(reverse("investment:default_month"))
    assert response["Location"] == reverse("investment:month", args=[2021, 3])


@pytest.mark.slow
def test_loading_again_changes_no_row(demo_2021, db):
    models = [m for m in apps.get_models() if m._meta.app_label in {"projects", "investment", "land", "procurement"}]

    def rows():
        result = {}
        for model in models:
            names = [f.attname for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)]
            result[model._meta.label] = sorted(model.objects.order_by().values_list(*names), key=repr)
        return result

    before = rows()
    call_command("load_demo", verbosity=0)
    assert rows() == before  # history included: nothing is recorded twice
    assert len(before["investment.MonthlyProgress"]) == 424 + 3 * 47
