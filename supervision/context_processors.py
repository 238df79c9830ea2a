"""``unread_messages``: the menu's inbox badge — one COUNT query, only when a template asks."""
from django.utils.functional import SimpleLazyObject


def inbox(request):
    from .selectors import unread_count

    return {"unread_messages": SimpleLazyObject(lambda: unread_count(request.user))}
