"""The 调度会 pack /reports/meeting.docx (issue 16 item 5): opened with python-docx it holds the
month's completion rate sentence, the headline table, the 红黑榜 with an exemption's reason, the
laggards with their open problems and 督办, the open 督办 orders, overdue and next month's nodes;
A4, fonts named for East Asian text, page numbers; queries bounded; converted by LibreOffice to a
PDF whose text holds the same (one test: it is slow)."""
import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn

from portfolio.figures import figure_values
from portfolio.numbers import Period
from projects.models import Organisation, OrganisationRole, Project
from ranking.models import Exemption
from supervision.models import Order, OrderState, Problem, ProblemType
from tests import factories

URL = reverse("meeting_pack")
JUNE = Period(2020, 6)


def issued(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def order(project, unit, content, deadline, *, issued_on=dt.date(2020, 5, 1), closed_on=None):
    return Order.objects.create(
        project=project, responsible_unit=unit, content=content, deadline=deadline, issued_at=issued(issued_on),
        closed_at=issued(closed_on) if closed_on else None,
        state=OrderState.CLOSED if closed_on else OrderState.SIGNED)


def problem(project, unit, description, *, raised_on=dt.date(2020, 4, 10)):
    return Problem.objects.create(project=project, type=ProblemType.PIPELINES, description=description,
                                  responsible_unit=unit, deadline=dt.date(2020, 7, 15), raised_at=issued(raised_on))


def text_of(document):
    """Every paragraph and table cell of the document, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def footer_xml(document):
    return document.sections[0].footer._element.xml


@pytest.fixture
def june(db):
    """A red project (10% done at half-year) of 建设局 with an open problem and two open orders, a
    green one of 教育局, an order closed in May, an exempted unit, nodes overdue and due in July."""
    south = factories.area("南片", order=1)
    owner = factories.organisation(name="区住房和城乡建设局", role=OrganisationRole.OWNER)
    schools = factories.organisation(name="区教育局", role=OrganisationRole.OWNER)
    water = factories.organisation(name="区水务局", role=OrganisationRole.OTHER)
    late = factories.project(name="滨江大道", area=south, owner_unit=owner, planned_start=dt.date(2020, 1, 1),
                             actual_start=dt.date(2020, 1, 10))
    good = factories.project(name="育才小学", area=south, owner_unit=schools, planned_start=dt.date(2020, 1, 1),
                             actual_start=dt.date(2020, 1, 5))
    factories.progress(factories.plan_entry(late, target=Decimal(2000)), 3, 100)
    factories.progress(factories.plan_entry(good, target=Decimal(2000)), 3, 1000)
    problem(late, water, "给水管迁改未完成")
    order(late, water, "督促完成给水管迁改", dt.date(2020, 6, 20))
    order(late, owner, "加快主体施工", dt.date(2020, 7, 3), issued_on=dt.date(2020, 6, 25))
    order(good, schools, "补报5月月报", dt.date(2020, 5, 20), closed_on=dt.date(2020, 5, 18))
    factories.milestone(late, name="管线迁改完成", planned_on=dt.date(2020, 5, 15))
    factories.milestone(good, name="主体封顶", planned_on=dt.date(2020, 7, 20))
    Exemption.objects.create(year=2020, month=6, organisation=schools, reason="汛期停工（不可抗力）")
    return {"late": late, "good": good}


def get_pack(client, **params):
    response = client.get(URL, {"year": 2020, "month": 6, **params})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return docx.Document(BytesIO(response.content)), response


def test_the_pack_holds_the_months_figures_ranking_laggards_and_orders(june, leader_client):
    document, response = get_pack(leader_client)
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = text_of(document)
    rate = figure_values(period=JUNE)["rate"].text
    assert rate == "27.5%"
    assert f"截至目前，1-6月已完成投资0.1亿，占年度计划的{rate}" in text  # the summary paragraph
    assert f"投资完成率 | {rate} | " in text  # the headline table
    assert document.paragraphs[0].text == "望城区重点项目建设调度会材料（2020年6月）"
    # 红黑榜: the area and the units; the exempted unit with its reason
    assert "1 | 红榜 | 区住房和城乡建设局 | 10.0 | 0.0 | — | — | 6.7" in text
    assert "2 | 黑榜 | 区水务局 | — | — | 0.0 | — | 0.0" in text  # its order of 20 June still open
    assert "— | 免于排名 | 区教育局 |" in text and "理由：汛期停工（不可抗力）" in text
    # the laggard with its open problem and its 督办 (state, colour at the month's end, deadline)
    assert ("滨江大道 | 南片 | 红灯 | 5.0% | 管线迁改：给水管迁改未完成（区水务局，07月15日前） | "
            "签收（超期，06月20日）；签收（临期，07月03日）") in text
    # the open orders at the month's end (the one closed in May is not listed)
    assert "滨江大道 | 区水务局 | 督促完成给水管迁改 | 2020-06-20 | 超期 | 签收" in text
    assert "滨江大道 | 区住房和城乡建设局 | 加快主体施工 | 2020-07-03 | 临期 | 签收" in text
    assert "补报5月月报" not in text
    assert "期末未解决问题1个，其中管线迁改1个。" in text
    # each unit's 督办 figures of 1-6月 (supervision.selectors.order_stats)
    assert "区教育局 | 1 | 1 | 100.0% | 1 | 0 | 17 | 0" in text
    assert "区水务局 | 1 | 0 | 0.0% | 0 | 1 | — | 0" in text
    assert "南片 | 滨江大道 | 管线迁改完成 | 2020-05-15 | 46" in text  # overdue nodes, days late
    assert "南片 | 育才小学 | 主体封顶 | 2020-07-20" in text  # next month's nodes


def test_the_ranking_rows_are_those_of_the_page(june, leader_client):
    from ranking.selectors import monthly_ranking

    document, _response = get_pack(leader_client)
    units = [t for t in document.tables if t.rows[0].cells[2].text == "责任单位"][0]
    ranked = [(row.cells[0].text, row.cells[2].text, row.cells[7].text) for row in units.rows[1:]]
    expected = [(str(r.rank) if r.rank else "—", r.name, r.total_text if r.rank else "理由：汛期停工（不可抗力）")
                for r in monthly_ranking(period=JUNE)["units"]]
    assert ranked == expected and len(ranked) == 3


def test_a4_fonts_and_page_numbers(june, leader_client):
    document, _response = get_pack(leader_client)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 2.8 and round(section.top_margin.cm, 2) == 2.54
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "Times New Roman"
    heading = document.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:asciiTheme")) is None
    xml = footer_xml(document)
    assert "PAGE" in xml and "NUMPAGES" in xml and "第 " in xml
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in document.tables)


def test_login_bad_period_and_no_data(db, leader_client):
    response = Client().get(URL, {"year": 2020, "month": 6})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = leader_client.get(URL, {"year": 2020, "month": 13})
    assert response.status_code == 400 and "月份必须在1到12之间" in response.content.decode()
    assert leader_client.get(URL).status_code == 404


def test_the_dashboard_and_the_summary_link_to_the_pack(june, leader_client):
    link = 'href="/reports/meeting.docx?year=2020&amp;month=6"'
    for name in ("dashboard", "report_summary"):
        html = leader_client.get(reverse(name), {"year": 2020, "month": 6}).content.decode()
        assert link in html and 'data-export="meeting-pack"' in html, name


def test_queries_bounded_with_many_problems_and_orders(demo_2020, leader_client, django_assert_max_num_queries):
    """The 2020 data set with 120 open problems and 120 open orders on 40 projects: the same fixed
    number of queries as without them (49 on 2020-12, and the request's session and user)."""
    period = {"year": 2020, "month": 12}
    projects = list(Project.objects.order_by("code")[:40])
    unit = Organisation.objects.first()
    Problem.objects.bulk_create(
        Problem(project=projects[i % 40], type=ProblemType.FUNDING, description=f"问题{i}", responsible_unit=unit,
                raised_at=issued(dt.date(2020, 11, 1))) for i in range(120))
    Order.objects.bulk_create(
        Order(project=projects[i % 40], responsible_unit=unit, content=f"督办{i}", deadline=dt.date(2020, 12, 1 + i % 28),
              issued_at=issued(dt.date(2020, 11, 1)), state=OrderState.IN_PROGRESS) for i in range(120))
    with django_assert_max_num_queries(52):
        document, _response = get_pack(leader_client, **period)
    assert "督办119" in text_of(document)


@pytest.mark.slow
@pytest.mark.needs("soffice", "pdftotext")
def test_libreoffice_converts_the_pack_to_pdf(demo_2020, leader_client, tmp_path):
    """Writer opens the document: its PDF's text has the completion rate, the 红黑榜 and the open
    督办 orders, and page numbers from the footer's fields."""
    unit = Organisation.objects.get(name="望城区交通运输局")
    project = Project.objects.filter(owner_unit=unit).order_by("code").first()
    order(project, unit, "完成管线迁改", dt.date(2020, 12, 20), issued_on=dt.date(2020, 12, 1))
    Exemption.objects.create(year=2020, month=12, organisation=Organisation.objects.get(name="望城区民政局"),
                             reason="疫情防控暂停施工")
    response = leader_client.get(URL, {"year": 2020, "month": 12})
    source = tmp_path / "meeting.docx"
    source.write_bytes(response.content)
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, timeout=180, capture_output=True)
    text = subprocess.run([shutil.which("pdftotext"), str(tmp_path / "meeting.pdf"), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")
    flat = "".join(text.split())  # pdftotext puts spaces between Chinese and digits and breaks lines
    assert "占年度计划的120.4%" in flat  # the month's completion rate, as the summary says it
    assert "四、红黑榜" in flat and "红榜" in flat and "黑榜" in flat
    assert "望城区教育局" in flat and "理由：疫情防控暂停施工" in flat
    assert "六、督办事项（未办结）" in flat and "完成管线迁改" in flat and "2020-12-20" in flat
    assert "第1页共" in flat
