"""Template context for every page: ``unread_messages`` (the menu's inbox badge — one COUNT query)
and ``supervises`` (领导/管理员: offered 督办 links), each computed only when a template asks."""
from django.utils.functional import SimpleLazyObject

from portfolio.context_processors import user_check


def inbox(request):
    from projects.permissions import can_supervise

    from .selectors import unread_count

    return {"unread_messages": SimpleLazyObject(lambda: unread_count(request.user)),
            "supervises": user_check(request, can_supervise)}
