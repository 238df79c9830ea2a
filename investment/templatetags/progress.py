"""Small display helpers for the 月度填报 pages."""
from django import template

from portfolio.versions import person as person_name

register = template.Library()


@register.filter
def person(user):
    """A user's full name, else username; '—' for nobody."""
    return person_name(user, nobody="—")
