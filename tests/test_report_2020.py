"""Every figure of part 一 of the 2020 work summary, computed by the selectors from the shipped
2020 records (fixtures/demo_2020.json). The report's text is quoted next to each assertion."""
from decimal import Decimal

import pytest

from investment.selectors import completion_summary, funding_summary, half_and_half, savings_summary
from land.selectors import land_summary
from portfolio.numbers import approx_floor, percent, yi
from procurement.selectors import permit_lead_times, tender_summary
from projects import selectors as projects

pytestmark = pytest.mark.usefixtures("demo_2020")


def test_targets_and_completion(dec_2020):
    # 计划总投资14.79亿，其中市重大目标金额为9.41亿，非市重大5.38亿。
    c = completion_summary(period=dec_2020)
    assert c["overall"]["target"] == Decimal("147900")
    assert c["municipal"]["target"] == Decimal("94100")
    assert c["other"]["target"] == Decimal("53800")
    assert (yi(c["overall"]["target"]), yi(c["municipal"]["target"]), yi(c["other"]["target"])) == (
        "14.79", "9.41", "5.38")
    # 1-12月已完成投资17.8亿，占总投资的120.4%
    assert yi(c["overall"]["completed"], 1) == "17.8"
    assert percent(c["overall"]["rate"]) == "120.4"
    # 市重大完成投资13.7亿，投资完成率达到145%
    assert yi(c["municipal"]["completed"], 1) == "13.7"
    assert percent(c["municipal"]["rate"], 0) == "145"


def test_half_and_half():
    # 大干一百天、实现双过半
    assert half_and_half(year=2020)["achieved"] is True


def test_hundred_day_competition(jun_2020):
    # 1-6月续建项目复工率100%
    r = projects.resumption(period=jun_2020)
    assert (r["resumed"], r["total"], percent(r["rate"], 0)) == (10, 10, "100")
    # 新建项目中11个实现开工，开工率69%，市重大项目开工率100%，其中3个项目实现提前开工
    s = projects.starts(period=jun_2020)
    assert (s["started"], s["due"], s["new_starts"]) == (11, 16, 11)
    assert percent(s["rate"], 0) == "69"
    assert percent(s["municipal_rate"], 0) == "100"
    assert s["early"] == 3


def test_categories_and_changes(dec_2020):
    # 共计45个，其中续建项目10个，新建项目18个，预备项目13个，社会监管项目3个，储备项目1个
    c = projects.category_counts(period=dec_2020)
    assert c["planned_total"] == 45
    assert c["planned"] == {"continuing": 10, "new": 18, "preliminary": 13, "supervised": 3, "reserve": 1}
    ch = projects.category_changes(period=dec_2020)
    # 对家塘路、雅湖路、杨江街路3个项目已调整为预备项目
    assert sorted(x.project.name for x in ch["to_preliminary"]) == sorted(["对家塘路", "雅湖路", "杨江街路"])
    # 5个项目预备转实施 (银杉、华灿路、七峰路、养老中心配套道路, and 金塘路: see fixtures/README.md)
    assert {x.project.name for x in ch["to_implementation"]} == {
        "银杉九年一贯制学校", "华灿路", "七峰路", "养老中心配套道路", "金塘路"}
    # 计划外实施普瑞大道（三环线-金星路）提质改造、中南路、湖南信息学院电力工程项目3个
    assert {e.project.name for e in projects.unplanned_entries(period=dec_2020)} == {
        "普瑞大道（三环线-金星路）提质改造", "中南路", "湖南信息学院电力工程"}


def test_phases(dec_2020):
    # 9个项目已全部完成建设并交付使用，……21个项目正在快速推进
    phases = projects.phase_counts(period=dec_2020)
    assert phases["delivered"] == 9
    assert phases["construction"] == 21


def test_early_starts_in_the_year(dec_2020):
    # 七峰路、华灿路、金塘路和银杉学校4个预备转实施项目和计划外项目中南路已实现提前开工建设
    # (on top of the 3 early starts of the first half)
    assert projects.starts(period=dec_2020)["early"] == 3 + 5


def test_land(dec_2020):
    # 共完成了6个批次18个项目共计419.74亩地的用地报批工作
    land = land_summary(period=dec_2020)
    assert (land["batches"], land["batch_projects"]) == (6, 18)
    assert land["batch_area_mu"] == Decimal("419.74")
    # 有征拆任务的21个项目已实现施工全面进场，全年共征地720余亩，签约拆房130余栋
    assert land["with_task"] == land["full_access"] == 21
    assert approx_floor(land["acquired_mu"], 10) == "720余"
    assert approx_floor(land["buildings_signed"], 10) == "130余"


def test_preparation_and_procurement(dec_2020):
    # 完成了18个项目的前期工作、19次施工或监理招标工作、6个设备采购招标、5个项目预备转实施
    assert projects.preliminary_done(period=dec_2020).count() == 18
    t = tender_summary(period=dec_2020)
    assert t["works"] == 19
    assert t["equipment"] == 6
    assert len(projects.category_changes(period=dec_2020)["to_implementation"]) == 5


def test_permits_within_a_month_and_a_half(dec_2020):
    # 基本可以实现在项目开标一个半月内完成所有报建工作
    p = permit_lead_times(period=dec_2020)
    assert p["count"] > 0
    assert p["all_within_target"] is True
    assert p["max_days"] <= 45


def test_money(dec_2020):
    # 争取专项债资金、棚改配套基础设施中央预算内资金等上级资金12247万元
    assert funding_summary(period=dec_2020)["total"] == Decimal("12247")
    # 节约财政资金3500余万元；优化设计方案……节约造价2600余万元
    s = savings_summary(period=dec_2020)
    assert approx_floor(s["management"], 100) == "3500余"
    assert approx_floor(s["design"], 100) == "2600余"


def test_local_branches(dec_2020):
    # 推动14家外地建筑企业、6家监理企业在望城成立了分公司
    b = projects.local_branches(period=dec_2020)
    assert (b["construction"], b["supervision"]) == (14, 6)


def test_figures_follow_the_records(dec_2020):
    """A figure is computed, not stored: changing a month's amount changes the completion."""
    from investment.models import MonthlyProgress

    before = completion_summary(period=dec_2020)["overall"]["completed"]
    row = MonthlyProgress.objects.filter(entry__plan__year=2020, month=12).first()
    row.completed += Decimal("1000")
    row.save()
    assert completion_summary(period=dec_2020)["overall"]["completed"] == before + Decimal("1000")
