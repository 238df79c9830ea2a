"""Reading problems and 督办 orders: the lists, the open problems as of a date, the deadline colour
and the per-unit / per-area figures of the loop. One rule each; pages, exports and the meeting pack
call these.

Dates: a problem or order belongs to the period's end ("as of", ``portfolio.period``) by the *date*
of ``raised_at`` / ``issued_at`` / ``closed_at`` in the site's time zone.
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Case, CharField, Count, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from portfolio.filters import narrow
from portfolio.numbers import percent_text, plain, rate

from .models import Order, OrderEvent, OrderEventKind, OrderState, Problem, UnitMember

RATE_PLACES = 1
"""办结率 is shown with one decimal (the product's percent), on the 督办 page and in the pack."""

AMBER_DAYS = 3
"""An open order is amber (黄) when its deadline is at most this many days away, red when past."""


def _day_end(day):
    """The first instant after ``day`` in the site's time zone (``< _day_end(d)`` = on or before d)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def local_date(moment):
    return timezone.localtime(moment).date() if moment else None


# --- problems --------------------------------------------------------------------------------

def open_q(as_of, prefix=""):
    """Open at the end of ``as_of``: raised on or before it, not closed by it."""
    end = _day_end(as_of)
    return Q(**{f"{prefix}raised_at__lt": end}) & (
        Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": end}))


def problem_records():
    """Problems with what their rows show joined (project, area, unit)."""
    return Problem.objects.select_related("project", "project__area", "responsible_unit")


def open_problems(*, as_of, filters=None):
    """Problems open at the end of ``as_of`` (raised by then, not closed by then), oldest first."""
    qs = problem_records().filter(open_q(as_of)).order_by("raised_at", "id")
    return narrow(qs, "supervision.filters.ProblemFilterSet", filters)


def problems_in_period(*, period, filters=None):
    """The problems of the period: raised by its end and not closed before the year began (those
    solved in months 1..N and those still open at the end). Newest first."""
    qs = problem_records().filter(raised_at__lt=_day_end(period.end)).exclude(
        closed_at__lt=_day_start(period.start)).order_by("-raised_at", "-id")
    return narrow(qs, "supervision.filters.ProblemFilterSet", filters)


def open_problems_by_project(*, as_of, project_ids):
    """{project id: [open problems]} for the given projects, in one query (dashboard laggards)."""
    grouped = defaultdict(list)
    for problem in (Problem.objects.filter(open_q(as_of), project_id__in=list(project_ids))
                    .select_related("responsible_unit").order_by("raised_at", "id")):
        grouped[problem.project_id].append(problem)
    return grouped


def problem_counts(*, as_of):
    """Open problems at ``as_of`` by type: [(type value, count)] (the meeting pack, the list)."""
    return list(Problem.objects.filter(open_q(as_of)).order_by().values_list("type").annotate(n=Count("id")))


# --- orders ----------------------------------------------------------------------------------

def order_records():
    return Order.objects.select_related("project", "project__area", "responsible_unit", "problem", "milestone",
                                        "issued_by")


EVENT_STATES = {
    OrderEventKind.ISSUE: OrderState.ISSUED, OrderEventKind.SIGN: OrderState.SIGNED,
    OrderEventKind.PROGRESS: OrderState.IN_PROGRESS, OrderEventKind.REPLY: OrderState.REPLIED,
    OrderEventKind.RETURN: OrderState.RETURNED, OrderEventKind.ACCEPT: OrderState.CLOSED,
    OrderEventKind.CLOSE: OrderState.CLOSED,
}
"""The state an order is in after each step of its loop (``supervision.services`` writes both)."""


def with_state_at(orders, as_of):
    """Orders annotated with ``state_at_end``: the state at the end of ``as_of`` — the one its
    latest step on or before that day left it in (``EVENT_STATES``). An order without a step by
    then (one entered without its loop) is in its stored state, but 下发 if closed only later."""
    end = _day_end(as_of)
    latest = (OrderEvent.objects.filter(order=OuterRef("pk"), at__lt=end)
              .order_by("-at", "-id").values("kind")[:1])
    without_steps = Case(When(state=OrderState.CLOSED, closed_at__gte=end, then=Value(OrderState.ISSUED)),
                         default=F("state"), output_field=CharField())
    return orders.annotate(last_step_at_end=Subquery(latest)).annotate(state_at_end=Coalesce(
        Case(*[When(last_step_at_end=kind, then=Value(state)) for kind, state in EVENT_STATES.items()],
             default=None, output_field=CharField()),
        without_steps, output_field=CharField()))


def orders_in_period(*, period, filters=None):
    """The 督办 orders of the period: issued by its end and not closed before the year began, each
    with ``state_at_end`` (``with_state_at`` the period's end: what its 状态 column and filter show).
    Newest first."""
    qs = with_state_at(order_records().filter(issued_at__lt=_day_end(period.end))
                       .exclude(closed_at__lt=_day_start(period.start)), period.end).order_by("-issued_at", "-id")
    return narrow(qs, "supervision.filters.OrderFilterSet", filters)


def status_date(period):
    """The day an order's colour, overdue count and open count are judged at for ``period``: its
    end, or today while the period runs (an order due later this month is not yet overdue)."""
    return min(timezone.localdate(), period.end)


def open_orders(*, as_of):
    """Orders open at the end of ``as_of`` (issued by then, not closed by then), each with
    ``state_at_end`` (``with_state_at`` that day)."""
    end = _day_end(as_of)
    return with_state_at(
        order_records().filter(Q(issued_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))), as_of)


def order_with_events(pk):
    return order_records().prefetch_related(
        Prefetch("events", queryset=OrderEvent.objects.select_related("by").order_by("at", "id"))).get(pk=pk)


def closed_by(record, day):
    """An order (办结) or a problem (销号) closed on or before ``day`` — the date of its ``closed_at``
    in the site's time zone (``open_q`` is the same rule as a filter)."""
    closed_on = local_date(record.closed_at)
    return closed_on is not None and closed_on <= day


def overdue_at(order, day):
    """超期: not closed by ``day`` and its deadline before it (red in ``deadline_colour``)."""
    return not closed_by(order, day) and order.deadline < day


def deadline_colour(order, today):
    """The colour of an order at ``today``: "done" when closed by then; else "red" when its deadline
    has passed (``overdue_at``), "amber" when it is at most ``AMBER_DAYS`` days away (the deadline
    day itself included), "green" otherwise."""
    if closed_by(order, today):
        return "done"
    if overdue_at(order, today):
        return "red"
    days_left = (order.deadline - today).days
    if days_left <= AMBER_DAYS:
        return "amber"
    return "green"


COLOUR_LABELS = {"red": "超期", "amber": "临期", "green": "正常", "done": "办结"}


def closed_on_time(order):
    """Closed on or before its deadline (the 红黑榜's 督办按时办结)."""
    return closed_by(order, order.deadline)


def order_stats(*, period, by="unit"):
    """The loop's figures of the period's orders (``orders_in_period``) per responsible unit
    (``by="unit"``) or per area (``by="area"``), as of ``status_date(period)`` (the period's end,
    or today while it runs — the day the list's colours are at):

    - ``total``: orders of the period; ``closed``: those closed by then (``closed_by``); ``rate`` =
      closed ÷ total (办结率, None without orders), ``rate_text`` it shown (``RATE_PLACES``);
    - ``avg_days``: average days from 下发 to 办结 of the closed ones (None if none), ``avg_days_text``
      it shown (one decimal, no trailing zero);
    - ``returned``: times sent back (退回次数, summed); ``on_time``: closed on or before the
      deadline (``closed_on_time``); ``overdue``: still open then with the deadline passed
      (``overdue_at``: the list's red ones).

    One query; rows sorted by name.
    """
    if by not in ("unit", "area"):
        raise ValueError("by must be 'unit' or 'area'")
    end_day = status_date(period)
    key_fields = (("responsible_unit_id", "responsible_unit__name") if by == "unit"
                  else ("project__area_id", "project__area__name"))
    rows = {}
    for key, name, issued_at, closed_at, deadline, returned in (
            orders_in_period(period=period).order_by()
            .values_list(*key_fields, "issued_at", "closed_at", "deadline", "times_returned")):
        row = rows.setdefault(key, {"key": key, "name": name, "total": 0, "closed": 0, "days": 0,
                                    "returned": 0, "on_time": 0, "overdue": 0})
        row["total"] += 1
        row["returned"] += returned
        order = SimpleNamespace(closed_at=closed_at, deadline=deadline)
        if closed_by(order, end_day):
            row["closed"] += 1
            row["days"] += (closed_at - issued_at).total_seconds() / 86400
            row["on_time"] += closed_on_time(order)
        elif overdue_at(order, end_day):
            row["overdue"] += 1
    result = []
    for row in sorted(rows.values(), key=lambda r: r["name"] or ""):
        row["rate"] = rate(row["closed"], row["total"])
        days = row.pop("days")
        row["avg_days"] = Decimal(days) / row["closed"] if row["closed"] else None
        # rounded once, here, for the list's tables and the 调度会 pack alike
        row["rate_text"] = percent_text(row["rate"], RATE_PLACES)
        row["avg_days_text"] = plain(row["avg_days"], 1)
        result.append(row)
    return result


def unread_count(user):
    """Unread messages in the user's inbox (the menu badge): one query."""
    if not user.is_authenticated:
        return 0
    return user.notifications.filter(read_at__isnull=True).count()


def inbox(user):
    return user.notifications.order_by("-created_at", "-id")


def has_liaison(unit_id):
    """Whether the responsible unit has a liaison account (``UnitMember``) who can sign its orders."""
    return UnitMember.objects.filter(organisation_id=unit_id).exists()


def orders_nobody_can_sign():
    """Orders waiting to be signed (下发, not 签收) whose responsible unit has no liaison account:
    nobody can sign them in the system until the administrator opens one."""
    return (Order.objects.filter(state=OrderState.ISSUED)
            .exclude(responsible_unit__in=UnitMember.objects.values("organisation"))
            .select_related("responsible_unit").order_by("pk"))
