"""Key personnel on site (issue 17): the month's on-site rate = days present ÷ working days, a
warning below the post's threshold (exactly at it: none), one click to raise a problem or 督办,
attendance entered or imported (every error of every row, nothing saved until all are right)."""
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from openpyxl import Workbook

from evidence.models import Attendance, KeyPerson, Post, PostThreshold
from evidence.selectors import working_days
from tests import factories
from tests.evidence_support import clerk  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    contractor = factories.organisation(name="砚川测试建工有限公司")
    return factories.project(name="星城二小", contractor=contractor)


def page_url(project, year=2020, month=2):
    return reverse("evidence:project_personnel", args=[project.pk]) + f"?year={year}&month={month}"


def add_person(client, project, post=Post.PROJECT_MANAGER, name="王建国"):
    return client.post(page_url(project), {"action": "person", "post": post, "name": name,
                                           "certificate_no": "湘143181900123"})


def row(html, person):
    return re.search(rf'<tr data-person="{person.pk}".*?</tr>', html, re.S).group(0)


def test_working_days_less_holidays_plus_weekends_worked():
    assert working_days(2020, 2) == 20
    assert working_days(2020, 10) == 17  # 国庆中秋: 6 weekdays off, Saturday 10 October worked
    assert working_days(2020, 1) == 17   # 元旦, 春节 (extended to 2 February), Sunday 19 January worked
    assert working_days(2021, 2) == 17
    assert working_days(2022, 3) == 23   # no table: weekdays


def test_on_site_rate_and_the_threshold_at_its_boundary(clerk, project):
    assert add_person(clerk, project).status_code == 302
    person = KeyPerson.objects.get()
    assert person.organisation == project.contractor
    clerk.post(page_url(project), {"action": "attendance", f"days-{person.pk}": "16"})
    html = clerk.get(page_url(project)).content.decode()
    line = row(html, person)
    assert ">80%<" in line and "data-warning" not in line  # 16 ÷ 20 = exactly 80 %: no warning
    clerk.post(page_url(project), {"action": "attendance", f"days-{person.pk}": "15"})
    line = row(clerk.get(page_url(project)).content.decode(), person)
    assert ">75%<" in line and "低于要求" in line
    problem = re.search(r'href="([^"]+)" data-raise="problem"', line).group(1).replace("&amp;", "&")
    order = re.search(r'href="([^"]+)" data-raise="order"', line).group(1).replace("&amp;", "&")
    assert urlparse(problem).path == "/problems/new/" and urlparse(order).path == "/supervision/new/"
    query = parse_qs(urlparse(problem).query)
    assert query["project"] == [str(project.pk)] and query["type"] == ["other"]
    assert query["description"] == ["项目经理王建国 2020年2月到岗率75%，低于要求的80%。"]
    assert parse_qs(urlparse(order).query)["content"] == query["description"]
    # one click: the supervision app's forms open prefilled
    admin = factories.admin_user()
    clerk.force_login(admin)
    for link in (problem, order):
        page = clerk.get(link)
        assert page.status_code == 200 and "项目经理王建国 2020年2月到岗率75%，低于要求的80%。" in page.content.decode()


def test_the_administrators_threshold_per_post(clerk, project):
    add_person(clerk, project)
    person = KeyPerson.objects.get()
    clerk.post(page_url(project), {"action": "attendance", f"days-{person.pk}": "16"})
    PostThreshold.objects.create(post=Post.PROJECT_MANAGER, minimum_percent=90)
    assert "低于要求" in row(clerk.get(page_url(project)).content.decode(), person)
    PostThreshold.objects.filter(post=Post.PROJECT_MANAGER).update(minimum_percent=80)
    assert "低于要求" not in row(clerk.get(page_url(project)).content.decode(), person)


def test_bad_days_are_refused_and_nothing_saved(clerk, project):
    add_person(clerk, project)
    add_person(clerk, project, Post.SAFETY_OFFICER, "李安")
    a, b = KeyPerson.objects.order_by("pk")
    response = clerk.post(page_url(project), {"action": "attendance", f"days-{a.pk}": "18", f"days-{b.pk}": "30"})
    assert response.status_code == 400 and "出勤天数须在0到29之间" in response.content.decode()
    response = clerk.post(page_url(project), {"action": "attendance", f"days-{a.pk}": "18", f"days-{b.pk}": "-1"})
    assert response.status_code == 400 and "请输入0到31之间的整数" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_only_editors_enter_attendance(client, project):
    person = KeyPerson.objects.create(project=project, post=Post.PROJECT_MANAGER, name="王建国")
    client.force_login(factories.leader())
    assert client.post(page_url(project), {"action": "attendance", f"days-{person.pk}": "3"}).status_code == 403
    assert Attendance.objects.count() == 0


def workbook(rows, sheet="考勤"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["岗位", "姓名", "出勤天数"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "kaoqin.xlsx"
    return buf


def test_import_lists_every_error_and_saves_nothing_until_all_rows_are_right(clerk, project):
    add_person(clerk, project)
    add_person(clerk, project, Post.CHIEF_SUPERVISOR, "赵监")
    bad = workbook([["项目经理", "王建国", 18], ["厨师", "张三", 40], ["总监理工程师", "钱多", "十"]])
    html = clerk.post(page_url(project), {"action": "import", "file": bad}).content.decode()
    for message in ("第3行 岗位：岗位“厨师”不是关键岗位。", "第3行 出勤天数：出勤天数须为0到29之间的整数。",
                    "第4行 姓名：本项目没有总监理工程师“钱多”", "第4行 出勤天数"):
        assert message in html, message
    assert Attendance.objects.count() == 0
    good = workbook([["项目经理", "王建国", 18], ["总监理工程师", "赵监", 12]])
    assert clerk.post(page_url(project), {"action": "import", "file": good}).status_code == 302
    assert sorted(Attendance.objects.values_list("person__name", "days_present")) == [("王建国", 18), ("赵监", 12)]
    not_a_workbook = io.BytesIO(b"PK\x03\x04 broken")
    not_a_workbook.name = "x.xlsx"
    html = clerk.post(page_url(project), {"action": "import", "file": not_a_workbook}).content.decode()
    assert "不是有效的Excel工作簿" in html


def test_import_of_a_file_over_the_upload_limit_is_refused_before_it_is_read(clerk, project, settings):
    add_person(clerk, project)
    settings.PROGRESS_UPLOAD_MAX_BYTES = 1024
    big = workbook([["项目经理", "王建国", 18]] + [["项目经理", "王建国" * 50, 1]] * 200)
    size_kb = len(big.getvalue()) // 1024
    html = clerk.post(page_url(project), {"action": "import", "file": big}).content.decode()
    assert f"文件过大（{size_kb} KB），上限为 1 KB。" in html
    assert Attendance.objects.count() == 0


def test_warnings_page_lists_everyone_below_and_is_bounded(leader_client, django_assert_max_num_queries):
    for i in range(12):
        p = factories.project(name=f"项目{i}")
        for post, days in ((Post.PROJECT_MANAGER, 10 + i), (Post.CHIEF_SUPERVISOR, 20)):
            person = KeyPerson.objects.create(project=p, post=post, name=f"人员{i}{post[:2]}")
            Attendance.objects.create(person=person, year=2020, month=2, days_present=days)
    url = reverse("evidence:attendance_warnings") + "?year=2020&month=2"
    with django_assert_max_num_queries(12):
        html = leader_client.get(url).content.decode()
    assert re.search(r'data-figure="warning-count">6<', html)  # 项目经理 with 10..15 days of 20
    assert html.count('data-raise="order"') == 6


def test_the_project_personnel_page_is_bounded(clerk, project, django_assert_max_num_queries):
    for i in range(10):
        person = KeyPerson.objects.create(project=project, post=Post.SAFETY_OFFICER, name=f"安全员{i}")
        Attendance.objects.create(person=person, year=2020, month=2, days_present=i + 10)
    with django_assert_max_num_queries(15):
        html = clerk.get(page_url(project)).content.decode()
    assert html.count("data-person=") == 10 and html.count("data-warning") == 6  # 10..15 of 20 days
