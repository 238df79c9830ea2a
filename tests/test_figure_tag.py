"""{% figure %} (portfolio/templatetags/figures.py) writes what the include it replaced wrote."""
from types import SimpleNamespace

import pytest
from django.template import Context, Template

INCLUDE = ('{% if f.url %}<a href="{{ f.url }}">{% endif %}{% if tag == "span" %}<span data-figure="{{ f.slug }}"'
           '{% if css %} class="{{ css }}"{% endif %}>{{ f.card }}</span>{% else %}<strong data-figure="{{ f.slug }}"'
           '{% if css %} class="{{ css }}"{% endif %}>{{ f.card }}</strong>{% endif %}{% if f.url %}</a>{% endif %}\n')
"""portfolio/includes/figure.html as it was."""

LINKED = SimpleNamespace(url="/projects/?year=2020&month=6&rag=red", slug="rag-red", card="<12>")
UNLINKED = SimpleNamespace(url=None, slug="rate", card="98.5%")


@pytest.mark.parametrize("f", [LINKED, UNLINKED, ""])
@pytest.mark.parametrize("args, outer", [("", {}), (' tag="span"', {}), (' tag="span" css="text-danger"', {}),
                                         ("", {"tag": "span", "css": "x"})])
def test_figure_tag_is_the_include(f, args, outer):
    context = {"x": f, **outer}
    theirs = Template("{% with f=x" + args + " %}" + INCLUDE + "{% endwith %}").render(
        Context(context))
    ours = Template("{% load figures %}{% figure x" + args + " %}").render(Context(context))
    assert ours == theirs
