"""Writing monthly progress (月度填报) and month locks.

``progress_save_month`` is the one way progress is entered, from the month page and from an
uploaded Excel template alike. It checks every row first and saves all rows or none, in one
transaction, with bulk operations (history included), so a 200-row save costs a fixed number of
queries.

Decisions a user will notice (README "月度填报" documents them):

- **Amount above the remaining total investment** (本月完成 > 项目总投资 − 其他月份累计): a
  *warning the user must confirm* on the month page (tick "确认超额" and save again). An upload
  cannot confirm: such a row is refused with a message asking to confirm on the month page.
  Projects without a recorded total investment (0) are not checked.
- **形象进度 lower than the last percent entered** needs a reason in 存在问题.
- **Future months** and **locked months** take no entry from anyone; an administrator reopens a
  locked month (with a reason, kept in the lock's history) before it can be changed.
- **Concurrent edits**: each row carries the ``version`` it was loaded with and a fingerprint of
  the values it showed. A row the user did not change is left alone; a changed row whose record
  moved on since it was loaded is refused, naming who changed it and when.
- A row whose values equal what is stored is not written (no new version, no history), so
  saving or uploading the same data twice changes nothing the second time.
"""
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portfolio.bulk import RowUpdater
from portfolio.numbers import Period, wan
from portfolio.versions import keep_loaded_versions, person
from projects.permissions import editable_projects, is_admin

from . import selectors
from .models import MonthLock, MonthlyProgress
from .rollups import refresh_rollups

INPUT_FIELDS = ("completed", "physical_percent", "physical_progress", "problems")
ROW = "__row__"
"""Key of an error that concerns the whole row rather than one cell."""


def _text(value):
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _money(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def normalised(completed, physical_percent, physical_progress, problems):
    """The four inputs in the form they are compared and stored in."""
    return (_money(completed), _money(physical_percent), _text(physical_progress), _text(problems))


def fingerprint(completed=None, physical_percent=None, physical_progress="", problems=""):
    """A short digest of a row's values as shown to the user, to tell later whether they changed it."""
    values = normalised(completed, physical_percent, physical_progress, problems)
    raw = "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def progress_fingerprint(progress):
    if progress is None:
        return fingerprint()
    return fingerprint(progress.completed, progress.physical_percent, progress.physical_progress, progress.problems)


@dataclass
class ProgressInput:
    """One row as parsed from the page or the workbook (numbers already Decimals or None)."""

    entry_id: int
    completed: Decimal | None = None
    physical_percent: Decimal | None = None
    physical_progress: str = ""
    problems: str = ""
    version: int = 0
    loaded_fingerprint: str = ""
    confirm_over: bool = False
    key: object = None
    """How errors refer to the row (the page: the entry id; an upload: the sheet row number)."""

    def values(self):
        return normalised(self.completed, self.physical_percent, self.physical_progress, self.problems)

    def is_empty(self):
        completed, percent, progress, problems = self.values()
        return completed is None and percent is None and not progress and not problems


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class MonthEntryError(ValidationError):
    """Nothing was saved. ``cells`` maps a row key to {field or ROW: [messages]}; ``warnings``
    likewise for amounts the user may confirm; ``general`` holds messages about the whole month."""

    def __init__(self, *, cells=None, warnings=None, general=None):
        self.cells = cells or {}
        self.warnings = warnings or {}
        self.general = general or []
        messages = list(self.general)
        for rows in (self.cells, self.warnings):
            for fields in rows.values():
                for msgs in fields.values():
                    messages.extend(msgs)
        super().__init__(messages or [_("数据有误，未保存。")])


def user_label(user):
    return person(user, nobody=_("（未知用户）"))


def check_month_open(*, year, month, today=None, for_update=False):
    """Refuse a future month or a locked month (ValidationError with the reason).

    ``for_update`` (inside the transaction that writes the month) takes the row lock of the
    month's MonthLock row, so that locking the month waits for this transaction and a save that
    starts after the lock committed sees it: no save commits after a lock."""
    today = today or timezone.localdate()
    if not 1 <= month <= 12:
        raise ValidationError(_("月份必须在1到12之间。"))
    if (year, month) > (today.year, today.month):
        raise ValidationError(_("%(y)s年%(m)s月尚未到来，不能填报。") % {"y": year, "m": month})
    locked = (month_lock_row(year=year, month=month).is_locked if for_update
              else selectors.month_is_locked(year=year, month=month))
    if locked:
        raise ValidationError(
            _("%(y)s年%(m)s月已锁定，不能修改；如需更正请联系管理员解锁。") % {"y": year, "m": month})


def month_lock_row(*, year, month):
    """The month's MonthLock row, locked (``SELECT … FOR UPDATE``) until the transaction ends.

    A month never locked gets an unlocked row first, so that there is a row to lock: saves and
    the lock then queue on it. It is inserted without history (bulk_create sends no signals): it
    records no decision. On SQLite FOR UPDATE does nothing; the write transaction itself
    (``transaction_mode`` IMMEDIATE in settings) serialises saves and locks."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("month_lock_row() must run inside transaction.atomic()")
    row = MonthLock.objects.select_for_update().filter(year=year, month=month).first()
    if row is None:
        MonthLock.objects.bulk_create([MonthLock(year=year, month=month, is_locked=False)], ignore_conflicts=True)
        row = MonthLock.objects.select_for_update().get(year=year, month=month)
    return row


def _stale_message(progress):
    when = timezone.localtime(progress.updated_at).strftime("%Y-%m-%d %H:%M")
    return _("该行已被 %(who)s 于 %(when)s 修改（本月完成 %(amount)s 万元），您的修改未保存；请刷新页面后重新填写。") % {
        "who": user_label(progress.updated_by), "when": when, "amount": wan(progress.completed)}


def progress_save_month(*, user, year, month, rows, today=None, allow_confirm=True, validate_only=False,
                        entries=None):
    """Validate every row of a month and save them all, or raise ``MonthEntryError`` and save none.

    Raises ``PermissionDenied`` when a row is not one of the user's projects (a crafted request).
    ``allow_confirm`` is False for uploads, where an amount above the remaining total investment
    cannot be confirmed and is refused. ``validate_only`` checks without writing (the page uses it
    to report the rule errors of the rows it could read alongside the cells it could not).
    ``entries`` ({pk: entry}) are ``selectors.month_entries`` of this month the caller has already
    read (the upload form does): used when they hold every row's entry, instead of reading again.
    """
    try:
        check_month_open(year=year, month=month, today=today)
    except ValidationError as exc:
        raise MonthEntryError(general=exc.messages) from exc
    return _check_or_save(user=user, year=year, month=month, rows=rows, today=today, allow_confirm=allow_confirm,
                          validate_only=validate_only, entries=entries)


def progress_check_month(*, user, year, month, rows, allow_confirm=True, entries=None):
    """The row checks of ``progress_save_month`` without writing and without the month-open
    check: an upload to a locked or future month lists its rows' errors beside that reason, so
    the user fixes everything in one go. Raises ``MonthEntryError`` (or ``PermissionDenied``)."""
    return _check_or_save(user=user, year=year, month=month, rows=rows, today=None, allow_confirm=allow_confirm,
                          validate_only=True, entries=entries)


def _check_or_save(*, user, year, month, rows, today, allow_confirm, validate_only, entries=None):
    entry_ids = [row.entry_id for row in rows]
    if len(set(entry_ids)) != len(entry_ids):
        raise MonthEntryError(general=[_("同一项目提交了多行，未保存。")])
    try:
        with transaction.atomic():
            if not validate_only:
                # again, under the month's row lock: a lock committed since the check above wins
                try:
                    check_month_open(year=year, month=month, today=today, for_update=True)
                except ValidationError as exc:
                    raise MonthEntryError(general=exc.messages) from exc
            return _save_rows(user=user, year=year, month=month, rows=rows, allow_confirm=allow_confirm,
                              validate_only=validate_only, entries=entries)
    except IntegrityError as exc:
        raise MonthEntryError(general=[_("其他用户刚刚提交了本月数据，您的修改未保存；请刷新页面后重新填写。")]) from exc


def _save_rows(*, user, year, month, rows, allow_confirm, validate_only, entries=None):
    if entries is not None and all(row.entry_id in entries for row in rows):
        entries = {row.entry_id: entries[row.entry_id] for row in rows}
    else:
        entries = {
            e.pk: e for e in selectors.month_entries(year=year, month=month)
            .filter(pk__in=[row.entry_id for row in rows])
        }
    if len(entries) != len(rows):
        raise PermissionDenied(_("提交的项目不在%(y)s年%(m)s月的填报范围内。") % {"y": year, "m": month})
    allowed = set(
        editable_projects(user).filter(pk__in=[e.project_id for e in entries.values()])
        .values_list("pk", flat=True)
    )
    if any(e.project_id not in allowed for e in entries.values()):
        raise PermissionDenied(_("您无权填报其他片区或他人负责的项目。"))
    # Lock this month's records of these entries until commit, so that the version check holds.
    current = {
        p.entry_id: p for p in MonthlyProgress.objects.select_for_update(of=("self",))
        .filter(entry_id__in=entries, month=month).select_related("updated_by")
    }

    cells, warnings = {}, {}
    to_create, to_update, unchanged = [], [], 0
    now = timezone.now()
    for row in rows:
        entry, existing = entries[row.entry_id], current.get(row.entry_id)
        errors = _check_row(row, entry, existing, cells_warnings=warnings, allow_confirm=allow_confirm)
        if errors is None:  # nothing to write
            unchanged += 1
            continue
        if errors:
            cells[row.key] = errors
            continue
        completed, percent, progress, problems = row.values()
        if existing is None:
            to_create.append(MonthlyProgress(
                entry=entry, month=month, completed=completed, physical_percent=percent,
                physical_progress=progress, problems=problems, version=1, updated_by=user, updated_at=now,
            ))
        else:
            existing.completed, existing.physical_percent = completed, percent
            existing.physical_progress, existing.problems = progress, problems
            existing.version += 1
            existing.updated_by, existing.updated_at = user, now
            to_update.append(existing)
    if cells or warnings:
        raise MonthEntryError(cells=cells, warnings=warnings)
    if validate_only:
        return SaveResult()

    reason = _("%(y)s年%(m)s月填报") % {"y": year, "m": month}
    if to_create:
        bulk_create_with_history(to_create, MonthlyProgress, default_user=user,
                                 default_change_reason=reason, default_date=now)
    if to_update:
        # rows loaded without history keep their stored values first (portfolio.versions)
        keep_loaded_versions(MonthlyProgress, [p.pk for p in to_update])
        bulk_update_with_history(
            to_update, MonthlyProgress,
            fields=["completed", "physical_percent", "physical_progress", "problems",
                    "version", "updated_by", "updated_at"],
            default_user=user, default_change_reason=reason, default_date=now,
            manager=RowUpdater(MonthlyProgress),  # Django's bulk_update, without its CPU (portfolio.bulk)
        )
    # the read model of the sums, in this transaction (bulk writes send no signals)
    refresh_rollups([p.entry_id for p in to_create + to_update], removed=False)
    return SaveResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def _check_row(row, entry, existing, *, cells_warnings, allow_confirm):
    """Errors of one row as {field: [messages]}; {} when it is to be written; None when there is
    nothing to write (unchanged, untouched by the user, or empty and never reported)."""
    values = row.values()
    if existing is not None and values == normalised(
        existing.completed, existing.physical_percent, existing.physical_progress, existing.problems
    ):
        return None
    if existing is None and row.is_empty():
        return None
    if row.loaded_fingerprint and row.loaded_fingerprint == fingerprint(*values):
        return None  # the user left the row as it was shown; keep whatever is stored now
    if (existing.version if existing else 0) != row.version:
        if existing is None:
            return {ROW: [_("该行的记录已被删除，请刷新页面后重新填写。")]}
        return {ROW: [_stale_message(existing)]}

    completed, percent, _progress, problems = values
    errors = {}
    if row.is_empty():
        errors["completed"] = [_("已填报的记录不能清空；本月无投资请填0。")]
        return errors
    if completed is None:
        errors["completed"] = [_("请填写本月完成投资（本月无投资请填0）。")]
    elif completed < 0:
        errors["completed"] = [_("本月完成投资不能为负数。")]
    elif entry.project.total_investment:
        remaining = entry.project.total_investment - entry.completed_elsewhere
        if completed > remaining and not (allow_confirm and row.confirm_over):
            message = _("本月完成 %(amount)s 万元，超过项目剩余总投资 %(remaining)s 万元（总投资 %(total)s 万元），请核实。") % {
                "amount": wan(completed), "remaining": wan(remaining), "total": wan(entry.project.total_investment)}
            if allow_confirm:
                cells_warnings[row.key] = {"completed": [message + _("确认无误请勾选“确认超额”后再保存。")]}
            else:
                errors["completed"] = [message + _("如确属实，请在网页填报页面勾选“确认超额”后保存。")]
    if percent is not None:
        if not Decimal(0) <= percent <= Decimal(100):
            errors["physical_percent"] = [_("形象进度须在0到100之间。")]
        elif entry.previous_percent is not None and percent < entry.previous_percent and not problems:
            errors["physical_percent"] = [
                _("低于此前填报的 %(prev)s%%，请在“存在问题”中说明原因。") % {"prev": f"{_money(entry.previous_percent).normalize():f}"}]
    return errors


# --- Month locks ----------------------------------------------------------------------------------

def _set_lock(*, user, year, month, locked, reason):
    if not is_admin(user):
        raise PermissionDenied(_("只有管理员可以锁定或解锁月份。"))
    reason = _text(reason)
    try:
        Period(year, month)
    except ValueError as exc:
        raise ValidationError(_("月份必须在1到12之间。")) from exc
    if not locked and not reason:
        raise ValidationError({"reason": _("解锁必须填写原因。")})
    with transaction.atomic():
        # waits for the saves of the month in progress; saves that start later wait for this
        lock = month_lock_row(year=year, month=month)
        if lock.is_locked == locked:
            raise ValidationError(
                (_("%(y)s年%(m)s月已锁定。") if locked else _("%(y)s年%(m)s月未锁定。")) % {"y": year, "m": month})
        placeholder = not (lock.is_locked or lock.reason or lock.changed_by_id)  # made by month_lock_row
        if not placeholder:
            keep_loaded_versions(MonthLock, [lock.pk])  # a row loaded without history keeps its state
        lock.is_locked, lock.reason, lock.changed_by, lock.changed_at = locked, reason, user, timezone.now()
        lock.full_clean()
        # the row's history starts with the first lock, not with the placeholder nobody decided on
        bulk_update_with_history([lock], MonthLock, fields=["is_locked", "reason", "changed_by", "changed_at"],
                                 default_user=user, default_change_reason=reason, default_date=lock.changed_at)
    return lock


def month_lock(*, user, year, month, reason=""):
    """Close a month for entry (e.g. after the report went to the district). Kept in history."""
    return _set_lock(user=user, year=year, month=month, locked=True, reason=reason)


def month_reopen(*, user, year, month, reason):
    """Reopen a locked month; the reason is required and kept in history."""
    return _set_lock(user=user, year=year, month=month, locked=False, reason=reason)


def default_month(today=None):
    """The month the entry page opens on: this month if this year has a plan, else the latest
    month with progress of the latest plan year (the demo's March 2021), or its December."""
    today = today or timezone.localdate()
    years = selectors.plan_years()
    earlier = [y for y in years if y < today.year]
    if today.year in years or not earlier:
        return today.year, today.month
    latest = selectors.latest_period()
    if latest and latest.year == max(earlier):
        return latest.year, latest.month
    return max(earlier), 12
