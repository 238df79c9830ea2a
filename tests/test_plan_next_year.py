"""下一年度计划 in one step: roll-forward of 2020, the plan table's template and import (every
error of every row in one pass, nothing saved), review, confirm, the new year on the dashboard,
node plans per area, administrators only."""
import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from investment import plan_exports
from investment.models import AnnualPlan, PlanEntry
from investment.plan_services import COLUMNS, plan_roll_forward
from portfolio.exports.writer import FIRST_DATA_ROW, HEADER_ROW
from portfolio.numbers import Period
from projects.models import Milestone, Phase, PhaseTransition, PlanCategory, Project

from . import factories

YEAR = 2021
LABELS = {value: str(label) for value, label in PlanCategory.choices}


def delivered_by(day):
    """Projects whose latest phase transition on or before ``day`` is 交付 (computed here, not by the product)."""
    latest = {}
    for t in PhaseTransition.objects.filter(occurred_on__lte=day).order_by("occurred_on", "id"):
        latest[t.project_id] = t.to_phase
    return {pk for pk, phase in latest.items() if phase == Phase.DELIVERED}


def plan_rows(n=60):
    """60 rows as the district would send them: the roll-forward's projects, then new ones."""
    rows = []
    for i, proposal in enumerate(plan_roll_forward(year=YEAR)[:n]):
        p = proposal.project
        rows.append([p.code, p.name, LABELS[proposal.category], "是" if proposal.is_municipal_key else "否",
                     1000 + i, p.planned_start, p.planned_finish, p.owner_unit.name if p.owner_unit else None,
                     p.area.name])
    serial = 200001
    while len(rows) < n:
        i = len(rows)
        rows.append([f"2021-430112-48-01-{serial:06d}", f"2021年新建道路{i}号", "新建", "否", 1000 + i,
                     dt.date(2021, 4, 1), dt.date(2022, 6, 30), None, "北片" if i % 2 else "南片"])
        serial += 1
    return rows


def workbook(rows, year=YEAR):
    wb = Workbook()
    ws = wb.active
    ws.title = plan_exports.sheet_title(year)
    ws.cell(1, 1, f"{year}年重点项目年度投资计划表")
    for col, (_key, title) in enumerate(COLUMNS, start=1):
        ws.cell(HEADER_ROW, col, str(title))
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, content, year=YEAR):
    return client.post(reverse("plans:prepare", args=[year]), {
        "action": "upload", "file": SimpleUploadedFile("计划.xlsx", content)})


def error_rows(html):
    """(row, column, message) of the page's error table."""
    import re

    body = html.split('id="plan-errors"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td class=\"num\">(\d*)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    return [(int(r) if r else 0, c, m) for r, c, m in cells]


@pytest.mark.django_db
def test_roll_forward_of_2020_proposes_exactly_the_projects_not_delivered(demo_2020):
    in_2020 = set(PlanEntry.objects.in_plan(Period(2020, 12)).values_list("project_id", flat=True))
    expected = in_2020 - delivered_by(dt.date(2020, 12, 31))
    proposals = plan_roll_forward(year=YEAR)
    assert {p.project.pk for p in proposals} == expected
    assert len(proposals) == len(expected) and 0 < len(expected) < len(in_2020)
    for p in proposals:
        started = PhaseTransition.objects.filter(
            project=p.project, occurred_on__lte=dt.date(2020, 12, 31), to_phase=Phase.CONSTRUCTION).exists()
        if started:
            assert p.category == PlanCategory.CONTINUING, p.project
        elif p.previous_category in PlanCategory.implementation():
            assert p.category == PlanCategory.NEW, p.project
        else:
            assert p.category == p.previous_category, p.project
    assert any(p.category == PlanCategory.PRELIMINARY for p in proposals)


@pytest.mark.django_db
def test_template_holds_the_roll_forward_and_reads_back(demo_2020, admin_client_):
    response = admin_client_.get(reverse("plans:template", args=[YEAR]))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(b"".join(response.streaming_content)))[plan_exports.sheet_title(YEAR)]
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, len(COLUMNS) + 1)] == [str(t) for _k, t in COLUMNS]
    codes = [ws.cell(r, 1).value for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    assert codes == [p.project.code for p in plan_roll_forward(year=YEAR)]
    # returned as downloaded, the targets are still to be set: one message per row, nothing saved
    response = upload(admin_client_, b"".join(admin_client_.get(reverse("plans:template", args=[YEAR])).streaming_content))
    errors = error_rows(response.content.decode())
    assert len(errors) == len(codes) and {c for _r, c, _m in errors} == {"年度计划投资（万元）"}
    assert not AnnualPlan.objects.filter(year=YEAR).exists()


@pytest.mark.django_db
def test_import_of_60_rows_with_3_bad_rows_reports_all_and_saves_nothing_then_saves_when_fixed(
        demo_2020, admin_client_):
    rows = plan_rows()
    assert len(rows) == 60
    good = [list(r) for r in rows]
    rows[4][0] = "2021-43011248-01-100001"  # wrong form  → sheet row 8
    rows[20][2] = "在建"  # not a category          → sheet row 24
    rows[41][4] = -5  # negative target             → sheet row 45
    projects_before = Project.objects.count()
    response = upload(admin_client_, workbook(rows))
    assert response.status_code == 200
    html = response.content.decode()
    errors = error_rows(html)
    assert [(r, c) for r, c, _m in errors] == [(8, "项目代码"), (24, "类别"), (45, "年度计划投资（万元）")]
    assert "格式不正确" in errors[0][2] and "类别“在建”无效" in errors[1][2] and "不能为负数" in errors[2][2]
    assert "3 处错误，未保存任何数据" in html
    assert not AnnualPlan.objects.filter(year=YEAR).exists() and Project.objects.count() == projects_before

    response = upload(admin_client_, workbook(good))
    assert response.status_code == 302 and response["Location"] == reverse("plans:review", args=[YEAR])
    review = admin_client_.get(response["Location"]).content.decode()
    total = sum(Decimal(r[4]) for r in good)
    assert "60 个项目" in review and f"{total:,.2f}" in review
    assert not AnnualPlan.objects.filter(year=YEAR).exists()  # the review saves nothing

    response = admin_client_.post(reverse("plans:review", args=[YEAR]), {"action": "confirm", "title": ""})
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(year=YEAR)
    assert plan.entries.count() == 60 and sum(e.target for e in plan.entries.all()) == total
    carried = min(60, len(PlanEntry.objects.in_plan(Period(2020, 12)).filter(
        project__code__in=[r[0] for r in good])))
    assert Project.objects.count() == projects_before + 60 - carried  # the new codes became projects
    dashboard = admin_client_.get("/", {"year": YEAR, "month": 1}).content.decode()
    assert f"{total / 10000:.2f}" in dashboard  # 年度计划总投资, 亿元

    # node plans, one step per area: every plan project of the area without nodes gets them
    area = Project.objects.get(code=good[-1][0]).area
    without = [p for p in Project.objects.filter(plan_entries__plan=plan, area=area) if not p.milestones.exists()]
    assert without
    admin_client_.post(reverse("plans:node_plans", args=[YEAR]), {"area": area.pk})
    assert all(Milestone.objects.filter(project=p).exists() for p in without)


@pytest.mark.django_db
def test_import_checks_division_duplicates_areas_and_units_in_one_pass(demo_2020, admin_client_):
    rows = plan_rows(6)
    rows[1][0] = rows[1][0].replace("430112", "430104")
    rows[3][0] = rows[2][0]
    rows[4][8] = "东片"
    rows[5][7] = "不存在的单位"
    errors = error_rows(upload(admin_client_, workbook(rows)).content.decode())
    assert [(r, c) for r, c, _m in errors] == [(5, "项目代码"), (7, "项目代码"), (8, "片区"), (9, "责任单位")]
    assert "不是本区的430112" in errors[0][2] and "与第6行重复" in errors[1][2]


@pytest.mark.django_db
def test_preliminary_row_without_code_gets_a_provisional_code(demo_2020, admin_client_):
    rows = plan_rows(2)
    rows.append([None, "储备项目：生态公园", "储备", "否", 0, None, None, None, "南片"])
    rows.append([None, "缺代码的新建项目", "新建", "否", 0, None, None, None, "南片"])
    errors = error_rows(upload(admin_client_, workbook(rows)).content.decode())
    assert [(r, c) for r, c, _m in errors] == [(7, "项目代码")]
    response = upload(admin_client_, workbook(rows[:3]))
    assert response.status_code == 302
    admin_client_.post(reverse("plans:review", args=[YEAR]), {"action": "confirm"})
    assert Project.objects.get(name="储备项目：生态公园").code == "临-2021-0001"


@pytest.mark.django_db
def test_roll_forward_as_draft_and_a_second_confirm_is_refused(demo_2020, admin_client_):
    response = admin_client_.post(reverse("plans:prepare", args=[YEAR]), {"action": "rollforward"})
    assert response.status_code == 302
    admin_client_.post(reverse("plans:review", args=[YEAR]), {"action": "confirm"})
    assert AnnualPlan.objects.get(year=YEAR).entries.count() == len(plan_roll_forward(year=YEAR))
    page = admin_client_.get(reverse("plans:prepare", args=[YEAR])).content.decode()
    assert 'id="plan-exists"' in page and 'id="node-plan-areas"' in page and "南片" in page
    admin_client_.post(reverse("plans:prepare", args=[YEAR]), {"action": "rollforward"})
    html = admin_client_.post(reverse("plans:review", args=[YEAR]), {"action": "confirm"}).content.decode()
    assert "2021年度计划已经存在" in html


@pytest.mark.django_db
def test_pages_are_for_administrators_only(leader_client):
    for name in ("prepare", "review", "template"):
        assert leader_client.get(reverse(f"plans:{name}", args=[YEAR])).status_code == 403
    factories.plan(2020)
    assert leader_client.post(reverse("plans:prepare", args=[YEAR]), {"action": "rollforward"}).status_code == 403


@pytest.mark.django_db
def test_menu_offers_the_next_year_to_administrators_only(demo_2020, admin_client_, client):
    html = admin_client_.get(reverse("investment:default_month"), follow=True).content.decode()
    assert "编制年度计划" in html
    response = admin_client_.get(reverse("plans:next"))
    assert response["Location"] == reverse("plans:prepare", args=[2021])
    page = admin_client_.get(response["Location"]).content.decode()
    assert "结转建议" in page and 'id="roll-forward"' in page
    client.force_login(factories.leader())
    assert "编制年度计划" not in client.get(reverse("investment:default_month"), follow=True).content.decode()


@pytest.mark.django_db
def test_a_rival_confirm_between_the_check_and_the_insert_gets_the_message_and_saves_nothing(
        demo_2020, admin_client_, monkeypatch):
    """Two administrators confirm at the same instant: the rival's plan appears after this
    request's check; the database's unique year refuses the insert and the page says so."""
    from investment import plan_services
    admin_client_.post(reverse("plans:prepare", args=[YEAR]), {"action": "rollforward"})
    projects_before = Project.objects.count()

    def rival_confirms_after_the_check(year):
        factories.plan(year)
        return False

    monkeypatch.setattr(plan_services, "annual_plan_exists", rival_confirms_after_the_check)
    response = admin_client_.post(reverse("plans:review", args=[YEAR]), {"action": "confirm"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2021年度计划已经存在，不能再次生成" in html
    assert 'id="plan-already-confirmed"' in html and reverse("plans:prepare", args=[YEAR]) + "#plan-exists" in html
    assert AnnualPlan.objects.filter(year=YEAR).count() == 1
    assert PlanEntry.objects.filter(plan__year=YEAR).count() == 0
    assert Project.objects.count() == projects_before
    # the request's transaction is still usable after the refused insert (PostgreSQL)
    assert admin_client_.get(reverse("plans:prepare", args=[YEAR])).status_code == 200
