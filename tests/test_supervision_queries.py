"""Queries per page stay bounded with 1,000 problems and 300 督办 orders (bulk-built)."""
import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projects.models import Organisation
from supervision.models import Notification, Order, OrderEvent, OrderSource, OrderState, Problem, ProblemType
from tests import factories
from tests.supervision_support import World

STATES = list(OrderState.values)


@pytest.fixture(scope="module")
def many(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = World()
        factories.plan_entry(world.project, 2020)
        units = Organisation.objects.bulk_create(
            [Organisation(name=f"责任单位{i:02d}", role="owner") for i in range(20)])
        projects = [factories.project(area=world.area if i % 2 else factories.area("北片")) for i in range(30)]
        for p in projects:
            factories.plan_entry(p, 2020)
        raised = timezone.make_aware(dt.datetime(2020, 5, 1, 9))
        types = list(ProblemType.values)
        Problem.objects.bulk_create([Problem(
            project=projects[i % 30], type=types[i % len(types)], description=f"问题{i}",
            responsible_unit=units[i % 20], raised_at=raised + dt.timedelta(minutes=i), raised_by=world.clerk,
            year=2020, month=5,
            **({"status": "closed", "resolution": "已解决", "closed_at": raised + dt.timedelta(days=45)}
               if i % 3 == 0 else {})) for i in range(1000)])
        orders = Order.objects.bulk_create([Order(
            project=projects[i % 30], source=OrderSource.OTHER, content=f"督办{i}", responsible_unit=units[i % 20],
            deadline=dt.date(2020, 6, 1) + dt.timedelta(days=i % 60), state=STATES[i % 6], issued_by=world.leader,
            issued_at=raised + dt.timedelta(hours=i), times_returned=i % 3,
            closed_at=raised + dt.timedelta(days=30 + i % 20) if STATES[i % 6] == "closed" else None)
            for i in range(300)])
        OrderEvent.objects.bulk_create([OrderEvent(order=o, kind="issue", by=world.leader, at=o.issued_at)
                                        for o in orders])
        Notification.objects.bulk_create([Notification(
            recipient=world.leader, kind="order_replied", key=f"o{i}", sent_on=dt.date(2020, 6, 1), title=f"反馈{i}")
            for i in range(120)])
        yield world
        transaction.set_rollback(True)


@pytest.mark.parametrize("url", [
    "/problems/?year=2020&month=6", "/problems/?year=2020&month=6&status=open&per_page=200",
    "/supervision/?year=2020&month=12&per_page=200", "/supervision/?year=2020&month=12&state=replied",
    "/inbox/",
])
def test_list_pages_bounded(db, client, many, django_assert_max_num_queries, url):
    client.force_login(many.leader)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_problem_list_counts_open_at_the_period_end(db, client, many):
    client.force_login(many.leader)
    """1,000 raised on 1 May, every third closed on 15 June: all open at May's end, 666 at June's."""
    html = client.get("/problems/?year=2020&month=5&status=open").content.decode()
    assert 'data-figure="row-count">1000<' in html
    html = client.get("/problems/?year=2020&month=6&status=open").content.decode()
    assert 'data-figure="row-count">666<' in html
    html = client.get("/problems/?year=2020&month=6&status=closed").content.decode()
    assert 'data-figure="row-count">334<' in html


def test_order_stats_on_the_list(db, client, many):
    client.force_login(many.leader)
    html = client.get("/supervision/?year=2020&month=12").content.decode()
    assert 'data-figure="row-count">300<' in html
    assert html.count('<tr data-key=') == 20 + 2  # 20 units, 2 areas


def test_detail_pages_bounded(db, client, many, django_assert_max_num_queries):
    order = Order.objects.filter(state="replied").first()
    problem = Problem.objects.first()
    client.force_login(many.leader)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("order_detail", args=[order.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("problem_detail", args=[problem.pk])).status_code == 200


@pytest.mark.parametrize("params, count", [
    ({}, 1000), ({"type": "land"}, 112), ({"status": "closed"}, 334), ({"q": "不存在的项目"}, 0),
])
def test_problem_filters(db, client, many, params, count):
    client.force_login(many.leader)
    html = client.get("/problems/", {"year": 2020, "month": 6, **params}).content.decode()
    assert f'data-figure="row-count">{count}<' in html


def test_problem_filters_by_area_and_unit(db, client, many):
    from projects.models import Area

    client.force_login(many.leader)
    south = Area.objects.get(name="南片")
    unit = Organisation.objects.get(name="责任单位03")
    html = client.get("/problems/", {"year": 2020, "month": 6, "area": south.pk}).content.decode()
    assert 'data-figure="row-count">500<' in html
    html = client.get("/problems/", {"year": 2020, "month": 6, "unit": unit.pk}).content.decode()
    assert 'data-figure="row-count">50<' in html
