"""Links to the records behind a figure: a list's URL with its query (``/projects/?year=2020&month=12
&rag=red``), for the figure catalogue (``portfolio.figures.Link``) and the templates
(``{% records_url %}``). A dashboard writes ~140 of them: the list's path is reversed once per
URL name, not once per link; a row's link to one record (``pk_url``) likewise."""
from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode


@lru_cache(maxsize=1024)
def _path(name, prefix):
    return reverse(name)


def list_path(name):
    """``reverse(name)`` for a URL without arguments, remembered per script prefix (what reverse()
    reads besides the URLconf, which changes only in tests: ``_clear``; no view sets
    ``request.urlconf``)."""
    return _path(name, get_script_prefix())


@lru_cache(maxsize=128)
def _pk_path_parts(name, prefix):
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return head, tail


def pk_url(name, pk):
    """``reverse(name, args=[pk])`` for a URL with one integer ``pk``: the pattern reversed once per
    name and script prefix, not once per row (a list writes one or two such links a row)."""
    head, tail = _pk_path_parts(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


def records_link(name, query=None, anchor=""):
    """The URL named ``name`` with ``query`` (a dict; empty values are left out) and ``anchor``."""
    url = list_path(name)
    query = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def _clear(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _path.cache_clear()
        _pk_path_parts.cache_clear()


setting_changed.connect(_clear)
