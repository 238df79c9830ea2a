"""send_reminders: a late month reaches its 录入员 once, nodes and 督办 near or past their
deadline reach the people who act on them, and a second run on the same day sends nothing."""
import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from supervision.models import Notification, Order, OrderState, ReminderSettings
from tests import factories
from tests.supervision_support import world  # noqa: F401  (fixture)

JULY_10 = "2020-07-10"


def run(date=JULY_10):
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", "--date", date, stdout=out)
    return out.getvalue()


@pytest.fixture
def late(world):
    """June 2020 is due by 5 July: world.clerk's project has no June report; luru_ok reported."""
    factories.plan_entry(world.project, 2020)
    north = factories.area("北片")
    reported = factories.project(area=north)
    entry = factories.plan_entry(reported, 2020)
    factories.progress(entry, 6, completed=100)
    factories.staff("luru_ok", areas=[north])
    world.clerk.email = "luru@example.com"
    world.clerk.save()
    return world


def test_a_clerk_whose_month_is_late_gets_exactly_one_message(late, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    messages = Notification.objects.filter(recipient=late.clerk, kind="late_report")
    assert [m.title for m in messages] == ["2020年6月月报尚有1个项目未填报"]
    assert messages[0].url == reverse("investment:month", args=[2020, 6])
    assert "金星大道提质改造" in messages[0].body
    assert not Notification.objects.filter(recipient__username="luru_ok").exists()
    assert "共发送 1 条提醒" in output
    assert [m.to for m in mail.outbox] == [["luru@example.com"]]
    assert "2020年6月月报尚有1个项目未填报" in mail.outbox[0].subject


def test_second_run_the_same_day_sends_nothing(late, django_capture_on_commit_callbacks):
    late.order(deadline=dt.date(2029, 12, 31), user=late.leader)
    with django_capture_on_commit_callbacks(execute=True):
        first = run("2030-01-10")  # overdue: the unit and the issuer
    assert "共发送 2 条提醒" in first and len(mail.outbox) == 1  # the leader has no address
    count, emails = Notification.objects.count(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = run("2030-01-10")
    assert "共发送 0 条提醒" in second
    assert (Notification.objects.count(), len(mail.outbox)) == (count, emails)
    # the next day it reminds again
    assert "共发送 0 条提醒" not in run("2030-01-11")


def test_before_the_report_day_no_late_message(late):
    ReminderSettings.objects.update_or_create(pk=1, defaults={"report_day": 12})
    run()
    assert not Notification.objects.filter(kind="late_report").exists()
    run("2020-07-13")
    assert Notification.objects.filter(kind="late_report").count() == 1


def test_orders_near_and_past_their_deadline(world):
    near = world.order(deadline=dt.date(2099, 1, 3))
    far = world.order(deadline=dt.date(2099, 1, 10))
    Notification.objects.all().delete()
    run("2099-01-01")
    assert list(Notification.objects.values_list("recipient__username", "kind", "key")) == [
        ("danwei_t", "order_due", f"order:{near.pk}")]
    run("2099-01-11")  # both past: the unit and the issuer
    overdue = set(Notification.objects.filter(kind="order_overdue").values_list("recipient__username", "key"))
    assert overdue == {(u, f"order:{o.pk}") for u in ("danwei_t", "lingdao_t") for o in (near, far)}
    Order.objects.filter(pk=far.pk).update(state=OrderState.CLOSED, closed_at=dt.datetime(2099, 1, 11, tzinfo=dt.UTC))
    assert "共发送 2 条提醒" in run("2099-01-12")  # the closed one is not reminded


def test_nodes_due_within_seven_days_and_overdue(world):
    factories.plan_entry(world.project, 2020)
    factories.milestone(world.project, name="路基完成", planned_on=dt.date(2020, 7, 17))
    factories.milestone(world.project, name="管网完成", planned_on=dt.date(2020, 7, 18))
    factories.milestone(world.project, name="征拆完成", planned_on=dt.date(2020, 7, 1))
    factories.milestone(world.project, name="清表完成", planned_on=dt.date(2020, 6, 1), done_on=dt.date(2020, 6, 1))
    run()
    messages = {m.kind: m for m in Notification.objects.filter(recipient=world.clerk)}
    assert messages["node_due"].title == "1个节点将在7天内到期" and "路基完成" in messages["node_due"].body
    assert messages["node_overdue"].title == "1个节点已逾期未完成" and "征拆完成" in messages["node_overdue"].body


def test_bad_date_is_refused_in_chinese(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期“2020-13-01”无效"):
        run("2020-13-01")


def test_inbox_and_unread_count(client, late):
    run()
    client.force_login(late.clerk)
    page = client.get(reverse("inbox")).content.decode()
    assert "2020年6月月报尚有1个项目未填报" in page
    message = Notification.objects.get(recipient=late.clerk)
    client.post(reverse("inbox"), {"pk": message.pk})
    message.refresh_from_db()
    assert message.read_at is not None
    response = client.post(reverse("inbox"), {"pk": "99999999999999999999"})
    assert response.status_code == 302
