"""Display filters: the only place (with portfolio.numbers) where figures are rounded."""
from django import template
from django.utils.html import format_html

from portfolio import numbers

register = template.Library()


@register.filter
def pct(fraction, places=1):
    """A rate as '120.4%' (``numbers.percent_text``)."""
    return numbers.percent_text(fraction, int(places))


@register.filter
def score(value):
    """A 流动红旗 score as every page shows it (``projects.scoring.total_text``): '94.6'."""
    from projects.scoring import total_text

    return total_text(value)


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


@register.simple_tag(takes_context=True)
def figure(context, f, tag=None, css=None):
    """One figure of the catalogue (``portfolio.figures.Shown``) as a link to its records: ``f`` the
    figure, ``tag="span"`` for a <span> instead of <strong>, ``css`` extra classes; ``data-figure``
    names it for tests. What ``{% include "portfolio/includes/figure.html" with f=… %}`` wrote, its
    trailing line end included, without an include per figure (~30 on the dashboard); ``tag`` and
    ``css`` default to the page's, as the include read them from its context."""
    tag = context.get("tag", "") if tag is None else tag
    css = context.get("css", "") if css is None else css
    url, slug, card = (getattr(f, name, "") for name in ("url", "slug", "card"))  # "": f absent
    name = "span" if tag == "span" else "strong"
    html = format_html('<{} data-figure="{}"{}>{}</{}>', name, slug,
                       format_html(' class="{}"', css) if css else "", card, name)
    if url:
        html = format_html('<a href="{}">{}</a>', url, html)
    return format_html("{}\n", html)

