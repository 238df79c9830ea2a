"""Links from a figure to the records behind it: ``{% records_url "projects:list" period rag="red" %}``
gives ``/projects/?year=2020&month=12&rag=red``. Empty values are left out."""
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def records_url(name, period=None, **params):
    query = {}
    if period is not None:
        query.update(year=period.year, month=period.month)
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)
