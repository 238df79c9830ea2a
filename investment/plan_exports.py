"""The plan table (年度计划表) as Excel: the template an administrator downloads — the roll-forward
already filled in, target to be set — written by the one writer, and the reading of the filled
table with the bounded reader the month upload uses.

Layout (the writer's): row 1 title, row 2 unit line, row 3 header, data from row 4. The sheet is
named ``2021年计划``; the upload reads that sheet and no other.
"""
from portfolio.exports.reader import MB, Limits, read_sheet
from portfolio.exports.writer import DATE, FIRST_DATA_ROW, HEADER_ROW, MONEY, TEXT, Column, WorkbookWriter

from projects.models import PlanCategory

from .plan_services import COLUMNS

MAX_ROWS = 2000
"""Rows a plan table may have (the district's plan has about 60)."""

KINDS = {"target": MONEY, "planned_start": DATE, "planned_finish": DATE}
WIDTHS = {"code": 26, "name": 36, "category": 9, "is_municipal_key": 7, "target": 14,
          "planned_start": 12, "planned_finish": 12, "owner_unit": 28, "area": 8}


def sheet_title(year):
    return f"{year}年计划"


def plan_template(*, year, proposals):
    """A WorkbookWriter holding the template, one row per roll-forward proposal."""
    book = WorkbookWriter()
    columns = [Column(str(title), key, KINDS.get(key, TEXT), WIDTHS[key]) for key, title in COLUMNS]
    sheet = book.sheet(sheet_title(year), columns, heading=f"{year}年重点项目年度投资计划表",
                       unit="类别：续建/新建/预备/社会监管/储备；市重大：是/否；单位：万元")
    for proposal in proposals:
        row = proposal.as_row()
        sheet.write([row.code, row.name, _label(row.category), "是" if row.is_municipal_key else "否", None, row.planned_start, row.planned_finish,
                     row.owner_unit, row.area])
    return book


def _label(category):
    return str(PlanCategory(category).label)


def read_plan(upload, *, year):
    """{sheet row: [cell values]} of the plan sheet. Raises ``UnreadableWorkbook``."""
    max_row = HEADER_ROW + MAX_ROWS
    part = min(64 * MB, 1 * MB + max_row * 4 * 1024)
    limits = Limits(max_row=max_row, max_part_bytes=part, max_total_bytes=2 * part + 1 * MB,
                    max_shared_strings=max_row * len(COLUMNS) + 100, max_cells=max_row * 4 * len(COLUMNS))
    upload.seek(0)
    return read_sheet(upload, sheet_name=sheet_title(year), limits=limits, max_column=len(COLUMNS))


def header_matches(rows):
    titles = [None if v is None else str(v).strip() for v in rows.get(HEADER_ROW, ())]
    return titles == [str(title) for _key, title in COLUMNS]


def data_rows(rows):
    """(sheet row, {key: cell value}) for every row below the header that holds a value."""
    for number in sorted(n for n in rows if n >= FIRST_DATA_ROW):
        yield number, {key: rows[number][i] for i, (key, _title) in enumerate(COLUMNS)}
