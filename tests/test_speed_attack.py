"""Attacks on this session's speed changes: the Excel writer's cells written as XML text
(portfolio/exports/writer.py) with hostile text; each test checks what a user opening the file
sees."""
from decimal import Decimal

from tests.test_exports import build
from tests.xlsx import workbooks


def test_text_xml_cannot_hold_is_dropped_and_the_file_still_opens():
    """U+FFFE, U+FFFF (a name pasted from another program, a crafted ?q=%EF%BF%BF) are characters
    XML 1.0 cannot hold, as the control characters: written as &#65535; the whole workbook was
    unreadable (Excel: "发现不可读取的内容"; openpyxl: invalid character number)."""
    content = build([["南片\uffff一号路\ufffe", Decimal("1"), None, None]], unit="单位\uffff：万元")
    formulas, _values = workbooks(content)
    assert formulas["表"]["A4"].value == "南片一号路"


def test_a_formula_behind_a_control_character_keeps_its_quote_prefix():
    """The control character is dropped, so the cell shows text starting with = / + / - / @: it must
    get the quote prefix like any such text (else editing the cell in Excel runs the formula)."""
    hostile = ['\x01=HYPERLINK("http://x","点击")', "\x0b+1+2", "\x02\x03-2+3", "\x1f@SUM(A1)"]
    content = build([[text, None, None, None] for text in hostile])
    formulas, _values = workbooks(content)
    cells = [formulas["表"].cell(row, 1) for row in range(4, 4 + len(hostile))]
    assert [c.value for c in cells] == [t.lstrip("\x01\x02\x03\x0b\x1f") for t in hostile]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


FUSED = ("land", "preliminary_done", "tenders", "funding", "savings", "local_branches", "resumption", "starts")


def test_a_compiled_statement_gives_each_period_its_own_figures(demo_2020):
    """portfolio.fused keeps one compiled statement per period: asked for March, December, then
    March again, each period gets the figures a statement built afresh for it gives."""
    from portfolio import fused
    from portfolio.numbers import Period
    from portfolio.selectors import report_figures

    march, december = Period(2020, 3), Period(2020, 12)
    fresh = {}
    for period in (march, december):
        fused._COMPILED.clear()
        figures = report_figures(period=period)
        fresh[period] = {name: figures[name] for name in FUSED}
    assert fresh[march] != fresh[december]
    fused._COMPILED.clear()
    for period in (march, december, march, december):
        figures = report_figures(period=period)
        assert {name: figures[name] for name in FUSED} == fresh[period]
    assert len(fused._COMPILED) == 2
