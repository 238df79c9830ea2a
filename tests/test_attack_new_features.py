"""Attacks on the features of issues 16–19 (督办, 红黑榜, evidence, contracts, open data, the 调度会
pack): crafted POSTs and hostile text a user with devtools can send. Each test is a defect found
and fixed: the Chinese message, nothing saved, no 500."""
import datetime as dt
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, Variation
from opendata.models import Publication
from supervision.models import Order, OrderState, Problem, ProblemType
from tests import factories
from tests.forms_support import field_error, post

CONTROL = "第一行\x0b第二行\x01\x1f"  # a vertical tab pasted from Word, and worse


@pytest.fixture
def project_2020(db):
    project = factories.project(name="控制字符路")
    factories.plan_entry(project, target=Decimal("1000"))
    return project


def test_meeting_pack_with_control_characters_in_problem_and_order_text(project_2020):
    """python-docx refuses text XML cannot hold: a problem or 督办 pasted with a vertical tab was a 500."""
    unit = factories.organisation(name="控制字符单位")
    at = timezone.make_aware(dt.datetime(2020, 5, 1, 9))
    Problem.objects.create(project=project_2020, type=ProblemType.LAND, description=CONTROL,
                           responsible_unit=unit, raised_at=at)
    Order.objects.create(project=project_2020, responsible_unit=unit, content=CONTROL,
                         deadline=dt.date(2020, 6, 30), issued_at=at, state=OrderState.SIGNED)
    client = Client(raise_request_exception=False)
    client.force_login(factories.leader("lingdao_attack"))
    response = client.get(reverse("meeting_pack"), {"year": 2020, "month": 6})
    assert response.status_code == 200
    text = "\n".join(cell.text for table in docx.Document(BytesIO(response.content)).tables
                     for row in table.rows for cell in row.cells)
    assert "第一行第二行" in text


def test_contract_duration_or_change_of_time_beyond_any_date_is_refused(admin_client_, project_2020):
    """signed_on + duration_days must stay a date: the OC4IDS package adds them (2,000,000,000 days
    was accepted, then /open-data/oc4ids.json was a 500 for everyone)."""
    firm = factories.organisation(name="施工单位甲")
    base = {"project": project_2020.pk, "firm": firm.pk, "kind": "construction", "title": "施工合同",
            "price": "1000", "signed_on": "2020-02-01", "progress_payment_ratio": "80"}
    response = post(admin_client_, "contract", {**base, "duration_days": "2000000000"})
    assert field_error(response, "duration_days") == "合同工期不能超过36500天。"
    assert not Contract.objects.exists()
    contract = factories.contract(project_2020, firm=firm, duration_days=365)
    response = post(admin_client_, "variation", {"contract": contract.pk, "kind": "duration", "amount": "0",
                                                 "days": "-2147483648", "reason": "顺延", "requested_on": "2020-03-01"})
    assert field_error(response, "days") == "工期增减不能超过36500天。"
    assert not Variation.objects.exists()
    assert post(admin_client_, "contract", {**base, "duration_days": "36500"}).status_code == 302
    Publication.objects.create(project=project_2020, publishable=True)
    assert admin_client_.get(reverse("opendata:package"), {"year": 2020}).status_code == 200
