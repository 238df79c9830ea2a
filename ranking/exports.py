"""The 红黑榜 sheet of the district workbook (``portfolio.workbook``): the month's two rankings
as the page shows them (``ranking.selectors.monthly_ranking``) — same rows, same order, the
components' scores in the cells (one decimal, as on the page) and the figures behind them in 说明; 红榜 rows
red, 黑榜 rows grey."""
from portfolio.exports import AREA, COUNT, DATA, HIGHLIGHT, PAPER_A4, SUBTOTAL, TEXT, Column
from portfolio.numbers import round_half_up
from projects.scoring import TOTAL_PLACES

from . import rules
from .selectors import AREAS, RED, UNITS, monthly_ranking

SHEET_TITLE = "红黑榜"


def _columns(subject):
    return [Column("名次", kind=COUNT, width=6), Column("榜单", width=9), Column(subject, width=30),
            *[Column(str(rules.LABELS[k]), kind=AREA, width=9) for k in rules.WEIGHTS],
            Column("总分", kind=AREA, width=9), Column("说明", width=70)]


def write_ranking(book, period, heading, ranking=None):
    """Append the 红黑榜 sheet for ``period`` to ``book`` (a ``WorkbookWriter``)."""
    ranking = ranking or monthly_ranking(period=period)
    weights = " + ".join(f"{rules.LABELS[k]}×{w}" for k, w in rules.WEIGHTS.items())
    sheet = book.sheet(SHEET_TITLE, _columns("片区"), heading=f"{heading}红黑榜（截至{period.month}月末）",
                       unit=f"总分 = {weights}（各项0–100分，无可评内容的项不计）", paper=PAPER_A4, freeze_column=4)
    for kind, subject in ((AREAS, "片区"), (UNITS, "责任单位")):
        if kind == UNITS:
            sheet.section("责任单位排名", _columns(subject))
        for row in ranking[kind]:
            if row.exemption is not None:
                sheet.write([None, "免于排名", row.name, *[None] * len(rules.WEIGHTS), None,
                             f"理由：{row.exemption.reason}"], kinds=[TEXT] * (len(rules.WEIGHTS) + 5))
                continue
            details = "；".join(f"{c.label}：{c.detail}" for c in row.component_list())
            sheet.write([row.rank, str(row.board_label), row.name,
                         *[round_half_up(c.score, TOTAL_PLACES) for c in row.component_list()],
                         round_half_up(row.total, TOTAL_PLACES),
                         details], style=HIGHLIGHT if row.board == RED else SUBTOTAL if row.board else DATA)
