"""Excel exports at scale: the district workbook and the project list's 「导出Excel」 on the
generated data (at size 10,000: 10,000 projects, 12 months of progress per plan year), each
against a bare openpyxl write-only workbook with the same cells.

Every measurement runs in a fresh subprocess, so its peak memory is its own: time (wall, the
median of ``BENCH_EXPORT_REPEAT`` runs, default 5, after one warm-up run, Django set up) and peak RSS
growth (``resource.getrusage`` high-water mark after the exports minus the mark before them). The
machine is shared: compare the ratio to the floor, which is measured the same way right after.

- product: ``portfolio.workbook.build_district_workbook`` + save to a temporary file (database
  reads included), or GET /projects/?year=&month=&export=xlsx through the whole Django stack
  (streamed body read to the end);
- floor: the cells of the product's file (values only, read beforehand — not timed, not counted
  in the growth) written to a bare ``Workbook(write_only=True)`` with no styles and saved.

Targets: the exports stream — peak RSS growth under 200 MB at every size (a workbook built in
memory grows with the rows: about 1 KB per cell for openpyxl's normal mode); the district workbook
takes ≤1.5× its floor (issue 19 item 5).

    python bench/export_bench.py --variant workbook|list|bare --out result.json [--source file.xlsx]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

RSS_TARGET_MB = 200
WORKBOOK_RATIO_TARGET = 1.5
REPEAT = int(os.environ.get("BENCH_EXPORT_REPEAT", "5"))


def peak_rss_mb():
    import resource

    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(variant, out, source, year, month):
    """Inside the measuring subprocess."""
    import common  # noqa: F401  (sys.path, settings)

    import statistics

    result = {"variant": variant}
    times = []

    def timed(fn):
        """Times ``fn`` REPEAT times after a warm-up; returns the last run's result."""
        last = fn()  # warm-up
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            last = fn()
            times.append((time.perf_counter() - t0) * 1000)
        return last
    if variant == "bare":
        from openpyxl import Workbook, load_workbook

        wb_in = load_workbook(source, read_only=True)
        sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb_in.worksheets]
        wb_in.close()
        before = peak_rss_mb()

        def bare():
            wb = Workbook(write_only=True)
            for title, rows in sheets:
                ws = wb.create_sheet(title)
                for row in rows:
                    ws.append(row)
            with tempfile.TemporaryFile() as tmp:
                wb.save(tmp)
                return tmp.tell()

        size = timed(bare)  # the file's size, from the last timed run
        result["cells"] = sum(len(r) for _t, rows in sheets for r in rows)
        result["rows"] = {title: len(rows) for title, rows in sheets}
    else:
        import django

        django.setup()
        from portfolio.numbers import Period

        period = Period(year, month)
        if variant == "workbook":
            from portfolio.workbook import build_district_workbook

            # warm the connection, the app registry and the URLconf outside the measurement (a
            # server has them loaded before it serves the workbook; the 汇总 sheet's figures reverse
            # their pages' URLs, and the first reverse imports every app's urls and views: ~0.3 s)
            from django.db import connection
            from django.urls import get_resolver

            from django.test.utils import CaptureQueriesContext

            connection.ensure_connection()
            get_resolver().url_patterns
            before = peak_rss_mb()

            def workbook():
                build_district_workbook(period=period).save(source)

            timed(workbook)
            with CaptureQueriesContext(connection) as queries:
                workbook()
            result["queries"] = len(queries.captured_queries)
            size = os.path.getsize(source)
        else:  # list
            from common import client_for

            from django.contrib.auth import get_user_model

            username = get_user_model().objects.filter(groups__name="领导").values_list("username", flat=True).first()
            client = client_for(username)
            client.get("/projects/", {"year": year, "month": month})  # warm up
            before = peak_rss_mb()

            def listing():
                response = client.get("/projects/", {"year": year, "month": month, "export": "xlsx"})
                assert response.status_code == 200, response.status_code
                with open(source, "wb") as fh:
                    for chunk in response.streaming_content:
                        fh.write(chunk)

            timed(listing)
            size = os.path.getsize(source)
    result.update(ms=statistics.median(times), times=times, rss_before_mb=before, rss_peak_mb=peak_rss_mb(),
                  bytes=size)
    result["rss_growth_mb"] = result["rss_peak_mb"] - before
    Path(out).write_text(json.dumps(result))


def measure(variant, source, year, month, env=None):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    try:
        subprocess.run([sys.executable, __file__, "--variant", variant, "--out", out, "--source", str(source),
                        "--year", str(year), "--month", str(month)],
                       check=True, env={**os.environ, **(env or {})}, cwd=HERE.parent)
        return json.loads(Path(out).read_text())
    finally:
        os.unlink(out)


def run(ctx):
    from common import result

    period = ctx["period"]
    env = {"DATABASE_URL": ctx["db_url"]}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for variant, label in (("workbook", "district workbook (9 sheets)"), ("list", "project list 导出Excel")):
            path = Path(tmp) / f"{variant}.xlsx"
            ours = measure(variant, path, period.year, period.month, env)
            bare = measure("bare", path, period.year, period.month, env)
            detail = bare["rows"].get("项目明细") or max(bare["rows"].values())
            ok = ours["rss_growth_mb"] < RSS_TARGET_MB
            target = f"RSS growth <{RSS_TARGET_MB} MB"
            if variant == "workbook":
                ok = ok and ours["ms"] <= WORKBOOK_RATIO_TARGET * bare["ms"]
                target = f"≤{WORKBOOK_RATIO_TARGET}× floor, {target}"
            rows.append(result(
                f"export: {label}", ms=ours["ms"], floor_ms=bare["ms"], queries=ours.get("queries"),
                target=target, ok=ok,
                note=(f"{detail:,} rows ({bare['cells']:,} cells, {ours['bytes'] / 1e6:.1f} MB file); "
                      f"median of {REPEAT} after 1 (ours {'/'.join(f'{t:.0f}' for t in ours['times'])} ms, "
                      f"floor {'/'.join(f'{t:.0f}' for t in bare['times'])} ms); "
                      f"peak RSS +{ours['rss_growth_mb']:.0f} MB (bare +{bare['rss_growth_mb']:.0f} MB); "
                      f"floor = bare write-only, same cells, no DB"),
                rss_growth_mb=ours["rss_growth_mb"], floor_rss_growth_mb=bare["rss_growth_mb"],
            ))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", choices=["workbook", "list", "bare"])
    parser.add_argument("--out")
    parser.add_argument("--source")
    parser.add_argument("--year", type=int)
    parser.add_argument("--month", type=int, default=12)
    args = parser.parse_args()
    if args.variant:
        return child(args.variant, args.out, args.source, args.year, args.month)
    # standalone: run against DATABASE_URL's latest month and print the rows
    import common  # noqa: F401
    import django

    django.setup()
    from investment.selectors import latest_period

    period = latest_period()
    for row in run({"period": period, "db_url": os.environ["DATABASE_URL"], "size": None}):
        print(row)


if __name__ == "__main__":
    main()
