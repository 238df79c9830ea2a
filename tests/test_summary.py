"""The report paragraph (/reports/summary/ and `manage.py draft_summary`) on the 2020 data:
the report's figures appear in its text, and the text follows the records."""
from decimal import Decimal
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from investment.models import MonthlyProgress

pytestmark = pytest.mark.usefixtures("demo_2020")

REPORT_FIGURES = ["17.8亿", "120.4%", "13.7亿", "145%", "45个", "419.74亩", "12247万元"]


def page_text(client, **params):
    response = client.get(reverse("report_summary"), {"year": 2020, "month": 12, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_the_2020_paragraph_has_the_reports_figures(leader_client):
    html = page_text(leader_client)
    for figure in REPORT_FIGURES:
        assert figure in html, figure
    assert "截至目前，1-12月已完成投资17.8亿，占年度计划的120.4%，其中市重大项目完成投资13.7亿，完成率145%" in html
    # land, savings and branches in the report's wording
    for phrase in ["全年共征地720余亩", "签约拆房130余栋", "节约财政资金3500余万元", "节约造价2600余万元",
                   "14家外地建筑企业、6家监理企业", "19次施工或监理招标工作", "6个设备采购招标",
                   "9个项目已全部完成建设并交付使用", "21个项目正在快速推进"]:
        assert phrase in html, phrase


def test_the_paragraph_follows_a_months_figure(leader_client):
    before = page_text(leader_client)
    row = MonthlyProgress.objects.filter(entry__plan__year=2020, month=12, entry__is_municipal_key=True).first()
    row.completed += Decimal("5000")  # +0.5亿
    row.save()
    after = page_text(leader_client)
    assert "已完成投资18.3亿" in after and "已完成投资17.8亿" not in after
    assert "市重大项目完成投资14.2亿" in after
    assert after != before


def test_the_period_is_the_one_asked_for(leader_client):
    html = page_text(leader_client, month=6)
    # 1-6月: the report's 百日竞赛 figures
    assert "1-6月续建项目复工率100%；新建项目中11个实现开工，开工率69%，市重大项目开工率100%，其中3个项目实现提前开工" in html


def test_download_is_the_same_text(leader_client):
    response = leader_client.get(reverse("report_summary"), {"year": 2020, "month": 12, "format": "txt"})
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == ("attachment; filename=\"summary-2020-12.txt\"; "
                                               "filename*=UTF-8''%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93_2020%E5%B9%B412%E6%9C%88.txt")
    text = response.content.decode("utf-8")
    for figure in REPORT_FIGURES:
        assert figure in text, figure


def test_the_command_writes_the_same_text(tmp_path):
    out = StringIO()
    call_command("draft_summary", "2020", "12", stdout=out)
    for figure in REPORT_FIGURES:
        assert figure in out.getvalue(), figure
    target = tmp_path / "s.txt"
    call_command("draft_summary", "2020", "12", "--output", str(target), stdout=StringIO())
    assert target.read_text(encoding="utf-8") == out.getvalue()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("report_summary"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_early_month_says_only_what_has_happened(leader_client):
    # January 2020: the plan was approved on 10 February, nothing started, no batch submitted,
    # no money secured. The draft leaves those clauses out instead of printing "0个" or "其中。".
    html = page_text(leader_client, month=1)
    assert "截至目前，1月已完成投资" in html
    for wrong in ["其中。", "开工率—", "全年共征地", "上级资金0万元", "共完成了0个批次", "百日", "双过半"]:
        assert wrong not in html, wrong
    assert not re.search(r"(?<![\d.])0个", html)  # "0个", not the "0个" of "10个"


HUNDRED_DAY = "1-6月续建项目复工率100%；新建项目中11个实现开工，开工率69%，市重大项目开工率100%，其中3个项目实现提前开工"


def test_the_command_at_december_has_the_hundred_day_sentence():
    # the report's 百日竞赛 sentence is the 1-6月 figure, whatever month the summary is drafted for
    out = StringIO()
    call_command("draft_summary", "2020", "12", stdout=out)
    text = out.getvalue()
    assert HUNDRED_DAY in text
    assert "其中8个项目实现提前开工" not in text  # 1-12月 early starts are not the 新建 clause's
    # 双过半 from June on
    assert re.search(r"1-6月完成投资\d+\.\d亿，占年度计划的5\d\.\d%，实现“双过半”", text)
    # the year's starts after the competition, its early starts of new projects only
    assert "1-12月新建项目中15个实现开工，开工率83%，市重大项目开工率100%，其中3个项目实现提前开工" in text
    # the other early starts named with the projects under construction, as the report names them
    assert ("21个项目正在快速推进，其中华灿路、七峰路、银杉九年一贯制学校和金塘路4个预备转实施项目"
            "和计划外项目中南路已实现提前开工建设") in text


def test_the_hundred_day_block_begins_in_june(leader_client):
    assert HUNDRED_DAY not in page_text(leader_client, month=5)
    assert "双过半" not in page_text(leader_client, month=5)
    june = page_text(leader_client, month=6)
    assert june.count(HUNDRED_DAY) == 1  # in June the 1-N月 starts are the 百日竞赛's: said once
    assert "实现“双过半”" in june
