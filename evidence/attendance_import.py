"""Importing a month's attendance from the attendance system's workbook: sheet 考勤, header row
岗位 | 姓名 | 出勤天数, one row per key person of the project. Read with the bounded reader
(``portfolio.exports.reader``); every error of every row is listed, and nothing is saved until
every row is right."""
import calendar
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portfolio.exports.reader import Limits, UnreadableWorkbook, check_upload_size, read_sheet

from . import services
from .models import KeyPerson, Post

SHEET = "考勤"
HEADER = ["岗位", "姓名", "出勤天数"]
MAX_ROWS = 500


@dataclass
class ImportResult:
    saved: int = 0
    errors: list = field(default_factory=list)  # (row, column, message)


def import_attendance(*, project, period, upload):
    result = ImportResult()
    try:
        check_upload_size(upload)
    except ValidationError as e:
        result.errors.append(("", "", e.messages[0]))
        return result
    try:
        rows = read_sheet(upload, sheet_name=SHEET, limits=Limits(max_row=MAX_ROWS + 1), max_column=len(HEADER))
    except UnreadableWorkbook as e:
        message = e.message
        if e.sheets:
            message = _("找不到名为“%(sheet)s”的工作表。") % {"sheet": SHEET}
        result.errors.append(("", "", message))
        return result
    header = [str(v or "").strip() for v in rows.pop(1, [])]
    if header != HEADER:
        result.errors.append((1, "", _("第1行应为表头：%(h)s。") % {"h": " | ".join(HEADER)}))
        return result
    people = {(p.post, p.name): p for p in KeyPerson.objects.filter(project=project)}
    posts = {str(label): value for value, label in Post.choices}
    last_day = calendar.monthrange(period.year, period.month)[1]
    days_by_person, seen = {}, {}
    for number, (post_label, name, days) in sorted(rows.items()):
        post = posts.get(str(post_label or "").strip())
        name = str(name or "").strip()
        if post is None:
            result.errors.append((number, "岗位", _("岗位“%(v)s”不是关键岗位。") % {"v": str(post_label or "")[:20]}))
        if not name:
            result.errors.append((number, "姓名", _("请填写姓名。")))
        person = people.get((post, name)) if post and name else None
        if post and name and person is None:
            result.errors.append((number, "姓名", _("本项目没有%(post)s“%(name)s”，请先在关键岗位人员中添加。")
                                  % {"post": post_label, "name": name[:20]}))
        if not isinstance(days, Decimal) or days != days.to_integral_value() or not 0 <= days <= last_day:
            result.errors.append((number, "出勤天数", _("出勤天数须为0到%(n)s之间的整数。") % {"n": last_day}))
        elif person is not None:
            if person.pk in seen:
                result.errors.append((number, "姓名", _("与第%(row)s行重复。") % {"row": seen[person.pk]}))
            seen[person.pk] = number
            days_by_person[person] = int(days)
    if not result.errors and not days_by_person:
        result.errors.append(("", "", _("表中没有考勤数据。")))
    if result.errors:
        return result
    try:
        services.attendance_set(year=period.year, month=period.month, days_by_person=days_by_person)
    except ValidationError as e:
        result.errors.extend(("", "", m) for m in e.messages)
        return result
    result.saved = len(days_by_person)
    return result
