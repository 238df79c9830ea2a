"""洽商活动 (the report's 四零采购 matchmaking) as a record type, and permit lead times against the
same months of the previous year (the report: 工程规划许可证 cut by more than 2 months, 施工许可证
by more than 1 month)."""
import re

import pytest
from django.urls import reverse

from portfolio.numbers import Period
from procurement.models import Negotiation, PermitKind
from procurement.selectors import negotiation_summary, negotiations_in_period, permit_lead_time_comparison
from projects.models import Area, Project
from tests import factories

pytestmark = pytest.mark.usefixtures("demo_2020")


def field_error(response, field):
    return " ".join(re.findall(rf'data-error-for="{field}">([^<]*)<', response.content.decode()))


def test_the_report_figure_comes_out_of_the_records(dec_2020):
    """"为17个市政道路和房建项目施工单位及30余个材料供应商开展面对面洽谈"."""
    summary = negotiation_summary(period=dec_2020)
    assert summary["projects"] == 17
    assert 30 < summary["suppliers"] < 40
    assert summary == {"meetings": 2, "projects": 17, "suppliers": 32}
    assert negotiation_summary(period=Period(2020, 9)) == {"meetings": 0, "projects": 0, "suppliers": 0}


@pytest.mark.parametrize("params, count", [
    ({}, 2),
    ({"area": "南片"}, 1),
    ({"area": "北片"}, 1),
    ({"q": "北片"}, 1),
    ({"q": "<a project of the southern meeting>"}, 1),
    ({"q": "没有这个项目"}, 0),
])
def test_list_filters(admin_client_, params, count):
    if "area" in params:
        params = {"area": Area.objects.get(name=params["area"]).pk}
    if params.get("q", "").startswith("<"):
        params = {"q": Negotiation.objects.get(title__startswith="南片").projects.order_by("pk").first().name}
    html = admin_client_.get(reverse("procurement:negotiations"), {"year": 2020, "month": 12, **params}).content.decode()
    assert re.search(r'data-figure="row-count">(\d+)<', html).group(1) == str(count)
    assert negotiations_in_period(period=Period(2020, 12), filters=params).count() == count


def test_the_list_shows_the_meetings_with_their_project_counts(admin_client_):
    html = admin_client_.get(reverse("procurement:negotiations"), {"year": 2020, "month": 12}).content.decode()
    assert "南片在建项目建筑材料采购对接会" in html and "北片在建项目建筑材料采购对接会" in html
    assert ">9<" in html and ">8<" in html and ">17<" in html and ">15<" in html
    october = admin_client_.get(reverse("procurement:negotiations"), {"year": 2020, "month": 9}).content.decode()
    assert 'data-figure="row-count">0<' in october


def test_form_validation_messages_in_chinese(client):
    south = Area.objects.get(name="南片")
    client.force_login(factories.staff("luru_s", areas=[south]))
    project = Project.objects.filter(area=south, tenders__winner__isnull=False).order_by("pk").first()
    stranger = factories.organisation(name="外区建材贸易有限公司")
    bad = client.post(reverse("records:negotiation_add"), {
        "held_on": "2020-11-06", "title": "对接会", "projects": [project.pk], "contractors": [stranger.pk],
        "suppliers_attending": "0"})
    assert bad.status_code == 200
    assert "到会供应商至少1家。" in field_error(bad, "suppliers_attending")
    assert "外区建材贸易有限公司未中标所选项目，不能作为参加单位。" in field_error(bad, "contractors")
    empty = client.post(reverse("records:negotiation_add"), {"held_on": "", "title": "", "suppliers_attending": "3"})
    assert "这个字段是必填项。" in field_error(empty, "projects")
    assert Negotiation.objects.count() == 2
    winner = project.tenders.exclude(winner=None).first().winner
    good = client.post(reverse("records:negotiation_add"), {
        "held_on": "2020-11-06", "title": "对接会", "projects": [project.pk], "contractors": [winner.pk],
        "suppliers_attending": "5"})
    assert good.status_code == 302
    assert negotiation_summary(period=Period(2020, 12))["suppliers"] == 37


def test_staff_may_not_record_a_meeting_of_another_areas_project(client):
    south, north = Area.objects.get(name="南片"), Area.objects.get(name="北片")
    client.force_login(factories.staff("luru_s", areas=[south]))
    theirs = Project.objects.filter(area=north).first()
    response = client.post(reverse("records:negotiation_add"), {
        "held_on": "2020-11-06", "title": "对接会", "projects": [theirs.pk], "suppliers_attending": "5"})
    assert response.status_code == 403


def test_permit_lead_times_against_the_previous_year(dec_2020):
    comparison = permit_lead_time_comparison(period=dec_2020)
    kinds = {k["kind"]: k for k in comparison["kinds"]}
    planning, construction = kinds[PermitKind.PLANNING], kinds[PermitKind.CONSTRUCTION]
    assert planning["count"] and planning["previous_count"]
    assert construction["count"] and construction["previous_count"]
    assert planning["cut_days"] > 61  # 工程规划许可证的办理时间压缩2个月以上
    assert construction["cut_days"] > 31  # 施工许可证的办理压缩1个月以上
    assert comparison["previous"] == Period(2019, 12)


def test_the_permit_list_shows_the_comparison(admin_client_):
    html = admin_client_.get(reverse("procurement:permits"), {"year": 2020, "month": 12}).content.decode()
    table = html[html.index('id="lead-time-comparison"'):html.index("</table>", html.index('id="lead-time-comparison"'))]
    assert "2019年1-12月" in table and "2020年1-12月" in table
    cuts = comparison_cuts(table)
    expected = {k["kind"]: k["cut_days"] for k in permit_lead_time_comparison(period=Period(2020, 12))["kinds"]}
    assert cuts == {kind: f"{days:g} 天" for kind, days in expected.items()}


def comparison_cuts(table):
    return dict(re.findall(r'data-kind="(\w+)">.*?data-cell="cut-days">([^<]*)<', table, re.S))
