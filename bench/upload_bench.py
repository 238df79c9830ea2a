"""Hostile uploads (issue 14): every file of ``tests/hostile_uploads`` read by the upload's
reader with the bounds of a month of 200 projects; time and memory growth per file next to the
bounds (< 2 s, < 100 MB).

    python bench/upload_bench.py        # standalone: needs no database
    make bench                          # as one module of bench/run.py

Time: wall time of one read (the file built beforehand). Memory: tracemalloc's peak of a second
read (Python allocations, the parser's included), and the growth of the process's peak RSS
(``resource``) over the whole run, printed at the end.
"""
import resource
import time
import tracemalloc
from io import BytesIO

from common import result

PROJECTS = 200
MAX_SECONDS, MAX_MB = 2.0, 100


def read(content):
    from investment import exports
    from investment.forms import ROW_MARGIN
    from portfolio.exports.reader import UnreadableWorkbook

    try:
        rows = exports.read_upload(BytesIO(content), year=2020, month=6, data_rows=PROJECTS + ROW_MARGIN)
    except UnreadableWorkbook as exc:
        return "refused: " + exc.message[:40]
    return f"read {len(rows)} rows"


def measure():
    from tests.hostile_uploads import ATTACKS, sample_template

    base = sample_template(rows=PROJECTS)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = []
    for name, (build, _expected) in {"good": (lambda b: b, None), **ATTACKS}.items():
        content = build(base)
        t0 = time.perf_counter()
        outcome = read(content)
        seconds = time.perf_counter() - t0
        tracemalloc.start()
        read(content)
        peak_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        rows.append((name, len(content), seconds, peak_mb, outcome))
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    return rows, rss_growth


def run(ctx):
    rows, rss_growth = measure()
    out = [result(f"upload: {name}", ms=seconds * 1000, target=f"< {MAX_SECONDS:g} s, < {MAX_MB} MB",
                  ok=seconds < MAX_SECONDS and peak < MAX_MB, note=f"{size:,} B, peak {peak:.1f} MB, {outcome}")
           for name, size, seconds, peak, outcome in rows]
    out.append(result("upload: process peak RSS growth", target=f"< {MAX_MB} MB", ok=rss_growth < MAX_MB,
                      note=f"{rss_growth:.1f} MB"))
    return out


def main():
    import django

    django.setup()
    rows, rss_growth = measure()
    print(f"{'file':24} {'bytes':>9} {'time s':>7} {'bound':>6} {'peak MB':>8} {'bound':>6}  ok   outcome")
    failed = 0
    for name, size, seconds, peak, outcome in rows:
        ok = seconds < MAX_SECONDS and peak < MAX_MB
        failed += not ok
        print(f"{name:24} {size:>9,} {seconds:>7.3f} {MAX_SECONDS:>6g} {peak:>8.1f} {MAX_MB:>6}  "
              f"{'yes' if ok else 'NO ':3}  {outcome}")
    print(f"process peak RSS growth over the run: {rss_growth:.1f} MB (bound {MAX_MB} MB)")
    raise SystemExit(1 if failed or rss_growth >= MAX_MB else 0)


if __name__ == "__main__":
    main()
