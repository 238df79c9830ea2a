"""「导出Excel」 on every list page: the page's filtered, sorted queryset as one sheet, written by
the shared writer (``portfolio.exports.writer``).

The title row and the file name say what the sheet holds: the list, the period and the filters
applied — ``项目列表　2020年12月　片区：南片　当前类别：续建`` in
``项目列表_2020年12月_南片_续建.xlsx``. Columns are as wide as their kind needs to print without
overprinting (a 项目代码 on one line in 26 characters, names wrapped); a list with a 合计
(``BaseTable.total_columns``) ends with it."""
import datetime as dt
from decimal import Decimal
from html import unescape

from django.utils import timezone
from django.utils.html import strip_tags

import django_tables2 as tables

from portfolio.filters import applied_filters
from portfolio.tables import ProjectLinkColumn, WanColumn

from .responses import download_name, xlsx_response
from .writer import (CHUNK_SIZE, CODE, COUNT, DATE, FIRST_DATA_ROW, MONEY, NAME, NUMERIC_KINDS, PAPER_A4, TEXT,
                     TEXT_KINDS, TOTAL, CachedFormula, Column, WorkbookWriter, stream, width_for)

TITLE_SEPARATOR = "\u3000"  # a full-width space between the title's parts


class ListExportMixin:
    """「导出Excel」 for a list page (``portfolio.generic.ObjectListView``): ``?export=xlsx`` with
    the page's own query string writes exactly the rows the page shows — the same selector
    queryset, filtered by the same FilterSet, sorted as the table is sorted, all pages — in the
    table's visible column order. The view's permission checks run first (it is the same view).

    A table may set ``export_kinds = {"column": RATE, …}`` and ``value_<column>`` methods
    (django-tables2's export hook) where its HTML rendering is not the value to export. The view
    provides ``period`` (None for a list without one), ``filterset`` and, for a table with
    ``total_columns``, ``get_totals()``."""

    export_param = "export"
    export_chunk_size = CHUNK_SIZE

    def get(self, request, *args, **kwargs):
        if request.GET.get(self.export_param) == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def export_period_text(self):
        """"2020年12月": the period the rows are for (the list's as-of month), or ""."""
        period = getattr(self, "period", None) if getattr(self, "uses_period", True) else None
        return f"{period.year}年{period.month}月" if period else ""

    def export_filters(self):
        return applied_filters(getattr(self, "filterset", None))

    def get_export_filename(self):
        """``项目列表_2020年12月_南片.xlsx``: the list, the period and each filter (``short``)."""
        return download_name(self.title, self.export_period_text(), *(f.short for f in self.export_filters()))

    def get_export_heading(self):
        """``项目列表　2020年12月　片区：南片　当前类别：续建``."""
        parts = [str(self.title), self.export_period_text(),
                 *(f"{f.label}：{f.value}" for f in self.export_filters())]
        return TITLE_SEPARATOR.join(p for p in parts if p)

    def export_xlsx(self):
        queryset = self.get_filtered_queryset()
        table = self.get_table_class()(queryset, **self.get_table_kwargs())
        if table.total_columns:
            table.set_totals(self.get_totals())
        book = WorkbookWriter()
        write_table(book, table, stream(queryset, self.export_chunk_size), title=str(self.title)[:31],
                    heading=self.get_export_heading())
        return xlsx_response(book, self.get_export_filename(), fallback="export.xlsx")


def column_kind(table, bound):
    """How a column is written and how wide it is: the table's ``export_kinds``, else by the
    column — 万元 amounts MONEY, dates DATE, 项目代码 CODE, names (of projects, firms, 业主单位…)
    NAME, the rest TEXT."""
    kinds = getattr(table, "export_kinds", {}) or {}
    column, name, header = bound.column, bound.name, str(bound.header)
    if kinds.get(name):
        return kinds[name]
    if isinstance(column, WanColumn):
        return MONEY
    if isinstance(column, tables.DateColumn):
        return DATE
    if name == "code" or header.endswith("代码"):
        return CODE
    if (isinstance(column, ProjectLinkColumn) or "名称" in header or header.endswith("单位")
            or name in ("name", "project", "title")):
        return NAME  # project, firm and unit names: wide and wrapped
    return TEXT


def _export_columns(table):
    """The table's visible columns, in its order: (bound column, kind, mode). Modes: ``bool``
    (是/blank), ``value`` (the table's ``value_<name>``), ``rendered`` (the page's text, for
    columns with a custom render), ``plain`` (the record's value itself — no per-cell call into
    django-tables2, which inspects signatures on every call)."""
    columns = []
    for bound in table.columns:  # visible columns only, in the table's sequence
        column, name = bound.column, bound.name
        if column.exclude_from_export:
            continue
        if hasattr(table, f"value_{name}"):
            mode = "value"
        elif isinstance(column, tables.BooleanColumn):
            mode = "bool"
        elif type(column) in (tables.Column, tables.DateColumn) and not hasattr(table, f"render_{name}"):
            mode = "plain"
        else:
            mode = "rendered"
        columns.append([bound, column_kind(table, bound), mode])
    return columns


def _raw(record, accessor):
    try:
        return accessor.resolve(record, quiet=True)
    except Exception:  # a computed column without a plain value
        return None


def _typed(raw, kind, html=False):
    """(value, kind) for a cell: numbers and dates typed (in the column's kind when it is one of
    theirs), everything else as text in the column's text kind (without the HTML of a rendered
    cell)."""
    text_kind = kind if kind in TEXT_KINDS else TEXT
    number_kind = kind if kind in NUMERIC_KINDS else None
    if isinstance(raw, bool):
        return ("是" if raw else ""), text_kind
    if isinstance(raw, dt.datetime):
        return (timezone.localtime(raw).replace(tzinfo=None) if timezone.is_aware(raw) else raw), DATE
    if isinstance(raw, dt.date):
        return raw, DATE
    if isinstance(raw, (Decimal, float)):
        return raw, number_kind or MONEY
    if isinstance(raw, int):
        return raw, number_kind or COUNT
    if raw is None:
        return "", text_kind
    text = str(raw)
    return (unescape(strip_tags(text)) if html and ("<" in text or "&" in text) else text), text_kind


def write_table(book, table, records, *, title, heading):
    """One sheet with a django-tables2 table's visible columns and one row per record: numbers
    and dates as typed cells (raw values, not the page's formatted text), the rest as the page's
    text without HTML."""
    from django_tables2.rows import BoundRow
    from django_tables2.utils import Accessor

    spec = _export_columns(table)
    accessors = {bound.name: Accessor(bound.accessor) for bound, _k, _m in spec}
    columns = []
    for bound, kind, mode in spec:
        header = str(bound.header)
        width = 8 if mode == "bool" else width_for(kind, header)
        columns.append(Column(header, kind=kind, width=width))
    # amounts carry their unit in the header (…（万元）); the second line says when the data were taken
    sheet = book.sheet(title, columns, heading=heading, unit=f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}",
                       paper=PAPER_A4, freeze_column=1)
    checked_choices = False
    for record in records:
        if not checked_choices:  # a plain column on a field with choices shows its label: render it
            for item in spec:
                if item[2] == "plain":
                    try:
                        field = accessors[item[0].name].get_field(record)
                    except Exception:
                        field = None
                    if getattr(field, "choices", None):
                        item[2] = "rendered"
            checked_choices = True
        row = None
        values, kinds = [], []
        for bound, kind, mode in spec:
            if mode == "value":
                row = row or BoundRow(record, table=table)
                raw = row.get_cell_value(bound.name)
            else:
                raw = _raw(record, accessors[bound.name])
                if mode == "bool":
                    raw = bool(raw)
                elif mode == "rendered" and not isinstance(raw, (Decimal, int, float, dt.date)):
                    row = row or BoundRow(record, table=table)
                    raw = row.get_cell_value(bound.name)
            value, cell_kind = _typed(raw, kind, html=mode in ("value", "rendered"))
            values.append(value)
            kinds.append(cell_kind)
        sheet.write(values, kinds=kinds)
    if getattr(table, "totals", None) is not None:
        _write_totals(sheet, table, spec)
    return sheet


def _write_totals(sheet, table, spec):
    """The 合计 row: the label in the first column, each total under its column — the figures of
    the page's footer. A sum is written as ``=SUBTOTAL(9,…)`` over its column with the footer's
    figure as the cached value (Excel then keeps it right when the user filters rows); a derived
    figure (完成率) as a number."""
    names = table.total_names()
    first, last = FIRST_DATA_ROW, sheet.row_number
    values, kinds = [], []
    for index, (bound, kind, _mode) in enumerate(spec):
        if bound.name in names:
            value = table.total_value(bound.name)
            if bound.name in table.total_columns and last >= first:
                col = sheet.column_letter(index)
                value = CachedFormula(f"=SUBTOTAL(9,{col}{first}:{col}{last})", value)
            values.append(value)
            kinds.append(kind if kind in NUMERIC_KINDS else MONEY)
        else:
            values.append("合计" if index == 0 else None)
            kinds.append(TEXT)
    sheet.write(values, style=TOTAL, kinds=kinds)
