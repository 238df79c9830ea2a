"""The shared Excel writer (portfolio.exports): formula escaping in one place, cached values of
formulas, number formats, print setup and the download headers."""
import datetime as dt
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote
from zipfile import ZipFile

import pytest

from portfolio import exports
from portfolio.exports import (DATE, MONEY, RATE, TOTAL, CachedFormula, Column, WorkbookWriter,
                               content_disposition, xlsx_response)
from projects.models import Project
from tests import factories
from tests.xlsx import download, workbooks
from tests.xlsx import formulas as xlsx_formulas
from tests.xlsx import values as xlsx_values

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def build(rows, **sheet_kwargs):
    book = WorkbookWriter()
    sheet = book.sheet("表", [Column("名称", width=30), Column("金额", kind=MONEY), Column("比率", kind=RATE),
                             Column("日期", kind=DATE)], heading="测试表", **sheet_kwargs)
    for row in rows:
        sheet.write(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_user_text_that_looks_like_a_formula_is_stored_as_text():
    content = build([[text, Decimal("1"), None, None] for text in HOSTILE] + [["普通文本", None, None, None]])
    formulas = xlsx_formulas(content)
    ws = formulas["表"]
    cells = [ws.cell(row, 1) for row in range(4, 4 + len(HOSTILE))]
    # the text itself is unchanged (XML reads a carriage return back as a line feed)
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in HOSTILE]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert ws.cell(4 + len(HOSTILE), 1).quotePrefix is False
    sheet_xml = ZipFile(BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula element anywhere


def test_a_formula_of_ours_keeps_its_cached_value():
    book = WorkbookWriter()
    sheet = book.sheet("表", [Column("名称"), Column("金额", kind=MONEY)], heading="t")
    sheet.write(["a", Decimal("2.50")])
    sheet.write(["合计", CachedFormula("=SUBTOTAL(9,B4:B4)", Decimal("2.50"))], style=TOTAL)
    out = BytesIO()
    book.save(out)
    formulas, values = workbooks(out.getvalue())
    assert formulas["表"]["B5"].value == "=SUBTOTAL(9,B4:B4)"
    assert values["表"]["B5"].value == 2.5


def test_number_formats_dates_and_layout():
    content = build([["x", Decimal("1234.5"), Decimal("0.1234"), dt.date(2020, 3, 1)]], paper=exports.PAPER_A3)
    formulas = xlsx_formulas(content)
    ws = formulas["表"]
    assert ws["A1"].value == "测试表" and "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["D2"].value == "单位：万元"
    assert [c.value for c in ws[3]] == ["名称", "金额", "比率", "日期"]
    money, rate, date = ws["B4"], ws["C4"], ws["D4"]
    assert (money.value, money.number_format) == (1234.5, "#,##0.00")
    assert (rate.value, rate.number_format) == (0.1234, "0.0%")
    assert date.value == dt.datetime(2020, 3, 1) and date.number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["A"].width == 30
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert int(ws.page_setup.paperSize) == 8 and ws.page_setup.orientation == "landscape"


def test_content_disposition_carries_the_chinese_name():
    header = content_disposition("望城区重点项目投资进度_2020年1-12月.xlsx", "district-2020-12.xlsx")
    plain, star = header.split("; filename*=")
    assert plain == 'attachment; filename="district-2020-12.xlsx"'
    assert star.startswith("UTF-8''") and unquote(star[7:]) == "望城区重点项目投资进度_2020年1-12月.xlsx"
    assert "望" not in header  # headers stay ASCII


def test_stream_does_not_cache_the_queryset(db):
    for _ in range(5):
        factories.project()
    qs = Project.objects.all()
    assert len(list(exports.stream(qs, chunk_size=2))) == 5
    assert qs._result_cache is None


def test_response_streams_from_a_file():
    book = WorkbookWriter()
    book.sheet("表", [Column("名称")], heading="t").write(["甲"])
    response = xlsx_response(book, "表格.xlsx")
    assert response.streaming
    values = xlsx_values(download(response))
    assert values["表"]["A4"].value == "甲"
    assert response["Content-Disposition"].startswith('attachment; filename="')


@pytest.mark.parametrize("value,expected", [(True, "是"), (False, "否")])
def test_booleans_read_as_chinese(value, expected):
    content = build([[value, None, None, None]])
    assert xlsx_values(content)["表"]["A4"].value == expected


def test_wrapped_text_gets_the_rows_it_needs_and_codes_stay_on_one_line():
    """Printing must not overprint: a long name wraps and its row is as high as its lines; a
    project code is one line in a column wide enough for it."""
    book = WorkbookWriter()
    code = "2020-430112-48-01-100703"
    sheet = book.sheet("表", [Column("项目代码", kind=exports.CODE, width=exports.width_for(exports.CODE)),
                             Column("项目名称", kind=exports.NAME, width=12)], heading="t")
    sheet.write([code, "金星大道（滨水四医院院区）地下通道工程"])  # 20 characters: 40 units in a 12-wide column
    sheet.write([code, "金峰路"])
    out = BytesIO()
    book.save(out)
    formulas = xlsx_formulas(out.getvalue())
    ws = formulas["表"]
    assert ws.column_dimensions["A"].width >= len(code) + 2 and not ws["A4"].alignment.wrap_text
    assert ws["B4"].alignment.wrap_text
    assert ws.row_dimensions[4].height == 4 * 13.5 + 3  # 40 units in lines of 10.5
    assert ws.row_dimensions[5].height is None  # one line: the default height


def test_a_row_of_long_text_is_at_most_as_tall_as_excel_allows():
    """A 2000-character 形象进度 wraps to over a hundred lines of a 30-wide column: the row is
    Excel's tallest (409 points), not the ~1,900 points Excel cannot show; the cell keeps every
    character."""
    text = "路基施工完成" * 333
    formulas = xlsx_formulas(build([[text, None, None, None], ["短", None, None, None]]))
    ws = formulas["表"]
    assert ws["A4"].value == text
    assert ws.row_dimensions[4].height == 409
    assert ws.row_dimensions[5].height is None


def test_control_characters_xml_cannot_hold_are_dropped():
    content = build([["说明\x0b第二段\x01", None, None, None]], unit="单位\x02：万元")
    formulas = xlsx_formulas(content)
    assert formulas["表"]["A4"].value == "说明第二段"


CELL_VALUES = [
    None, "", "普通文本", " 前后空格 ", "   ", "a < b > c & d", "甲\r\n乙\r丙\n丁", "说明\x0b第二段", "😀 表情",
    "=SUM(A1)", "＝全角", True, False, 0, -1, 12345678901234567, 1.5, 0.1 + 0.2, Decimal("1234.50"), Decimal("-0.001"),
    dt.date(2020, 3, 1), dt.date(1900, 2, 1), dt.datetime(2020, 3, 1, 12, 30), CachedFormula("=SUBTOTAL(9,G4:G20)", None),
    CachedFormula("=SUBTOTAL(9,G4:G20)", Decimal("2.50")), CachedFormula("=IF(A1<>\"\",1,0)&\"\"", 1),
]


@pytest.mark.parametrize("kind,style", [(exports.TEXT, exports.DATA), (MONEY, exports.HIGHLIGHT),
                                        (DATE, TOTAL), (exports.NAME, exports.GROUP)])
def test_the_fast_cell_writer_writes_what_openpyxl_writes(kind, style):
    """SheetWriter.write writes each cell's XML itself (issue 19: the workbook's speed); for every kind
    of value it must be, byte for byte, what openpyxl's own cell writer makes of the ``make_cell`` cell —
    except text that looks like a formula, which is left to that path (quote prefix)."""
    from django.utils.translation import gettext_lazy

    from portfolio.exports._xlsx import cell_xml as _cell_xml, generic_cell_xml as _generic_cell_xml

    book = WorkbookWriter()
    sheet = book.sheet("表", [Column("a")], heading="t")
    proto = book.prototype(sheet.ws, kind, style)
    for value in CELL_VALUES + [gettext_lazy("项目")]:
        ours = _cell_xml(sheet.ws, "C7", value, proto)
        if exports.looks_like_formula(value) and not isinstance(value, CachedFormula):
            assert ours is None
        else:  # the row is encoded as the file is: ASCII, other characters as references
            assert ours.encode("ascii", "xmlcharrefreplace").decode() == _generic_cell_xml(sheet.ws, "C7", value, proto)


def test_a_sheet_of_every_kind_of_value_reads_back_as_written():
    """The rows written as text (values, styles, quote prefixes, cached values, heights) read back
    by openpyxl as the values and styles of their columns."""
    book = WorkbookWriter()
    sheet = book.sheet("表", [Column("名称", kind=exports.NAME, width=10), Column("金额", kind=MONEY),
                             Column("日期", kind=DATE)], heading="t")
    for value in CELL_VALUES:
        sheet.write([value, Decimal("1.25"), dt.date(2021, 1, 2)], style=exports.HIGHLIGHT if value == "" else exports.DATA)
    out = BytesIO()
    book.save(out)
    formulas, values = workbooks(out.getvalue())
    ws, wv = formulas["表"], values["表"]
    for row, value in enumerate(CELL_VALUES, start=4):
        a = ws.cell(row, 1)
        assert (ws.cell(row, 2).value, ws.cell(row, 2).number_format) == (1.25, "#,##0.00")
        assert ws.cell(row, 3).value == dt.datetime(2021, 1, 2) and ws.cell(row, 3).number_format == "yyyy-mm-dd"
        assert a.font.name == "宋体" and a.border.left.style == "thin" and a.alignment.wrap_text
        assert a.quotePrefix == (exports.looks_like_formula(value) and not isinstance(value, CachedFormula))
        assert (a.fill.fgColor.rgb == "00FFC7CE") == (value == "")
        if isinstance(value, CachedFormula):
            assert a.value == value
            assert wv.cell(row, 1).value == (None if value.cached is None else pytest.approx(float(value.cached)))
    assert ws["A7"].value == " 前后空格 " and ws["A8"].value == "   " and ws["A9"].value == "a < b > c & d"
    assert ws["A10"].value == "甲\n乙\n丙\n丁" and ws.row_dimensions[10].height > 13.5 * 2
    assert ws["A11"].value == "说明第二段" and ws["A12"].value == "😀 表情"
    assert ws["A13"].value == "=SUM(A1)" and ws["A13"].data_type == "s"
    assert [ws.cell(r, 1).value for r in (15, 16, 17)] == ["是", "否", 0]
    assert ws["A23"].value == -0.001 and ws["A24"].value == 43891  # a date in a text column: its serial number
    assert ws.row_dimensions[6].height is None  # "普通文本": 8 units, one line in a 10-wide column


@pytest.mark.slow  # starts an interpreter
def test_loading_the_urls_does_not_import_openpyxl():
    """openpyxl (and lxml, python-docx, the open-data validator) are imported by the downloads that
    use them, not by every process that loads the URL conf: a fresh interpreter, as a worker starts."""
    import os
    import subprocess
    import sys

    code = ("import sys, django; django.setup(); import portfolio.urls; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} "
            "& {'openpyxl', 'lxml', 'et_xmlfile', 'docx', 'libcove', 'libcoveoc4ids', 'flattentool'})))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portfolio.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_the_writer_drops_the_control_characters_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from portfolio.exports.writer import XML_ILLEGAL_RE

    assert XML_ILLEGAL_RE.pattern.startswith(ILLEGAL_CHARACTERS_RE.pattern + "|")
