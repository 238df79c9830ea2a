"""The list pages' two Python renderings are the HTML of the templates they replace: the tables' rows
(``{% table_cells %}``: templates/tables/bootstrap5.html, portfolio/templatetags/table_rows.py)
against django-tables2's own template, and the filter forms' ``<select>``s
(``portfolio.filters.FilterFormRenderer``) against Django's widget templates. Every list page,
plain and filtered, sorted, paged (with an invalid choice among the filters)."""
import re
from unittest import mock

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.urls import reverse
from django_tables2 import RequestConfig
from django_tables2.tables import Table

from portfolio.filters import FilterFormRenderer
from projects.models import Area
from records.registry import REGISTRY

pytestmark = pytest.mark.usefixtures("demo_2020")

LIBRARY = "django_tables2/bootstrap5.html"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

LISTS = ["projects:list", "problem_list", "order_list",
         *(rt.list.name for rt in REGISTRY if rt.list is not None)]


def library_template():
    """Every table rendered with the library's template, whatever its Meta says."""
    return mock.patch.object(Table, "template_name",
                             property(lambda self: LIBRARY, lambda self, value: None))


def django_selects():
    """Every filter form's widgets rendered by Django's own templates."""
    return mock.patch.object(FilterFormRenderer, "render", DjangoTemplates.render)


def page(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert isinstance(response.context["filter"].form.renderer, FilterFormRenderer)
    return CSRF.sub("", response.content.decode())


def queries():
    area = Area.objects.order_by("order").last().pk
    return ({}, {"year": 2020, "month": 6, "sort": "-project", "per_page": 10, "page": 2, "area": area,
                 "category": "new", "municipal_key": "true", "kind": "<script>"})


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_are_the_templates_they_replace(admin_client_, name):
    url = reverse(name)
    for params in queries():
        ours = page(admin_client_, url, params)
        assert "<tbody" in ours and "<select" in ours
        with library_template(), django_selects():
            theirs = page(admin_client_, url, params)
        assert ours == theirs, (name, params)


class Record:
    def __init__(self, n):
        self.n, self.amount, self.name = n, 1234567.5 * n, f"<b>{n}</b>"


class OddTable(tables.Table):
    """Columns the product's tables do not use: localized, unlocalized, per-row attributes."""
    n = tables.Column(attrs={"td": {"data-n": lambda record: record.n, "class": "x"}})
    amount = tables.Column(localize=True)
    raw = tables.Column(accessor="amount", localize=False)
    name = tables.Column(attrs={"cell": {"class": lambda value: f"v{len(value)}"}})

    class Meta:
        attrs = {"td": {"class": "from-table"}}


@pytest.mark.parametrize("rows", [[Record(1), Record(22)], []])
def test_odd_columns_render_as_the_library_renders_them(rows):
    request = RequestFactory().get("/")
    html = {}
    for template in ("tables/bootstrap5.html", LIBRARY):
        table = OddTable(rows, template_name=template)
        RequestConfig(request).configure(table)
        html[template] = Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": table, "request": request}))
    assert html["tables/bootstrap5.html"] == html[LIBRARY]
    assert ('data-n="22"' in html[LIBRARY]) == bool(rows)


def test_date_column_renders_as_the_library_template():
    """portfolio.tables.DateColumn renders dates itself: as tables2's DateColumn template does."""
    import datetime

    from django.utils import timezone

    from portfolio.tables import DateColumn

    class Dated:
        def __init__(self, when):
            self.when = when

    class Ours(tables.Table):
        when = DateColumn(default="<无>")

    class Theirs(tables.Table):
        when = tables.DateColumn(format="Y-m-d", default="<无>")

    values = [datetime.date(2020, 6, 30), datetime.date(1999, 1, 2), None, "",
              timezone.make_aware(datetime.datetime(2020, 12, 31, 23, 30))]
    request = RequestFactory().get("/")
    html = []
    for table_class in (Ours, Theirs):
        table = table_class([Dated(v) for v in values])
        RequestConfig(request).configure(table)
        html.append(Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": table, "request": request})))
    assert html[0] == html[1]
    assert "2020-06-30" in html[0] and "1999-01-02" in html[0] and html[0].count("&lt;无&gt;") == 2


def test_selects_escape_and_localize_as_the_widget_templates():
    """Values and labels that the templates escape (unless safe) and localize (a date label)."""
    import datetime

    from django import forms
    from django.utils.safestring import mark_safe

    choices = [("", "全部"), ("a<b", 'A & "B"'), (3, mark_safe("<i>安全</i>")), (4, datetime.date(2020, 6, 30)),
               ("组<1>", [("x", "<x>"), ("y", "y'")])]
    widget = forms.Select(choices=choices, attrs={"class": "form-select", "data-x": "<&>"})
    ours = widget.render("f<", "a<b", renderer=FilterFormRenderer())
    theirs = widget.render("f<", "a<b", renderer=DjangoTemplates())
    assert ours == theirs
    assert 'value="a&lt;b"' in ours and "A &amp; &quot;B&quot;" in ours and "<i>安全</i>" in ours
    assert "2020年6月30日" in ours
