"""A stale record form: someone else changed the record after the edit or delete page was opened.
The save is refused with who, when and what the record holds now; nothing is overwritten; saving
again after reading the message is a deliberate change."""
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from procurement.models import Tender, TenderKind
from tests import factories


@pytest.fixture
def tender(db):
    south = factories.area("南片")
    project = factories.project(area=south, name="金坪路")
    tender = factories.tender(project=project, kind=TenderKind.CONSTRUCTION, title="金坪路施工",
                              bid_opened_on="2020-05-10", amount=Decimal("2800"))
    tender.south = south
    return tender


def staff_client(username, area, full_name=""):
    client = Client()
    client.force_login(factories.staff(username, areas=[area]))
    if full_name:
        from django.contrib.auth import get_user_model
        get_user_model().objects.filter(username=username).update(first_name=full_name)
    return client


def loaded_change(html):
    return re.search(r'name="loaded_change" value="(\d*)"', html).group(1)


def data(tender, **changes):
    values = {"project": tender.project_id, "kind": tender.kind, "title": tender.title,
              "published_on": "", "bid_opened_on": "2020-05-10", "winner": "", "amount": "2800"}
    return {**values, **changes}


def test_the_second_save_is_refused_with_who_when_and_what(tender):
    url = reverse("records:tender_edit", args=[tender.pk])
    first = staff_client("luru_a", tender.south)
    second = staff_client("luru_b", tender.south, full_name="张三")
    page_a = first.get(url).content.decode()
    page_b = second.get(url).content.decode()

    saved = second.post(url, {**data(tender, amount="3000"), "loaded_change": loaded_change(page_b)})
    assert saved.status_code == 302

    refused = first.post(url, {**data(tender, amount="2900"), "loaded_change": loaded_change(page_a)})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "该记录已被张三于" in html and "您的修改未保存" in html
    assert "中标金额（万元）：3000.00" in html
    assert Tender.objects.get(pk=tender.pk).amount == Decimal("3000")
    assert 'value="2900"' in html  # what the user typed is kept

    # having read it, the user saves again: a deliberate change
    again = first.post(url, {**data(tender, amount="2900"), "loaded_change": loaded_change(html)})
    assert again.status_code == 302
    assert Tender.objects.get(pk=tender.pk).amount == Decimal("2900")


def test_a_form_shown_again_for_an_error_keeps_its_version(tender):
    url = reverse("records:tender_edit", args=[tender.pk])
    first = staff_client("luru_a", tender.south)
    version = loaded_change(first.get(url).content.decode())
    bad = first.post(url, {**data(tender, amount="-1"), "loaded_change": version})
    assert loaded_change(bad.content.decode()) == version
    staff_client("luru_b", tender.south).post(url, {**data(tender, title="改名"), "loaded_change": version})
    refused = first.post(url, {**data(tender, amount="2900"), "loaded_change": version})
    assert "您的修改未保存" in refused.content.decode() and "标段名称：改名" in refused.content.decode()
    assert Tender.objects.get(pk=tender.pk).amount == Decimal("2800")


def test_a_stale_delete_is_refused(tender):
    delete_url = reverse("records:tender_delete", args=[tender.pk])
    first = staff_client("luru_a", tender.south)
    version = loaded_change(first.get(delete_url).content.decode())
    second = staff_client("luru_b", tender.south)
    edit_url = reverse("records:tender_edit", args=[tender.pk])
    second.post(edit_url, {**data(tender, amount="3000"),
                           "loaded_change": loaded_change(second.get(edit_url).content.decode())})
    refused = first.post(delete_url, {"loaded_change": version})
    assert refused.status_code == 200 and "记录未删除" in refused.content.decode()
    assert "中标金额（万元）：3000.00" in refused.content.decode()
    assert Tender.objects.filter(pk=tender.pk).exists()
    confirmed = first.post(delete_url, {"loaded_change": loaded_change(refused.content.decode())})
    assert confirmed.status_code == 302 and not Tender.objects.filter(pk=tender.pk).exists()
