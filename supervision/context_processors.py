"""Template context for every page: ``unread_messages`` (the menu's inbox badge — one COUNT query)
and ``supervises`` (领导/管理员: offered 督办 links), each computed only when a template asks."""
from django.db.models import prefetch_related_objects
from django.utils.functional import SimpleLazyObject


def inbox(request):
    from .selectors import unread_count

    def supervises():
        from projects.permissions import can_supervise

        user = request.user
        if not user.is_authenticated:
            return False
        if not user.is_superuser:
            prefetch_related_objects([user], "groups")
        return can_supervise(user)

    return {"unread_messages": SimpleLazyObject(lambda: unread_count(request.user)),
            "supervises": SimpleLazyObject(supervises)}
