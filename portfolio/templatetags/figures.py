"""Display filters: the only place (with portfolio.numbers) where figures are rounded."""
from django import template

from portfolio import numbers

register = template.Library()


@register.filter
def pct(fraction, places=1):
    """A rate as '120.4%'."""
    text = numbers.percent(fraction, int(places))
    return text if text == "—" else f"{text}%"


@register.filter
def yi(wan, places=2):
    """万元 shown in 亿元: 147900 → '14.79'."""
    return numbers.yi(wan, int(places))


@register.filter
def wan(value, places=2):
    """万元 with separators: 12247 → '12,247.00'."""
    return numbers.wan(value, int(places))


@register.filter
def approx(value, step=10):
    """The report's '余' style: 723.56 → '720余'."""
    return numbers.approx_floor(value, int(step))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
