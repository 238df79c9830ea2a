"""The district's monthly workbook (望城区重点项目投资进度_YYYY年1-M月.xlsx).

Sheets: 汇总 (the report's figures, from ``report_figures`` — never recomputed here), 项目明细
(one row per plan entry, grouped by category with SUBTOTAL rows whose cached values are the
product's own totals), 用地, 招标与许可, 节点计划 (overdue nodes highlighted), 资金与节约, 红黑榜
(``ranking.exports``), 合同与支付 and 统计对账 (``contracts.exports``).

The reading functions at the top compose the apps' selectors with the few extra columns a sheet
shows; the writing functions below only lay the figures out (``portfolio.exports``).
"""
from django.conf import settings
from django.db.models import (BooleanField, Case, Count, ExpressionWrapper, IntegerField, OuterRef, Subquery, Sum,
                              Value, When)

from contracts.exports import write_contracts, write_reconciliation
from investment.models import FundingSource, MonthlyProgress, SavingKind
from investment.selectors import entries_with_completion, fundings_in_period, savings_in_period
from land import selectors as land_selectors
from procurement import selectors as procurement_selectors
from procurement.models import Permit, Tender
from procurement.selectors import PERMIT_TARGET_DAYS, lead_time_days, permits_in_period
from projects.models import Phase, PlanCategory
from projects.selectors import category_as_of, milestone_state, milestones_in_period, overdue_q
from ranking.exports import write_ranking

from .exports import (AREA, COUNT, DATA, DATE, DAYS, GROUP, HIGHLIGHT, MONEY, PAPER_A3, PAPER_A4, RATE,
                      SUBTOTAL, TEXT, TOTAL, CachedFormula, Column, WorkbookWriter, choice_labels, stream)
from . import figures
from .numbers import rate
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
    """``entries_with_completion`` (the year's plan as of the period — the same set the completion
    figures sum) with the category at the end of the period and the month's
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
    return land_selectors.land_batches_in_period(period=period).order_by("submitted_on", "number")


def acquisitions(*, period):
    return land_selectors.acquisitions_in_period(period=period).order_by("project__code")


def tenders(*, period):
    return procurement_selectors.tenders_in_period(period=period).order_by("bid_opened_on", "id")


def milestones(*, period):
    """The period's node plans (``milestones_in_period``), each with ``is_overdue`` at its end."""
    return (
        milestones_in_period(period=period)
        .annotate(is_overdue=ExpressionWrapper(overdue_q(period.end), output_field=BooleanField()))
        .order_by("project__code", "order", "planned_on")
    )


def fundings(*, period):
    return fundings_in_period(period=period).order_by("received_on", "id")


def savings(*, period):
    return savings_in_period(period=period).order_by("recorded_on", "id")


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
    write_ranking(book, period, heading)
    write_contracts(book, period, heading)
    write_reconciliation(book, period, heading)
    return book


SUMMARY_KINDS = {figures.YI: MONEY, figures.WAN: MONEY, figures.COUNT: COUNT, figures.AREA: AREA,
                 figures.DAYS: DAYS, figures.FLAG: TEXT}


def _summary_kind(figure):
    """The cell kind of a figure's exact value: 万元 for money, a fraction with the figure's
    precision for rates (the catalogue's ``number_format``)."""
    if figure.kind == figures.RATE:
        return "rate0" if figure.precision == 0 else RATE
    return SUMMARY_KINDS[figure.kind]


def write_summary(book, f, heading):
    """汇总: the catalogue's figures (``portfolio.figures``) — exact values in the cells, shown
    with the figure's precision; the 说明 column gives the rounded text where the report shows one
    (亿元) and the figure's definition. From June on, the 百日竞赛 block (1-6月) and 双过半."""
    period = f["period"]
    v = figures.figure_values(period=period, figures=f)
    sheet = book.sheet("汇总", [
        Column("指标", width=34), Column("数值", kind=MONEY, width=18), Column("单位", width=8),
        Column("说明", width=60),
    ], heading=f"{heading}汇总", unit="单位：万元（另注明者除外）", paper=PAPER_A4)

    def group(title):
        sheet.write([title], style=GROUP, merge_to=4)

    def line(label, value, kind, unit="", note=""):
        sheet.write([label, value, unit, note], kinds=[TEXT, kind, TEXT, TEXT])

    def fig(key, label=None, note=None):
        shown = v[key]
        figure = shown.figure
        if figure.kind == figures.YI:
            unit, default_note = "万元", f"{shown.text}亿元"
        elif figure.kind == figures.FLAG:
            unit, default_note = "", figure.definition
        else:
            unit, default_note = figure.unit, figure.definition
        value = shown.text if figure.kind == figures.FLAG else shown.value
        line(label or figure.label, value, _summary_kind(figure), unit, default_note if note is None else note)

    group(f"一、投资完成情况（{period.label}）")
    fig("target")
    fig("municipal_target", "　其中：市重大项目")
    fig("other_target", "　　　　非市重大项目")
    fig("completed", f"{period.label}完成投资", f"{v['completed'].text}亿元，占年度计划的{v['rate'].text}")
    fig("municipal_completed", "　其中：市重大项目",
        f"{v['municipal_completed'].text}亿元，完成率{v['municipal_rate'].text}")
    fig("other_completed", "　　　　非市重大项目")
    fig("rate")
    fig("municipal_rate")
    fig("other_rate")

    cat = f["categories"]
    group("二、计划项目类别")
    fig("plan_total")
    for value, label in PlanCategory.choices:
        fig(f"category_{value}", note=f"截至{period.month}月末{cat['current'][value]}个")
    ch = f["changes"]
    fig("to_preliminary", note="、".join(x.project.name for x in ch["to_preliminary"]))
    fig("to_implementation", note="、".join(x.project.name for x in ch["to_implementation"]))
    fig("unplanned", note="、".join(e.project.name for e in f["unplanned"]))

    group(f"三、建设阶段（截至{period.month}月末）")
    for value, _label in Phase.choices:
        fig(f"phase_{value}")

    r = f["resumption"]
    group(f"四、开工与复工（{period.label}）")
    fig("resumed", note=f"续建项目共{r['total']}个")
    fig("resumption_rate")
    fig("starts_due")
    fig("new_starts")
    fig("start_rate")
    s = f["starts"]
    fig("municipal_start_rate", note=f"应开工{s['municipal_due']}个，已开工{s['municipal_started']}个")
    fig("early_starts")
    early = v.parts["early_by_kind"]
    for kind in ("new", "to_implementation", "unplanned"):
        fig(f"early_{kind}", note="、".join(e.project.name for e in early[kind]))
    fig("year_new_starts")

    numeral = iter("五六七八九十")
    if v.hundred_day:
        group(f"{next(numeral)}、百日竞赛（“大干一百天、实现双过半”，1-6月）")
        for key in ("resumption_rate", "resumed", "starts_due", "new_starts", "start_rate",
                    "municipal_start_rate", "early_starts"):
            fig(f"hundred_day_{key}")
        fig("half_completed")
        fig("half_rate")
        fig("half_achieved", note=f"1-6月完成投资占年度计划的{v['half_rate'].text}（≥50%为实现）")

    group(f"{next(numeral)}、用地")
    fig("land_batches")
    fig("land_batch_projects")
    fig("land_area")
    fig("land_with_task")
    fig("land_full_access")
    fig("acquired_mu")
    fig("buildings_signed")

    p = f["permits"]
    group(f"{next(numeral)}、前期工作、招标与许可")
    fig("preliminary_done")
    fig("tenders_construction")
    fig("tenders_supervision")
    fig("tenders_works", "施工、监理招标合计")
    fig("tenders_equipment", "设备采购")
    fig("permit_count")
    fig("permit_median")
    fig("permit_max")
    fig("permit_within", f"开标后{p['target_days']}天内办结", "全部按时办结" if p["all_within_target"] else "")

    fund = f["funding"]
    group(f"{next(numeral)}、资金与节约")
    fig("funding")
    for value, label in FundingSource.choices:
        if value in fund["by_source"]:
            line(f"　{label}", fund["by_source"][value], MONEY, "万元")
    fig("savings_management", note="、".join(str(SavingKind(k).label) for k in SavingKind.management()))
    fig("savings_design")
    fig("savings")
    group(f"{next(numeral)}、外地企业在本地设立分公司")
    fig("branches_construction", "施工企业")
    fig("branches_supervision", "监理企业")
    group(f"{next(numeral)}、四率、资金支付与统计（详见“合同与支付”“统计对账”）")
    for key in ("start_rate", "rate", "funds_rate", "on_time_rate", "funds_in_place", "payments", "payment_warnings",
                "completion_due", "completed_on_time", "started_unregistered", "reconciliation_gaps"):
        fig(key)


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
    labels = {value: str(label) for value, label in PlanCategory.choices}  # translated once, not per row
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
    # plain rows, not model instances (four per entry: entry, project, area, owner)
    rows = detail_entries(period=period).values_list(
        "current_category", "unplanned", "project__code", "project__name", "project__area__name", "is_municipal_key",
        "target", "completed_in_month", "completed_to_date", "physical_progress", "problems",
        "project__owner_unit__name", named=True)
    for entry in stream(rows):
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
        category = labels.get(entry.current_category, entry.current_category)
        if entry.unplanned:
            category = f"{category}（计划外）"
        sheet.write([
            number, entry.project__code, entry.project__name, entry.project__area__name, category,
            "是" if entry.is_municipal_key else "", entry.target, entry.completed_in_month,
            entry.completed_to_date, rate(entry.completed_to_date, entry.target),
            entry.physical_progress or "", entry.problems or "", entry.project__owner_unit__name or "",
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
        sheet.write([i, a.project.code, a.project.name, a.project.area.name, a.acquired_to_date, a.buildings_to_date,
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
    tender_kinds = choice_labels(Tender, "kind")
    rows = tenders(period=period).values_list("project__name", "kind", "title", "published_on", "bid_opened_on",
                                              "winner__name", "amount")
    for i, (project, kind, title, published_on, bid_opened_on, winner, amount) in enumerate(stream(rows), start=1):
        sheet.write([i, project, tender_kinds.get(kind, kind), title, published_on, bid_opened_on, winner or "",
                     amount])
    sheet.write([None, f"合计：施工{t['construction']}个，监理{t['supervision']}个，设备采购{t['equipment']}个"],
                style=TOTAL)

    sheet.section("许可证办理", [
        Column("序号", kind=COUNT), Column("项目名称"), Column("证照类型"), Column("证书编号"),
        Column("施工招标开标日期", kind=DATE), Column("核发日期", kind=DATE), Column("办证时长（天）", kind=DAYS),
        Column(f"{PERMIT_TARGET_DAYS}天内办结"),
    ])
    permit_kinds = choice_labels(Permit, "kind")
    for i, permit in enumerate(permits_in_period(period=period), start=1):
        days = lead_time_days(permit)
        sheet.write([i, permit.project.name, permit_kinds.get(permit.kind, permit.kind), permit.number,
                     permit.bid_opened_on,
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
    labels = {"overdue": "逾期", "done": "已完成", "pending": "未到期"}
    # plain rows, not model instances (three per node: node, project, area)
    rows = milestones(period=period).values_list(
        "project__code", "project__name", "project__area__name", "name", "planned_on", "done_on", "note",
        "is_overdue", named=True)
    for i, m in enumerate(stream(rows), start=1):
        status = labels[milestone_state(m, period.end)]
        sheet.write([i, m.project__code, m.project__name, m.project__area__name, m.name, m.planned_on, m.done_on,
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
