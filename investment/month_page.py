"""The month page's lines: each row of ``selectors.month_rows`` with its form, split into the rows
due this month (the table) and the rows with nothing to report (the fold 本月无需填报), and the
rows in error for the banner. Presentation only: who is due is ``selectors.not_due_reason``, the
figures and the 合计 are ``selectors.month_rows`` / ``selectors.month_totals``."""
from dataclasses import dataclass, field

from . import selectors


@dataclass
class Line:
    row: selectors.MonthRow
    form: object
    editable: bool
    warning: list | None = None
    messages: list = field(default_factory=list)
    """Every message of the row (row, cells, warning), for the error banner."""

    def __getitem__(self, key):  # line["row"], as when lines were dicts
        return getattr(self, key)

    @property
    def anchor(self):
        return f"entry-{self.row.entry.pk}"


def _forms_by_entry(formset):
    forms = {}
    for form in formset:
        try:
            forms[int(form["entry"].value())] = form
        except (TypeError, ValueError):
            continue
    return forms


def _messages(form, warning):
    if form is None:
        return []
    messages = list(form.non_field_errors())
    for name in ("completed", "physical_percent", "physical_progress", "problems"):
        messages.extend(form[name].errors)
    return messages + list(warning or [])


def month_lines(*, rows, formset, editable_ids, closed, warnings=None):
    """``{"lines": [...], "folded": [...], "errors": [...], "totals": {...}}``: the due rows, the
    rows with nothing to report (a folded row with an error or a warning stays in the fold, which
    is then opened), the lines in error in page order, and ``selectors.month_totals`` of all rows."""
    forms = _forms_by_entry(formset)
    lines, folded = [], []
    for row in rows:
        form = forms.get(row.entry.pk)
        warning = (warnings or {}).get(row.entry.pk, {}).get("completed")
        line = Line(row=row, form=form, warning=warning,
                    editable=not closed and form is not None and row.project.pk in editable_ids)
        line.messages = _messages(form, warning)
        (folded if row.not_due else lines).append(line)
    return {
        "lines": lines, "folded": folded,
        "error_lines": [line for line in lines + folded if line.messages],
        "fold_open": any(line.messages for line in folded),
        "totals": selectors.month_totals(rows), "row_count": len(rows),
    }
