"""Dump everything a reader sees of an .xlsx file, to check that a change of the Excel writer
leaves the district workbook the same (issue 19: the workbook's speed may change, its content not).

For every sheet: each cell's value (a formula's text) and type, its cached value (what a reader
that does not calculate shows), number format, font, fill, border, alignment, protection and
quote prefix (styled empty cells too); merged ranges, column widths/hidden, row heights, freeze
panes, sheet protection, print titles, page setup, margins, header/footer, data validations.
Styles are resolved (not style indices), so two files whose styles.xml lists the same styles in
another order dump the same.

    python bench/workbook_dump.py build --year 2025 --month 12 -o book.xlsx   # DATABASE_URL's data
    python bench/workbook_dump.py dump book.xlsx -o book.json
    python bench/workbook_dump.py compare a.xlsx b.xlsx                       # exit 1 on a difference

``build`` uses the code of the checkout it is run from (run it from a worktree of an older commit
to get that commit's workbook of the same database).
"""
import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def _style(obj):
    """An openpyxl style object as a plain, comparable value."""
    if obj is None:
        return None
    from lxml import etree

    return etree.tostring(obj.to_tree()).decode() if hasattr(obj, "to_tree") else repr(obj)


def dump(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    cached = load_workbook(path, data_only=True)
    out = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        wc = cached[ws.title]
        cells = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                cells.append([
                    cell.coordinate, repr(cell.value), cell.data_type, repr(wc[cell.coordinate].value),
                    cell.number_format, _style(cell.font), _style(cell.fill), _style(cell.border),
                    _style(cell.alignment), _style(cell.protection), cell.quotePrefix,
                ])
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "columns": {k: [d.width, d.hidden, d.min, d.max] for k, d in sorted(ws.column_dimensions.items())},
            "rows": {k: [d.height, d.hidden] for k, d in sorted(ws.row_dimensions.items())
                     if d.height is not None or d.hidden},
            "freeze": ws.freeze_panes,
            "protection": _style(ws.protection),
            "print_titles": [ws.print_title_rows, ws.print_title_cols],
            "page_setup": _style(ws.page_setup),
            "fit": _style(ws.sheet_properties.pageSetUpPr),
            "print_options": _style(ws.print_options),
            "margins": _style(ws.page_margins),
            "header_footer": _style(ws.HeaderFooter),
            "validations": [_style(dv) for dv in ws.data_validations.dataValidation],
            "dimensions": ws.dimensions,
        }
    return out


def compare(a, b, limit=20):
    """The differences between two dumps, as lines (empty: the same)."""
    lines = []
    if a["sheets"] != b["sheets"]:
        lines.append(f"sheets: {a['sheets']} != {b['sheets']}")
    for title in a["sheets"]:
        if title not in b:
            continue
        sa, sb = a[title], b[title]
        for key in sa:
            if key == "cells":
                ca = {c[0]: c for c in sa["cells"]}
                cb = {c[0]: c for c in sb["cells"]}
                for coord in sorted(set(ca) | set(cb)):
                    if ca.get(coord) != cb.get(coord):
                        lines.append(f"{title}!{coord}: {ca.get(coord)} != {cb.get(coord)}")
            elif sa[key] != sb.get(key):
                lines.append(f"{title} {key}: {str(sa[key])[:300]} != {str(sb.get(key))[:300]}")
    return lines[:limit] + ([f"... {len(lines) - limit} more"] if len(lines) > limit else [])


def build(year, month, out):
    import time

    import common  # noqa: F401  (settings)
    import django

    django.setup()
    from django.urls import get_resolver

    from portfolio.numbers import Period
    from portfolio.workbook import build_district_workbook

    get_resolver().url_patterns
    t0 = time.perf_counter()
    book = build_district_workbook(period=Period(year, month))
    book.save(out)
    print(f"built {out} in {(time.perf_counter() - t0) * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--year", type=int, required=True)
    b.add_argument("--month", type=int, default=12)
    b.add_argument("-o", "--out", required=True)
    d = sub.add_parser("dump")
    d.add_argument("path")
    d.add_argument("-o", "--out", required=True)
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    args = parser.parse_args()
    if args.command == "build":
        build(args.year, args.month, args.out)
    elif args.command == "dump":
        Path(args.out).write_text(json.dumps(dump(args.path), ensure_ascii=False, indent=0))
    else:
        diff = compare(dump(args.a), dump(args.b))
        print("\n".join(diff) or "same")
        sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
