"""Writing problems, 督办 orders and messages. Every change runs in a transaction, checks its
rights (``projects.permissions``: a crafted POST raises PermissionDenied with the reason in Chinese)
and its rules (ValidationError in Chinese, nothing saved), and records who and when.

The 督办 loop (``OrderState``)::

    下发 ISSUED → 签收 SIGNED → 办理中 IN_PROGRESS (progress replies, any number)
        → 已反馈 REPLIED → 复核: accepted → 办结 CLOSED, or 退回 RETURNED (with a reason)
        → 办理中 / 已反馈 again …

The issuer's side (领导, 管理员: ``can_supervise``) issues, accepts and sends back; the unit's side
(members of the responsible unit: ``acts_for_unit``) signs, handles and replies. Nobody accepts or
sends back a reply of their own unit, and nobody outside the unit replies for it.
"""
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.period import MAX_YEAR, MIN_YEAR
from projects.permissions import acts_for_unit, can_supervise
from projects.services import require_editable

from .models import (
    Notification, NotificationKind, Order, OrderEvent, OrderEventKind, OrderState, Problem, ProblemStatus,
    ReminderSettings, UnitMember,
)

log = logging.getLogger(__name__)


# --- problems --------------------------------------------------------------------------------

def _check_deadline(problem):
    """A problem raised for a month (a month row's 存在问题) is not due before that month began;
    none is due outside the years the product knows (1900-01-01 was overdue on every list)."""
    if problem.deadline is not None and problem.deadline.year > MAX_YEAR:
        raise ValidationError({"deadline": _("解决时限不能晚于%(y)s年。") % {"y": MAX_YEAR}})
    if problem.deadline is not None and problem.deadline.year < MIN_YEAR:
        raise ValidationError({"deadline": _("解决时限不能早于%(y)s年。") % {"y": MIN_YEAR}})
    if problem.deadline is not None and problem.year and problem.month \
            and (problem.deadline.year, problem.deadline.month) < (problem.year, problem.month):
        raise ValidationError({"deadline": _("解决时限不能早于问题的提出月份（%(y)s年%(m)s月）。")
                                           % {"y": problem.year, "m": problem.month}})


@transaction.atomic
def problem_create(*, user, project, type, description, responsible_unit=None, deadline=None,
                   year=None, month=None, at=None):
    """Raise a problem on a project the user may edit (录入员 of its area, 管理员)."""
    require_editable(user, [project])
    problem = Problem(project=project, type=type, description=(description or "").strip(),
                      responsible_unit=responsible_unit, deadline=deadline, year=year, month=month,
                      raised_by=user, raised_at=at or timezone.now())
    if (year is None) != (month is None):
        raise ValidationError({"month": _("提出月份须同时填写年度和月份。")})
    raised_on = timezone.localtime(problem.raised_at).date()
    if year is not None and (year, month) > (raised_on.year, raised_on.month):
        raise ValidationError({"month": _("提出月份不能晚于登记当月（%(y)s年%(m)s月）。")
                                        % {"y": raised_on.year, "m": raised_on.month}})
    _check_deadline(problem)
    problem.full_clean()
    same = Problem.objects.filter(project=project, type=type, description=problem.description,
                                  status=ProblemStatus.OPEN).values_list("pk", flat=True).first()
    if same:  # a double click, a second tab, the browser's resend
        raise ValidationError({"description": _("该项目已有相同的待解决问题（#%(pk)s），未重复登记。") % {"pk": same}})
    problem.save()
    return problem


def problem_version(problem):
    """The problem's latest change (its history row), as the edit page carries it."""
    return str(problem.history.order_by("-history_id").values_list("history_id", flat=True).first() or "")


@transaction.atomic
def problem_update(*, user, problem, type, description, responsible_unit=None, deadline=None, loaded_change=None):
    """Change an open problem's type, description, responsible unit or deadline. ``loaded_change``
    (``problem_version`` when the page was shown; None: not checked, for commands) must still be
    the latest: a save from a stale page is refused."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    require_editable(user, [problem.project_id])
    if problem.status == ProblemStatus.CLOSED:
        raise ValidationError(_("该问题已销号，不能修改。"))
    if loaded_change is not None and loaded_change != problem_version(problem):
        raise ValidationError(_("该问题在您打开页面后已被修改，您的修改未保存。请刷新页面，查看最新内容后重新填写。"))
    problem.type, problem.description = type, (description or "").strip()
    problem.responsible_unit, problem.deadline = responsible_unit, deadline
    _check_deadline(problem)
    problem.full_clean()
    problem.save()
    return problem


@transaction.atomic
def problem_close(*, user, problem, resolution, at=None):
    """Close (销号) a problem with how it was solved; the resolution is required, and its 督办
    orders are all 办结 first."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    require_editable(user, [problem.project_id])
    if problem.status == ProblemStatus.CLOSED:
        raise ValidationError(_("该问题已于%(when)s销号，不能重复销号。")
                              % {"when": timezone.localtime(problem.closed_at).strftime("%Y-%m-%d")})
    open_orders = list(problem.orders.exclude(state=OrderState.CLOSED).order_by("pk").values_list("pk", flat=True))
    if open_orders:  # the 督办 loop ends with the issuer's review, not with the clerk's 销号
        raise ValidationError(_("该问题的督办（%(orders)s）尚未办结，须经复核办结后再销号。")
                              % {"orders": "、".join(f"#{pk}" for pk in open_orders)})
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("问题销号须填写解决情况。")})
    problem.status, problem.resolution = ProblemStatus.CLOSED, resolution
    problem.closed_by, problem.closed_at = user, at or timezone.now()
    problem.full_clean()
    problem.save()
    return problem


# --- messages --------------------------------------------------------------------------------

def notify(*, recipient, kind, key, title, body="", url="", on=None, at=None):
    """Put a message in ``recipient``'s inbox and e-mail it (when enabled and the user has an
    address), once per (recipient, kind, key, day): a second call the same day returns None and
    sends nothing. Returns the new Notification."""
    on = on or (timezone.localtime(at).date() if at else timezone.localdate())
    if not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            message = Notification.objects.create(recipient=recipient, kind=kind, key=key, sent_on=on,
                                                  title=title[:200], body=body, url=url,
                                                  created_at=at or timezone.now())
    except IntegrityError:
        return None  # already sent today (the unique sent log)
    if recipient.email and ReminderSettings.load().send_email:
        Notification.objects.filter(pk=message.pk).update(emailed=True)
        transaction.on_commit(lambda: _email(recipient.email, title, body, url))
    return message


def _email(address, title, body, url):
    link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url and getattr(settings, "SITE_URL", "") else ""
    try:
        send_mail(f"【重点项目】{title}", f"{body}{link}", None, [address])
    except Exception:  # a mail server down must not undo the step; the inbox has the message
        log.exception("reminder e-mail to %s failed", address)


@transaction.atomic
def notification_read(*, user, pk=None):
    """Mark one (``pk``) or all of the user's unread messages read; returns how many."""
    qs = user.notifications.filter(read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())


def unit_users(organisation_id):
    return [m.user for m in UnitMember.objects.filter(organisation_id=organisation_id, user__is_active=True)
            .select_related("user").order_by("user__username")]


# --- 督办 orders ------------------------------------------------------------------------------

ISSUER_ONLY = _("只有领导或管理员可以下发、复核督办。")
UNIT_ONLY = _("只有责任单位“%(unit)s”的联络人可以签收、办理和反馈该督办，他人不能代为反馈。")
OWN_REPLY = _("责任单位不能复核本单位的反馈。")


def _require_issuer(user, order=None):
    if not can_supervise(user):
        raise PermissionDenied(ISSUER_ONLY)
    if order is not None and acts_for_unit(user, order.responsible_unit_id):
        raise PermissionDenied(OWN_REPLY)


def _require_unit(user, order):
    if not acts_for_unit(user, order.responsible_unit_id):
        raise PermissionDenied(UNIT_ONLY % {"unit": order.responsible_unit})


def _require_state(order, allowed, action):
    if order.state not in allowed:
        raise ValidationError(_("该督办当前状态为“%(state)s”，不能%(action)s。请刷新页面查看最新进展。")
                              % {"state": order.get_state_display(), "action": action})


def _locked(order):
    return Order.objects.select_for_update().select_related("responsible_unit", "project").get(pk=order.pk)


def _event(order, kind, user, text="", at=None):
    return OrderEvent.objects.create(order=order, kind=kind, by=user, text=text, at=at or timezone.now())


def _order_url(order):
    return reverse("order_detail", args=[order.pk])


def _text(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def order_issue(*, user, project, content, responsible_unit, deadline, source, problem=None, milestone=None,
                today=None, at=None):
    """下发: a leader or administrator issues an order to a unit with a deadline."""
    _require_issuer(user)
    today = today or timezone.localdate()
    errors = {}
    if not (content or "").strip():
        errors["content"] = _("请填写督办内容。")
    if deadline is None:
        errors["deadline"] = _("请填写办理时限。")
    elif deadline < today:
        errors["deadline"] = _("办理时限不能早于今天（%(today)s）。") % {"today": today.isoformat()}
    elif deadline.year > MAX_YEAR:
        errors["deadline"] = _("办理时限不能晚于%(y)s年。") % {"y": MAX_YEAR}
    if problem is not None and problem.project_id != project.pk:
        errors["problem"] = _("所选问题不属于该项目。")
    elif problem is not None and problem.status == ProblemStatus.CLOSED:
        errors["problem"] = _("所选问题已销号，不能再下发督办。")
    if milestone is not None and milestone.project_id != project.pk:
        errors["milestone"] = _("所选节点不属于该项目。")
    if errors:
        raise ValidationError(errors)
    order = Order(project=project, problem=problem, milestone=milestone, source=source, content=content.strip(),
                  responsible_unit=responsible_unit, deadline=deadline, state=OrderState.ISSUED,
                  issued_by=user, issued_at=at or timezone.now())
    order.full_clean()
    same = (Order.objects.filter(project=project, responsible_unit=responsible_unit, content=order.content,
                                 deadline=deadline).exclude(state=OrderState.CLOSED)
            .values_list("pk", flat=True).first())
    if same:  # a double click, a second tab, the browser's resend
        raise ValidationError({"content": _("已向该单位下发过相同的督办（#%(pk)s，尚未办结），未重复下发。") % {"pk": same}})
    order.save()
    _event(order, OrderEventKind.ISSUE, user, order.content, at)
    for member in unit_users(responsible_unit.pk):
        notify(recipient=member, kind=NotificationKind.ORDER_ISSUED, key=f"order:{order.pk}",
               title=_("新督办：%(project)s，限%(deadline)s前办结") % {"project": project, "deadline": deadline},
               body=order.content, url=_order_url(order), at=at)
    return order


@transaction.atomic
def order_sign(*, user, order, at=None):
    """签收: the unit acknowledges the order."""
    order = _locked(order)
    _require_unit(user, order)
    _require_state(order, [OrderState.ISSUED], _("签收"))
    order.state = OrderState.SIGNED
    order.save()
    _event(order, OrderEventKind.SIGN, user, "", at)
    return order


def _unit_report(*, user, order, text, at, action, missing, state, kind):
    """The unit's written report on a signed (or returned) order — 办理 or 反馈: the text is
    required (``missing`` when blank); the order moves to ``state`` and the report is recorded
    as an event of ``kind``. Returns the order, the event and the stripped text."""
    order = _locked(order)
    _require_unit(user, order)
    _require_state(order, [OrderState.SIGNED, OrderState.IN_PROGRESS, OrderState.RETURNED], action)
    text = _text(text, "text", missing)
    order.state = state
    order.save()
    return order, _event(order, kind, user, text, at), text


@transaction.atomic
def order_progress(*, user, order, text, at=None):
    """办理: the unit reports progress (any number of times) before its 反馈."""
    order, *_report = _unit_report(user=user, order=order, text=text, at=at, action=_("填写办理进展"),
                                   missing=_("请填写办理进展。"), state=OrderState.IN_PROGRESS,
                                   kind=OrderEventKind.PROGRESS)
    return order


@transaction.atomic
def order_reply(*, user, order, text, at=None):
    """反馈: the unit reports the order done and asks for review; the issuer is told."""
    order, event, text = _unit_report(user=user, order=order, text=text, at=at, action=_("反馈"),
                                      missing=_("请填写反馈内容（办理结果）。"), state=OrderState.REPLIED,
                                      kind=OrderEventKind.REPLY)
    if order.issued_by is not None:
        notify(recipient=order.issued_by, kind=NotificationKind.ORDER_REPLIED, key=f"event:{event.pk}",
               title=_("督办已反馈待复核：%(project)s") % {"project": order.project},
               body=text, url=_order_url(order), at=at)
    return order


@transaction.atomic
def order_return(*, user, order, text, at=None):
    """复核 — 退回: the issuer's side sends the reply back with a reason; the unit is told."""
    order = _locked(order)
    _require_issuer(user, order)
    _require_state(order, [OrderState.REPLIED], _("退回"))
    reason = _text(text, "text", _("退回须说明理由。"))
    order.state = OrderState.RETURNED
    order.times_returned += 1
    order.save()
    event = _event(order, OrderEventKind.RETURN, user, reason, at)
    for member in unit_users(order.responsible_unit_id):
        notify(recipient=member, kind=NotificationKind.ORDER_RETURNED, key=f"event:{event.pk}",
               title=_("督办被退回：%(project)s") % {"project": order.project}, body=reason, url=_order_url(order), at=at)
    return order


@transaction.atomic
def order_accept(*, user, order, text="", at=None):
    """复核 — 通过, and 办结 (销号): the issuer's side accepts the reply and closes the order."""
    order = _locked(order)
    _require_issuer(user, order)
    _require_state(order, [OrderState.REPLIED], _("复核通过"))
    order.state, order.closed_at = OrderState.CLOSED, at or timezone.now()
    order.full_clean()
    order.save()
    _event(order, OrderEventKind.ACCEPT, user, (text or "").strip(), at)
    event = _event(order, OrderEventKind.CLOSE, user, "", at)
    for member in unit_users(order.responsible_unit_id):
        notify(recipient=member, kind=NotificationKind.ORDER_CLOSED, key=f"event:{event.pk}",
               title=_("督办已办结：%(project)s") % {"project": order.project}, url=_order_url(order), at=at)
    return order


STEPS = {
    "sign": order_sign,
    "progress": order_progress,
    "reply": order_reply,
    "return": order_return,
    "accept": order_accept,
}
"""The steps a POST to an order's page may name (``step``), each with its own rights and rule."""
