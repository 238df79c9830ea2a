"""红黑榜 (issue 16 item 3): the month's ranking of areas and responsible units on hand-built
data — each component moves a unit up and down —, exemptions with their reason, the page's query
bound, and the district workbook's 红黑榜 sheet in the page's order."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from investment.rollups import refresh_rollups
from portfolio.numbers import Period
from projects.models import MonthlyScore, OrganisationRole
from ranking.models import Exemption
from ranking.selectors import monthly_ranking
from supervision.models import Order, OrderState
from tests import factories
from tests.forms_support import field_error
from tests.xlsx import download
from tests.xlsx import values as xlsx_values

JUNE = Period(2020, 6)
URL = reverse("ranking:month")


def order(project, unit, *, deadline=dt.date(2020, 6, 1), closed_on=None):
    """A 督办 order issued in May, closed at noon of ``closed_on`` (None: still open)."""
    closed_at = (timezone.make_aware(dt.datetime.combine(closed_on, dt.time(12))) if closed_on else None)
    return Order.objects.create(
        project=project, responsible_unit=unit, content="加快推进", deadline=deadline,
        issued_at=timezone.make_aware(dt.datetime(2020, 5, 1, 9)), closed_at=closed_at,
        state=OrderState.CLOSED if closed_on else OrderState.IN_PROGRESS)


def unit_setup(area_name, unit_name, area_order=0):
    """A unit owning one project in its own area, 80 on every component at the end of June:
    completion 400 of a 1000 target (schedule 500) → 80; nodes 1 overdue of 2 due → 50;
    督办 1 on time of 2 due → 50; scores 80 (project and area). Total 0.4·80 + 0.2·(50+50+80) = 68."""
    area = factories.area(area_name, order=area_order)
    unit = factories.organisation(name=unit_name, role=OrganisationRole.OWNER)
    project = factories.project(area=area, owner_unit=unit)
    entry = factories.plan_entry(project, target=Decimal(1000))
    factories.progress(entry, 3, 400)
    factories.milestone(project, name="开工", planned_on=dt.date(2020, 4, 1), done_on=dt.date(2020, 4, 1))
    late = factories.milestone(project, name="主体完工", planned_on=dt.date(2020, 5, 1))
    order(project, unit, closed_on=dt.date(2020, 5, 20))
    open_order = order(project, unit)
    for kw in ({"project": project}, {"area": area}):
        factories.monthly_score(2020, 6, **kw, progress=80, quality=80, safety=80, image=80)
    return {"area": area, "unit": unit, "project": project, "entry": entry, "late": late, "order": open_order}


@pytest.fixture
def two_units(db):
    """一号 (南片) and 二号 (北片), equal on everything: first by the areas' order and the names."""
    return unit_setup("南片", "一号建设单位", 1), unit_setup("北片", "二号建设单位", 2)


def improve(component, side):
    if component == "schedule":
        factories.progress(side["entry"], 5, 100)  # 500 of a 500 schedule → 100
    elif component == "nodes":
        side["late"].done_on = dt.date(2020, 6, 10)
        side["late"].save()
    elif component == "orders":
        o = side["order"]
        o.state, o.closed_at = OrderState.CLOSED, timezone.make_aware(dt.datetime(2020, 5, 31, 12))
        o.save()
    else:
        MonthlyScore.objects.filter(year=2020, month=6, area=side["area"]).update(progress=95)


def worsen(component, side):
    if component == "schedule":
        side["entry"].progress.update(completed=Decimal(100))  # 100 of 500 → 20
        refresh_rollups([side["entry"].pk])  # a queryset update sends no signal
    elif component == "nodes":
        factories.milestone(side["project"], name="竣工验收", planned_on=dt.date(2020, 6, 1))
    elif component == "orders":
        order(side["project"], side["unit"], deadline=dt.date(2020, 6, 10), closed_on=dt.date(2020, 6, 12))
    else:
        MonthlyScore.objects.filter(year=2020, month=6, area=side["area"]).update(safety=40)


def names(rows):
    return [row.name for row in rows]


def test_equal_units_rank_by_name_with_every_component_shown(two_units):
    ranking = monthly_ranking(period=JUNE)
    first, second = ranking["units"]
    assert names(ranking["units"]) == ["一号建设单位", "二号建设单位"]
    assert [c.text for c in first.component_list()] == ["80.0", "50.0", "50.0", "80.0"]
    assert first.total_text == "68.0" and (first.rank, second.rank) == (1, 2)
    assert (first.board, second.board) == ("red", "black")
    assert first.components["nodes"].detail == "逾期1 / 到期2个"
    assert first.components["orders"].detail == "按时办结1 / 到期2件"


COMPONENTS = ["schedule", "nodes", "orders", "scores"]


def north_leads():
    """June's ranking, once 二号建设单位 and its area 北片 lead both lists."""
    ranking = monthly_ranking(period=JUNE)
    assert names(ranking["units"]) == ["二号建设单位", "一号建设单位"]
    assert names(ranking["areas"]) == ["北片", "南片"]
    return ranking


@pytest.mark.parametrize("component", COMPONENTS)
def test_each_component_moves_a_unit_up(two_units, component):
    _south, north = two_units
    improve(component, north)  # 二号 better on this component alone → first, and its area too
    assert north_leads()["units"][0].total > Decimal(68)


@pytest.mark.parametrize("component", COMPONENTS)
def test_each_component_moves_a_unit_down(two_units, component):
    south, _north = two_units
    worsen(component, south)  # 一号 worse on this component alone → last, and its area too
    assert north_leads()["units"][1].total < Decimal(68)


def test_a_component_without_anything_to_judge_is_left_out(two_units):
    south, _north = two_units
    south["late"].delete()
    Order.objects.filter(project=south["project"]).delete()
    MonthlyScore.objects.filter(project=south["project"]).delete()
    row = monthly_ranking(period=JUNE)["units"][0]
    assert row.name == "一号建设单位"
    assert [c.text for c in row.component_list()] == ["80.0", "100.0", "—", "—"]
    assert row.components["orders"].detail == "无到期督办"
    assert row.total_text == f"{(Decimal('0.4') * 80 + Decimal('0.2') * 100) / Decimal('0.6'):.1f}"  # 86.7


def test_the_page_shows_red_list_on_top_black_at_the_bottom_with_the_figures(two_units, leader_client):
    _south, north = two_units
    improve("orders", north)
    html = leader_client.get(URL, {"year": 2020, "month": 6}).content.decode()
    order_on_page = re.findall(r'<tr data-name="([^"]+)" data-board="(\w*)"', html)
    assert order_on_page == [("北片", "red"), ("南片", "black"), ("二号建设单位", "red"), ("一号建设单位", "black")]
    assert "按时办结2 / 到期2件" in html and "完成400 / 应完成500万元，红灯0个" in html
    assert "进度×0.4 + 节点×0.2 + 督办×0.2 + 考评×0.2" in html  # the weights, from ranking.rules
    assert 'id="exemption-form"' not in html  # leaders read only


def test_an_exemption_takes_the_unit_out_with_its_reason(two_units, admin_client_):
    _south, north = two_units
    improve("schedule", north)
    response = admin_client_.post(reverse("ranking:exemption_add"), {
        "year": 2020, "month": 6, "subject": f"unit:{north['unit'].pk}", "reason": "汛期洪水停工（不可抗力）"})
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert exemption.by.username == "admin1" and exemption.organisation == north["unit"]
    ranking = monthly_ranking(period=JUNE)
    units = ranking["units"]
    assert [(r.name, r.rank) for r in units] == [("一号建设单位", 1), ("二号建设单位", None)]
    assert units[1].exemption.reason == "汛期洪水停工（不可抗力）"
    assert names(ranking["areas"]) == ["北片", "南片"]  # the area is not exempted
    html = admin_client_.get(URL, {"year": 2020, "month": 6}).content.decode()
    assert re.search(r'data-exempt data-name="二号建设单位">.*?汛期洪水停工（不可抗力）', html, re.S)
    assert monthly_ranking(period=Period(2020, 5))["units"][1].exemption is None  # that month only
    delete = reverse("ranking:exemption_delete", args=[exemption.pk])
    leader = Client()
    leader.force_login(factories.leader())
    assert leader.post(delete).status_code == 403 and Exemption.objects.exists()
    response = admin_client_.post(delete)  # withdrawn: ranked again, first by its schedule
    assert response.status_code == 302 and response["Location"] == f"{URL}?year=2020&month=6"
    assert [(r.name, r.rank) for r in monthly_ranking(period=JUNE)["units"]] == [("二号建设单位", 1), ("一号建设单位", 2)]


def test_exemption_refused_without_reason_twice_or_by_a_leader(two_units, admin_client_):
    _south, north = two_units
    url = reverse("ranking:exemption_add")
    subject = f"area:{north['area'].pk}"
    response = admin_client_.post(url, {"year": 2020, "month": 6, "subject": subject, "reason": "  "})
    assert response.status_code == 200 and field_error(response, "reason") == "请填写免于排名的理由。"
    response = admin_client_.post(url, {"year": 2020, "month": 6, "subject": "area:999999", "reason": "x"})
    assert field_error(response, "subject") == "所选片区或责任单位不在本月排名中。"
    assert not Exemption.objects.exists()
    assert admin_client_.post(url, {"year": 2020, "month": 6, "subject": subject, "reason": "疫情封控"}).status_code == 302
    response = admin_client_.post(url, {"year": 2020, "month": 6, "subject": subject, "reason": "再次"})
    # the area is exempt now, so the form no longer offers it
    assert field_error(response, "subject") == "所选片区或责任单位不在本月排名中。"
    response = admin_client_.post(url, {"year": 2020, "month": 13, "subject": f"unit:{north['unit'].pk}",
                                        "reason": "x"})
    assert "年度或月份有误，未登记。" in response.content.decode()
    assert Exemption.objects.count() == 1
    leader = Client()
    leader.force_login(factories.leader())
    assert leader.post(url, {"year": 2020, "month": 6, "subject": subject, "reason": "x"}).status_code == 403


def test_page_queries_are_bounded(two_units, leader_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert leader_client.get(URL, {"year": 2020, "month": 6}).status_code == 200
    for i in range(15):
        side = unit_setup(f"片区{i}", f"单位{i}")
        Exemption.objects.create(year=2020, month=6, organisation=side["unit"], reason="不可抗力") if i % 5 == 0 else None
    with django_assert_max_num_queries(25):
        html = leader_client.get(URL, {"year": 2020, "month": 6}).content.decode()
    assert html.count("data-exempt") == 3 and html.count('data-board="red"') == 6


def test_the_workbook_sheet_has_the_page_order(demo_2020, leader_client):
    from projects.models import Organisation

    unit = Organisation.objects.get(name="望城区民政局")
    Exemption.objects.create(year=2020, month=12, organisation=unit, reason="疫情防控暂停施工")
    html = leader_client.get(URL, {"year": 2020, "month": 12}).content.decode()
    page = re.findall(r'<tr data-name="([^"]+)" data-board="(\w*)"', html)
    response = leader_client.get(reverse("district_workbook"), {"year": 2020, "month": 12})
    values = xlsx_values(download(response))
    sheet = values["红黑榜"]
    ranked = [(r[2], {"红榜": "red", "黑榜": "black", None: ""}[r[1]]) for r in sheet.iter_rows(values_only=True)
              if isinstance(r[0], int)]
    ranking = monthly_ranking(period=Period(2020, 12))
    assert ranked == page and len(ranked) == sum(1 for kind in ("areas", "units") for r in ranking[kind] if r.rank)
    assert len(ranked) >= 2 + 7  # both areas and the owner units but the exempted one
    exempt = [r for r in sheet.iter_rows(values_only=True) if r[1] == "免于排名"]
    assert exempt == [(None, "免于排名", "望城区民政局", None, None, None, None, None, "理由：疫情防控暂停施工")]
    first = next(r for r in sheet.iter_rows(values_only=True) if r[0] == 1)
    assert first[2] == page[0][0] and "进度：完成" in first[8]


def test_the_demo_stores_one_exemption_and_computes_two_months(demo_2020, leader_client):
    from ranking import demo

    demo.load()
    demo.load()  # load_demo runs it again: still one
    exemption = Exemption.objects.get()
    assert (exemption.year, exemption.month, exemption.organisation.name) == (2020, 12, "望城区城市管理和综合执法局")
    november = leader_client.get(URL, {"year": 2020, "month": 11}).content.decode()
    december = leader_client.get(URL, {"year": 2020, "month": 12}).content.decode()
    assert '<tr data-name="望城区城市管理和综合执法局" data-board="' in november  # ranked in November
    assert 'data-exempt data-name="望城区城市管理和综合执法局"' in december and "低温雨雪冰冻天气" in december
