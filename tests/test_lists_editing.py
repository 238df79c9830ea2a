"""The record lists lead to the record forms: 新增 for users who keep records, 修改 on each row the
user may change, and back to the list as it was filtered after saving."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from procurement.models import Tender
from projects.models import Area
from tests import factories
from tests.xlsx import download, rows, workbooks

pytestmark = pytest.mark.usefixtures("demo_2020")


def edit_links(html):
    return re.findall(r'href="(/records/tender/\d+/edit/\?[^"]*)">修改<', html)


def test_staff_may_add_and_change_only_their_areas_tenders(client):
    south = Area.objects.get(name="南片")
    client.force_login(factories.staff("luru_s", areas=[south]))
    html = client.get(reverse("procurement:tenders"), {"year": 2020}).content.decode()
    assert 'data-action="add"' in html
    links = edit_links(html)
    own = set(Tender.objects.filter(project__area=south).values_list("pk", flat=True))
    shown = {int(re.search(r"/tender/(\d+)/", link).group(1)) for link in links}
    assert shown and shown <= own
    rows_on_page = html.count("<tr") - 1
    assert len(links) < rows_on_page  # the north's tenders have no 修改


def test_a_leader_sees_no_editing(leader_client):
    html = leader_client.get(reverse("procurement:tenders")).content.decode()
    assert 'data-action="add"' not in html and ">修改<" not in html and "操作" not in html


def test_after_an_edit_the_list_comes_back_as_filtered(admin_client_):
    list_url = reverse("procurement:tenders") + "?kind=supervision&sort=-amount"
    html = admin_client_.get(list_url).content.decode()
    link = edit_links(html)[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query)["next"] == [list_url]
    tender = Tender.objects.get(pk=int(re.search(r"/tender/(\d+)/", link).group(1)))
    form = admin_client_.get(link).content.decode()
    assert f'name="next" value="{list_url.replace("&", "&amp;")}"' in form
    data = {"project": tender.project_id, "kind": tender.kind, "title": tender.title + "（更正）",
            "published_on": tender.published_on or "", "bid_opened_on": tender.bid_opened_on or "",
            "winner": tender.winner_id or "", "amount": tender.amount or "", "next": list_url}
    response = admin_client_.post(link, data)
    assert response.status_code == 302, re.findall(r"invalid-feedback[^<]*<|alert-danger[^<]*<[^<]*", response.content.decode())
    assert response["Location"] == list_url
    assert Tender.objects.get(pk=tender.pk).title.endswith("（更正）")


def test_the_edit_column_is_not_exported(admin_client_):
    response = admin_client_.get(reverse("procurement:tenders"), {"export": "xlsx"})
    _formulas, values = workbooks(download(response))
    header = rows(values.active)[2]
    assert "操作" not in header and "项目" in header


def test_the_menu_offers_record_entry_to_those_who_keep_records(client, leader_client):
    south = Area.objects.get(name="南片")
    assert "按项目录入台账" not in leader_client.get(reverse("dashboard")).content.decode()
    client.force_login(factories.staff("luru_s", areas=[south]))
    assert "按项目录入台账" in client.get(reverse("dashboard")).content.decode()
