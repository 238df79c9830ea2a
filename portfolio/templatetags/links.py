"""Links from a figure to the records behind it: ``{% records_url "projects:list" period rag="red" %}``
gives ``/projects/?year=2020&month=12&rag=red``. Empty values are left out."""
from django import template

from portfolio.links import records_link

register = template.Library()


@register.simple_tag
def records_url(name, period=None, **params):
    query = {"year": period.year, "month": period.month} if period is not None else {}
    query.update(params)
    return records_link(name, query)
