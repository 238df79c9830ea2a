"""Helpers for tests that read an exported workbook the way a reader (or Excel) would."""
import re
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook


def download(response):
    """The body of a (possibly streaming) response."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def workbooks(content):
    """(formulas, values): the workbook opened twice — formulas as written, and the values a
    non-calculating reader sees (the cached values)."""
    return formulas(content), values(content)


def formulas(content):
    """The workbook as written, formulas as formulas (``workbooks(content)[0]``), for a test that
    reads no cached value."""
    return load_workbook(BytesIO(content))


def values(content):
    """The values a non-calculating reader sees (``workbooks(content)[1]``), for a test that reads
    no formula: opening a workbook is most of such a test's reading time."""
    return load_workbook(BytesIO(content), data_only=True)


def rows(ws, min_row=1):
    return list(ws.iter_rows(min_row=min_row, values_only=True))


def find_row(ws, label, column=1):
    """The first row whose ``column`` (1-based) holds ``label`` (surrounding spaces ignored)."""
    for row in ws.iter_rows():
        value = row[column - 1].value
        if isinstance(value, str):
            value = value.strip("\u3000 ")
        if value == label:
            return row
    raise AssertionError(f"no row {label!r} in sheet {ws.title}")


def numbered_runs(ws):
    """The sheet's numbered rows (序号 in column A), one list per section: a section starts at its
    header row (序号), so an empty section is an empty list."""
    runs = []
    for row in ws.iter_rows(values_only=True):
        if row[0] == "序号":
            runs.append([])
        elif isinstance(row[0], int) and not isinstance(row[0], bool):
            runs[-1].append(row)
    return runs


SUBTOTAL_RE = re.compile(r"^=SUBTOTAL\(9,([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")


def evaluate_subtotal(formula_ws, values_ws, formula):
    """What Excel computes for ``=SUBTOTAL(9,Xa:Xb)``: the sum of the numbers in the range,
    skipping cells that are themselves SUBTOTAL formulas."""
    match = SUBTOTAL_RE.match(formula)
    assert match, formula
    col, first, _col2, last = match.groups()
    total = Decimal(0)
    for r in range(int(first), int(last) + 1):
        f = formula_ws[f"{col}{r}"].value
        if isinstance(f, str) and f.upper().startswith("=SUBTOTAL"):
            continue
        v = values_ws[f"{col}{r}"].value
        if isinstance(v, (int, float)):
            total += Decimal(str(v))
    return total
