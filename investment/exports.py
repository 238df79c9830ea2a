"""The month's Excel template (下载模板) and the layout the upload reads back.

Layout of sheet 1: row 1 title, row 2 instructions, row 3 header, data from row 4. Project code,
name and the figures are locked (sheet protection without a password: it guards against slips,
not against intent — the upload checks every row anyway); input columns are unlocked and carry
data validation. Version and fingerprint columns are hidden: they let the upload tell a row the
user changed from one someone else changed since the download.
"""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portfolio.exports import looks_like_formula
from portfolio.exports.reader import MB, Limits, read_sheet

from .services import progress_fingerprint

TITLE_ROW, INSTRUCTION_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4

COLUMNS = [
    ("code", "项目代码", 26),
    ("name", "项目名称", 30),
    ("area", "片区", 8),
    ("year", "年度", 7),
    ("month", "月份", 6),
    ("target", "年度计划投资（万元）", 14),
    ("completed_before", "上月末累计完成（万元）", 14),
    ("completed", "本月完成投资（万元）", 14),
    ("physical_percent", "形象进度（%）", 10),
    ("physical_progress", "形象进度", 36),
    ("problems", "存在问题", 36),
    ("version", "版本", 6),
    ("fingerprint", "校验码", 18),
]
COLUMN_INDEX = {key: i for i, (key, _title, _w) in enumerate(COLUMNS, start=1)}
INPUT_KEYS = ("completed", "physical_percent", "physical_progress", "problems")
HIDDEN_KEYS = ("version", "fingerprint")

INSTRUCTIONS = (
    "填写说明：只填写浅黄色列（本月完成投资、形象进度%、形象进度、存在问题），其余列已锁定请勿修改；"
    "本月完成投资以万元为单位、不能为负数，本月无投资请填0；形象进度%填0到100之间的数字，"
    "低于此前填报值时须在“存在问题”中说明原因；不要增删列，不要修改项目代码；"
    "填好后在“月度填报”页面点“上传”。"
)

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def set_text(cell, value):
    """Write a string so that Excel never evaluates it (formula injection): a value that looks like
    a formula is stored as a string cell with Excel's quote prefix; the text itself is unchanged,
    so reading the file back gives the same string."""
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def month_template(*, year, month, rows):
    """The template for ``rows`` (``selectors.MonthRow``) as .xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(year, month)
    last = get_column_letter(len(COLUMNS))
    set_text(ws.cell(TITLE_ROW, 1), f"{year}年{month}月重点项目月度进度填报表")
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    set_text(ws.cell(INSTRUCTION_ROW, 1), INSTRUCTIONS)
    ws.cell(INSTRUCTION_ROW, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A{INSTRUCTION_ROW}:{last}{INSTRUCTION_ROW}")
    ws.row_dimensions[INSTRUCTION_ROW].height = 60
    for index, (key, title, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, index)
        set_text(cell, title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
        ws.column_dimensions[get_column_letter(index)].width = width
        if key in HIDDEN_KEYS:
            ws.column_dimensions[get_column_letter(index)].hidden = True

    for number, row in enumerate(rows, start=FIRST_DATA_ROW):
        p = row.progress
        values = {
            "code": row.project.code, "name": row.project.name, "area": row.project.area.name,
            "year": year, "month": month, "target": row.entry.target,
            "completed_before": row.completed_before,
            "completed": p.completed if p else None,
            "physical_percent": p.physical_percent if p else None,
            "physical_progress": p.physical_progress if p else None,
            "problems": p.problems if p else None,
            "version": p.version if p else 0,
            "fingerprint": progress_fingerprint(p),
        }
        for key, value in values.items():
            cell = ws.cell(number, COLUMN_INDEX[key])
            set_text(cell, float(value) if hasattr(value, "as_tuple") else value)
            if key in INPUT_KEYS:
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
                if key in ("physical_progress", "problems"):
                    cell.alignment = Alignment(wrap_text=True)
            if key in ("target", "completed_before", "completed", "physical_percent"):
                cell.number_format = "0.00"

    last_row = max(FIRST_DATA_ROW, FIRST_DATA_ROW + len(rows) - 1)
    amount = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="本月完成投资",
                            error="请填写不小于0的数字（万元）。")
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                             allow_blank=True, showErrorMessage=True, errorTitle="形象进度",
                             error="请填写0到100之间的数字。")
    for validation, key in ((amount, "completed"), (percent, "physical_percent")):
        col = get_column_letter(COLUMN_INDEX[key])
        validation.add(f"{col}{FIRST_DATA_ROW}:{col}{last_row}")
        ws.add_data_validation(validation)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, COLUMN_INDEX["target"])
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let users widen columns
    ws.protection.formatRows = False
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_title(year, month):
    """The template's sheet name; the upload reads the sheet of this name and no other."""
    return f"{year}年{month}月"


def read_upload(upload, *, year, month, data_rows):
    """The template's sheet of an uploaded file as {sheet row: [cell values]}, bounded by
    ``data_rows`` (the rows this upload can need). Raises ``UnreadableWorkbook``."""
    max_row = HEADER_ROW + data_rows
    part = min(64 * MB, 1 * MB + max_row * 16 * 1024)  # a row: 13 cells, two texts of ≤ 2000 characters
    limits = Limits(max_row=max_row, max_part_bytes=part, max_total_bytes=2 * part + 1 * MB,
                    max_shared_strings=max_row * len(COLUMNS) + 100, max_cells=max_row * 4 * len(COLUMNS))
    upload.seek(0)
    return read_sheet(upload, sheet_name=sheet_title(year, month), limits=limits, max_column=len(COLUMNS))


def header_matches(rows):
    titles = [None if v is None else str(v).strip() for v in rows.get(HEADER_ROW, ())]
    return titles == [title for _key, title, _w in COLUMNS]


def data_rows(rows):
    """(sheet row number, {key: cell value}) for every row below the header that holds a value."""
    for number in sorted(n for n in rows if n >= FIRST_DATA_ROW):
        values = rows[number]
        yield number, {key: values[i] for i, (key, _t, _w) in enumerate(COLUMNS)}
