"""Month locks: an admin locks a month, nobody can then change it, an admin reopens it with a
reason; both are recorded with who and when."""
from decimal import Decimal

from django.urls import reverse

from investment.models import MonthLock, MonthlyProgress
from tests import factories
from tests.progress_support import MONTH, YEAR, form_data, month_url, save, world  # noqa: F401

LOCK_URL = reverse("investment:lock", args=[YEAR, MONTH])


def test_admin_locks_and_staff_is_refused(client, world):
    factories.progress(world.s1, MONTH, "10", updated_by=world.staff_s)
    client.force_login(world.staff_s)
    page = client.get(month_url())
    data = form_data(page, {world.s1.pk: {"completed": "20"}})

    client.force_login(world.admin)
    response = client.post(LOCK_URL, {"action": "lock", "reason": "已报区统计局"}, follow=True)
    assert "2020年6月已锁定" in response.content.decode()

    client.force_login(world.staff_s)
    html = client.get(month_url()).content.decode()
    assert "已锁定，不能修改" in html and 'id="save"' not in html and "已报区统计局" in html
    response = client.post(month_url(), data)
    assert "已锁定，不能修改" in response.content.decode()
    assert MonthlyProgress.objects.get().completed == Decimal("10")


def test_staff_and_leader_cannot_lock(client, world):
    for user in (world.staff_s, world.leader):
        client.force_login(user)
        assert client.post(LOCK_URL, {"action": "lock", "reason": "x"}).status_code == 403
    assert not MonthLock.objects.exists()


def test_reopen_needs_a_reason_and_is_recorded(client, world):
    client.force_login(world.admin)
    client.post(LOCK_URL, {"action": "lock", "reason": "月报已上报"})
    html = client.post(LOCK_URL, {"action": "reopen", "reason": ""}, follow=True).content.decode()
    assert "解锁必须填写原因" in html
    assert MonthLock.objects.get().is_locked

    html = client.post(LOCK_URL, {"action": "reopen", "reason": "区统计局要求更正南片数据"}, follow=True).content.decode()
    assert "2020年6月已解锁" in html
    lock = MonthLock.objects.get()
    assert not lock.is_locked
    history = list(lock.history.order_by("history_date"))
    assert [(h.is_locked, h.reason, h.history_user) for h in history] == [
        (True, "月报已上报", world.admin), (False, "区统计局要求更正南片数据", world.admin)]
    # the month page lists the lock history for administrators
    table = html[html.index('id="lock-history"'):]
    assert "区统计局要求更正南片数据" in table and "月报已上报" in table and "admin1" in table

    client.force_login(world.staff_s)
    assert save(client, {world.s1.pk: {"completed": "5"}}).status_code == 302
    assert MonthlyProgress.objects.get().completed == Decimal("5")


def test_admin_cannot_enter_a_locked_month_without_reopening(client, world):
    client.force_login(world.admin)
    page = client.get(month_url())
    client.post(LOCK_URL, {"action": "lock"})
    response = client.post(month_url(), form_data(page, {world.s1.pk: {"completed": "5"}}))
    assert "已锁定" in response.content.decode()
    assert not MonthlyProgress.objects.exists()


def test_locking_twice_says_so(client, world):
    client.force_login(world.admin)
    client.post(LOCK_URL, {"action": "lock"})
    html = client.post(LOCK_URL, {"action": "lock"}, follow=True).content.decode()
    assert "2020年6月已锁定。" in html
    assert MonthLock.history.count() == 1


def test_django_admin_keeps_the_lock_too(client, world):
    """An administrator cannot go around a lock through Django admin: progress of a locked month
    is neither added nor changed there, and the lock itself is changed only on the month page
    (where reopening asks for a reason)."""
    row = factories.progress(world.s1, MONTH, "10", updated_by=world.staff_s)
    client.force_login(world.admin)
    client.post(LOCK_URL, {"action": "lock", "reason": "已报区统计局"})
    lock = MonthLock.objects.get()

    change = reverse("admin:investment_monthlyprogress_change", args=[row.pk])
    response = client.post(change, {"entry": world.s1.pk, "month": MONTH, "completed": "99",
                                    "physical_percent": "10", "physical_progress": "", "problems": ""})
    assert "已锁定，不能修改" in response.content.decode()
    add = client.post(reverse("admin:investment_monthlyprogress_add"), {
        "entry": world.n1.pk, "month": MONTH, "completed": "5", "physical_percent": "10",
        "physical_progress": "", "problems": ""})
    assert "已锁定，不能修改" in add.content.decode()
    assert list(MonthlyProgress.objects.values_list("completed", flat=True)) == [Decimal("10")]

    response = client.post(reverse("admin:investment_monthlock_change", args=[lock.pk]),
                           {"year": YEAR, "month": MONTH, "is_locked": ""})
    assert response.status_code == 403
    assert MonthLock.objects.get().is_locked


def test_a_django_admin_edit_of_an_open_month_is_a_new_version(client, world):
    row = factories.progress(world.s1, MONTH, "10", updated_by=world.staff_s)
    client.force_login(world.admin)
    client.post(reverse("admin:investment_monthlyprogress_change", args=[row.pk]), {
        "entry": world.s1.pk, "month": MONTH, "completed": "12", "physical_percent": "10",
        "physical_progress": "", "problems": ""})
    row.refresh_from_db()
    assert (row.completed, row.version, row.updated_by) == (Decimal("12"), 2, world.admin)
