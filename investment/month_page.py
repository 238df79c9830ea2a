"""The month page's lines: each row of ``selectors.month_rows`` with its inputs, split into the
rows due this month (the table) and the rows with nothing to report (the fold 本月无需填报), and
the rows in error for the banner. Presentation only: who is due is ``selectors.not_due_reason``,
the figures and the 合计 are ``selectors.month_rows`` / ``selectors.month_totals``.

Speed (issue 19): a line's ``<tr>`` is written here in one pass (``RowWriter``) rather than by a
row template with a Django form per row — the template engine resolved ~100 variables a row
(1.3 ms), the forms cost as much again. The inputs carry the names and ids of
``forms.ProgressRowForm`` in ``ProgressFormSet`` (``rows-<i>-<field>``, ``id_rows-<i>-<field>``),
which the POST reads and validates as before; a GET builds no form at all (``RowInputs.loaded``),
a page shown again after a refused save shows what was posted and each form's messages
(``RowInputs.posted``)."""
from dataclasses import dataclass, field

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat, linebreaksbr
from django.template.loader import get_template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from portfolio.templatetags.figures import pct, wan

from . import selectors
from .forms import ProgressRowForm
from .templatetags.progress import person

HIDDEN = tuple(name for name, f in ProgressRowForm.base_fields.items() if f.widget.is_hidden)
"""The row's hidden inputs, as the form's ``hidden_fields()``: entry, version, fingerprint."""
SHOWN = ("completed", "physical_percent", "physical_progress", "problems")


@dataclass
class RowInputs:
    """One row's inputs as the page shows them: the row's index in the formset, each field's value
    (as loaded, or as posted) and the messages of the row and of each field."""

    index: int
    values: dict
    errors: dict = field(default_factory=dict)
    row_errors: list = field(default_factory=list)

    @classmethod
    def loaded(cls, index, initial):
        """The row as a GET shows it: ``initial`` is ``views._initial(row)``."""
        return cls(index=index, values=initial)

    @classmethod
    def posted(cls, index, form):
        """The row as posted, with the bound form's messages."""
        return cls(index=index, values={name: form[name].value() for name in form.fields},
                   errors={name: list(errors) for name, errors in form.errors.items() if name != "__all__"},
                   row_errors=list(form.non_field_errors()))

    def name(self, field_name):
        return f"rows-{self.index}-{field_name}"

    def shown(self, field_name):
        """``{{ value|default_if_none:'' }}`` of the field, escaped."""
        value = self.values.get(field_name)
        if value is None:
            return ""
        return esc(value if isinstance(value, str) else localize(value))

    def messages(self):
        out = list(self.row_errors)
        for name in SHOWN:
            out.extend(self.errors.get(name, ()))
        return out


@dataclass
class Line:
    row: selectors.MonthRow
    inputs: RowInputs | None
    editable: bool
    warning: list | None = None
    messages: list = field(default_factory=list)
    """Every message of the row (row, cells, warning), for the error banner."""
    html: str = ""
    """The row's ``<tr>`` (``RowWriter``)."""

    def __getitem__(self, key):  # line["row"], as when lines were dicts
        return getattr(self, key)

    @property
    def anchor(self):
        return f"entry-{self.row.entry.pk}"


def loaded_inputs(initials):
    """{entry id: RowInputs} of a GET: ``initials`` in the formset's order."""
    return {initial["entry"]: RowInputs.loaded(i, initial) for i, initial in enumerate(initials)}


def posted_inputs(formset):
    """{entry id: RowInputs} of a bound formset (rows whose entry cannot be read are left out)."""
    inputs = {}
    for i, form in enumerate(formset):
        try:
            inputs[int(form["entry"].value())] = RowInputs.posted(i, form)
        except (TypeError, ValueError):
            continue
    return inputs


def month_lines(*, rows, inputs, editable_ids, closed, year, month, warnings=None):
    """``{"lines": [...], "folded": [...], "errors": [...], "totals": {...}}``: the due rows, the
    rows with nothing to report (a folded row with an error or a warning stays in the fold, which
    is then opened), the lines in error in page order, and ``selectors.month_totals`` of all rows.
    ``inputs``: ``loaded_inputs`` or ``posted_inputs``."""
    write = RowWriter(year=year, month=month)
    lines, folded = [], []
    for row in rows:
        row_inputs = inputs.get(row.entry.pk)
        warning = (warnings or {}).get(row.entry.pk, {}).get("completed")
        line = Line(row=row, inputs=row_inputs, warning=warning,
                    editable=not closed and row_inputs is not None and row.project.pk in editable_ids)
        line.messages = (row_inputs.messages() + list(warning or [])) if row_inputs else []
        line.html = write(line)
        (folded if row.not_due else lines).append(line)
    return {
        "lines": lines, "folded": folded,
        "error_lines": [line for line in lines + folded if line.messages],
        "fold_open": any(line.messages for line in folded),
        "totals": selectors.month_totals(rows), "row_count": len(rows),
    }


def _url_parts(name):
    """A URL with one ``<int:pk>`` as (head, tail), reversed once for the whole page."""
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return head, tail


def _errors(messages, css):
    return "".join(f'<div class="{css}">{esc(m)}</div>' for m in messages)


class RowWriter:
    """One line's ``<tr>`` (the table and the fold alike). ``data-label`` names each cell on a
    phone, where the row is a card; ``data-before``/``data-target``/``data-in-month`` feed the live
    合计 (investment/month.js); the input names/ids are those of ``ProgressFormSet``."""

    def __init__(self, *, year, month):
        self.year, self.month = year, month
        self.history = _url_parts("project_history")
        self.photos = _url_parts("evidence:project_photos")
        self.photo_query = f"?year={esc(localize(year))}&amp;month={esc(localize(month))}"
        self.raise_link = get_template("supervision/includes/raise_link.html")
        self.to_date_label = f"1-{esc(localize(month))}月累计（万元）"

    def __call__(self, line):
        row, inputs, editable = line.row, line.inputs, line.editable
        p, project, entry = row.progress, row.project, row.entry
        pk, name = project.pk, esc(project.name)
        out = [
            f'<tr id="entry-{entry.pk}" class="month-row{" table-warning" if line.messages else ""}" '
            f'data-code="{esc(project.code)}"\n    data-before="{esc(str(row.completed_before))}" '
            f'data-target="{esc(str(entry.target))}"',
            "" if editable else f' data-in-month="{esc(str(row.completed_in_month))}"',
            f'>\n  <td class="col-code" data-label="项目代码"><span class="project-code">{esc(project.code)}</span></td>\n'
            f'  <td class="col-name"><a href="{self.history[0]}{pk}{self.history[1]}" title="变更记录" '
            f'class="project-name">{name}</a>\n'
            f'    <a href="{self.photos[0]}{pk}{self.photos[1]}{self.photo_query}" class="small d-print-none photo-link" '
            f'title="上传或查看本月形象进度照片">照片</a>\n',
        ]
        if row.not_due:
            out.append(f'    <div class="small text-muted not-due-reason">{esc(row.not_due)}</div>\n')
        if editable:
            out.append("    " + "".join(
                f'<input type="hidden" name="{inputs.name(f)}" value="{inputs.shown(f)}" id="id_{inputs.name(f)}">'
                for f in HIDDEN) + "\n")
        if inputs:
            out.append(_errors(inputs.row_errors, "text-danger small row-error"))
        out.append(
            f'  </td>\n  <td class="col-area" data-label="片区">{esc(project.area.name)}</td>\n'
            f'  <td class="num" data-label="年度计划（万元）" data-cell="target">{esc(wan(entry.target))}</td>\n'
            f'  <td class="num" data-label="上月末累计（万元）" data-cell="before">{esc(wan(row.completed_before))}</td>\n')
        if editable:
            out.append(self.amount_cell(line, inputs, name))
        else:
            out.append(f'  <td class="num" data-label="本月完成投资（万元）" data-cell="completed">'
                       f'{esc(wan(p.completed)) if p else ""}</td>\n')
        out.append(
            f'  <td class="num" data-label="{self.to_date_label}" data-cell="to-date">{esc(wan(row.completed_to_date))}</td>\n'
            f'  <td class="num" data-label="完成率" data-cell="rate">{esc(pct(row.rate))}</td>\n')
        if editable:
            out.append(self.text_cells(row, inputs, name))
        else:
            percent = f"{floatformat(p.physical_percent, '-2')}%" if p and p.physical_percent is not None else ""
            out.append(
                f'  <td class="num" data-label="形象进度（%）">{percent}</td>\n'
                f'  <td class="small col-text" data-label="形象进度">{linebreaksbr(p.physical_progress) if p else ""}</td>\n'
                f'  <td class="small col-text" data-label="存在问题">{linebreaksbr(p.problems) if p else ""}</td>\n')
        if p:
            when = f"{esc(person(p.updated_by))}<br>{esc(date_filter(template_localtime(p.updated_at), 'm-d H:i'))}"
        else:
            when = "无需填报" if row.not_due else "未填报"
        out.append(f'  <td class="small text-muted col-when" data-label="最后修改" data-cell="changed-by">{when}</td>\n</tr>\n')
        return mark_safe("".join(out))

    def amount_cell(self, line, inputs, name):
        errors = inputs.errors
        css = "form-control form-control-sm text-end"
        css += " is-invalid" if errors.get("completed") else ""
        css += " border-warning" if line.warning else ""
        out = [
            f'  <td class="cell-amount" data-label="本月完成投资（万元）">\n'
            f'    <input type="text" name="{inputs.name("completed")}" id="id_{inputs.name("completed")}" '
            f'inputmode="decimal" autocomplete="off" enterkeyhint="next"\n           class="{css}"\n'
            f'           value="{inputs.shown("completed")}" aria-label="{name} 本月完成投资">\n',
            _errors(errors.get("completed", ()), "invalid-feedback d-block cell-error"),
        ]
        confirm = inputs.name("confirm_over")
        for warning in line.warning or ():
            out.append(
                f'<div class="text-warning-emphasis small cell-warning">{esc(warning)}</div>\n'
                f'      <div class="form-check small"><input class="form-check-input" type="checkbox" '
                f'name="{confirm}" id="id_{confirm}">\n'
                f'      <label class="form-check-label" for="id_{confirm}">确认超额</label></div>')
        if not line.warning and inputs.values.get("confirm_over"):
            out.append(f'<input type="hidden" name="{confirm}" value="on">')
        out.append("\n  </td>\n")
        return "".join(out)

    def text_cells(self, row, inputs, name):
        errors = inputs.errors
        out = [
            f'  <td class="cell-percent" data-label="形象进度（%）">\n'
            f'    <input type="text" name="{inputs.name("physical_percent")}" id="id_{inputs.name("physical_percent")}" '
            f'inputmode="decimal" autocomplete="off" enterkeyhint="next"\n'
            f'           class="form-control form-control-sm text-end{" is-invalid" if errors.get("physical_percent") else ""}"\n'
            f'           value="{inputs.shown("physical_percent")}" aria-label="{name} 形象进度百分比">\n',
        ]
        if row.previous_percent is not None:
            out.append(f'<div class="small text-muted">此前 {floatformat(row.previous_percent, "-2")}%</div>')
        out.append(_errors(errors.get("physical_percent", ()), "invalid-feedback d-block cell-error"))
        out.append("\n  </td>\n")
        for field_name, label in (("physical_progress", "形象进度"), ("problems", "存在问题")):
            out.append(
                f'  <td class="col-text" data-label="{label}"><textarea name="{inputs.name(field_name)}" '
                f'id="id_{inputs.name(field_name)}" rows="1"\n        class="form-control form-control-sm autogrow'
                f'{" is-invalid" if errors.get(field_name) else ""}" aria-label="{name} {label}">'
                f'{inputs.shown(field_name)}</textarea>\n    '
                + _errors(errors.get(field_name, ()), "invalid-feedback d-block cell-error"))
            if field_name == "problems" and row.progress and row.progress.problems:
                out.append(self.raise_link.render({"project_id": row.project.pk, "year": self.year,
                                                   "month": self.month, "text": row.progress.problems}))
            out.append("</td>\n")
        return "".join(out)
