"""Node-plan display: a milestone's state and days late, by the definition in projects.selectors."""
import datetime as dt

from django import template
from django.utils import timezone

from projects.selectors import days_late, milestone_state

register = template.Library()


def _as_of(value):
    if isinstance(value, dt.date):
        return value
    return timezone.localdate()


@register.filter
def node_state(milestone, as_of=None):
    """'done', 'overdue' or 'pending' (uses ``milestone.state`` when the selector set it)."""
    return getattr(milestone, "state", None) or milestone_state(milestone, _as_of(as_of))


@register.filter
def node_days_late(milestone, as_of=None):
    if hasattr(milestone, "days_late"):
        return milestone.days_late
    return days_late(milestone, _as_of(as_of))
