"""Records of what has happened cannot be dated after today: a phase transition, money received,
money saved — refused beside the field with a Chinese message, nothing saved."""
import datetime as dt

import pytest
from django.urls import reverse

from investment.models import Funding, Saving
from projects.models import Phase, PhaseTransition, PlanCategory
from tests import factories
from tests.forms_support import field_error, post, south, staff_client  # noqa: F401

FUTURE = (dt.date.today() + dt.timedelta(days=400)).isoformat()


@pytest.fixture
def project(south):
    p = factories.project(area=south, name="金坪路")
    factories.plan_entry(p, category=PlanCategory.NEW)
    return p


@pytest.mark.parametrize("slug, data, field, model", [
    ("funding", {"source": "special_bond", "amount": "800", "received_on": FUTURE}, "received_on", Funding),
    ("saving", {"kind": "earthwork", "amount": "80", "recorded_on": FUTURE}, "recorded_on", Saving),
    ("phase", {"to_phase": Phase.CONSTRUCTION, "occurred_on": FUTURE}, "occurred_on", PhaseTransition),
])
def test_a_future_date_is_refused(staff_client, project, slug, data, field, model):
    response = post(staff_client, slug, {"project": project.pk, **data})
    assert response.status_code == 200
    assert f"不能晚于今天（{dt.date.today().isoformat()}）" in field_error(response, field)
    assert not model.objects.exists()


def test_today_is_accepted(staff_client, project):
    response = post(staff_client, "funding", {"project": project.pk, "source": "special_bond", "amount": "800",
                                              "received_on": dt.date.today().isoformat()})
    assert response.status_code == 302 and Funding.objects.count() == 1


def test_admin_refuses_a_future_date_too(admin_client_):
    project = factories.project()
    response = admin_client_.post(reverse("admin:investment_saving_add"), {
        "project": project.pk, "kind": "earthwork", "amount": "80", "recorded_on": FUTURE, "note": ""})
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    assert not Saving.objects.exists()
