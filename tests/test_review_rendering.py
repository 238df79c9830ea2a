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
