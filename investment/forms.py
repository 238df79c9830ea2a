"""Input parsing for monthly progress: the month page's rows, the lock form and the Excel upload.

Forms only turn text and cells into typed values with a Chinese message for what cannot be read;
the rules (negative, 0–100, lower than last month, stale rows, locks) live in ``services``.
"""
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolio.exports.reader import InvalidNumber, UnreadableWorkbook, check_upload_size
from portfolio.validators import MAX_ID
from projects.models import Project
from projects.permissions import editable_projects

from . import exports
from .services import ProgressInput

NUMBER_ERRORS = {
    "invalid": gettext_lazy("请输入数字。"),
    "max_decimal_places": gettext_lazy("最多保留2位小数。"),
    "max_digits": gettext_lazy("数值过大。"),
    "max_whole_digits": gettext_lazy("数值过大。"),
}


MAX_VERSION = 2**31 - 1
CENT = Decimal("0.01")


def _number_field():
    return forms.DecimalField(max_digits=14, decimal_places=2, required=False, error_messages=NUMBER_ERRORS,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


class ProgressRowForm(forms.Form):
    """One project's line of the month page."""

    entry = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, max_value=MAX_VERSION, widget=forms.HiddenInput)
    fingerprint = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    completed = _number_field()
    physical_percent = _number_field()
    physical_progress = forms.CharField(required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 1}))
    problems = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1}))
    confirm_over = forms.BooleanField(required=False, label=gettext_lazy("确认超额"))

    def readable(self):
        """Whether the row can be checked against the rules: its hidden fields were read (the
        cells a user typed may still have errors; their fields are then left empty)."""
        self.is_valid()
        return "entry" in self.cleaned_data and "version" in self.cleaned_data

    def to_input(self, key=None):
        """The row as the service takes it (also for a form with errors, without the fields
        that could not be read)."""
        data = self.cleaned_data
        return ProgressInput(
            entry_id=data["entry"], completed=data.get("completed"),
            physical_percent=data.get("physical_percent"),
            physical_progress=data.get("physical_progress", ""), problems=data.get("problems", ""),
            version=data["version"], loaded_fingerprint=data.get("fingerprint") or "",
            confirm_over=data.get("confirm_over", False), key=key if key is not None else data["entry"],
        )


class BaseProgressFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # every row of the page is a project's row: an empty row is incomplete, not "no row"
        return {**super().get_form_kwargs(index), "empty_permitted": False}


ProgressFormSet = formset_factory(ProgressRowForm, formset=BaseProgressFormSet, extra=0, max_num=2000,
                                  absolute_max=2000)


class MonthLockForm(forms.Form):
    action = forms.ChoiceField(choices=[("lock", gettext_lazy("锁定")), ("reopen", gettext_lazy("解锁"))])
    reason = forms.CharField(label=gettext_lazy("原因"), required=False, max_length=300)


class UploadError:
    """One line of the upload's error table."""

    def __init__(self, row, column, message):
        self.row, self.column, self.message = row, column, message

    def __repr__(self):
        return f"UploadError({self.row!r}, {self.column!r}, {self.message!r})"


def column_label(key):
    """'F 本月完成投资（万元）' for an input's key; '—' for the whole row."""
    if key not in exports.COLUMN_INDEX:
        return "—"
    from openpyxl.utils import get_column_letter  # openpyxl: not imported when the URLs load

    index = exports.COLUMN_INDEX[key]
    return f"{get_column_letter(index)} {exports.COLUMNS[index - 1][1]}"


ROW_MARGIN = 100
"""Rows an upload may have beyond one per project of the month (blank lines, a repeated row)."""


class MonthUploadForm(forms.Form):
    """A filled month template. ``clean`` reads every row; ``inputs`` are the rows that name one
    of the user's projects of the month (cells that could not be read are left empty and listed
    in ``unread``: {row: {keys}}), ``row_errors`` the problems found (row, column, message), empty
    when the file is fully valid. The service checks the rules of every input in the same pass."""

    file = forms.FileField(label=gettext_lazy("填报文件（.xlsx）"))

    def __init__(self, *args, user, year, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.year, self.month = user, year, month
        self.inputs, self.row_errors, self.unread = [], [], {}
        self.rows = {}
        self.entries = {}  # the inputs' plan entries ({pk: entry} of ``month_entries``), for the service

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload)
        from .selectors import month_entry_count
        needed = month_entry_count(year=self.year, month=self.month, projects=editable_projects(self.user))
        try:
            self.rows = exports.read_upload(upload, year=self.year, month=self.month, data_rows=needed + ROW_MARGIN)
        except UnreadableWorkbook as exc:
            other = [name for name in exc.sheets if re.fullmatch(r"\d{4}年\d{1,2}月", name)]
            if other:  # the template of another month
                raise forms.ValidationError(
                    _("这是“%(other)s”的填报文件，本次上传的是%(y)s年%(m)s月。请在对应月份的页面上传，"
                      "或下载本月的模板填写。") % {"other": other[0], "y": self.year, "m": self.month}) from exc
            raise forms.ValidationError(exc.message) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not exports.header_matches(self.rows):
            raise forms.ValidationError(
                _("不是本系统的月度填报模板：第%(row)s行表头不符，请使用“下载模板”得到的文件。") % {"row": exports.HEADER_ROW})
        self._read_rows()
        return cleaned

    def _error(self, row, key, message):
        self.row_errors.append(UploadError(row, column_label(key), message))

    def _read_rows(self):
        raw_rows = []
        for number, cells in exports.data_rows(self.rows):
            if all(cells.get(k) in (None, "") for k in ("code", *exports.INPUT_KEYS)):
                continue  # a blank line
            raw_rows.append((number, cells))
        codes = {str(c["code"]).strip() for _n, c in raw_rows if c.get("code") not in (None, "")}
        projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
        editable = set(editable_projects(self.user).filter(code__in=codes).values_list("pk", flat=True))
        from .selectors import month_entries
        # one read of the month's (expensive) entries, of the file's projects the user may edit:
        # a row of another project is refused before its entry is looked up
        entries = {e.project_id: e for e in month_entries(year=self.year, month=self.month)
                   .filter(project__code__in=codes, project__in=sorted(editable))}
        self.entries = {e.pk: e for e in entries.values()}
        seen = {}
        for number, cells in raw_rows:
            self._read_row(number, cells, projects, editable, entries, seen)

    def _read_row(self, number, cells, projects, editable, entries, seen):
        """Check one row: which project of the month it is, and whether its cells can be read.
        A row that names no project of the user's month still has its cells checked, so that
        one upload lists every error of the row; only a row with a project becomes an input."""
        entry = self._row_entry(number, cells, projects, editable, entries, seen)
        version = _int_cell(cells.get("version"))
        form = ProgressRowForm(data={
            "entry": entry.pk if entry else 1,  # without a project only the cells are checked
            "version": version if version is not None and 0 <= version <= MAX_VERSION else 0,
            "fingerprint": str(cells.get("fingerprint") or "")[:40],
            "completed": _number_text(cells.get("completed")),
            "physical_percent": _number_text(cells.get("physical_percent")),
            "physical_progress": _plain_text(cells.get("physical_progress")),
            "problems": _plain_text(cells.get("problems")),
        })
        form.is_valid()
        for key, messages in form.errors.items():
            for message in messages:
                value = cells.get(key)
                if isinstance(value, InvalidNumber):
                    message = _("单元格中的数值“%(text)s”无效，请填写数字。") % {"text": value}
                elif key in exports.INPUT_KEYS and message == NUMBER_ERRORS["invalid"]:
                    message = _("请输入数字，不能填写文字（“%(text)s”）。") % {"text": str(value)[:40]}
                self._error(number, key if key in exports.COLUMN_INDEX else None, message)
        if entry is None:
            return
        if form.errors:
            self.unread[number] = set(form.errors)
        self.inputs.append(form.to_input(key=number))

    def _row_entry(self, number, cells, projects, editable, entries, seen):
        """The row's plan entry of the month, or None with the reason listed."""
        code = "" if cells.get("code") is None else str(cells["code"]).strip()
        if not code:
            return self._error(number, "code", _("缺少项目代码。"))
        if code in seen:
            return self._error(number, "code", _("与第%(row)s行的项目重复。") % {"row": seen[code]})
        seen[code] = number
        year, month = _int_cell(cells.get("year")), _int_cell(cells.get("month"))
        if (year, month) != (self.year, self.month):
            shown = f"{cells.get('year')}年{cells.get('month')}月"
            self._error(number, "month", _("该行为%(shown)s的数据，本次上传的是%(y)s年%(m)s月。") % {
                "shown": shown[:40], "y": self.year, "m": self.month})
        project = projects.get(code)
        if project is None:
            return self._error(number, "code", _("项目代码“%(code)s”不存在。") % {"code": code[:40]})
        if project.pk not in editable:
            return self._error(number, "code", _("“%(name)s”不在您的填报范围内。") % {"name": project.name})
        entry = entries.get(project.pk)
        if entry is None:
            return self._error(number, "code", _("“%(name)s”未列入%(y)s年%(m)s月的填报范围。") % {
                "name": project.name, "y": self.year, "m": self.month})
        return entry


def _int_cell(value):
    try:
        return int(Decimal(str(value).strip()))
    except (ArithmeticError, ValueError, TypeError):
        return None


def _number_text(value):
    """A numeric cell as the text a form field parses. Numbers are rounded to 2 decimals: first
    to Excel's 15 significant digits (a computed 0.1+0.2 is stored as 0.30000000000000004), then
    half up to the cent (万元 to 2 decimals, as the page takes them)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if not value.is_finite() or value.adjusted() >= 14:
            return str(value)  # refused by the field as too large
        value = Context(prec=15, rounding=ROUND_HALF_EVEN).create_decimal(value)
        return str(value.quantize(CENT, rounding=ROUND_HALF_UP))
    if isinstance(value, bool):
        return str(value)
    return str(value).strip()


def _plain_text(value):
    if value is None:
        return ""
    return str(value)
