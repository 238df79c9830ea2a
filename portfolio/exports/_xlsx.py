"""The part of the Excel writer (``portfolio.exports.writer``) made of openpyxl and lxml, imported
when a process writes its first workbook rather than when the URLs load: openpyxl costs ~0.1 s of
CPU to import, which every process that loads the URL conf (each worker, `manage.py` command,
test worker) paid at start-up for a download most never serve. tests/test_exports.py checks that
importing the URL conf leaves openpyxl unimported.

``Sheet`` and ``_Writer`` write a sheet's XML to its temporary file (see the writer's docstring),
``cell_xml`` the XML of one cell as openpyxl's cell writer would write the ``make_cell`` cell, and
``prototype`` the styled cells a sheet's cells copy their style from."""
import datetime
import functools
from copy import copy
from decimal import Decimal
from io import BytesIO

from django.utils.functional import Promise
from lxml import etree
from lxml.etree import Element, SubElement
from openpyxl import Workbook  # noqa: F401 (the writer's)
from openpyxl.cell import Cell, WriteOnlyCell  # noqa: F401 (WriteOnlyCell: the writer's)
from openpyxl.cell._writer import lxml_write_cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter  # noqa: F401 (the writer's)
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS

from .writer import (DATE, FONT_NAME, GROUP, HIGHLIGHT, NAME, NUMBER_FORMATS, NUMERIC_KINDS, SUBTOTAL, TEXT, TOTAL,
                     CachedFormula, cell_text, looks_like_formula)

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILLS = {
    GROUP: PatternFill("solid", fgColor="EDEDED"),
    SUBTOTAL: PatternFill("solid", fgColor="F2F2F2"),
    TOTAL: PatternFill("solid", fgColor="DDEBF7"),
    HIGHLIGHT: PatternFill("solid", fgColor="FFC7CE"),
}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
"""The cells a user fills in (a template's ``editable`` columns)."""




class _Writer(WorksheetWriter):
    """Writes a sheet's XML straight to its temporary file: the elements before and after the rows
    (``write_top``, ``write_tail``) serialized by lxml exactly as openpyxl's ``xmlfile`` writes them,
    the rows as ready-made text from ``Sheet`` (no lxml element context per cell)."""

    def get_stream(self):
        fh = self._fh = open(self.out, "wb")
        fh.write(b'<worksheet xmlns="' + SHEET_MAIN_NS.encode() + b'">')
        while True:
            el = (yield)
            if el is True:
                yield fh  # the rows are written by the sheet
            elif el is not None:
                fh.write(etree.tostring(el))  # ASCII with character references, as openpyxl's xmlfile

    def close(self):
        fh = getattr(self, "_fh", None)
        if fh is not None and not fh.closed:
            fh.write(b"</worksheet>")
            fh.close()
        if self.xf:
            self.xf.close()

    def write_rows(self):  # a sheet without rows
        fh = self.xf.send(True)
        fh.write(b"<sheetData></sheetData>")
        self.xf.send(None)


def _write_cell(xf, ws, cell):
    """One cell as openpyxl writes it, a ``CachedFormula`` with its cached value (<c><f>…</f><v>…</v></c>;
    openpyxl's writer drops the cached value of a formula)."""
    if isinstance(cell._value, CachedFormula):
        attrs = {"r": cell.coordinate}
        if cell.has_style:
            attrs["s"] = f"{cell.style_id}"
        el = Element("c", attrs)
        SubElement(el, "f").text = cell._value[1:]
        if cell._value.cached is not None:
            SubElement(el, "v").text = safe_string(cell._value.cached)
        xf.write(el)
    else:
        lxml_write_cell(xf, ws, cell, cell.has_style)


def _escape(text):
    """Text as lxml writes it into an element (the file's encoding is ASCII: other characters become
    character references when the row is encoded)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


class Sheet(WriteOnlyWorksheet):
    """A write-only worksheet whose rows are written as text to the sheet's file by ``_Writer``:
    ``append_cells`` for the data rows (``SheetWriter.write``: style index, type and text of each cell,
    no openpyxl ``Cell``), ``append`` for the few rows of openpyxl cells (titles, headers, text sheets),
    which are serialized by openpyxl's own cell writer. The file is the same, byte for byte, as openpyxl's
    writer makes of the same cells (tests/test_exports.py compares the two).

    Row heights: ``row_heights`` (row number → points), or openpyxl's ``row_dimensions``."""

    def __init__(self, parent, title):
        super().__init__(parent, title)
        self.row_heights = {}
        self._row_idx = 0
        self._fh = None
        self._row_attrs = {}

    def _get_writer(self):
        if self._writer is None:
            self._writer = _Writer(self)
            self._writer.write_top()

    def _start(self):
        if self._fh is None:
            if self.closed:
                self._already_saved()
            self._get_writer()
            self._fh = self._writer.xf.send(True)
            self._fh.write(b"<sheetData>")
        return self._fh

    def _row_start(self, row_idx):
        height = self.row_heights.get(row_idx)
        if height is not None:
            attrs = self._row_attrs.get(height)
            if attrs is None:
                attrs = self._row_attrs[height] = f' ht="{safe_string(height)}" customHeight="1"'
            return f'<row r="{row_idx}"{attrs}>'
        dim = self.row_dimensions.get(row_idx)
        if dim is not None:
            return f'<row r="{row_idx}"' + "".join(f' {k}="{v}"' for k, v in dim) + ">"
        return f'<row r="{row_idx}">'

    def append_cells(self, cells_xml):
        """Append a row whose cells are already XML text (``r`` of each cell must be the next row's)."""
        fh = self._start()
        self._row_idx += 1
        fh.write((self._row_start(self._row_idx) + cells_xml + "</row>").encode("ascii", "xmlcharrefreplace"))

    def append(self, row):
        """Append a row of openpyxl cells or plain values, written by openpyxl's cell writer."""
        if not isinstance(row, (list, tuple, range)):
            self._invalid_row(row)
        fh = self._start()
        self._row_idx += 1
        row_idx = self._row_idx
        attrs = {"r": f"{row_idx}"}
        height = self.row_heights.get(row_idx)
        attrs.update({"ht": safe_string(height), "customHeight": "1"} if height is not None
                     else self.row_dimensions.get(row_idx, {}))
        buf = BytesIO()
        with etree.xmlfile(buf) as xf, xf.element("row", attrs):
            for col_idx, cell in enumerate(row, 1):
                if cell is None:
                    continue
                if not isinstance(cell, Cell):
                    cell = WriteOnlyCell(self, value=cell)
                cell.column, cell.row = col_idx, row_idx
                if cell._value is None and not cell.has_style:
                    continue
                _write_cell(xf, self, cell)
        fh.write(buf.getvalue())

    def close(self):
        if self.closed:
            self._already_saved()
        fh = self._start()
        fh.write(b"</sheetData>")
        self._writer.xf.send(None)
        self._writer.write_tail()
        self._writer.close()
        self._WriteOnlyWorksheet__saved = True


class StyledCell(Cell):
    """A cell sharing its prototype's style (``make_cell``): the style's index in the workbook is
    looked up once per prototype, not hashed again for every cell the sheet writes."""

    __slots__ = ("_style_index",)

    def __init__(self, worksheet):
        super().__init__(worksheet)
        self._style_index = None

    @property
    def style_id(self):
        if self._style_index is None:
            self._style_index = self.parent.parent._cell_styles.add(self._style)
        return self._style_index


def make_cell(ws, value, proto):
    """A cell with ``value`` and ``proto``'s style. Strings are always string cells: a string
    that looks like a formula gets Excel's quote prefix (shown as typed, never evaluated).
    The cell shares the prototype's style (cells are never restyled after this; the quote prefix
    gets its own copy)."""
    cell = StyledCell(ws)
    if isinstance(value, Promise):
        value = str(value)  # gettext_lazy labels
    if isinstance(value, CachedFormula):
        cell._value = value  # keep the subclass (openpyxl would copy it into a plain str)
        cell.data_type = "f"
    elif isinstance(value, str):
        cell._value = cell_text(value)  # bypass openpyxl's "starts with = → formula" rule
        cell.data_type = "s"
    elif isinstance(value, bool):
        cell._value = "是" if value else "否"
        cell.data_type = "s"
    elif isinstance(value, (int, float, Decimal)):
        cell._value = value  # the common case, without openpyxl's type dispatch
        cell.data_type = "n"
    else:
        cell.value = value
    if looks_like_formula(value) and not isinstance(value, CachedFormula):
        cell._style = copy(proto._style)
        cell.quotePrefix = True
        cell._style_index = None
    else:
        cell._style = proto._style
        cell._style_index = proto.style_id  # the prototype's, looked up once
    return cell


def generic_cell_xml(ws, ref, value, proto):
    """One cell (``make_cell``) as openpyxl's cell writer writes it: for the values ``cell_xml``
    does not write itself."""
    cell = make_cell(ws, value, proto)
    cell.row, cell.column = coordinate_to_tuple(ref)
    buf = BytesIO()
    with etree.xmlfile(buf) as xf:
        _write_cell(xf, ws, cell)
    return buf.getvalue().decode("ascii")


@functools.lru_cache(maxsize=4096)
def _date_serial(value, epoch):
    return safe_string(to_excel(value, epoch))


_NOT_FINITE = ("nan", "inf", "-inf")


def _text_xml(ref, sid, value):
    value = cell_text(value)
    if not value:
        return f'<c r="{ref}" s="{sid}" t="inlineStr"></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}" s="{sid}" t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'


def cell_xml(ws, ref, value, proto):
    """The XML of the cell ``make_cell(ws, value, proto)`` as openpyxl writes it (same bytes), made
    without the cell; None for text that looks like a formula (quote prefix: ``generic_cell_xml``)."""
    t = type(value)
    if t is str:
        if looks_like_formula(value):
            return None
        return _text_xml(ref, proto.style_id, value)
    if t is Decimal or t is int or t is float:
        number = "%.16g" % value  # openpyxl's safe_string
        if number not in _NOT_FINITE:
            return f'<c r="{ref}" s="{proto.style_id}" t="n"><v>{number}</v></c>'
        return generic_cell_xml(ws, ref, value, proto)
    if value is None:
        return f'<c r="{ref}" s="{proto.style_id}" t="n"></c>'
    if t is datetime.date and not ws.parent.iso_dates:
        return f'<c r="{ref}" s="{proto.style_id}" t="n"><v>{_date_serial(value, ws.parent.epoch)}</v></c>'
    if isinstance(value, CachedFormula):
        xml = f'<c r="{ref}" s="{proto.style_id}"><f>{_escape(value[1:])}</f>'
        return xml + ("</c>" if value.cached is None else f"<v>{_escape(safe_string(value.cached))}</v></c>")
    if isinstance(value, Promise):
        value = str(value)  # gettext_lazy labels
    if isinstance(value, str):
        if looks_like_formula(value):
            return None
        return _text_xml(ref, proto.style_id, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{proto.style_id}" t="inlineStr"><is><t>{"是" if value else "否"}</t></is></c>'
    return generic_cell_xml(ws, ref, value, proto)  # datetimes, other numbers: as openpyxl does


def prototype(ws, kind, style, editable=False):
    """A styled cell of ``kind`` in a row styled ``style`` (an ``editable`` cell of a template:
    yellow and unlocked) for cells to copy the style from."""
    proto = StyledCell(ws)
    proto.font = Font(name=FONT_NAME, size=10, bold=style in (SUBTOTAL, TOTAL, GROUP))
    proto.border = BORDER
    proto.number_format = NUMBER_FORMATS.get(kind, "General")
    if editable:
        proto.fill = INPUT_FILL
        proto.protection = Protection(locked=False)
    elif style in FILLS:
        proto.fill = FILLS[style]
    horizontal = ("right" if kind in NUMERIC_KINDS else "center" if kind == DATE else "left")
    proto.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=kind in (TEXT, NAME))
    return proto
