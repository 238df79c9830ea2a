"""The district workbook's 合同与支付 and 统计对账 sheets (``portfolio.workbook`` calls these): the
rows of this app's list selectors, figures from ``contracts.selectors`` — laid out, never recomputed."""
from decimal import Decimal

from portfolio.exports import (COUNT, DATA, DATE, HIGHLIGHT, MONEY, PAPER_A3, RATE, TOTAL, CachedFormula, Column,
                               choice_labels, stream)
from portfolio.numbers import rate

from . import selectors
from .models import Contract


def _total(sheet, column_index, first_row, last_row, cached):
    """=SUBTOTAL(9, …) over a column's data rows, with the product's own total as its value."""
    if last_row < first_row:
        return cached
    letter = sheet.column_letter(column_index)
    return CachedFormula(f"=SUBTOTAL(9,{letter}{first_row}:{letter}{last_row})", cached)


def write_contracts(book, period, heading):
    """合同与支付: each contract of ``contracts_in_period`` at the period's end (现合同价, 累计完成产值,
    累计支付, 预警, 结算/审计/审减), then the contracts of the 资金支付审查 (``payment_review``)."""
    sheet = book.sheet("合同与支付", [
        Column("序号", kind=COUNT, width=6), Column("项目名称", width=28), Column("合同名称", width=30),
        Column("类型", width=6), Column("合同单位", width=26), Column("合同价", kind=MONEY),
        Column("已批准变更", kind=MONEY), Column("现合同价", kind=MONEY), Column("累计完成产值", kind=MONEY),
        Column("支付比例", kind=RATE), Column("累计支付", kind=MONEY), Column("支付占现合同价", kind=RATE),
        Column("预警", width=16), Column("结算", kind=MONEY), Column("审计", kind=MONEY), Column("审减", kind=MONEY),
    ], heading=f"{heading}合同与支付", unit=f"单位：万元；截至{period.end:%Y-%m-%d}；现合同价 = 合同价 + 已批准变更",
        paper=PAPER_A3, freeze_column=3)
    qs = selectors.contracts_in_period(period=period).order_by("project__code", "signed_on", "id")
    first = sheet.next_row
    totals = {k: Decimal(0) for k in ("price", "approved", "current", "paid", "settled", "audited", "cut")}
    kinds = choice_labels(Contract, "kind")
    for i, c in enumerate(stream(qs), start=1):
        c = selectors.contract_rows([c])[0]
        cut = c.audit_cut
        for key, value in (("price", c.price), ("approved", c.approved_variations), ("current", c.current_price),
                           ("paid", c.paid_to_date), ("settled", c.settled_amount), ("audited", c.audited_amount),
                           ("cut", cut)):
            totals[key] += value or 0
        sheet.write([i, c.project.name, c.title, kinds.get(c.kind, c.kind), c.firm.name, c.price, c.approved_variations,
                     c.current_price, c.work_completed_to_date, c.progress_payment_ratio / 100, c.paid_to_date,
                     c.paid_share, "、".join(c.warning_labels), c.settled_amount, c.audited_amount, cut],
                    style=HIGHLIGHT if c.warnings else DATA)
    last = sheet.next_row - 1
    sheet.write([None, "合计", None, None, None,
                 _total(sheet, 5, first, last, totals["price"]), _total(sheet, 6, first, last, totals["approved"]),
                 _total(sheet, 7, first, last, totals["current"]), None, None,
                 _total(sheet, 10, first, last, totals["paid"]), rate(totals["paid"], totals["current"]), None,
                 _total(sheet, 13, first, last, totals["settled"]), _total(sheet, 14, first, last, totals["audited"]),
                 _total(sheet, 15, first, last, totals["cut"])], style=TOTAL)

    sheet.section("资金支付审查（超进度支付、超合同价支付）", [
        Column("序号", kind=COUNT), Column("项目名称"), Column("合同名称"), Column("类型"), Column("合同单位"),
        Column("现合同价", kind=MONEY), Column("累计完成产值", kind=MONEY), Column("支付比例", kind=RATE),
        Column("允许支付", kind=MONEY), Column("累计支付", kind=MONEY), Column("预警"),
    ])
    review = selectors.payment_review(period=period).order_by("project__code", "signed_on", "id")
    for i, c in enumerate(selectors.contract_rows(review), start=1):
        sheet.write([i, c.project.name, c.title, kinds.get(c.kind, c.kind), c.firm.name, c.current_price,
                     c.work_completed_to_date, c.progress_payment_ratio / 100, c.allowed_to_date, c.paid_to_date,
                     "、".join(c.warning_labels)], style=HIGHLIGHT)


def write_reconciliation(book, period, heading):
    """统计对账: the year's plan projects with 调度, 统计 and payments (``reconciliation_entries``), the
    gaps above ``settings.RECONCILIATION_GAP_WAN`` highlighted; then the 开工未入库 projects."""
    threshold = selectors.gap_threshold()
    sheet = book.sheet("统计对账", [
        Column("序号", kind=COUNT, width=6), Column("项目代码", width=24), Column("项目名称", width=28),
        Column("片区", width=7), Column("入库日期", kind=DATE), Column("调度本月", kind=MONEY),
        Column("调度累计", kind=MONEY), Column("统计本月", kind=MONEY), Column("统计累计", kind=MONEY),
        Column("调度−统计", kind=MONEY), Column("支付本月", kind=MONEY), Column("支付累计", kind=MONEY),
        Column("状态", width=12),
    ], heading=f"{heading}调度、统计与支付对账", paper=PAPER_A3, freeze_column=3,
        unit=f"单位：万元；累计为{period.label}；调度与统计累计相差超过{threshold}万元标红")
    first = sheet.next_row
    sums = {k: Decimal(0) for k in ("dm", "dt", "sm", "st", "gap", "pm", "pt")}
    # plain rows, not model instances (three per entry: entry, project, area)
    rows = selectors.reconciliation_entries(period=period).values_list(
        "project__code", "project__name", "project__area__name", "registered_on", "dispatch_in_month",
        "dispatch_to_date", "statistics_in_month", "statistics_to_date", "gap", "paid_in_month", "paid_to_date",
        named=True)
    for i, e in enumerate(stream(rows), start=1):
        flagged = selectors.reconciliation_flagged(e, threshold)
        for key, value in (("dm", e.dispatch_in_month), ("dt", e.dispatch_to_date), ("sm", e.statistics_in_month),
                           ("st", e.statistics_to_date), ("gap", e.gap), ("pm", e.paid_in_month),
                           ("pt", e.paid_to_date)):
            sums[key] += value
        status = "差异超限" if flagged else ("未入库" if e.registered_on is None else "")
        sheet.write([i, e.project__code, e.project__name, e.project__area__name, e.registered_on, e.dispatch_in_month,
                     e.dispatch_to_date, e.statistics_in_month, e.statistics_to_date, e.gap, e.paid_in_month,
                     e.paid_to_date, status], style=HIGHLIGHT if flagged else DATA)
    last = sheet.next_row - 1
    sheet.write([None, None, "合计", None, None, *[_total(sheet, col, first, last, sums[key]) for col, key in
                                                  zip(range(5, 12), ("dm", "dt", "sm", "st", "gap", "pm", "pt"))]],
                style=TOTAL)

    sheet.section("开工未入库项目", [
        Column("序号", kind=COUNT), Column("项目代码"), Column("项目名称"), Column("片区"), Column("实际开工", kind=DATE),
    ])
    rows = selectors.started_unregistered(period=period).values_list(
        "project__code", "project__name", "project__area__name", "project__actual_start")
    for i, (code, name, area, actual_start) in enumerate(stream(rows), start=1):
        sheet.write([i, code, name, area, actual_start])
