"""Small display helpers for the 月度填报 pages."""
from django import template

register = template.Library()


@register.filter
def person(user):
    """A user's full name, else username; '—' for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
