"""What a login without a role may open. The center's data — dashboards, projects, money,
evidence, workbooks — is for its 管理员, 领导 and 录入员 (``projects.permissions.has_a_role``); a
责任单位 liaison (``supervision.UnitMember``, no role) signs in to handle its unit's 督办: it opens
the problem and 督办 pages (the loop's 通报 is read by every unit), its messages and its password,
and is sent from the dashboard to the 督办 list. Every other page is 403 with the reason.

Pages check their own rights too, and every write is theirs alone (refused with their own reason);
this is the one rule for reading, so that a page added later is closed to a liaison without anyone
listing it."""
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from projects.permissions import has_a_role

OPEN_WITHOUT_ROLE = {
    "login", "logout", "password_change", "password_change_done", "healthz",
    "inbox", "order_list", "order_detail", "problem_list", "problem_detail",
}
OWN_RULES = ("admin", "opendata")
"""Namespaces that decide for themselves: the admin site (staff only) and open data (public or login)."""


class RoleRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or user is None or not user.is_authenticated or match is None:
            return None  # a write is the page's own rule, refused with its own reason
        if match.view_name in OPEN_WITHOUT_ROLE or (match.namespaces and match.namespaces[0] in OWN_RULES):
            return None
        if has_a_role(user):  # the groups, read once per request: the page's own checks reuse them
            return None
        if match.view_name == "dashboard":
            return redirect("order_list")
        raise PermissionDenied(_("您的账号没有角色（管理员、领导或录入员），只能查看问题、督办和消息。"))
