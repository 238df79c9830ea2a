"""`make demo` accounts: a 录入员 per area and a leader, who see the 2020 month as their role allows."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.usefixtures("demo_2020")
def test_demo_users_enter_their_area_and_lead(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-1")
    call_command("ensure_demo_users", verbosity=0)
    call_command("ensure_demo_users", verbosity=0)  # safe to run again
    User = get_user_model()
    south, leader = User.objects.get(username="luru_nan"), User.objects.get(username="lingdao")
    assert south.check_password("demo-pass-1") and south.assignments.count() == 1

    client.force_login(south)
    html = client.get(reverse("investment:month", args=[2020, 6])).content.decode()
    assert "金坪路" in html  # a 南片 project of the 2020 data
    areas = {line["row"].project.area.name for line in client.get(
        reverse("investment:month", args=[2020, 6])).context["lines"]}
    assert areas == {"南片"}

    client.force_login(leader)
    response = client.get(reverse("investment:month", args=[2020, 6]))
    assert {line["row"].project.area.name for line in response.context["lines"]} == {"南片", "北片"}
    assert client.get(reverse("investment:status", args=[2020, 6])).status_code == 200


def test_progress_opens_on_the_latest_plan_year(client, admin_user):
    from tests import factories
    factories.plan(2020)
    client.force_login(admin_user)
    response = client.get(reverse("investment:default_month"))
    assert response["Location"] == reverse("investment:month", args=[2020, 12])
    response = client.get(reverse("investment:default_month"), {"year": 2020, "month": 3})
    assert response["Location"] == reverse("investment:month", args=[2020, 3])
