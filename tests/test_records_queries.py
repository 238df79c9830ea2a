"""Query counts of the record pages do not grow with the data (2020 data set, then more rows)."""
import datetime as dt

import pytest
from django.urls import reverse

from procurement.models import Permit, PermitKind, TenderKind
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.usefixtures("demo_2020")


@pytest.fixture
def admin_client(client):
    client.force_login(factories.admin_user())
    return client


def count_queries(client, url, django_assert_max_num_queries, limit, **params):
    with django_assert_max_num_queries(limit):
        assert client.get(url, params).status_code == 200


def grow(project, n=30):
    """More rows of every kind on one project, so a per-row query would show."""
    for i in range(n):
        factories.milestone(project=project, name=f"节点{i}", order=100 + i, planned_on=dt.date(2020, 1, 1))
        factories.tender(project=project, kind=TenderKind.EQUIPMENT, title=f"设备{i}",
                         bid_opened_on=dt.date(2020, 3, 1))


@pytest.mark.parametrize("url_name, params, limit", [
    ("records:overdue", {"as_of": "2021-06-01"}, 6),
    ("records:scores", {"year": 2020, "month": 12}, 9),
    ("records:score_history", {}, 9),
    ("records:index", {}, 7),
    # 32: from June on the summary also states the 百日竞赛 (1-6月 starts, 复工率, early starts by kind)
    # and 双过半: a fixed handful of queries for June, whatever the data
    ("report_summary", {"year": 2020, "month": 12}, 32),
])
def test_list_pages(admin_client, django_assert_max_num_queries, url_name, params, limit):
    count_queries(admin_client, reverse(url_name), django_assert_max_num_queries, limit, **params)
    grow(Project.objects.order_by("code").first())
    count_queries(admin_client, reverse(url_name), django_assert_max_num_queries, limit, **params)


def test_project_record_page(admin_client, django_assert_max_num_queries):
    project = Project.objects.get(name="华灿路")
    url = reverse("records:project", args=[project.pk])
    # 18: the node plan is as of the period's end, and without ?year= the period is the latest
    # month with data (one query); one the menu's unread-message count (supervision.context_processors);
    # 23: five more sections (合同, 变更与签证, 进度款支付, 统计入库, 统计月报), one query each
    count_queries(admin_client, url, django_assert_max_num_queries, 23)
    grow(project)
    Permit.objects.filter(project=project).delete()
    factories.permit(project=project, kind=PermitKind.PLANNING, issued_on=dt.date(2020, 12, 1))
    count_queries(admin_client, url, django_assert_max_num_queries, 23)
