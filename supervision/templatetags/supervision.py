"""Template helpers of the problem and 督办 pages, the project page and the dashboard."""
from django import template

from portfolio.versions import person

register = template.Library()


@register.filter
def who(user):
    """A user as pages name them: full name, else username; — for nobody."""
    return person(user, nobody="—")


@register.inclusion_tag("supervision/includes/project_supervision.html", takes_context=True)
def project_supervision(context, project):
    """The project page's card: its open problems and open 督办 orders at the page's date
    (``as_of``, else today), with 登记问题 / 下发督办 for those who may (two queries + rights)."""
    from django.utils import timezone

    from projects.permissions import can_supervise, editable_projects

    from ..selectors import deadline_colour, open_orders, open_problems

    as_of = context.get("as_of") or timezone.localdate()
    user = context["request"].user
    orders = list(open_orders(as_of=as_of).filter(project=project).order_by("deadline", "id"))
    for order in orders:
        order.colour = deadline_colour(order, as_of)
    return {
        "project": project, "as_of": as_of,
        "problems": list(open_problems(as_of=as_of).filter(project=project)),
        "orders": orders,
        "may_raise": editable_projects(user).filter(pk=project.pk).exists(),
        "may_issue": can_supervise(user),
    }


@register.simple_tag
def open_problems_for(rows, as_of):
    """{project id: [open problems at ``as_of``]} for rows with ``project_id`` (the dashboard's
    laggards) — one query for all of them."""
    from ..selectors import open_problems_by_project

    return open_problems_by_project(as_of=as_of, project_ids={row.project_id for row in rows})


@register.inclusion_tag("supervision/includes/raise_link.html")
def raise_problem_link(project_id, year, month, text):
    """登记为问题: a month's 存在问题 raised as a problem in one click (the form prefilled)."""
    return {"project_id": project_id, "year": year, "month": month, "text": (text or "")[:500]}


@register.filter
def get_list(mapping, key):
    return mapping.get(key, []) if mapping else []
