"""The project list and the record lists: filters (one line per filter: params in, count out),
sorting, column choice, paging, and the filtered queryset an export will write."""
import re

import pytest

from portfolio.rag import Rag
from django.test import RequestFactory
from django.urls import reverse

from projects.models import Area

pytestmark = pytest.mark.usefixtures("demo_2020")


def count(client, name, **params):
    html = client.get(reverse(name), params).content.decode()
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


def test_lists_require_login(client):
    for name in ("projects:list", "land:batches", "procurement:permits", "funding_list"):
        assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize("params, expected", [
    ({}, 48),  # default: latest month's year, 45 planned + 3 unplanned
    ({"year": 2020, "month": 12}, 48),
    ({"year": 2019}, 10),
    ({"year": 2020, "category": "new"}, 18 + 3),  # the 3 计划外 projects are 新建 too
    ({"year": 2020, "category": "new", "unplanned": "false"}, 18),
    ({"year": 2020, "month": 12, "current_category": "preliminary"}, 11),
    ({"year": 2020, "municipal_key": "true"}, 10),
    ({"year": 2020, "unplanned": "true"}, 3),
    ({"year": 2020, "month": 12, "phase": "delivered"}, 9),
    ({"year": 2020, "q": "金峰"}, 1),
    ({"year": 2020, "finish_year": 2021}, 23),  # the report's 23 projects to complete in 2021
    ({"year": 2020, "q": "430112-48-01-100703"}, 1),
])
def test_project_filters(leader_client, params, expected):
    assert count(leader_client, "projects:list", **params) == expected


def test_project_area_and_rag_filters_partition_the_year(leader_client):
    areas = [count(leader_client, "projects:list", year=2020, area=a.pk) for a in Area.objects.all()]
    assert sum(areas) == 48
    rags = [count(leader_client, "projects:list", year=2020, month=12, rag=r) for r in Rag.values]
    assert sum(rags) == 48


@pytest.mark.parametrize("name, params, expected", [
    ("land:batches", {"year": 2020}, 6),
    ("land:batches", {"q": "金峰路"}, 1),
    ("land:acquisitions", {"year": 2020}, 21),
    ("land:acquisitions", {"year": 2020, "full_access": "true"}, 21),
    ("procurement:tenders", {"year": 2020}, 25),
    ("procurement:tenders", {"year": 2020, "works": "true"}, 19),
    ("procurement:tenders", {"year": 2020, "kind": "equipment"}, 6),
    ("procurement:permits", {"year": 2020, "kind": "construction"}, None),
    ("projects:milestones", {"year": 2020, "month": 12, "overdue": "true"}, None),
    ("funding_list", {"year": 2020, "source": "special_bond"}, None),
    ("saving_list", {"year": 2020, "management": "true"}, None),
])
def test_record_filters(leader_client, name, params, expected):
    filtered = count(leader_client, name, **params)
    if expected is None:  # a proper subset of the unfiltered list
        assert 0 < filtered < count(leader_client, name)
    else:
        assert filtered == expected


def test_sorting_and_paging(leader_client):
    html = leader_client.get(reverse("projects:list"), {"year": 2020, "sort": "-target", "per_page": 25}).content.decode()
    body = html[html.index("<tbody"):html.index("</tbody>")]  # the rows, not the 合计 footer
    targets = [float(t.replace(",", "")) for t in re.findall(r'<td class="num">([\d,]+\.\d\d)</td>', body)[::2]]
    assert targets == sorted(targets, reverse=True)
    assert len(targets) == 25  # 48 projects, 25 a page
    assert "page=2" in html


def test_column_choice(leader_client):
    html = leader_client.get(reverse("projects:list"), {"columns": ["code", "rag"]}).content.decode()
    thead = html[html.index("<thead"):html.index("</thead>")]
    assert "项目代码" in thead and "亮灯" in thead and "片区" not in thead
    default = leader_client.get(reverse("projects:list")).content.decode()
    assert "片区" in default[default.index("<thead"):default.index("</thead>")]


def test_filter_state_is_in_the_url_of_sort_links(leader_client):
    html = leader_client.get(reverse("projects:list"), {"year": 2020, "rag": "red"}).content.decode()
    sort_links = re.findall(r'href="(\?[^"]*sort=[^"]*)"', html)
    assert sort_links and all("rag=red" in link for link in sort_links)


def test_get_filtered_queryset_is_what_the_page_shows_across_pages(leader):
    from projects.views import ProjectListView

    request = RequestFactory().get("/projects/", {"year": "2020", "unplanned": "false", "sort": "-target", "per_page": "25"})
    request.user = leader
    view = ProjectListView()
    view.setup(request)
    rows = list(view.get_filtered_queryset())
    assert len(rows) == 45
    assert [r.target for r in rows] == sorted((r.target for r in rows), reverse=True)
    assert view.get_table_class().__name__ == "ProjectTable"


def test_bad_filter_value_shows_a_message(leader_client):
    html = leader_client.get(reverse("projects:list"), {"year": 2020, "rag": "purple"}).content.decode()
    assert "invalid-feedback" in html


def test_filter_form_says_all_not_dashes(leader_client):
    for name in ("projects:list", "procurement:permits", "land:acquisitions"):
        html = leader_client.get(reverse(name)).content.decode()
        form = html[html.index('id="filters"'):html.index("</form>", html.index('id="filters"'))]
        assert "---------" not in form and "未知" not in form
        assert ">全部<" in form


def test_the_node_plans_of_the_projects_due_in_2021(leader_client):
    from projects.models import Milestone

    html = leader_client.get(reverse("projects:milestones"), {"finish_year": 2021, "per_page": 200}).content.decode()
    due = Milestone.objects.filter(project__planned_finish__year=2021)
    assert count(leader_client, "projects:milestones", finish_year=2021) == due.count() > 0
    assert due.values("project").distinct().count() == 23
    for name in ("金星大道（滨水四医院院区）地下通道工程", "普瑞大道（三环线-金星路）提质改造", "区一中改扩建", "养老中心", "香桥小学"):
        assert name in html, name


def test_a_finish_year_that_is_not_a_year_is_refused(leader_client):
    html = leader_client.get(reverse("projects:list"), {"finish_year": "明年"}).content.decode()
    assert re.findall(r'invalid-feedback[^>]*>([^<]*)<', html) == ["输入一个数字。"]
    assert 'data-figure="row-count">0<' in html  # an invalid filter shows nothing rather than everything


@pytest.mark.parametrize("name", ["projects:list", "procurement:tenders", "land:acquisitions", "contracts:list",
                                  "contracts:registrations"])
def test_a_list_sorted_by_area_lists_the_areas_in_their_order(leader_client, name):
    """Every list's 片区 column (``portfolio.tables.AreaColumn``) sorts by ``Area.order``, not by the name."""
    html = leader_client.get(reverse(name), {"year": 2020, "columns": ["area"], "sort": "area",
                                             "per_page": 200}).content.decode()
    body = html[html.index("<tbody"):html.index("</tbody>")]
    shown = [cell.strip() for cell in re.findall(r"<td[^>]*>([^<]*)</td>", body)]
    order = {area.name: area.order for area in Area.objects.all()}
    assert shown and all(name in order for name in shown), shown[:5]
    assert [order[name] for name in shown] == sorted(order[name] for name in shown)
