"""Two users on the same month: a changed row that someone else saved since it was loaded is
refused, naming who and when; rows the second user did not touch keep the first user's values."""
from decimal import Decimal

from investment.models import MonthlyProgress
from tests import factories
from tests.progress_support import form_data, month_url, world  # noqa: F401


def colleague_saves_first(client, world, other):
    """I open the month, so does ``other``, who then saves s1's 本月完成 = 30; I am logged in
    again, holding the page as I loaded it (returned)."""
    client.force_login(world.staff_s)
    mine = client.get(month_url())          # I open the month …
    client.force_login(other)
    theirs = client.get(month_url())        # … so does my colleague, who saves first
    assert client.post(month_url(), form_data(theirs, {world.s1.pk: {"completed": "30"}})).status_code == 302
    client.force_login(world.staff_s)
    return mine


def test_second_save_of_the_same_row_is_refused(client, world):
    other = factories.staff("staff_s2", areas=[world.south])
    other.first_name = "王五"
    other.save()
    factories.progress(world.s1, 6, "10", updated_by=world.staff_s)
    mine = colleague_saves_first(client, world, other)
    saved = MonthlyProgress.objects.get()
    assert saved.version == 2

    response = client.post(month_url(), form_data(mine, {world.s1.pk: {"completed": "20"}}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "该行已被 王五 于" in html and "修改（本月完成 30.00 万元）" in html
    from django.utils import timezone
    assert timezone.localtime(saved.updated_at).strftime("%Y-%m-%d %H:%M") in html
    assert MonthlyProgress.objects.get().completed == Decimal("30")


def test_rows_the_user_did_not_change_keep_the_other_users_values(client, world):
    factories.progress(world.s1, 6, "10", updated_by=world.staff_s)
    mine = colleague_saves_first(client, world, factories.staff("staff_s2", areas=[world.south]))
    response = client.post(month_url(), form_data(mine, {world.s2.pk: {"completed": "7"}}))
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(entry=world.s1).completed == Decimal("30")
    assert MonthlyProgress.objects.get(entry=world.s2).completed == Decimal("7")


def test_a_row_created_meanwhile_is_not_overwritten(client, world):
    mine = colleague_saves_first(client, world, factories.staff("staff_s2", areas=[world.south]))
    html = client.post(month_url(), form_data(mine, {world.s1.pk: {"completed": "20"}})).content.decode()
    assert "该行已被 staff_s2 于" in html
    assert MonthlyProgress.objects.get().completed == Decimal("30")
