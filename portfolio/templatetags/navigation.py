"""The layout's menu (templates/base.html), the same on every page: ``{% nav_items %}`` is
templates/includes/nav_items.html rendered once per process for each script prefix, language and
set of role flags (``keeps_records``, ``prepares_plans``, ``has_a_role``: the only things it reads)
instead of on every page, where its ~25 ``{% url %}`` were about a tenth of a page's time; ``{% path_url "name" %}``
is ``{% url "name" %}`` for a URL without arguments, reversed once per URL name and script prefix
(``portfolio.links.list_path``).

The remembered menus are at most ``MENU_CACHE_SIZE`` (least recently used first out): the script
prefix comes from the request (``SCRIPT_NAME``), and a process must not keep a menu for each of
a crafted stream of prefixes."""
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import autoreload, translation
from django.utils.safestring import mark_safe

from portfolio.links import list_path

register = template.Library()

MENU_CACHE_SIZE = 16
"""Menus kept per process: the few sets of role flags for each of a few prefixes and languages."""


@register.simple_tag
def path_url(name):
    return list_path(name)


@register.simple_tag(takes_context=True)
def nav_items(context):
    flags = {"keeps_records": bool(context.get("keeps_records")),
             "prepares_plans": bool(context.get("prepares_plans")),
             "has_a_role": bool(context.get("has_a_role"))}
    return _menu(get_script_prefix(), translation.get_language(), **flags)


@lru_cache(maxsize=MENU_CACHE_SIZE)
def _menu(script_prefix, language, *, keeps_records, prepares_plans, has_a_role):
    """The menu under ``script_prefix`` (the current one: its links are reversed under it) in
    ``language``; the arguments are the cache key."""
    return mark_safe(get_template("includes/nav_items.html").render(
        {"keeps_records": keeps_records, "prepares_plans": prepares_plans, "has_a_role": has_a_role}))


def _forget_menus(**kwargs):
    """A setting changed (tests: ROOT_URLCONF, TEMPLATES…) or, under runserver, a file changed (a
    template edited: Django reloads its templates without restarting): render the menu again."""
    _menu.cache_clear()


setting_changed.connect(_forget_menus)
autoreload.file_changed.connect(_forget_menus)
