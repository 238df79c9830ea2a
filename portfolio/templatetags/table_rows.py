"""The cells of a django-tables2 row, rendered in Python: ``{% table_cells row %}``.

``templates/tables/bootstrap5.html`` (every ``portfolio.tables.BaseTable``) uses it in place of the
library's per-cell loop (``{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>…``),
which is most of a list page's time: the loop, ``column.attrs`` rebuilt for every cell (the table's
and the column's attrs merged, three AttributeDicts and their classes) and the localize ``if``.
Here a column's ``<td>`` attributes are built once per table render when none of them is a callable
(a callable may read the row: then they are built per cell, as the library does); each cell is
rendered as ``{{ cell }}`` renders it (``render_value_in_context``). The output is the library
template's, character for character (tests/test_lists_render.py compares them).
"""
from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()

CELL = "\n                            <td {}>{}</td>\n                        "
"""One iteration of the library template's cell loop, whitespace included."""

_LOCALIZED = {}
"""{True: ``{{ cell|localize }}``, False: ``{{ cell|unlocalize }}``} compiled on first use: a column
with ``localize`` set renders through the library's own filters."""


def _localized(on):
    if on not in _LOCALIZED:
        _LOCALIZED[on] = template.Template("{% load l10n %}{{ cell|" + ("localize" if on else "unlocalize") + " }}")
    return _LOCALIZED[on]


def _has_callable(value):
    if callable(value):
        return True
    if isinstance(value, dict):
        return any(_has_callable(v) for v in value.values())
    return False


def _td_source(bound_column):
    """The attrs ``BoundColumn.attrs`` reads ``td`` from (the table's, then the column's)."""
    attrs = dict(bound_column._table.attrs)
    attrs.update(dict(bound_column.column.attrs))
    return attrs.get("td", attrs.get("cell", {}))


@register.simple_tag(takes_context=True)
def table_cells(context, row):
    table = row.table
    fixed = getattr(table, "_fixed_td_html", None)
    if fixed is None:  # once per table render: the columns' td attributes when they cannot vary
        fixed = table._fixed_td_html = {}
        for column in table.columns:
            if not _has_callable(_td_source(column)):
                column.current_value = column.current_record = None
                fixed[column.name] = column.attrs["td"].as_html()
    out = []
    for column, cell in row.items():  # sets column.current_record / current_value, as the loop did
        td = fixed.get(column.name)
        if td is None:
            td = column.attrs["td"].as_html()
        if column.localize is None:
            text = render_value_in_context(cell, context)
        else:
            with context.push(cell=cell):
                text = _localized(bool(column.localize)).render(context)
        out.append(CELL.format(td, text))
    return mark_safe("".join(out))
