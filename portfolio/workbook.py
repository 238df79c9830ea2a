"""The district's monthly workbook (望城区重点项目投资进度_YYYY年1-M月.xlsx).

Sheets: 汇总 (the report's figures, from ``report_figures`` — never recomputed here), 项目明细
(one row per plan entry, grouped by category with SUBTOTAL rows whose cached values are the
product's own totals), 用地, 招标与许可, 节点计划 (overdue nodes highlighted), 资金与节约.

The reading functions at the top compose the apps' selectors with the few extra columns a sheet
shows; the writing functions below only lay the figures out (``portfolio.exports``).
"""
from django.conf import settings
from django.db.models import (BooleanField, Case, Count, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery, Sum,
                              Value, When)

from investment.models import Funding, FundingSource, MonthlyProgress, Saving, SavingKind
from investment.selectors import entries_with_completion
from land.models import Acquisition, LandBatch
from procurement.models import Tender
from procurement.selectors import PERMIT_TARGET_DAYS, permits_with_lead_time
from projects.models import Milestone, Phase, PlanCategory
from projects.selectors import category_as_of

from .exports import (AREA, COUNT, DATA, DATE, DAYS, GROUP, HIGHLIGHT, MONEY, PAPER_A3, PAPER_A4, RATE,
                      SUBTOTAL, TEXT, TOTAL, CachedFormula, Column, WorkbookWriter, stream)
from .numbers import percent, rate, yi
from .selectors import report_figures

CATEGORY_NUMERALS = "一二三四五六七八九十"


def district_name():
    return getattr(settings, "DISTRICT_NAME", "望城区")


def workbook_filename(period):
    return f"{district_name()}重点项目投资进度_{period.year}年{period.label}.xlsx"


# --- reading ----------------------------------------------------------------------------------

def _category_order():
    return Case(*[When(current_category=value, then=Value(i)) for i, value in enumerate(PlanCategory.values)],
                default=Value(len(PlanCategory.values)), output_field=IntegerField())


def detail_entries(*, period):
    """``entries_with_completion`` (every plan entry of the year, 计划外 included — the same set
    the completion figures sum) with the category at the end of the period and the month's
    形象进度 and 存在问题, ordered by category (plan order) then project code."""
    this_month = MonthlyProgress.objects.filter(entry=OuterRef("pk"), month=period.month)
    return (
        entries_with_completion(period=period)
        .annotate(
            current_category=category_as_of(period.end),
            physical_progress=Subquery(this_month.values("physical_progress")[:1]),
            problems=Subquery(this_month.values("problems")[:1]),
        )
        .annotate(category_order=_category_order())
        .order_by("category_order", "project__code")
    )


def detail_subtotals(*, period):
    """Per category at the end of the period: target, month and 1-M月 completion (database sums
    over the same rows as ``detail_entries``), keyed by category value."""
    rows = (
        entries_with_completion(period=period)
        .annotate(current_category=category_as_of(period.end))
        .order_by()
        .values("current_category")
        .annotate(target_sum=Sum("target"), month_sum=Sum("completed_in_month"),
                  to_date_sum=Sum("completed_to_date"), n=Count("id"))
    )
    return {r["current_category"]: r for r in rows}


def land_batches(*, period):
    return (LandBatch.objects.filter(year=period.year, submitted_on__lte=period.end)
            .prefetch_related("projects").order_by("submitted_on", "number"))


def acquisitions(*, period):
    return (Acquisition.objects.filter(year=period.year).select_related("project", "project__area")
            .order_by("project__code"))


def tenders(*, period):
    """Tenders opened (开标) in the period — the set ``tender_summary`` counts."""
    return (Tender.objects.filter(bid_opened_on__range=(period.start, period.end))
            .select_related("project", "winner").order_by("bid_opened_on", "id"))


def milestones(*, period):
    """The node plans of the year's plan projects, each with ``is_overdue`` at the end of the
    period: planned before it and not done by it (the definition of ``overdue_milestones``)."""
    as_of = period.end
    overdue = Q(planned_on__lt=as_of) & (Q(done_on__isnull=True) | Q(done_on__gt=as_of))
    return (
        Milestone.objects.filter(project__plan_entries__plan__year=period.year)
        .select_related("project", "project__area")
        .annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        .order_by("project__code", "order", "planned_on")
        .distinct()
    )


def fundings(*, period):
    return (Funding.objects.filter(received_on__range=(period.start, period.end)).select_related("project")
            .order_by("received_on", "id"))


def savings(*, period):
    return (Saving.objects.filter(recorded_on__range=(period.start, period.end)).select_related("project")
            .order_by("recorded_on", "id"))


# --- writing ----------------------------------------------------------------------------------

def subtotal(sheet, column_index, first_row, last_row, cached):
    """=SUBTOTAL(9, …) over a column's data rows, carrying the product's own total as its value.
    SUBTOTAL skips other SUBTOTAL cells, so group subtotals and the grand total do not add up
    twice."""
    letter = sheet.column_letter(column_index)
    if last_row < first_row:
        return cached
    return CachedFormula(f"=SUBTOTAL(9,{letter}{first_row}:{letter}{last_row})", cached)


def build_district_workbook(*, period):
    """The whole workbook for ``period`` as a ``WorkbookWriter`` (not yet saved)."""
    figures = report_figures(period=period)
    book = WorkbookWriter()
    heading = f"{district_name()}重点项目投资进度（{period.year}年{period.label}）"
    write_summary(book, figures, heading)
    write_details(book, period, figures, heading)
    write_land(book, period, figures, heading)
    write_procurement(book, period, figures, heading)
    write_milestones(book, period, heading)
    write_money(book, period, figures, heading)
    return book


def write_summary(book, f, heading):
    period = f["period"]
    sheet = book.sheet("汇总", [
        Column("指标", width=34), Column("数值", kind=MONEY, width=18), Column("单位", width=8),
        Column("说明", width=60),
    ], heading=f"{heading}汇总", unit="单位：万元（另注明者除外）", paper=PAPER_A4)

    def group(title):
        sheet.write([title], style=GROUP, merge_to=4)

    def line(label, value, kind, unit="", note=""):
        sheet.write([label, value, unit, note], kinds=[TEXT, kind, TEXT, TEXT])

    c = f["completion"]
    group(f"一、投资完成情况（{period.label}）")
    line("年度计划总投资", c["overall"]["target"], MONEY, "万元", f"{yi(c['overall']['target'])}亿元")
    line("　其中：市重大项目", c["municipal"]["target"], MONEY, "万元", f"{yi(c['municipal']['target'])}亿元")
    line("　　　　非市重大项目", c["other"]["target"], MONEY, "万元", f"{yi(c['other']['target'])}亿元")
    line(f"{period.label}完成投资", c["overall"]["completed"], MONEY, "万元",
         f"{yi(c['overall']['completed'], 1)}亿元，占年度计划的{percent(c['overall']['rate'])}%")
    line("　其中：市重大项目", c["municipal"]["completed"], MONEY, "万元",
         f"{yi(c['municipal']['completed'], 1)}亿元，完成率{percent(c['municipal']['rate'], 0)}%")
    line("　　　　非市重大项目", c["other"]["completed"], MONEY, "万元",
         f"{yi(c['other']['completed'], 1)}亿元")
    line("投资完成率", c["overall"]["rate"], RATE, "%", "完成投资 ÷ 年度计划总投资")
    line("市重大项目投资完成率", c["municipal"]["rate"], RATE, "%")
    line("非市重大项目投资完成率", c["other"]["rate"], RATE, "%")

    cat = f["categories"]
    group("二、计划项目类别")
    line("年度计划项目", cat["planned_total"], COUNT, "个", "计划内项目（不含计划外）")
    for value, label in PlanCategory.choices:
        line(f"　{label}项目", cat["planned"][value], COUNT, "个", f"截至{period.month}月末{cat['current'][value]}个")
    ch = f["changes"]
    line("调整为预备项目", len(ch["to_preliminary"]), COUNT, "个",
         "、".join(x.project.name for x in ch["to_preliminary"]))
    line("预备转实施项目", len(ch["to_implementation"]), COUNT, "个",
         "、".join(x.project.name for x in ch["to_implementation"]))
    line("计划外实施项目", len(f["unplanned"]), COUNT, "个", "、".join(e.project.name for e in f["unplanned"]))

    group(f"三、建设阶段（截至{period.month}月末）")
    for value, label in Phase.choices:
        line(f"{label}项目", f["phases"][value], COUNT, "个")

    r, s = f["resumption"], f["starts"]
    group("四、开工与复工")
    line("续建项目复工", r["resumed"], COUNT, "个", f"续建项目共{r['total']}个")
    line("续建项目复工率", r["rate"], RATE, "%")
    line("新建项目应开工", s["due"], COUNT, "个", "计划开工日期在期末之前的新建项目")
    line("新建项目已开工", s["started"], COUNT, "个")
    line("新建项目开工率", s["rate"], RATE, "%", "已开工 ÷ 应开工")
    line("市重大项目开工率", s["municipal_rate"], RATE, "%",
         f"应开工{s['municipal_due']}个，已开工{s['municipal_started']}个")
    line("提前开工项目", s["early"], COUNT, "个")
    line("本年新开工新建项目", s["new_starts"], COUNT, "个")

    land = f["land"]
    group("五、用地")
    line("用地报批批次", land["batches"], COUNT, "批", f"涉及项目{land['batch_projects']}个")
    line("报批面积", land["batch_area_mu"], AREA, "亩")
    line("有征拆任务项目", land["with_task"], COUNT, "个")
    line("全面进场项目", land["full_access"], COUNT, "个")
    line("征地面积", land["acquired_mu"], AREA, "亩")
    line("签约拆房", land["buildings_signed"], COUNT, "栋")

    t, p = f["tenders"], f["permits"]
    group("六、前期工作、招标与许可")
    line("完成前期工作项目", f["preliminary_done"], COUNT, "个")
    line("施工招标", t["construction"], COUNT, "个")
    line("监理招标", t["supervision"], COUNT, "个")
    line("施工、监理招标合计", t["works"], COUNT, "个")
    line("设备采购", t["equipment"], COUNT, "个")
    line("核发许可证（计时）", p["count"], COUNT, "个", "自施工招标开标起计算办证时长")
    line("办证时长中位数", p["median_days"], DAYS, "天")
    line("办证时长最长", p["max_days"], DAYS, "天")
    line(f"开标后{p['target_days']}天内办结", p["within_target"], COUNT, "个",
         "全部按时办结" if p["all_within_target"] else "")

    fund, sav = f["funding"], f["savings"]
    group("七、资金与节约")
    line("争取上级资金", fund["total"], MONEY, "万元")
    for value, label in FundingSource.choices:
        if value in fund["by_source"]:
            line(f"　{label}", fund["by_source"][value], MONEY, "万元")
    line("节约财政资金", sav["management"], MONEY, "万元",
         "、".join(str(SavingKind(k).label) for k in SavingKind.management()))
    line("优化设计节约造价", sav["design"], MONEY, "万元")
    line("节约资金合计", sav["total"], MONEY, "万元")
    b = f["local_branches"]
    group("八、外地企业在本地设立分公司")
    line("施工企业", b["construction"], COUNT, "家")
    line("监理企业", b["supervision"], COUNT, "家")


DETAIL_COLUMNS = [
    ("序号", COUNT, 6), ("项目代码", TEXT, 24), ("项目名称", TEXT, 30), ("片区", TEXT, 7),
    ("类别", TEXT, 13), ("市重大", TEXT, 7), ("年度计划投资(万元)", MONEY, 14), ("本月完成", MONEY, 12),
    ("累计完成", MONEY, 14), ("完成率", RATE, 9), ("形象进度", TEXT, 34), ("存在问题", TEXT, 30),
    ("责任单位", TEXT, 22),
]
TARGET_COL, MONTH_COL, TO_DATE_COL, RATE_COL = 6, 7, 8, 9


def write_details(book, period, figures, heading):
    columns = []
    for title, kind, width in DETAIL_COLUMNS:
        if title == "本月完成":
            title = f"{period.month}月完成"
        elif title == "累计完成":
            title = f"{period.label}累计完成"
        columns.append(Column(title, kind=kind, width=width))
    sheet = book.sheet("项目明细", columns, heading=f"{heading}项目明细", paper=PAPER_A3, freeze_column=4)
    labels = dict(PlanCategory.choices)
    totals = detail_subtotals(period=period)
    first_data = sheet.next_row
    number, group_value, group_first = 0, None, None
    month_total = sum((t["month_sum"] or 0 for t in totals.values()), 0)

    def close_group():
        t = totals.get(group_value, {})
        row = sheet.next_row
        values = [None, None, f"{labels.get(group_value, group_value)}项目小计", None, None, None,
                  subtotal(sheet, TARGET_COL, group_first, row - 1, t.get("target_sum")),
                  subtotal(sheet, MONTH_COL, group_first, row - 1, t.get("month_sum")),
                  subtotal(sheet, TO_DATE_COL, group_first, row - 1, t.get("to_date_sum")),
                  rate(t.get("to_date_sum"), t.get("target_sum"))]
        sheet.write(values, style=SUBTOTAL)

    groups_seen = 0
    for entry in stream(detail_entries(period=period)):
        if entry.current_category != group_value:
            if group_value is not None:
                close_group()
            group_value = entry.current_category
            n = totals.get(group_value, {}).get("n") or 0
            sheet.write([f"{CATEGORY_NUMERALS[groups_seen % 10]}、{labels.get(group_value, group_value)}项目（{n}个）"],
                        style=GROUP, merge_to=len(columns))
            groups_seen += 1
            group_first = sheet.next_row
        number += 1
        project = entry.project
        category = labels.get(entry.current_category, entry.current_category)
        if entry.unplanned:
            category = f"{category}（计划外）"
        sheet.write([
            number, project.code, project.name, project.area.name, category,
            "是" if entry.is_municipal_key else "", entry.target, entry.completed_in_month,
            entry.completed_to_date, rate(entry.completed_to_date, entry.target),
            entry.physical_progress or "", entry.problems or "",
            project.owner_unit.name if project.owner_unit else "",
        ])
    if group_value is not None:
        close_group()
    c = figures["completion"]["overall"]
    last = sheet.next_row - 1
    sheet.write([None, None, "合计", None, None, None,
                 subtotal(sheet, TARGET_COL, first_data, last, c["target"]),
                 subtotal(sheet, MONTH_COL, first_data, last, month_total),
                 subtotal(sheet, TO_DATE_COL, first_data, last, c["completed"]),
                 c["rate"]], style=TOTAL)


def write_land(book, period, figures, heading):
    land = figures["land"]
    sheet = book.sheet("用地", [
        Column("序号", kind=COUNT, width=6), Column("批次编号", width=14), Column("批次名称", width=34),
        Column("报批日期", kind=DATE, width=12), Column("批复日期", kind=DATE, width=12),
        Column("报批面积（亩）", kind=AREA, width=14), Column("涉及项目", width=60),
    ], heading=f"{heading}用地报批与征地拆迁", unit="单位：亩、栋", paper=PAPER_A4)
    first = sheet.next_row
    for i, batch in enumerate(land_batches(period=period), start=1):
        sheet.write([i, batch.number, batch.name, batch.submitted_on, batch.approved_on, batch.area_mu,
                     "、".join(p.name for p in batch.projects.all())])
    sheet.write([None, None, f"合计（{land['batches']}批，涉及项目{land['batch_projects']}个）", None, None,
                 subtotal(sheet, 5, first, sheet.next_row - 1, land["batch_area_mu"])], style=TOTAL)

    sheet.section("征地拆迁", [
        Column("序号", kind=COUNT), Column("项目代码"), Column("项目名称"), Column("片区"),
        Column("征地面积（亩）", kind=AREA), Column("签约拆房（栋）", kind=COUNT), Column("全面进场日期", kind=DATE),
    ])
    first = sheet.next_row
    for i, a in enumerate(stream(acquisitions(period=period)), start=1):
        sheet.write([i, a.project.code, a.project.name, a.project.area.name, a.acquired_mu, a.buildings_signed,
                     a.full_access_on])
    last = sheet.next_row - 1
    sheet.write([None, None, f"合计（有征拆任务项目{land['with_task']}个，全面进场{land['full_access']}个）", None,
                 subtotal(sheet, 4, first, last, land["acquired_mu"]),
                 subtotal(sheet, 5, first, last, land["buildings_signed"])], style=TOTAL)


def write_procurement(book, period, figures, heading):
    t, p = figures["tenders"], figures["permits"]
    sheet = book.sheet("招标与许可", [
        Column("序号", kind=COUNT, width=6), Column("项目名称", width=30), Column("类型", width=14),
        Column("标段名称", width=34), Column("公告日期", kind=DATE, width=12), Column("开标日期", kind=DATE, width=12),
        Column("中标单位", width=28), Column("中标金额（万元）", kind=MONEY, width=16),
    ], heading=f"{heading}招标采购与许可", paper=PAPER_A4, freeze_column=3)
    for i, tender in enumerate(stream(tenders(period=period)), start=1):
        sheet.write([i, tender.project.name, tender.get_kind_display(), tender.title, tender.published_on,
                     tender.bid_opened_on, tender.winner.name if tender.winner else "", tender.amount])
    sheet.write([None, f"合计：施工{t['construction']}个，监理{t['supervision']}个，设备采购{t['equipment']}个"],
                style=TOTAL)

    sheet.section("许可证办理", [
        Column("序号", kind=COUNT), Column("项目名称"), Column("证照类型"), Column("证书编号"),
        Column("施工招标开标日期", kind=DATE), Column("核发日期", kind=DATE), Column("办证时长（天）", kind=DAYS),
        Column(f"{PERMIT_TARGET_DAYS}天内办结"),
    ])
    for i, permit in enumerate(permits_with_lead_time(period=period), start=1):
        days = (permit.issued_on - permit.bid_opened_on).days if permit.bid_opened_on else None
        sheet.write([i, permit.project.name, permit.get_kind_display(), permit.number, permit.bid_opened_on,
                     permit.issued_on, days, "" if days is None else ("是" if days <= PERMIT_TARGET_DAYS else "否")])
    median = "—" if p["median_days"] is None else f"{p['median_days']}天"
    sheet.write([None, f"计时{p['count']}个，中位数{median}，{PERMIT_TARGET_DAYS}天内办结{p['within_target']}个"],
                style=TOTAL)


def write_milestones(book, period, heading):
    sheet = book.sheet("节点计划", [
        Column("序号", kind=COUNT, width=6), Column("项目代码", width=24), Column("项目名称", width=30),
        Column("片区", width=7), Column("节点", width=20), Column("计划完成日期", kind=DATE, width=13),
        Column("实际完成日期", kind=DATE, width=13), Column("状态", width=10), Column("备注", width=30),
    ], heading=f"{heading}节点计划", unit=f"逾期：截至{period.end:%Y-%m-%d}计划日期已过且未完成（红色标示）",
        paper=PAPER_A4, freeze_column=4)
    as_of = period.end
    for i, m in enumerate(stream(milestones(period=period)), start=1):
        if m.is_overdue:
            status = "逾期"
        elif m.done_on and m.done_on <= as_of:
            status = "已完成"
        else:
            status = "未到期"
        sheet.write([i, m.project.code, m.project.name, m.project.area.name, m.name, m.planned_on, m.done_on,
                     status, m.note], style=HIGHLIGHT if m.is_overdue else DATA)


def write_money(book, period, figures, heading):
    fund, sav = figures["funding"], figures["savings"]
    sheet = book.sheet("资金与节约", [
        Column("序号", kind=COUNT, width=6), Column("项目名称", width=32), Column("来源/方式", width=18),
        Column("金额（万元）", kind=MONEY, width=16), Column("日期", kind=DATE, width=12), Column("说明", width=50),
    ], heading=f"{heading}争取资金与节约资金", paper=PAPER_A4)
    first = sheet.next_row
    for i, row in enumerate(fundings(period=period), start=1):
        sheet.write([i, row.project.name if row.project else "（中心）", row.get_source_display(), row.amount,
                     row.received_on, row.note])
    sheet.write([None, "争取上级资金合计", None, subtotal(sheet, 3, first, sheet.next_row - 1, fund["total"])],
                style=TOTAL)
    sheet.section("节约资金", [
        Column("序号", kind=COUNT), Column("项目名称"), Column("节约方式"), Column("金额（万元）", kind=MONEY),
        Column("日期", kind=DATE), Column("说明"),
    ])
    first = sheet.next_row
    for i, row in enumerate(savings(period=period), start=1):
        sheet.write([i, row.project.name if row.project else "（中心）", row.get_kind_display(), row.amount,
                     row.recorded_on, row.description])
    sheet.write([None, "节约资金合计", None, subtotal(sheet, 3, first, sheet.next_row - 1, sav["total"])],
                style=TOTAL)
