"""``{% record_menu as items %}``: the 台账 menu's [(label, URL name)] from ``records.registry``."""
from django import template

register = template.Library()


@register.simple_tag
def record_menu():
    from records.registry import menu_items

    return menu_items()
