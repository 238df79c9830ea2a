"""Who may do what. Every view and export asks here; nothing else decides.

- 管理员 (and superusers): everything.
- 领导: read everything, edit nothing.
- 录入员: read everything, edit only the projects of their assigned areas or projects.
- 检查人 of a site inspection: 录入员 and 管理员 (``can_inspect``), never the one who sent the fix.
- a login without a role (a 责任单位 liaison): only 问题, 督办 and its messages (``portfolio.access``);
  it signs, handles and replies to its own unit's 督办 (``acts_for_unit``).
"""
from django.db.models import Q, prefetch_related_objects

from .models import Project, Role


def role_names(user):
    """The names of the user's groups, read once per user object (one per request): the groups are
    prefetched, so later checks (and the menu's) reuse them; adding a group clears the cache."""
    prefetch_related_objects([user], "groups")
    return {group.name for group in user.groups.all()}


def has_role(user, role):
    if not user.is_authenticated:
        return False
    return role in role_names(user)


def has_any_role(user, roles):
    """A superuser, or a user in one of ``roles``."""
    return user.is_authenticated and (user.is_superuser or bool(role_names(user) & set(roles)))


def has_a_role(user):
    """管理员, 领导 or 录入员 (or a superuser): a login alone — a 责任单位 liaison's — does not read
    the center's data (``portfolio.access``)."""
    return has_any_role(user, Role.values)


def is_admin(user):
    return has_any_role(user, (Role.ADMIN,))


def editable_projects(user):
    """The projects ``user`` may enter data for (a queryset)."""
    if is_admin(user):
        return Project.objects.all()
    if not has_role(user, Role.STAFF):
        return Project.objects.none()
    return Project.objects.filter(
        Q(area__assignments__user=user) | Q(assignments__user=user)
    ).distinct()


def can_edit_project(user, project):
    return editable_projects(user).filter(pk=project.pk).exists()


INSPECTOR_ROLES = (Role.ADMIN, Role.STAFF)
"""Who may be named 检查人 of a site inspection: the center's engineers and administrators. The
检查人 later accepts or sends back the contractor's fix (验收销项), a write: a 领导 who leads an
inspection is noted in its 说明, not named 检查人."""


def can_inspect(user):
    return has_any_role(user, INSPECTOR_ROLES)


def can_supervise(user):
    """督办 issuer's side: leaders and administrators issue orders, accept or send back replies."""
    return is_admin(user) or has_role(user, Role.LEADER)


def acts_for_unit(user, organisation_id):
    """The unit's side of a 督办 order: users linked to the responsible unit
    (``supervision.UnitMember``) sign, handle and reply; nobody else may speak for the unit."""
    return user.is_authenticated and user.unit_memberships.filter(organisation_id=organisation_id).exists()
