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
    formulas, _values = workbooks(content)
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
    formulas, _values = workbooks(content)
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
    _f, values = workbooks(download(response))
    assert values["表"]["A4"].value == "甲"
    assert response["Content-Disposition"].startswith('attachment; filename="')


@pytest.mark.parametrize("value,expected", [(True, "是"), (False, "否")])
def test_booleans_read_as_chinese(value, expected):
    content = build([[value, None, None, None]])
    assert workbooks(content)[1]["表"]["A4"].value == expected


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
    formulas, _values = workbooks(out.getvalue())
    ws = formulas["表"]
    assert ws.column_dimensions["A"].width >= len(code) + 2 and not ws["A4"].alignment.wrap_text
    assert ws["B4"].alignment.wrap_text
    assert ws.row_dimensions[4].height == 4 * 13.5 + 3  # 40 units in lines of 10.5
    assert ws.row_dimensions[5].height is None  # one line: the default height


def test_control_characters_xml_cannot_hold_are_dropped():
    content = build([["说明\x0b第二段\x01", None, None, None]], unit="单位\x02：万元")
    formulas, _values = workbooks(content)
    assert formulas["表"]["A4"].value == "说明第二段"
