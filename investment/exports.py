"""The month's Excel template (下载模板) and the layout the upload reads back.

Written by the one writer (``portfolio.exports.writer``): sheet ``2020年12月`` — row 1 title,
row 2 a short note, row 3 header, data from row 4 — then the sheet 填报说明 (what to fill, units,
rules, how the upload checks). Only the yellow input columns are unlocked; the sheet is protected
without a password (it guards against slips, not against intent — the upload checks every row
anyway) and the input columns carry data validation. The version and fingerprint columns are
hidden and locked: they let the upload tell a row the user changed from one someone else changed
since the download.
"""

from portfolio.exports.reader import MB, Limits, read_sheet
from portfolio.exports.responses import download_name
from portfolio.exports.writer import (CODE, COUNT, DECIMAL, FIRST_DATA_ROW, HEADER_ROW, MONEY, NAME, TEXT,
                                      TITLE_ROW, UNIT_ROW, Column, WorkbookWriter)

from .services import progress_fingerprint

NOTE_ROW = UNIT_ROW
INSTRUCTIONS_SHEET = "填报说明"

COLUMNS = [
    # key, header, kind, width, role ("input": the user fills it in; "hidden": a technical key)
    ("code", "项目代码", CODE, 26, None),
    ("name", "项目名称", NAME, 30, None),
    ("area", "片区", TEXT, 8, None),
    ("year", "年度", COUNT, 7, None),
    ("month", "月份", COUNT, 6, None),
    ("target", "年度计划投资（万元）", MONEY, 16, None),
    ("completed_before", "上月末累计完成（万元）", MONEY, 16, None),
    ("completed", "本月完成投资（万元）", MONEY, 16, "input"),
    ("physical_percent", "形象进度（%）", DECIMAL, 10, "input"),
    ("physical_progress", "形象进度", TEXT, 36, "input"),
    ("problems", "存在问题", TEXT, 36, "input"),
    ("version", "版本", COUNT, 6, "hidden"),
    ("fingerprint", "校验码", TEXT, 18, "hidden"),
]
COLUMN_INDEX = {key: i for i, (key, *_rest) in enumerate(COLUMNS, start=1)}
TITLES = {key: title for key, title, *_rest in COLUMNS}
INPUT_KEYS = tuple(key for key, *_r, role in COLUMNS if role == "input")
HIDDEN_KEYS = tuple(key for key, *_r, role in COLUMNS if role == "hidden")

NOTE = ("只填写浅黄色列（本月完成投资、形象进度%、形象进度、存在问题），金额单位：万元；其余列已锁定，"
        "隐藏列（版本、校验码）请勿改动。详细规则见工作表“填报说明”。")


def instructions(*, scope, year, month):
    """The lines of the 填报说明 sheet: (label, text)."""
    return [
        ("填报范围", f"{scope}{year}年{month}月的重点项目月度进度，每行一个项目；行由系统按年度计划生成，"
                 "请勿增删行或调整行序。"),
        ("填写哪些列", "只填写浅黄色的四列：本月完成投资（万元）、形象进度（%）、形象进度、存在问题。"
                  "项目代码、项目名称、片区、年度、月份、年度计划投资和上月末累计完成已锁定，仅供参考。"),
        ("单位", "金额一律以万元为单位，最多保留2位小数（如 123.45）；形象进度（%）填0到100之间的数字，不带%号。"),
        ("本月完成投资", "必须是数字，不能填文字，不能为负数；本月没有投资请填0。已经填报过的行不能清空。"
                    "超过项目剩余总投资（总投资减去其他月份累计）的金额上传时不予保存，"
                    "如确属实请在网页填报页面勾选“确认超额”后保存。"),
        ("形象进度（%）", "低于此前已填报的百分比时，必须在“存在问题”中说明原因。"),
        ("形象进度、存在问题", "文字说明，每格不超过2000字。"),
        ("隐藏列", "“版本”和“校验码”两列已隐藏并锁定，请勿取消隐藏或改动：系统据此判断下载后该行是否被他人修改过，"
                "他人修改过的行不会被覆盖。"),
        ("工作表保护", "工作表已保护（没有密码），只为防止误改锁定的列；可以调整列宽和行高。"),
        ("上传", "填好后在“月度填报”页面点“上传”。系统一次检查所有行，列出每一处错误（行号、列名、原因）；"
               "只要有一处错误，整个文件一行也不保存，改正后重新上传即可。重复上传同一文件不会产生变化。"),
        ("月份", "只能上传本表所属月份的页面；未到的月份和已锁定的月份不能填报，如需更正已锁定月份请联系管理员解锁。"),
    ]


def template_filename(*, scope, year, month):
    """``南片_2020年12月_月度进度填报.xlsx`` (``scope``: the areas the template covers, 全区 for all)."""
    return download_name(scope, f"{year}年{month}月", "月度进度填报")


def month_template(*, year, month, rows, scope="全区"):
    """The template for ``rows`` (``selectors.MonthRow``) as a ``WorkbookWriter`` (``.to_bytes()``,
    or ``xlsx_response``); ``scope`` names the areas it covers in the instructions."""
    from openpyxl.worksheet.datavalidation import DataValidation  # openpyxl: imported with the first workbook

    book = WorkbookWriter()
    columns = [Column(title, key, kind, width, hidden=role == "hidden", editable=role == "input")
               for key, title, kind, width, role in COLUMNS]
    sheet = book.sheet(sheet_title(year, month), columns, heading=f"{year}年{month}月重点项目月度进度填报表",
                       note=NOTE, freeze_column=COLUMN_INDEX["target"])
    for row in rows:
        p = row.progress
        sheet.write_objects([{
            "code": row.project.code, "name": row.project.name, "area": row.project.area.name,
            "year": year, "month": month, "target": row.entry.target,
            "completed_before": row.completed_before,
            "completed": p.completed if p else None,
            "physical_percent": p.physical_percent if p else None,
            "physical_progress": p.physical_progress if p else None,
            "problems": p.problems if p else None,
            "version": p.version if p else 0,
            "fingerprint": progress_fingerprint(p),
        }])
    amount = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="本月完成投资",
                            error="请填写不小于0的数字（万元）。")
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                             allow_blank=True, showErrorMessage=True, errorTitle="形象进度",
                             error="请填写0到100之间的数字。")
    sheet.validate(COLUMN_INDEX["completed"] - 1, amount)
    sheet.validate(COLUMN_INDEX["physical_percent"] - 1, percent)
    sheet.protect()
    book.text_sheet(INSTRUCTIONS_SHEET, f"{year}年{month}月重点项目月度进度填报说明",
                    instructions(scope=scope, year=year, month=month))
    return book


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
    return titles == [title for _key, title, *_rest in COLUMNS]


def data_rows(rows):
    """(sheet row number, {key: cell value}) for every row below the header that holds a value."""
    for number in sorted(n for n in rows if n >= FIRST_DATA_ROW):
        values = rows[number]
        yield number, {key: values[i] for i, (key, *_rest) in enumerate(COLUMNS)}
