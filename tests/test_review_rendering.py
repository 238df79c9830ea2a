"""Review of the Python-rendered <select> (portfolio.filters.FilterFormRenderer): the same HTML as
Django's select.html / select_option.html / attrs.html for hostile and unusual values."""
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from portfolio.filters import FILTER_FORM_RENDERER

WIDGETS = [
    (forms.Select(choices=[('a"<b>&', 'x<script>"&amp;'), ("", "全部")],
                  attrs={"class": 'q"<', "data-x": True, "data-no": False}), 'a"<b>&'),
    (forms.Select(choices=[("G<>&\"", [(1, "one"), (2, "two")]), (3, "three")]), 2),
    (forms.SelectMultiple(choices=[(1, "a"), (2, "b"), (3, "c")]), [1, 3]),
    (forms.Select(choices=[(mark_safe("<i>"), mark_safe("<b>s</b>"))]), None),
    (forms.Select(choices=[(1.5, 1234567), (None, None)]), 1.5),
    (forms.NullBooleanSelect(), "true"),
    # stringformat:'s' writes a tuple as str(tuple); "%s" % (1, 2) raised TypeError
    (forms.Select(choices=[((1, 2), "pair"), ((3,), "one")], attrs={"data-t": (4, 5)}), None),
]


def test_select_as_django_renders_it():
    for widget, value in WIDGETS:
        expected = widget.render('f<"', value, renderer=DjangoTemplates())
        assert widget.render('f<"', value, renderer=FILTER_FORM_RENDERER) == expected


def _table_html(template_name):
    import datetime

    import django_tables2 as tables
    from django.template import Context, Template
    from django.test import RequestFactory

    from portfolio.tables import BaseTable, DateColumn

    class Hostile(BaseTable):
        name = tables.Column()
        n = tables.Column(localize=True, attrs={"td": {"data-v": lambda value: f'<{value}">'}})
        m = tables.Column(localize=False, attrs={"td": {"class": 'a"<b', "title": "x&y"}})
        d = DateColumn()
        d2 = DateColumn(default="<无>")

        class Meta(BaseTable.Meta):
            attrs = {"td": {"data-t": lambda record: record["name"]}, "class": "table"}

    class Plain(BaseTable):
        name = tables.Column(attrs={"td": {"title": '"&<'}})
        d = DateColumn()

    data = [{"name": '<script>alert("x")</script>&amp;', "n": 1234567.5, "m": 1234567,
             "d": datetime.date(2020, 6, 30), "d2": None},
            {"name": None, "n": None, "m": 0, "d": datetime.datetime(2020, 6, 30, 23, 30, tzinfo=datetime.UTC),
             "d2": datetime.date(2021, 1, 2)}]
    page = Template("{% load django_tables2 %}{% render_table a %}{% render_table b %}{% render_table c %}")
    return page.render(Context({"request": RequestFactory().get("/"),
                                "a": Hostile(data, template_name=template_name),
                                "b": Plain(data, template_name=template_name),
                                "c": Plain([], template_name=template_name)}))


def test_table_cells_as_the_library_renders_them():
    """Hostile text in cells and attrs, callables in the table's and a column's td attrs,
    localize on and off, None, dates and an aware datetime, an empty table."""
    html = _table_html("tables/bootstrap5.html")
    assert "<script>alert" not in html
    assert html == _table_html("django_tables2/bootstrap5.html")
