"""The 督办 loop through its pages: every transition with its rights (the issuer's side issues,
accepts and sends back; only the unit's side signs, handles and replies), crafted POSTs refused
with a Chinese reason and nothing saved, and the deadline colours at their boundaries."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Notification, Order, OrderEventKind, OrderState
from supervision.selectors import deadline_colour
from tests import factories
from tests.supervision_support import world  # noqa: F401  (fixture)


def step(client, order, name, text=""):
    return client.post(reverse("order_detail", args=[order.pk]), {"step": name, "text": text})


def state(order):
    return Order.objects.get(pk=order.pk).state


def reason(response):
    found = re.search(r'id="error-reason">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


def test_issue_from_a_problem_prefilled_then_the_whole_loop(client, world):
    problem = world.problem(deadline=timezone.localdate() + dt.timedelta(days=20))
    client.force_login(world.leader)
    page = client.get(reverse("order_create"), {"problem": problem.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "红线内有3户未签约" in html and f'value="{world.unit.pk}" selected' in html
    deadline = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    response = client.post(reverse("order_create"), {
        "project": world.project.pk, "source": "problem", "problem": problem.pk, "content": "请加快3户签约",
        "responsible_unit": world.unit.pk, "deadline": deadline})
    order = Order.objects.get()
    assert response.url == reverse("order_detail", args=[order.pk])
    assert (order.state, order.problem, order.issued_by) == (OrderState.ISSUED, problem, world.leader)
    # the unit's contact is told
    assert Notification.objects.filter(recipient=world.unit_user, kind="order_issued").count() == 1

    client.force_login(world.unit_user)
    page = client.get(reverse("order_detail", args=[order.pk]))
    assert 'value="sign"' in page.content.decode()
    assert step(client, order, "sign").status_code == 302 and state(order) == OrderState.SIGNED
    step(client, order, "progress", "已与2户签约")
    assert state(order) == OrderState.IN_PROGRESS
    step(client, order, "reply", "3户全部签约，已腾地")
    assert state(order) == OrderState.REPLIED
    assert Notification.objects.filter(recipient=world.leader, kind="order_replied").count() == 1

    client.force_login(world.leader)
    step(client, order, "return", "腾地照片未附，请补充")
    order.refresh_from_db()
    assert (order.state, order.times_returned) == (OrderState.RETURNED, 1)
    assert Notification.objects.filter(recipient=world.unit_user, kind="order_returned").count() == 1

    client.force_login(world.unit_user)
    step(client, order, "reply", "已补充腾地照片")
    client.force_login(world.admin)
    step(client, order, "accept", "同意销号")
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED and order.closed_at is not None
    page = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    kinds = re.findall(r'<tr data-kind="(\w+)">', page)
    assert kinds == ["issue", "sign", "progress", "reply", "return", "reply", "accept", "close"]
    assert "lingdao_t" in page and "danwei_t" in page and "admin_t" in page
    events = list(order.events.values_list("kind", "by__username"))
    assert events[-2:] == [(OrderEventKind.ACCEPT, "admin_t"), (OrderEventKind.CLOSE, "admin_t")]


@pytest.mark.parametrize("who", ["leader", "admin", "clerk", "outsider"])
def test_only_the_unit_signs_and_replies(client, world, who):
    order = world.order()
    client.force_login(getattr(world, who))
    response = step(client, order, "sign")
    assert response.status_code == 403
    assert "只有责任单位“望城城投建设有限公司”的联络人可以签收、办理和反馈该督办" in reason(response)
    assert state(order) == OrderState.ISSUED
    client.force_login(world.unit_user)
    step(client, order, "sign")
    client.force_login(getattr(world, who))
    response = step(client, order, "reply", "代为反馈")
    assert response.status_code == 403 and state(order) == OrderState.SIGNED
    assert not order.events.filter(kind=OrderEventKind.REPLY).exists()


@pytest.mark.parametrize("action", ["accept", "return"])
def test_the_unit_cannot_review_its_own_reply(client, world, action):
    order = world.order()
    client.force_login(world.unit_user)
    step(client, order, "sign")
    step(client, order, "reply", "已办结")
    response = step(client, order, action, "自己通过")
    assert response.status_code == 403
    assert "只有领导或管理员可以下发、复核督办" in reason(response)
    assert state(order) == OrderState.REPLIED


def test_a_leader_who_is_also_the_units_contact_cannot_accept_the_units_reply(client, world):
    from supervision.models import UnitMember

    order = world.order(user=world.admin)
    UnitMember.objects.create(user=world.leader, organisation=world.unit)
    client.force_login(world.leader)
    step(client, order, "sign")
    step(client, order, "reply", "已办结")
    response = step(client, order, "accept")
    assert response.status_code == 403 and "责任单位不能复核本单位的反馈" in reason(response)
    assert state(order) == OrderState.REPLIED


def test_only_leaders_and_admins_issue(client, world):
    for user in (world.clerk, world.unit_user):
        client.force_login(user)
        assert client.get(reverse("order_create")).status_code == 403
        response = client.post(reverse("order_create"), {
            "project": world.project.pk, "source": "other", "content": "擅自下发", "responsible_unit": world.unit.pk,
            "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat()})
        assert response.status_code == 403 and "只有领导或管理员可以下发" in reason(response)
    assert not Order.objects.exists()


def test_steps_out_of_order_are_refused_with_a_message(client, world):
    order = world.order()
    client.force_login(world.unit_user)
    response = step(client, order, "reply", "未签收就反馈")
    assert response.status_code == 200
    assert "该督办当前状态为“下发”，不能反馈" in response.content.decode()
    assert state(order) == OrderState.ISSUED
    client.force_login(world.leader)
    response = step(client, order, "accept")
    assert "不能复核通过" in response.content.decode() and state(order) == OrderState.ISSUED
    response = step(client, order, "delete-everything")
    assert response.status_code == 400 and "无法识别的操作" in response.content.decode()


def test_send_back_needs_a_reason_and_a_reply_needs_text(client, world):
    order = world.order()
    client.force_login(world.unit_user)
    step(client, order, "sign")
    response = step(client, order, "reply", "  ")
    assert 'data-error-for="text">请填写反馈内容（办理结果）。<' in response.content.decode()
    step(client, order, "reply", "已完成")
    client.force_login(world.leader)
    response = step(client, order, "return", "")
    assert 'data-error-for="text">退回须说明理由。<' in response.content.decode()
    order.refresh_from_db()
    assert (order.state, order.times_returned) == (OrderState.REPLIED, 0)


def test_issue_form_checks_deadline_and_foreign_ids(client, world):
    client.force_login(world.leader)
    data = {"project": world.project.pk, "source": "other", "content": "请加快", "responsible_unit": world.unit.pk,
            "deadline": (timezone.localdate() - dt.timedelta(days=1)).isoformat()}
    response = client.post(reverse("order_create"), data)
    assert "办理时限不能早于今天" in response.content.decode()
    response = client.post(reverse("order_create"), {**data, "deadline": "2099-01-01", "responsible_unit": "99999999999999999999"})
    assert response.status_code == 200 and 'data-error-for="responsible_unit"' in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.parametrize("offset, colour", [(4, "green"), (3, "amber"), (0, "amber"), (-1, "red")])
def test_deadline_colours_at_their_boundaries(world, offset, colour):
    """today = deadline − 4 → green, − 3 → amber, the deadline itself → amber, + 1 → red."""
    deadline = timezone.localdate() + dt.timedelta(days=30)
    order = world.order(deadline=deadline)
    assert deadline_colour(order, deadline - dt.timedelta(days=offset)) == colour


def test_a_closed_order_is_done_from_its_closing_day(world):
    order = world.order()
    order.state, order.closed_at = OrderState.CLOSED, timezone.now()
    today = timezone.localdate()
    assert deadline_colour(order, today) == "done"
    assert deadline_colour(order, today - dt.timedelta(days=1)) != "done"


def test_detail_page_shows_the_colour(client, world):
    order = world.order(deadline=timezone.localdate() + dt.timedelta(days=2))
    client.force_login(world.leader)
    html = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    assert 'data-colour="amber">临期<' in html and "剩余2天" in html


def test_crafted_issue_post_with_a_problem_of_another_project_is_refused(client, world):
    other = factories.project(area=world.area, name="另一个项目")
    foreign = world.problem(project=other)
    client.force_login(world.leader)
    response = client.post(reverse("order_create"), {
        "project": world.project.pk, "source": "problem", "problem": foreign.pk, "content": "张冠李戴",
        "responsible_unit": world.unit.pk, "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat()})
    assert "所选问题不属于该项目。" in response.content.decode()
    assert not Order.objects.exists()


def test_a_closed_order_takes_no_more_steps(client, world):
    order = world.order()
    client.force_login(world.unit_user)
    step(client, order, "sign")
    step(client, order, "reply", "已办结")
    client.force_login(world.leader)
    step(client, order, "accept")
    client.force_login(world.unit_user)
    response = step(client, order, "reply", "再反馈")
    assert "该督办当前状态为“办结”，不能反馈" in response.content.decode()
    assert order.events.filter(kind="reply").count() == 1
