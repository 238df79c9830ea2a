"""Attacks on the features of issues 16–19 (督办, 红黑榜, evidence, contracts, open data, the 调度会
pack): crafted POSTs and hostile text a user with devtools can send. Each test is a defect found
and fixed: the Chinese message, nothing saved, no 500."""
import datetime as dt
import re
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
from tests.demo import shared_fixture
from tests.forms_support import field_error, post, submit
from tests.urlwalk import World

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


# --- digits that are not decimal digits ------------------------------------------------------------
# "²".isdigit() is True but int("²") raises: every check written with isdigit() let it through to int()
# and answered 500 — the period of every page, per_page, the inbox, attendance, inspectors, the
# publication form, a record's loaded version. The checks are isdecimal() now.

SUP = "²"
walk_world = shared_fixture("url_world", World, fixture_name="walk_world")


@pytest.fixture
def admin_walk(walk_world):
    client = Client(raise_request_exception=False)
    client.force_login(factories.admin_user("guanli"))
    return client


@pytest.mark.parametrize("name, query, message", [
    ("dashboard", f"year={SUP}", f"年度“{SUP}”无效"),
    ("ranking:month", f"year=2020&month={SUP}", f"月份必须在1到12之间（收到“{SUP}”）"),
    ("problem_list", f"per_page={SUP}", "问题清单"),
    ("problem_create", f"project={SUP}&year=2020&month={SUP}", "登记问题"),
    ("order_create", f"problem={SUP}&project={SUP}&milestone={SUP}", "下发督办"),
    ("opendata:coverage", f"year={SUP}", f"没有“{SUP}”年度的计划"),
    ("opendata:publish", f"year={SUP}", f"没有“{SUP}”年度的计划"),
])
def test_a_superscript_digit_in_a_query_is_no_500(admin_walk, name, query, message):
    response = admin_walk.get(f"{reverse(name)}?{query}", follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_superscript_digit_in_a_post_is_refused_in_chinese(admin_walk, walk_world):
    from evidence.models import Attendance, Inspection, KeyPerson
    from opendata.models import Publication as P

    before = (Inspection.objects.count(), P.objects.count())
    response = admin_walk.post(reverse("inbox"), {"pk": SUP}, follow=True)
    assert "无效的消息" in response.content.decode()
    person = KeyPerson.objects.create(project=walk_world.project, post="project_manager", name="张三")
    url = reverse("evidence:project_personnel", args=[walk_world.project.pk]) + "?year=2020&month=6"
    response = admin_walk.post(url, {"action": "attendance", f"days-{person.pk}": SUP})
    assert response.status_code == 400 and "请输入0到31之间的整数" in response.content.decode()
    assert not Attendance.objects.filter(person=person).exists()
    response = admin_walk.post(reverse("evidence:inspection_add", args=[walk_world.project.pk]),
                               {"kind": "quality", "inspected_on": "2020-06-01", "inspectors": [SUP]})
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    for listed in (SUP, "99999999999999999999"):
        response = admin_walk.post(reverse("opendata:publish") + "?year=2020", {"listed": [listed]}, follow=True)
        assert "提交的项目编号无效" in response.content.decode()
    response = admin_walk.post(reverse("records:tender_edit", args=[walk_world.tender.pk]),
                               {"loaded_change": SUP, "title": "改名"})
    assert response.status_code == 200 and "您的修改未保存" in response.content.decode()
    assert (Inspection.objects.count(), P.objects.count()) == before
    walk_world.tender.refresh_from_db()
    assert walk_world.tender.title != "改名"


# --- the plan import --------------------------------------------------------------------------------

def _cell_values(content, pairs):
    """``content`` (an xlsx) with the sheets' raw cell values replaced (a number openpyxl would not write)."""
    import zipfile

    src, out = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                for old, new in pairs:
                    data = data.replace(old.encode(), new.encode())
            z.writestr(item, data)
    return out.getvalue()


def test_plan_import_with_a_ten_thousand_digit_number_as_code(admin_walk, walk_world):
    """1E9999 in a text column was turned into its 10,000 digits (past Python's int → str limit): a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from investment.models import AnnualPlan
    from tests.test_plan_next_year import workbook

    rows = [[12345, "新建道路", "新建", "否", 1000, dt.date(2021, 4, 1), dt.date(2022, 6, 30), None, "南片"]]
    content = _cell_values(workbook(rows), [("<v>12345</v>", "<v>1E9999</v>")])
    response = admin_walk.post(reverse("plans:prepare", args=[2021]),
                               {"action": "upload", "file": SimpleUploadedFile("计划.xlsx", content)})
    assert response.status_code == 200
    assert "项目代码“1E+9999”格式不正确" in response.content.decode()
    assert not AnnualPlan.objects.filter(year=2021).exists()


# --- problems and 督办 -----------------------------------------------------------------------------

@pytest.fixture
def problem_admin(walk_world):
    client = Client()
    client.force_login(factories.admin_user("guanli"))
    return client


def test_problem_raised_for_a_future_month_or_due_before_its_month_is_refused(problem_admin, walk_world):
    url = reverse("problem_create")
    base = {"project": walk_world.project.pk, "type": "land", "description": "征地未完成"}
    before = Problem.objects.count()
    today = timezone.localdate()
    html = problem_admin.post(url, {**base, "year": "2100", "month": "12"}).content.decode()
    assert f"提出月份不能晚于登记当月（{today.year}年{today.month}月）" in html
    html = problem_admin.post(url, {**base, "year": "2020", "month": "6", "deadline": "2020-05-31"}).content.decode()
    assert "解决时限不能早于问题的提出月份（2020年6月）" in html
    assert Problem.objects.count() == before
    problem = Problem.objects.create(project=walk_world.project, type="land", description="6月的问题", year=2020, month=6)
    response = submit(problem_admin, reverse("problem_edit", args=[problem.pk]),
                      {"type": "land", "description": "改了", "deadline": "2019-12-31"})
    assert "解决时限不能早于问题的提出月份（2020年6月）" in response.content.decode()
    problem.refresh_from_db()
    assert problem.description == "6月的问题"


def test_no_order_on_a_closed_problem(problem_admin, walk_world):
    problem = Problem.objects.create(project=walk_world.project, type="land", description="已解决的问题",
                                     status="closed", resolution="已协调", closed_at=timezone.now())
    before = Order.objects.count()
    response = problem_admin.post(reverse("order_create"), {
        "project": walk_world.project.pk, "source": "problem", "problem": problem.pk, "content": "请解决",
        "responsible_unit": walk_world.org.pk, "deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat()})
    assert "所选问题已销号，不能再下发督办。" in response.content.decode()
    assert Order.objects.count() == before


def test_problem_edited_in_two_tabs_the_second_save_is_refused(problem_admin, walk_world):
    problem = Problem.objects.create(project=walk_world.project, type="land", description="原描述")
    url = reverse("problem_edit", args=[problem.pk])
    tab_a, tab_b = problem_admin.get(url).content.decode(), problem_admin.get(url).content.decode()
    loaded = re.search(r'name="loaded_change" value="(\d*)"', tab_a).group(1)
    assert loaded and loaded in tab_b
    assert problem_admin.post(url, {"type": "land", "description": "甲的修改", "loaded_change": loaded}).status_code == 302
    response = problem_admin.post(url, {"type": "planning", "description": "乙的修改", "loaded_change": loaded})
    assert "该问题在您打开页面后已被修改，您的修改未保存" in response.content.decode()
    response = problem_admin.post(url, {"type": "planning", "description": "没有版本的修改"})  # crafted: no version
    assert "您的修改未保存" in response.content.decode()
    problem.refresh_from_db()
    assert (problem.type, problem.description) == ("land", "甲的修改")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_send_reminders_for_a_date_out_of_range_says_so(db, day):
    """9999-12-31 + the reminder horizons is past the last date: a traceback instead of a message."""
    from django.core.management import CommandError, call_command

    from supervision.models import Notification

    with pytest.raises(CommandError, match="超出范围，应在2000年至2100年之间"):
        call_command("send_reminders", date=day)
    assert not Notification.objects.exists()


# --- evidence ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["year=2020&month=13", "year=abc&month=6", f"year=2020&month={SUP}"])
def test_attendance_or_photos_posted_for_a_bad_month_save_nothing(admin_walk, walk_world, query):
    """A bad ?year=/?month= on the POST fell back to the default month: the days were saved there."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.models import Attendance, KeyPerson, Photo
    from tests.evidence_support import png

    person = KeyPerson.objects.create(project=walk_world.project, post="project_manager", name="李四")
    url = reverse("evidence:project_personnel", args=[walk_world.project.pk])
    response = admin_walk.post(f"{url}?{query}", {"action": "attendance", f"days-{person.pk}": "20"}, follow=True)
    assert "年度或月份有误，未保存" in response.content.decode()
    assert not Attendance.objects.filter(person=person).exists()
    photos = Photo.objects.count()
    url = reverse("evidence:project_photos", args=[walk_world.project.pk])
    response = admin_walk.post(f"{url}?{query}", {"photos": [SimpleUploadedFile("a.png", png(), "image/png")]},
                               follow=True)
    assert "年度或月份有误，未保存" in response.content.decode()
    assert Photo.objects.count() == photos


def test_a_problem_or_order_submitted_twice_is_saved_once(problem_admin, walk_world):
    data = {"project": walk_world.project.pk, "type": "funding", "description": "资金未到位"}
    assert problem_admin.post(reverse("problem_create"), data).status_code == 302
    response = problem_admin.post(reverse("problem_create"), data)
    assert "该项目已有相同的待解决问题" in response.content.decode()
    assert Problem.objects.filter(description="资金未到位").count() == 1
    data = {"project": walk_world.project.pk, "source": "other", "content": "请加快资金拨付",
            "responsible_unit": walk_world.org.pk, "deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat()}
    assert problem_admin.post(reverse("order_create"), data).status_code == 302
    response = problem_admin.post(reverse("order_create"), data)
    assert "已向该单位下发过相同的督办" in response.content.decode()
    assert Order.objects.filter(content="请加快资金拨付").count() == 1


@pytest.mark.parametrize("year, awarded_on, field, message", [
    ("0", "", "year", "年度应在2000年至"),
    ("32767", "", "year", "年度应在2000年至"),
    ("2020", "2019-12-01", "awarded_on", "获奖日期应在2020年度内。"),
    ("2020", "9999-12-31", "awarded_on", "获奖日期不能晚于今天"),
])
def test_award_with_an_impossible_year_or_date_is_refused(admin_client_, project_2020, year, awarded_on, field,
                                                          message):
    from evidence.models import Award

    response = admin_client_.post(reverse("admin:evidence_award_add"), {
        "project": project_2020.pk, "name": "芙蓉奖", "year": year, "awarded_on": awarded_on, "issuer": ""})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Award.objects.exists()


@pytest.mark.parametrize("inspected_on, deadline, message", [
    ("0001-01-01", "2020-06-30", "检查日期不能早于2000年。"),
    ("2020-06-01", "9999-12-31", "整改期限不能晚于2100年。"),
])
def test_inspection_dated_year_1_or_a_fix_due_in_9999_is_refused(admin_walk, walk_world, inspected_on, deadline,
                                                                 message):
    from evidence.models import Finding, Inspection

    before = (Inspection.objects.count(), Finding.objects.count())
    admin = factories.admin_user("jiancha")
    response = admin_walk.post(reverse("evidence:inspection_add", args=[walk_world.project.pk]), {
        "kind": "quality", "inspected_on": inspected_on, "inspectors": [admin.pk], "description": "护栏缺失",
        "severity": "minor", "deadline": deadline})
    assert message in response.content.decode()
    assert (Inspection.objects.count(), Finding.objects.count()) == before


def test_a_problem_or_order_due_in_9999_is_refused(problem_admin, walk_world):
    response = problem_admin.post(reverse("problem_create"), {
        "project": walk_world.project.pk, "type": "other", "description": "九九九九年", "deadline": "9999-12-31"})
    assert "解决时限不能晚于2100年。" in response.content.decode()
    response = problem_admin.post(reverse("order_create"), {
        "project": walk_world.project.pk, "source": "other", "content": "九九九九年",
        "responsible_unit": walk_world.org.pk, "deadline": "9999-12-31"})
    assert "办理时限不能晚于2100年。" in response.content.decode()
    assert not Problem.objects.filter(description="九九九九年").exists()
    assert not Order.objects.filter(content="九九九九年").exists()


@pytest.mark.parametrize("status", ["closed", "submitted"])
def test_the_photo_of_a_findings_fix_cannot_be_deleted(admin_walk, walk_world, status):
    """Deleting the evidence of a closed finding broke the finding's constraint: a 500."""
    from evidence.models import Finding, Photo
    from tests.evidence_support import photo

    admin = factories.admin_user("yanshou")
    fix = photo(walk_world.project, year=2020, month=6, kind="rectification")
    Finding.objects.filter(pk=walk_world.finding.pk).update(
        evidence=fix, status=status, accepted_by=admin if status == "closed" else None,
        closed_on=dt.date(2020, 7, 1) if status == "closed" else None)
    response = admin_walk.post(reverse("evidence:photo_delete", args=[fix.pk]), follow=True)
    assert response.status_code == 200
    assert "的整改照片，不能删除。" in response.content.decode()
    assert Photo.objects.filter(pk=fix.pk).exists()
    assert Finding.objects.get(pk=walk_world.finding.pk).evidence_id == fix.pk


def test_deleting_the_acceptor_or_the_photo_of_a_closed_finding_in_the_admin_is_refused(admin_walk, walk_world):
    """SET_NULL on a closed finding's photo and acceptor broke its constraint: the admin's delete was a 500."""
    from django.contrib.auth import get_user_model

    from evidence.models import Finding, Photo
    from tests.evidence_support import photo

    acceptor = factories.admin_user("yanshou2")
    fix = photo(walk_world.project, year=2020, month=6, kind="rectification")
    Finding.objects.filter(pk=walk_world.finding.pk).update(evidence=fix, status="closed", accepted_by=acceptor,
                                                            closed_on=dt.date(2020, 7, 1))
    for url in (reverse("admin:auth_user_delete", args=[acceptor.pk]),
                reverse("admin:evidence_photo_delete", args=[fix.pk])):
        response = admin_walk.post(url, {"post": "yes"})
        assert response.status_code == 200, url
        assert "将要求删除以下受保护的相关对象" in response.content.decode(), url
    assert get_user_model().objects.filter(pk=acceptor.pk).exists() and Photo.objects.filter(pk=fix.pk).exists()
