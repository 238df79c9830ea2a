"""Template helpers of the problem and 督办 pages, the project page and the dashboard."""
from django import template

register = template.Library()


@register.filter
def who(user):
    """A user as pages name them: full name, else username; — for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username
