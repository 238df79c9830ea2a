"""Problems where people look: raised from a month's 存在问题 in one click, listed open on the
project page and beside each laggard on the dashboard."""
import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.models import Problem, ProblemType
from tests import factories
from tests.forms_support import field_error, submit
from tests.supervision_support import world  # noqa: F401  (fixture)


def test_raise_from_a_month_row_prefilled_then_close(client, world):
    factories.plan_entry(world.project, 2020)
    client.force_login(world.clerk)
    page = client.get(reverse("problem_create"), {"project": world.project.pk, "type": "demolition",
                                                  "description": "2户未签约", "year": 2020, "month": 6})
    html = page.content.decode()
    assert f'<option value="{world.project.pk}" selected>' in html and "2户未签约</textarea>" in html
    assert '<option value="demolition" selected>' in html and "来自 2020年6月" in html
    response = client.post(reverse("problem_create"), {
        "project": world.project.pk, "type": "demolition", "description": "2户未签约", "responsible_unit": world.unit.pk,
        "deadline": "2020-07-31", "year": 2020, "month": 6})
    problem = Problem.objects.get()
    assert response.url == reverse("problem_detail", args=[problem.pk])
    assert (problem.year, problem.month, problem.raised_by, problem.status) == (2020, 6, world.clerk, "open")
    response = client.post(reverse("problem_detail", args=[problem.pk]), {"resolution": " "})
    assert field_error(response, "resolution") == "问题销号须填写解决情况。"
    problem.refresh_from_db()
    assert problem.status == "open"
    client.post(reverse("problem_detail", args=[problem.pk]), {"resolution": "已签约腾地"})
    problem.refresh_from_db()
    assert (problem.status, problem.resolution, problem.closed_by) == ("closed", "已签约腾地", world.clerk)
    response = client.post(reverse("problem_detail", args=[problem.pk]), {"resolution": "再次销号"})
    assert "不能重复销号" in response.content.decode()


def test_a_leader_cannot_raise_and_a_clerk_not_on_another_areas_project(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("problem_create"))
    assert response.status_code == 403 and "您没有登记问题的权限" in response.content.decode()
    other = factories.project(area=factories.area("北片"))
    client.force_login(world.clerk)
    response = client.post(reverse("problem_create"), {"project": other.pk, "type": "land", "description": "越权"})
    assert field_error(response, "project")  # the form never offered it: refused beside the field
    assert not Problem.objects.exists()


def test_project_page_lists_open_problems_and_orders(client, world):
    open_one = world.problem(description="管线迁改未完成")
    closed = world.problem(description="环评批复已取得")
    services.problem_close(user=world.clerk, problem=closed, resolution="已批复")
    world.order(problem=open_one, content="督促管线迁改")
    client.force_login(world.leader)
    html = client.get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    card = html[html.index('id="open-problems"'):html.index('id="open-orders"')]
    assert "管线迁改未完成" in card and "环评批复已取得" not in card
    assert "望城城投建设有限公司 · 限" in html[html.index('id="open-orders"'):]


def test_dashboard_shows_open_problems_beside_laggards(client, demo_2020):
    from projects.models import Project

    may = timezone.make_aware(dt.datetime(2020, 5, 1))
    Problem.objects.bulk_create([Problem(project=p, type=ProblemType.PIPELINES, description=f"{p.code}管线迁改滞后",
                                         raised_at=may) for p in Project.objects.all()])
    client.force_login(factories.leader())
    html = client.get("/", {"year": 2020, "month": 6}).content.decode()
    table = html[html.index('id="laggards"'):html.index("</table>", html.index('id="laggards"'))]
    rows = table.split("<tr>")[2:]
    assert rows
    for row in rows:
        project = Project.objects.get(pk=re.search(r'href="/projects/(\d+)/"', row).group(1))
        problem = Problem.objects.get(project=project)
        assert f'href="/problems/{problem.pk}/" title="{project.code}管线迁改滞后">管线迁改</a>' in row
    assert 'source=red_light">督办</a>' in table


def test_month_row_offers_to_raise_its_problem(client, world):
    entry = factories.plan_entry(world.project, 2020)
    factories.progress(entry, 6, completed=100, problems="燃气管线迁改未完成")
    client.force_login(world.clerk)
    html = client.get(reverse("investment:month", args=[2020, 6])).content.decode()
    link = re.search(r'<a class="small d-print-none raise-problem" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    page = client.get(link).content.decode()
    assert "燃气管线迁改未完成</textarea>" in page and "来自 2020年6月" in page


def test_order_in_one_click_from_an_overdue_node_and_a_missing_report(client, world):
    entry = factories.plan_entry(world.project, 2020)
    node = factories.milestone(world.project, name="主体结构封顶", planned_on=dt.date(2020, 5, 1))
    client.force_login(world.leader)
    html = client.get(reverse("records:overdue"), {"year": 2020, "month": 6}).content.decode()
    link = re.search(r'href="([^"]+)" data-action="order"', html).group(1).replace("&amp;", "&")
    page = client.get(link).content.decode()
    assert "节点“主体结构封顶”计划于2020-05-01完成，已逾期" in page
    assert '<option value="overdue_node" selected>' in page and f'value="{world.unit.pk}" selected' in page
    html = client.get(reverse("investment:status", args=[2020, 6])).content.decode()
    link = re.search(r'href="([^"]+)" data-action="order"', html).group(1).replace("&amp;", "&")
    page = client.get(link).content.decode()
    assert "2020年6月月报未按时填报" in page and '<option value="missing_report" selected>' in page
    assert entry.project_id == world.project.pk
    client.force_login(world.clerk)  # a 录入员 is not offered 督办
    assert 'data-action="order"' not in client.get(reverse("records:overdue"), {"year": 2020, "month": 6}).content.decode()


def test_lists_export_what_they_show(client, world):
    from io import BytesIO

    from openpyxl import load_workbook

    world.problem(description="用地报批未完成")
    order = world.order(deadline=timezone.localdate() + dt.timedelta(days=1))
    client.force_login(world.leader)
    year, month = timezone.localdate().year, timezone.localdate().month
    for url, text in [("/problems/", "用地报批未完成"), ("/supervision/", order.content)]:
        response = client.get(url, {"year": year, "month": month, "export": "xlsx"})
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming
                                      else response.content)).active
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
        assert text in cells, url
    assert "临期" in cells and "下发" in cells


def test_edit_an_open_problem_not_a_closed_one_nor_someone_elses(client, world):
    problem = world.problem(responsible_unit=None)
    client.force_login(world.clerk)
    url = reverse("problem_edit", args=[problem.pk])
    submit(client, url, {"type": "pipelines", "description": "燃气管线迁改", "responsible_unit": world.other_unit.pk,
                      "deadline": "2020-09-30"})
    problem.refresh_from_db()
    assert (problem.type, problem.responsible_unit, problem.deadline) == ("pipelines", world.other_unit,
                                                                          dt.date(2020, 9, 30))
    response = submit(client, url, {"type": "pipelines", "description": " "})
    assert field_error(response, "description")
    services.problem_close(user=world.clerk, problem=problem, resolution="已迁改")
    response = submit(client, url, {"type": "land", "description": "改回"})
    assert "该问题已销号，不能修改。" in response.content.decode()
    client.force_login(world.leader)
    assert client.post(url, {"type": "land", "description": "改回"}).status_code == 403
    problem.refresh_from_db()
    assert problem.type == "pipelines"


def test_an_order_to_a_unit_without_a_liaison_warns_until_one_exists(client, world):  # noqa: F811
    """Issuing to a unit nobody can sign for is allowed (the center phones it), and the order's
    page says so until the unit has a liaison account."""
    from supervision.models import UnitMember
    order = world.order(responsible_unit=world.other_unit, project=world.project)
    UnitMember.objects.filter(organisation=world.other_unit).delete()
    client.force_login(world.leader)
    other_project = factories.project(area=world.area, owner_unit=world.other_unit, name="水厂扩建")
    form = client.get(reverse("order_create"), {"project": other_project.pk}).content.decode()
    assert "预填的责任单位尚无联络人账号，无法在系统内签收" in form
    listing = client.get(reverse("order_list")).content.decode()
    assert f'<a href="{reverse("order_detail", args=[order.pk])}">#{order.pk}</a>（测试水务有限公司）' in listing
    html = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    assert 'id="unit-without-liaison"' in html
    assert "测试水务有限公司）尚无联络人账号，无法在系统内签收" in html
    UnitMember.objects.create(user=world.outsider, organisation=world.other_unit)
    html = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    assert "尚无联络人账号" not in html
    form = client.get(reverse("order_create"), {"project": other_project.pk}).content.decode()
    assert "尚无联络人账号" not in form
    assert 'id="nobody-can-sign"' not in client.get(reverse("order_list")).content.decode()
