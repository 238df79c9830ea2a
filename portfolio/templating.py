"""Template output written in Python: ``template_text(value)`` is what ``{{ value }}`` writes in a
template — localized (numbers, dates), then escaped unless safe (autoescape on) — for the HTML the
product writes without a template (the list tables' cells, the filter forms' ``<select>``), which
must read the same as the library templates' (tests/test_lists_render.py compares them)."""
from django.template import Context
from django.template.base import render_value_in_context

_CONTEXT = Context()  # a template's defaults: autoescape on, localization and time zone as settings say


def template_text(value):
    """``{{ value }}`` outside a template."""
    return render_value_in_context(value, _CONTEXT)
