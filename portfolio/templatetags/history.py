"""The project page's 变更记录 section: its latest changes, from the one history function.

A template tag, not the project view, because the history reads every app (roof floor) and the
project page belongs to ``projects`` (apps floor), which imports nothing from above."""
from django import template

from portfolio.history import project_history

register = template.Library()

RECENT = 10


@register.simple_tag
def recent_changes(project, count=RECENT):
    """``{% recent_changes project as changes %}``: (the latest ``count`` changes, how many there are)."""
    changes = project_history(project=project)
    return {"latest": changes[:count], "total": len(changes)}
