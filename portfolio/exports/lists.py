"""「导出Excel」 on every list page: the page's filtered, sorted queryset as one sheet, written by
the shared writer (``portfolio.exports.writer``)."""
import datetime as dt
from decimal import Decimal
from html import unescape

from django.utils import timezone
from django.utils.html import strip_tags

from .writer import (CHUNK_SIZE, DATE, MONEY, NUMBER_FORMATS, COUNT, PAPER_A4, TEXT, Column, WorkbookWriter,
                     stream, xlsx_response)


class ListExportMixin:
    """「导出Excel」 for a list page (``portfolio.generic.ObjectListView``): ``?export=xlsx`` with
    the page's own query string writes exactly the rows the page shows — the same selector
    queryset, filtered by the same FilterSet, sorted as the table is sorted, all pages — in the
    table's visible column order. The view's permission checks run first (it is the same view).

    A table may set ``export_kinds = {"column": RATE, …}`` and ``value_<column>`` methods
    (django-tables2's export hook) where its HTML rendering is not the value to export."""

    export_param = "export"
    export_chunk_size = CHUNK_SIZE

    def get(self, request, *args, **kwargs):
        if request.GET.get(self.export_param) == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def get_export_filename(self):
        return f"{self.title}_{timezone.localdate():%Y%m%d}.xlsx"

    def get_export_heading(self):
        return str(self.title)

    def export_xlsx(self):
        queryset = self.get_filtered_queryset()
        table = self.get_table_class()(queryset, **self.get_table_kwargs())
        book = WorkbookWriter()
        write_table(book, table, stream(queryset, self.export_chunk_size), title=str(self.title)[:31],
                    heading=self.get_export_heading())
        return xlsx_response(book, self.get_export_filename(), fallback="export.xlsx")


def _export_columns(table):
    """The table's visible columns, in its order: (bound column, kind, mode). Modes: ``bool``
    (是/blank), ``value`` (the table's ``value_<name>``), ``rendered`` (the page's text, for
    columns with a custom render), ``plain`` (the record's value itself — no per-cell call into
    django-tables2, which inspects signatures on every call)."""
    import django_tables2 as tables

    kinds = getattr(table, "export_kinds", {}) or {}
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
        columns.append([bound, kinds.get(name), mode])
    return columns


def _raw(record, accessor):
    try:
        return accessor.resolve(record, quiet=True)
    except Exception:  # a computed column without a plain value
        return None


def _typed(raw, kind, html=False):
    """(value, kind) for a cell: numbers and dates typed, everything else as text (without the
    HTML of a rendered cell)."""
    if isinstance(raw, bool):
        return ("是" if raw else ""), TEXT
    if isinstance(raw, dt.datetime):
        return (timezone.localtime(raw).replace(tzinfo=None) if timezone.is_aware(raw) else raw), kind or DATE
    if isinstance(raw, dt.date):
        return raw, kind or DATE
    if isinstance(raw, (Decimal, float)):
        return raw, kind or MONEY
    if isinstance(raw, int):
        return raw, kind or COUNT
    if raw is None:
        return "", TEXT
    text = str(raw)
    return (unescape(strip_tags(text)) if html and ("<" in text or "&" in text) else text), TEXT


def write_table(book, table, records, *, title, heading):
    """One sheet with a django-tables2 table's visible columns and one row per record: numbers
    and dates as typed cells (raw values, not the page's formatted text), the rest as the page's
    text without HTML."""
    from django_tables2.rows import BoundRow
    from django_tables2.utils import Accessor

    spec = _export_columns(table)
    accessors = {bound.name: Accessor(bound.accessor) for bound, _k, _m in spec}
    columns = []
    for bound, kind, _mode in spec:
        header = str(bound.header)
        width = max(10, min(40, 2 * len(header) + 4))
        if "名称" in header or bound.name in ("name", "project", "title"):
            width = 30
        columns.append(Column(header, kind=kind if kind in NUMBER_FORMATS else TEXT, width=width))
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
    return sheet
