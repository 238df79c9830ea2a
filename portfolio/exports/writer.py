"""The one Excel writer every export uses: openpyxl write-only sheets laid out for print.

Why a small writer of our own instead of django-tables2's ``ExportMixin``: that builds the whole
workbook in memory, costs per cell and does not escape formulas. Here rows stream from
``queryset.iterator(chunk_size=…)`` into write-only worksheets (rows go to a temporary file as
they are written), styles are registered once and copied from prototype cells, user text is
escaped in one place (``cell_text``, ``_xlsx.make_cell``), and the finished file is served from a
temporary file (``responses.xlsx_response``).
Two small subclasses of openpyxl's write-only internals (``_xlsx.Sheet``, ``_xlsx._Writer``; openpyxl
is pinned to 3.1) write the sheet's XML to its file: the data rows as text made per cell from the
prototype's style index, the value's type and its text (``_xlsx.cell_xml``: no openpyxl ``Cell`` per
value — issue 19, the workbook took ~2.6× a bare openpyxl write-only workbook), the rest by
openpyxl's own serializers; formulas are written together with their cached values. The file is
the same, byte for byte, as openpyxl's writer made of the same cells (tests/test_exports.py;
``bench/workbook_dump.py compare`` for a whole workbook).

Layout of every sheet: row 1 title, row 2 unit line (单位：万元) or a note, row 3 header (frozen,
repeated on every printed page), data from row 4. Print setup: landscape, fit to page width, footer
"第 N 页 共 M 页".

A template to fill in (the month template) is the same kind of sheet with a few additions:
``Column(editable=True)`` cells are unlocked and yellow, ``Column(hidden=True)`` columns are hidden,
``SheetWriter.protect()`` locks everything else (no password: it guards against slips, the upload
checks every cell anyway), ``SheetWriter.validate()`` adds Excel's data validation to a column, and
``WorkbookWriter.text_sheet()`` writes an instructions sheet.

openpyxl and lxml are imported with the first workbook (``xlsx()``: the module ``_xlsx``), not
when this module is: every list view imports it, and so every process that loads the URLs.
"""
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

# the download of a file (named, streamed) lives in .responses; importable from here as before
from .responses import XLSX_CONTENT_TYPE, content_disposition, download_name, xlsx_response  # noqa: F401

TITLE_ROW, UNIT_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
CHUNK_SIZE = 2000

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""A cell text starting with one of these could be read as a formula by Excel or LibreOffice
(also when a user re-enters the cell or saves the sheet as CSV); the full-width forms too, which
a Chinese input method types and Excel may turn into their ASCII forms when the cell is edited."""

# Column kinds: how a value is shown.
TEXT, MONEY, RATE, COUNT, AREA, DATE, DAYS = "text", "money", "rate", "count", "area", "date", "days"
CODE, NAME, DECIMAL = "code", "name", "decimal"
"""Text kinds by width: a 项目代码 (never wrapped: ``YYYY-430112-XX-XX-XXXXXX`` on one line) and a
name (wide, wrapped). ``DECIMAL`` is a plain number with two decimals (形象进度 %)."""
NUMBER_FORMATS = {
    TEXT: "@",
    CODE: "@",
    NAME: "@",
    DECIMAL: "0.00",
    MONEY: "#,##0.00",  # 万元
    RATE: "0.0%",  # exact fraction, shown with one decimal
    "rate0": "0%",  # exact fraction, shown as a whole percent (the report's 145%, 69%)
    COUNT: "0",
    AREA: "#,##0.00",  # 亩
    DATE: "yyyy-mm-dd",
    DAYS: "0",
}
NUMERIC_KINDS = (MONEY, RATE, "rate0", COUNT, AREA, DAYS, DECIMAL)
TEXT_KINDS = (TEXT, CODE, NAME)

WIDTHS = {CODE: 26, NAME: 32, MONEY: 14, RATE: 9, "rate0": 9, COUNT: 8, AREA: 12, DATE: 12, DAYS: 8, DECIMAL: 10}
"""Column widths (in Excel's character units) by kind, wide enough to print without overprinting:
a national project code is 24 characters."""


LINE_HEIGHT = 13.5
"""Points per line of 10-point text: a row of wrapped text is this × its lines high."""


@functools.lru_cache(maxsize=None)
def _char_width(c):
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def text_width(text):
    """The width of ``text`` in Excel's column units: 2 for a wide (Chinese) character, 1 else."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


def _usable_width(width):
    """The units of a column ``width`` units wide that text fills (the rest is the cell's padding)."""
    return max(1.0, width - 1.5)


def lines_needed(text, width):
    """How many lines ``text`` wraps to in a column ``width`` units wide."""
    return _lines_in(text, _usable_width(width))


def _lines_in(text, usable):
    """How many lines ``text`` wraps to in ``usable`` units (a column's ``_usable_width``)."""
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


_lines_remembered = functools.lru_cache(maxsize=16384)(_lines_in)
"""``_lines_in`` remembered: the same names come back on many rows and sheets."""


MAX_ROW_HEIGHT = 409
"""Excel's tallest row (points): a taller ``ht`` is not a row Excel can show; the cell keeps its
whole text, which shows in the formula bar."""


def wrapped_height(lines):
    """The row height (points) that shows ``lines`` lines, at most Excel's ``MAX_ROW_HEIGHT``;
    None for one line (the default)."""
    return min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT) if lines > 1 else None


def width_for(kind, title=""):
    """The width of a column of ``kind`` whose header is ``title``: the kind's width, or for plain
    text the header's (two units per Chinese character) between 10 and 40."""
    if kind in WIDTHS:
        return max(WIDTHS[kind], min(40, len(str(title)) + 2)) if kind != NAME else WIDTHS[NAME]
    return max(10, min(40, 2 * len(str(title)) + 4))

# Row styles.
DATA, GROUP, SUBTOTAL, TOTAL, HIGHLIGHT = "data", "group", "subtotal", "total", "highlight"

PAPER_A3, PAPER_A4 = 8, 9  # ECMA-376 paperSize codes

FONT_NAME = "宋体"


XML_ILLEGAL_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]" "|[\ud800-\udfff\ufffe\uffff]")
"""openpyxl's control characters, plus what XML 1.0 cannot hold either: lone surrogates, U+FFFE, U+FFFF."""


def clean_text(value):
    """Text without the characters XML cannot hold (a vertical tab pasted from Word, a crafted
    ``?q=%01`` or ``%EF%BF%BF``): they would make the file unreadable — or the export fail."""
    value = str(value)
    return XML_ILLEGAL_RE.sub("", value) if XML_ILLEGAL_RE.search(value) else value


CELL_LIMIT = 32767
"""The most characters (UTF-16 units, as Excel counts them) a cell may hold: Excel "repairs" a
workbook with a longer text by dropping content."""
TRUNCATED = "…（已截断，全文见系统）"
"""The end of a text cut to ``CELL_LIMIT``: the reader sees it is not the whole text."""


def capped(value):
    """``value``, or when it is longer than a cell may hold, its beginning ending in ``TRUNCATED``
    (``CELL_LIMIT`` units in all). The records forms and the admin do not bound every text field
    (a 洽商活动's 说明, a contract's 合同范围, a project's 建设内容 …)."""
    if len(value) <= CELL_LIMIT // 2:  # short enough whatever its characters
        return value
    units = value.encode("utf-16-le")
    if len(units) <= 2 * CELL_LIMIT:
        return value
    keep = 2 * (CELL_LIMIT - len(TRUNCATED))
    return units[:keep].decode("utf-16-le", "ignore") + TRUNCATED  # "ignore": half a surrogate pair


def cell_text(value):
    """Text as a text cell holds it (``make_cell`` and ``_cell_xml`` alike): line ends as Excel's
    in-cell "\n" (the file then reads the same whether openpyxl writes with lxml, which keeps a "\r",
    or without), ``clean_text`` and ``capped``."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = clean_text(value)
    return capped(value) if len(value) > CELL_LIMIT // 2 else value  # no call for the usual text


def looks_like_formula(value):
    """Text that starts as a formula as written: also once ``clean_text`` has dropped a control
    character in front of its ``=``."""
    if not isinstance(value, str):
        return False
    if value.startswith(FORMULA_PREFIXES):
        return True
    return value[:1] < " " and value[:1] not in ("", "\n") and clean_text(value).startswith(FORMULA_PREFIXES)


class CachedFormula(str):
    """A formula (``=SUBTOTAL(9,G4:G20)``) written together with its cached value, so that a
    reader that does not calculate (openpyxl, a previewer) sees the figure the product computed,
    and Excel/LibreOffice see a formula that agrees with it."""

    def __new__(cls, formula, cached):
        obj = super().__new__(cls, formula)
        obj.cached = cached
        return obj


@dataclass
class Column:
    """One column of an exported sheet: header title, how to get the value from a row object
    (an attribute path like ``"project.area.name"`` or a callable), its kind and width."""

    title: str
    value: object = None
    kind: str = TEXT
    width: float = 12
    hidden: bool = False
    """A technical column (a key the upload reads back): hidden, and locked when the sheet is
    protected."""
    editable: bool = False
    """An input column of a template: unlocked and yellow when the sheet is protected."""

    def get(self, obj):
        if callable(self.value):
            return self.value(obj)
        value = obj
        for part in str(self.value).split("."):
            value = getattr(value, part, None) if not isinstance(value, dict) else value.get(part)
            if value is None:
                return None
            if callable(value) and not isinstance(value, (str, Decimal)):
                value = value()
        return value


_xlsx_module = None


def xlsx():
    """The part of the writer made of openpyxl (``._xlsx``), imported with the first workbook."""
    global _xlsx_module
    if _xlsx_module is None:
        from . import _xlsx as module

        _xlsx_module = module
    return _xlsx_module


class WorkbookWriter:
    """A write-only workbook whose sheets share one set of cell-style prototypes."""

    def __init__(self):
        xl = xlsx()
        self.workbook = xl.Workbook(write_only=True)
        self._prototypes = {}

    def sheet(self, title, columns, **kwargs):
        xl = xlsx()
        ws = xl.Sheet(parent=self.workbook, title=title)
        self.workbook._add_sheet(ws)
        return SheetWriter(self, ws, columns, **kwargs)

    def text_sheet(self, title, heading, lines, width=100):
        """A sheet of text: ``heading`` then one wrapped line per item of ``lines`` (an item
        ``(label, text)`` is written as two cells, the label bold) — e.g. a template's 填报说明."""
        xl = xlsx()
        ws = xl.Sheet(parent=self.workbook, title=title)
        self.workbook._add_sheet(ws)
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = width
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        head = xl.WriteOnlyCell(ws, value=capped(clean_text(heading)))
        head.font = xl.Font(name=FONT_NAME, size=14, bold=True)
        ws.append([head])
        ws.append([])
        for row, line in enumerate(lines, start=3):
            label, text = line if isinstance(line, tuple) else ("", line)
            cells = []
            for value, bold in ((label, True), (text, False)):
                cell = xl.WriteOnlyCell(ws)
                cell._value, cell.data_type = capped(clean_text(value)), "s"  # text, never a formula
                cell.font = xl.Font(name=FONT_NAME, size=10, bold=bold)
                cell.alignment = xl.Alignment(wrap_text=True, vertical="top")
                cells.append(cell)
            height = wrapped_height(max(lines_needed(label, 16), lines_needed(text, width)))
            if height:  # before the row is written (the sheet streams)
                ws.row_dimensions[row].height = height
            ws.append(cells)
        return ws

    def prototype(self, ws, kind, style, editable=False):
        """A styled cell to copy the style from (styles are looked up once, not per cell)."""
        key = (kind, style, editable)
        proto = self._prototypes.get(key)
        if proto is None:
            proto = self._prototypes[key] = xlsx().prototype(ws, kind, style, editable)
        return proto

    def save(self, path):
        self.workbook.save(path)

    def to_bytes(self):
        out = BytesIO()
        self.workbook.save(out)
        return out.getvalue()


class SheetWriter:
    """One sheet: title row, unit line, header, then rows (``write``/``write_objects``).

    Everything a printed page needs is set before the first row (openpyxl write-only writes the
    sheet head first): column widths, frozen header, landscape, fit to width, repeated header
    row, footer with page numbers.
    """

    def __init__(self, book, ws, columns, *, heading, unit="单位：万元", paper=PAPER_A4,
                 freeze_column=1, note=None):
        """``note``: a text for row 2 across the whole width, left-aligned (a template's short
        instructions), instead of the right-aligned ``unit``."""
        xl = xlsx()
        self.book, self.ws, self.columns = book, ws, list(columns)
        self.xl = xl
        self.row_number = 0
        self._plans = {}
        n = len(self.columns)
        last = xl.get_column_letter(n)
        for index, column in enumerate(self.columns, start=1):
            ws.column_dimensions[xl.get_column_letter(index)].width = column.width
            if column.hidden:
                ws.column_dimensions[xl.get_column_letter(index)].hidden = True
        ws.freeze_panes = f"{xl.get_column_letter(freeze_column)}{FIRST_DATA_ROW}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = paper
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        ws.oddFooter.center.size = 9
        ws.oddHeader.right.text = "&A"
        ws.oddHeader.right.size = 9

        ws.row_dimensions[TITLE_ROW].height = 28
        ws.row_dimensions[HEADER_ROW].height = 32
        title = xl.WriteOnlyCell(ws, value=capped(clean_text(heading)))
        title.font = xl.Font(name=FONT_NAME, size=16, bold=True)
        title.alignment = xl.Alignment(horizontal="center", vertical="center")
        self._append([title])
        if note:
            note_cell = xl.WriteOnlyCell(ws)
            note_cell._value, note_cell.data_type = capped(clean_text(note)), "s"
            note_cell.font = xl.Font(name=FONT_NAME, size=10)
            note_cell.alignment = xl.Alignment(horizontal="left", vertical="center", wrap_text=True)
            ws.row_dimensions[UNIT_ROW].height = 30
            self._append([note_cell])
            if n > 1:
                ws.merged_cells.add(f"A{UNIT_ROW}:{last}{UNIT_ROW}")
        else:
            unit_cell = xl.WriteOnlyCell(ws, value=capped(clean_text(unit or "")))
            unit_cell.font = xl.Font(name=FONT_NAME, size=10)
            unit_cell.alignment = xl.Alignment(horizontal="right")
            self._append([None] * (n - 1) + [unit_cell] if n > 1 else [unit_cell])
        if n > 1:
            ws.merged_cells.add(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
        self._header()

    def _header(self):
        xl = xlsx()
        header = []
        for column in self.columns:
            cell = xl.WriteOnlyCell(self.ws, value=capped(clean_text(column.title)))
            cell.font = xl.Font(name=FONT_NAME, size=10, bold=True)
            cell.fill = xl.HEADER_FILL
            cell.border = xl.BORDER
            cell.alignment = xl.Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        self._append(header)

    def blank(self):
        self._append([])

    def section(self, title, columns):
        """Start another table further down the same sheet: a blank row, its title, its header.
        Column widths stay those of the sheet's first table."""
        xl = xlsx()
        self.blank()
        cell = xl.WriteOnlyCell(self.ws, value=capped(clean_text(title)))
        cell.font = xl.Font(name=FONT_NAME, size=12, bold=True)
        self._append([cell])
        self.columns = list(columns)
        self._plans = {}
        self._header()

    def _append(self, cells):
        self.ws.append(cells)
        self.row_number += 1

    @property
    def next_row(self):
        return self.row_number + 1

    def _plan(self, style, kinds):
        """Per column of a row styled ``style`` (with ``kinds``): its letter, its prototype and the
        width its text fills (``_usable_width``; None: a kind that does not wrap)."""
        key = (style, tuple(kinds) if kinds else None)
        plan = self._plans.get(key)
        if plan is None:
            plan = []
            for index, column in enumerate(self.columns):
                kind = TEXT if style == GROUP else kinds[index] if kinds and kinds[index] else column.kind
                proto = self.book.prototype(self.ws, kind, style, column.editable and style == DATA)
                wraps = kind in (TEXT, NAME)
                plan.append((self.xl.get_column_letter(index + 1), proto,
                             _usable_width(column.width) if wraps else None))
            self._plans[key] = plan
        return plan

    def write(self, values, style=DATA, kinds=None, merge_to=None):
        """Append one row of values (in column order) styled as ``style``; ``kinds`` overrides the
        columns' kinds for this row; ``merge_to`` merges the row's first cells up to that column.

        Each cell is written as ``make_cell`` + openpyxl's cell writer would write it, without making
        the cell (``_xlsx.cell_xml``); tests/test_exports.py checks both give the same file."""
        xl = self.xl
        cell_xml = xl.cell_xml
        ws = self.ws
        row = ws._row_idx + 1
        parts, lines, quoted = [], 1, None
        n = len(values)
        for index, (letter, proto, usable) in enumerate(self._plan(style, kinds)):
            value = values[index] if index < n else None
            ref = f"{letter}{row}"
            xml = cell_xml(ws, ref, value, proto)
            if xml is None:  # text that looks like a formula: the quote-prefixed style, registered after the row's others
                quoted = quoted or []
                quoted.append((len(parts), ref, value, proto))
            parts.append(xml)
            if usable and isinstance(value, str) and value and not merge_to:
                # one line for sure when even two units a character fit (no need to measure)
                if "\n" in value or 2 * len(value) > usable:
                    lines = max(lines, _lines_remembered(value, usable))
        if quoted:
            for position, ref, value, proto in quoted:
                parts[position] = xl.generic_cell_xml(ws, ref, value, proto)
        height = wrapped_height(lines)
        if height:  # wrapped text gets the lines it needs (before the row is written: the sheet streams)
            ws.row_heights[row] = height
        ws.append_cells("".join(parts))
        self.row_number += 1
        if merge_to and merge_to > 1:
            ws.merged_cells.add(f"A{self.row_number}:{xl.get_column_letter(merge_to)}{self.row_number}")

    def write_objects(self, objects, style_of=None):
        """Append one row per object, values taken by the columns."""
        for obj in objects:
            self.write([column.get(obj) for column in self.columns],
                       style=style_of(obj) if style_of else DATA)

    def column_letter(self, index):
        xl = xlsx()
        return xl.get_column_letter(index + 1)

    def protect(self):
        """Sheet protection without a password: only ``editable`` cells can be changed (columns
        and rows may still be resized, so long texts can be read)."""
        protection = self.ws.protection
        protection.sheet = True
        protection.formatColumns = False
        protection.formatRows = False

    def validate(self, index, validation, last_row=None):
        """Excel's data validation (an openpyxl ``DataValidation``) on the data cells of column
        ``index`` (0-based), from the first data row to ``last_row`` (default: the last written)."""
        xl = xlsx()
        col = xl.get_column_letter(index + 1)
        last_row = max(FIRST_DATA_ROW, last_row or self.row_number)
        validation.add(f"{col}{FIRST_DATA_ROW}:{col}{last_row}")
        self.ws.data_validations.append(validation)


def choice_labels(model, field_name):
    """A field's choices as value → label text, for rows read as values: the same text as the
    instance's ``get_FOO_display()``, translated once instead of per row (per call that hashes every
    lazy label of the choices)."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def stream(queryset, chunk_size=CHUNK_SIZE):
    """Rows of a queryset without caching them all (server-side cursor on PostgreSQL)."""
    return queryset.iterator(chunk_size=chunk_size)
