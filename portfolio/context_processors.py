"""Template context for every page."""
from django.db.models import prefetch_related_objects
from django.utils.functional import SimpleLazyObject


def roles(request):
    """``keeps_records``: whether the navigation offers the record forms (录入员 and 管理员; leaders
    read only). Evaluated only when a template asks; loads the user's groups once for the request."""

    def keeps_records():
        from projects.models import Role
        from projects.permissions import has_role, is_admin

        user = request.user
        if not user.is_authenticated:
            return False
        if not user.is_superuser:
            prefetch_related_objects([user], "groups")
        return is_admin(user) or has_role(user, Role.STAFF)

    def plans_year():
        """Administrators are offered 编制年度计划 (next year's plan); others get False."""
        from projects.permissions import is_admin

        user = request.user
        if not user.is_authenticated:
            return False
        if not user.is_superuser:
            prefetch_related_objects([user], "groups")
        return is_admin(user)

    return {"keeps_records": SimpleLazyObject(keeps_records), "prepares_plans": SimpleLazyObject(plans_year)}
