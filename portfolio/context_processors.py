"""Template context for every page."""
from django.db.models import prefetch_related_objects
from django.utils.functional import SimpleLazyObject


def user_check(request, check):
    """A yes/no about the signed-in user for the templates, evaluated only when a template asks:
    False for an anonymous visitor, else ``check(user)`` with the user's groups loaded once for
    the request (the role tests of projects.permissions read them)."""

    def evaluate():
        user = request.user
        if not user.is_authenticated:
            return False
        if not user.is_superuser:
            prefetch_related_objects([user], "groups")
        return check(user)

    return SimpleLazyObject(evaluate)


def roles(request):
    """``keeps_records``: whether the navigation offers the record forms (录入员 and 管理员; leaders
    read only); ``prepares_plans``: administrators are offered 编制年度计划 (next year's plan);
    ``has_a_role``: a 责任单位 liaison (no role) is offered only the pages it may open
    (portfolio.access), not a menu of pages that answer 403."""
    from projects.models import Role
    from projects.permissions import has_a_role, has_role, is_admin

    return {"keeps_records": user_check(request, lambda user: is_admin(user) or has_role(user, Role.STAFF)),
            "prepares_plans": user_check(request, is_admin),
            "has_a_role": user_check(request, has_a_role)}
