"""The reminders ``manage.py send_reminders`` sends on a day (``run(today)``), each to the inbox
and — when enabled and the user has an address — by e-mail (``services.notify``):

- **月报未填报**: month N not reported by day ``ReminderSettings.report_day`` of month N+1 — one
  message to each 录入员 with unreported projects (``investment.selectors.reporting_status``);
- **节点临期 / 节点逾期**: open nodes (``projects.Milestone``) of the year's plan due within
  ``node_days_ahead`` days, or overdue — one digest of each kind to each 录入员 of the projects;
- **督办临期 / 督办超期**: open 督办 orders within ``order_days_ahead`` days of their deadline, or
  past it — to the unit's contacts (and, when overdue, to the issuer).

Replies and send-backs are sent at the step itself (``services.order_reply`` / ``order_return``).
Idempotent: every message is logged once per (recipient, kind, object, day) — the
``Notification`` unique constraint — so a second run on the same day sends nothing.
"""
import datetime as dt
from collections import Counter, defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from investment.selectors import reporting_status
from portfolio.numbers import Period
from projects.models import Role, StaffAssignment
from projects.selectors import milestones_in_period

from .models import NotificationKind, OrderState, ReminderSettings
from .selectors import open_orders, overdue_at
from .services import notify, unit_users


def previous_month(today):
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def late_reports(today, settings):
    """[(user, year, month, missing projects)] when the previous month is past its report day."""
    year, month = previous_month(today)
    if today.day <= settings.report_day:
        return []
    status = reporting_status(year=year, month=month, today=today)
    missing = defaultdict(list)
    for area in status["areas"]:
        for row in area["missing"]:
            for user in row["staff"]:
                missing[user].append(row["project"])
    return [(user, year, month, projects) for user, projects in missing.items()]


def _clerks_by_project(project_ids):
    """{project id: [录入员]} — assigned to the project or to its area (one query)."""
    from projects.models import Project

    areas = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "area_id"))
    result = defaultdict(dict)
    for a in (StaffAssignment.objects.filter(user__groups__name=Role.STAFF, user__is_active=True)
              .select_related("user")):
        for pk, area_id in areas.items():
            if a.project_id == pk or (a.area_id is not None and a.area_id == area_id):
                result[pk][a.user.pk] = a.user
    return {pk: list(users.values()) for pk, users in result.items()}


def due_nodes(today, settings):
    """{(user, kind): [milestones]}: open nodes of the year's plan due within the window or overdue."""
    horizon = today + dt.timedelta(days=settings.node_days_ahead)
    nodes = list(milestones_in_period(period=Period(today.year, today.month))
                 .filter(done_on__isnull=True, planned_on__lte=horizon).order_by("planned_on", "id"))
    clerks = _clerks_by_project({m.project_id for m in nodes})
    digest = defaultdict(list)
    for m in nodes:
        kind = NotificationKind.NODE_OVERDUE if m.planned_on < today else NotificationKind.NODE_DUE
        for user in clerks.get(m.project_id, []):
            digest[(user, kind)].append(m)
    return digest


def run(today, *, settings=None):
    """Send the day's reminders; returns a Counter of the messages sent, by kind."""
    settings = settings or ReminderSettings.load()
    sent = Counter()

    def send(**kw):
        if notify(on=today, **kw) is not None:
            sent[kw["kind"]] += 1

    for user, year, month, projects in late_reports(today, settings):
        names = "、".join(p.name for p in projects[:10]) + ("等" if len(projects) > 10 else "")
        send(recipient=user, kind=NotificationKind.LATE_REPORT, key=f"month:{year}-{month:02d}",
             title=_("%(year)s年%(month)s月月报尚有%(n)s个项目未填报") % {"year": year, "month": month, "n": len(projects)},
             body=_("截止日为次月%(day)s日，请尽快填报：%(names)s。") % {"day": settings.report_day, "names": names},
             url=reverse("investment:month", args=[year, month]))

    for (user, kind), nodes in due_nodes(today, settings).items():
        lines = "\n".join(f"{m.project.name} · {m.name}（计划 {m.planned_on.isoformat()}）" for m in nodes)
        overdue = kind == NotificationKind.NODE_OVERDUE
        title = (_("%(n)s个节点已逾期未完成") if overdue else _("%(n)s个节点将在%(days)s天内到期")) % {
            "n": len(nodes), "days": settings.node_days_ahead}
        send(recipient=user, kind=kind, key="nodes", title=title, body=lines,
             url=reverse("records:overdue") if overdue else reverse("projects:milestones"))

    horizon = today + dt.timedelta(days=settings.order_days_ahead)
    orders = (open_orders(as_of=today).exclude(state=OrderState.CLOSED).filter(deadline__lte=horizon)
              .order_by("deadline", "id"))
    members = defaultdict(list)
    for order in orders:
        if order.responsible_unit_id not in members:
            members[order.responsible_unit_id] = unit_users(order.responsible_unit_id)
        overdue = overdue_at(order, today)
        kind = NotificationKind.ORDER_OVERDUE if overdue else NotificationKind.ORDER_DUE
        days = (today - order.deadline).days if overdue else (order.deadline - today).days
        title = (_("督办已超期%(days)s天：%(project)s") if overdue else _("督办还有%(days)s天到期：%(project)s")) % {
            "days": days, "project": order.project}
        recipients = list(members[order.responsible_unit_id])
        if overdue and order.issued_by is not None:
            recipients.append(order.issued_by)
        for user in {u.pk: u for u in recipients}.values():
            send(recipient=user, kind=kind, key=f"order:{order.pk}", title=title, body=order.content,
                 url=reverse("order_detail", args=[order.pk]))
    return sent
