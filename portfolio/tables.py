"""The base of every django-tables2 table of the product: Bootstrap styling, Chinese empty text,
the column chooser (``Meta.default_columns`` are shown unless ``?columns=`` says otherwise) and
the 合计 footer (``total_columns``, summed by ``column_totals`` over the list's whole queryset)."""
import datetime
import weakref
from functools import lru_cache

import django_tables2 as tables
from django.template import Template
from django.template.defaultfilters import date as date_filter
from django_tables2 import utils as tables_utils
from django_tables2.columns import templatecolumn
from django.db.models import Sum
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from portfolio import numbers
from portfolio.links import pk_url
from portfolio.templating import template_text
from projects.permissions import has_a_role

# django-tables2 does, for every cell, work whose result never changes; done once here (same HTML):
# - ``utils.signature(fn)`` (which arguments a render_*/value_*/attrs callable takes) ran
#   ``inspect.signature`` per call: ~20% of a list page. Memoised per function (weakly: a table's
#   lambdas go with it); a bound method by its function, as its signature is its function's less self.
# - ``TemplateColumn.render`` (DateColumn is one) compiled ``Template(template_code)`` per cell: the
#   compiled template is kept per code (a Template renders any number of times, in any thread).
_uncached_signature = tables_utils.signature
_signatures = weakref.WeakKeyDictionary()


def _signature(fn):
    func, bound = getattr(fn, "__func__", None), True
    if func is None or getattr(fn, "__self__", None) is None:
        func, bound = fn, False
    try:
        by_kind = _signatures.setdefault(func, {})
    except TypeError:  # not weakly referenceable (a builtin): as the library does
        return _uncached_signature(fn)
    if bound not in by_kind:
        by_kind[bound] = _uncached_signature(fn)
    return by_kind[bound]


tables_utils.signature = _signature
templatecolumn.Template = lru_cache(maxsize=256)(Template)


NUM = {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}}
"""The attrs of a number column: right-aligned in the header, the cells and the 合计 footer."""


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover table-striped align-middle records",
                 "tfoot": {"class": "table-group-divider fw-bold", "data-figure": "totals"}}
        empty_text = _("没有符合条件的记录。")
        fields = ()  # the columns are the ones a table declares, never a model's other fields
        default_columns = None  # None: all columns
        template_name = "tables/bootstrap5.html"  # the library's, its cells rendered in Python

    def __init__(self, *args, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = [c for c in (columns or []) if c in self.columns.names()]
        shown = wanted or getattr(getattr(type(self), "Meta", None), "default_columns", None)
        if shown:
            for name in self.columns.names():
                if name not in shown and name not in PINNED:
                    self.columns.hide(name)

    def chooser(self):
        """(name, header, visible) for every column, for the column-choice menu."""
        return [(c.name, c.header, c.visible) for c in self.columns.iterall() if c.name not in PINNED]

    total_columns = ()
    """Columns summed in the 合计 row (money). A table may add ``total_<name>(totals)`` for a
    figure derived from the sums (完成率 = 累计完成 ÷ 年度计划) and ``render_total_<name>(value)``
    to show it."""
    totals = None
    """{column: sum} over every row of the list (all pages), set by ``set_totals``; None: no 合计."""

    def set_totals(self, totals):
        """Show a 合计 footer: the label in the first visible column, each total under its column."""
        self.totals = totals
        for bound in self.columns.iterall():
            bound.column._footer = self._footer_cell  # the columns are this table's own copies

    def total_value(self, name):
        """The 合计 row's value in column ``name`` (a number), or None."""
        if self.totals is None:
            return None
        derived = getattr(self, f"total_{name}", None)
        return derived(self.totals) if derived else self.totals.get(name)

    def total_names(self):
        return [*self.total_columns, *(n for n in self.columns.names() if hasattr(self, f"total_{n}"))]

    def _footer_cell(self, bound_column):
        if bound_column.name in self.total_names():
            value = self.total_value(bound_column.name)
            render = getattr(self, f"render_total_{bound_column.name}", None)
            if render is not None:
                return render(value)
            return bound_column.column.render(value) if isinstance(bound_column.column, WanColumn) else value
        first = next(iter(self.columns), None)
        if first is None or first.name != bound_column.name:
            return ""
        paginator = getattr(self, "paginator", None)
        if paginator is not None and paginator.num_pages > 1:  # say it is not the visible page's sum
            return _("合计（全部%(n)s项）") % {"n": paginator.count}
        return _("合计")

    def has_footer(self):
        return self.totals is not None and super().has_footer()


def column_totals(queryset, table_class):
    """The sums of ``table_class.total_columns`` over ``queryset`` — the list's own filtered
    queryset, every page — in one aggregate query: {column name: Decimal} (0 for no rows)."""
    names = table_class.total_columns
    if not names:
        return None
    base = table_class.base_columns
    # aliased apart from the columns: an aggregate named like an annotation would replace it
    sums = {f"total__{name}": Sum(str(base[name].accessor or name).replace(".", "__")) for name in names}
    totals = queryset.order_by().aggregate(**sums)
    return {name: totals[f"total__{name}"] or 0 for name in names}


PINNED = ("edit",)
"""Columns the column chooser does not offer and never hides (the row's 修改 link)."""


class EditColumn(tables.Column):
    """修改 on a row the user may change (``editable_project_ids`` None = every row), returning
    to ``next_url``. A record belongs to the user when its project — or each of its projects —
    is one of theirs; the edit page checks again on the server."""

    def __init__(self, url_name, next_url, editable_project_ids):
        self.url_name, self.next_url, self.editable = url_name, next_url, editable_project_ids
        super().__init__(accessor="pk", verbose_name=_("操作"), orderable=False, exclude_from_export=True,
                         attrs={"td": {"class": "text-nowrap d-print-none"}, "th": {"class": "d-print-none"}})

    def may_edit(self, record):
        if self.editable is None:
            return True
        if hasattr(record, "project_id"):
            return record.project_id in self.editable
        projects = record.projects.all()  # prefetched by the list's selector
        return bool(projects) and all(p.pk in self.editable for p in projects)

    def render(self, record):
        if not self.may_edit(record):
            return ""
        url = pk_url(self.url_name, record.pk)
        return format_html('<a href="{}?{}">{}</a>', url, urlencode({"next": self.next_url}), _("修改"))


class WanColumn(tables.Column):
    """A 万元 amount, right-aligned with separators."""

    def __init__(self, *args, places=2, **kwargs):
        self.places = places
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return numbers.wan(value, self.places)


class DateColumn(tables.DateColumn):
    """A date as 2020-06-30. Rendered as the library's template ``{{ value|date:"Y-m-d"|default:default }}``
    renders a date, without the template (a context pushed and a template rendered per cell, a
    quarter of a list's cells' time); a datetime (converted to local time first) through it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "Y-m-d")
        self.date_format = kwargs["format"]
        super().__init__(*args, **kwargs)

    def render(self, record, table, value, bound_column, **kwargs):
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            return super().render(record=record, table=table, value=value, bound_column=bound_column, **kwargs)
        text = date_filter(value, self.date_format) or bound_column.default
        return mark_safe(template_text(text))


class ProjectLinkColumn(tables.Column):
    """A project's name linking to its page; ``accessor`` points at the project."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("项目"))
        kwargs.setdefault("order_by", ("project__name",))
        super().__init__(*args, **kwargs)

    def value(self, value):
        """The name alone (the Excel export and other plain-text uses)."""
        return value.name

    def render(self, value, table):
        request = getattr(table, "request", None)
        if request is not None and not has_a_role(request.user):
            return value.name  # a 责任单位 liaison may not open the project page (portfolio.access)
        return format_html('<a href="{}">{}</a>', pk_url("projects:detail", value.pk), value.name)


class AreaColumn(tables.Column):
    """The 片区 of the row's project (``project``: the path from the row to it), sorted in the
    areas' own order (``Area.order``), as every page lists them."""

    def __init__(self, *args, project="project", **kwargs):
        kwargs.setdefault("verbose_name", _("片区"))
        kwargs.setdefault("accessor", f"{project}__area__name")
        kwargs.setdefault("order_by", (f"{project}__area__order", f"{project}__area__name"))
        super().__init__(*args, **kwargs)
