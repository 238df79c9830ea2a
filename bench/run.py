"""`make bench`: generate PostgreSQL databases of several sizes and run every bench module on
each, printing one table (also written to bench/out/results.json and bench/out/table.md).

    python bench/run.py [--sizes 500,2000,10000] [--only dashboard_bench,load_bench] [--keep]

Databases: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/keyprojects_bench);
one database per size (``<name>_<size>``) cloned from a migrated template, filled by
bench/generate.py, dropped afterwards unless --keep. Each size runs in a worker process so that
Django is set up on that database.

Bench modules (add yours here; each has ``run(ctx) -> list of result rows``, see common.py).
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
import common  # noqa: E402,F401  (puts the project on sys.path, sets DJANGO_SETTINGS_MODULE)

MODULES = [
    "dashboard_bench",
    "list_bench",
    "entry_bench",
    "export_bench",
    "load_bench",
    "upload_bench",
]
SIZES = [500, 2000, 10000]
AREAS = {500: 10, 2000: 10, 10000: 20}  # ≥ 10: one 录入员 per area, 10 in the load
YEARS = 5
START_YEAR = 2021


def db_url(base, suffix):
    parts = urlparse(base)
    return urlunparse(parts._replace(path=f"{parts.path}_{suffix}"))


def admin_url(base):
    parts = urlparse(base)
    return urlunparse(parts._replace(path="/postgres"))


def psql(base, sql):
    subprocess.run(["psql", admin_url(base), "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def dbname(url):
    return urlparse(url).path.lstrip("/")


def prepare(base, sizes):
    """A migrated template database, then one clone per size filled by the generator."""
    python = sys.executable
    template = db_url(base, "template")
    psql(base, f'DROP DATABASE IF EXISTS "{dbname(template)}"')
    psql(base, f'CREATE DATABASE "{dbname(template)}"')
    env = {**os.environ, "DATABASE_URL": template}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    urls = {}
    for size in sizes:
        url = db_url(base, size)
        psql(base, f'DROP DATABASE IF EXISTS "{dbname(url)}"')
        psql(base, f'CREATE DATABASE "{dbname(url)}" TEMPLATE "{dbname(template)}"')
        t0 = time.perf_counter()
        subprocess.run([python, str(BENCH / "generate.py"), "--projects", str(size),
                        "--areas", str(AREAS.get(size, max(1, size // 500))), "--years", str(YEARS),
                        "--start-year", str(START_YEAR)],
                       cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True)
        print(f"  size {size}: generated in {time.perf_counter() - t0:.1f} s", flush=True)
        urls[size] = url
    psql(base, f'DROP DATABASE IF EXISTS "{dbname(template)}"')
    return urls


def worker(size, modules, out):
    """Inside the worker process: Django on this size's database; run each module."""
    import importlib

    import django

    django.setup()
    from portfolio.numbers import Period

    ctx = {"size": size, "period": Period(START_YEAR + YEARS - 1, 12),
           "db_url": os.environ["DATABASE_URL"], "root": ROOT}
    rows = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        t0 = time.perf_counter()
        try:
            module_rows = module.run(ctx)
        except Exception as exc:  # one broken bench must not hide the others
            import traceback

            traceback.print_exc()
            module_rows = [{"bench": name, "ok": False, "note": f"ERROR {type(exc).__name__}: {exc}"}]
        for row in module_rows:
            row.update(size=size, module=name)
        rows.extend(module_rows)
        print(f"  size {size}: {name} done in {time.perf_counter() - t0:.1f} s", flush=True)
    Path(out).write_text(json.dumps(rows, default=str, ensure_ascii=False))


def fmt(value, digits=0):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def table(rows):
    head = "| benchmark | projects | time ms | queries | floor ms | ratio | target | met | note |"
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        met = {True: "yes", False: "**NO**", None: ""}[r.get("ok")]
        ratio = f"{r['ratio']:.2f}×" if r.get("ratio") else ""
        lines.append(
            f"| {r['bench']} | {r['size']:,} | {fmt(r.get('ms'), 1)} | {fmt(r.get('queries'))} | "
            f"{fmt(r.get('floor_ms'), 1)} | {ratio} | {r.get('target', '')} | {met} | {r.get('note', '')} |")
    return "\n".join(lines)


def check_constant_queries(rows):
    """Target: the same query count at every size (for every bench that reports queries)."""
    notes = []
    for bench in dict.fromkeys(r["bench"] for r in rows):
        counts = {r["size"]: r.get("queries") for r in rows if r["bench"] == bench and r.get("queries") is not None}
        if len(counts) > 1:
            same = len(set(counts.values())) == 1
            notes.append({"bench": f"{bench}: queries constant across sizes", "size": max(counts),
                          "target": "same count", "ok": same,
                          "note": ", ".join(f"{s}: {q}" for s, q in counts.items())})
    return notes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", ",".join(map(str, SIZES))))
    parser.add_argument("--only", default="", help="comma-separated module names")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument("--reuse", action="store_true", help="reuse databases kept by --keep")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    modules = [m for m in MODULES if not args.only or m in args.only.split(",")]
    if args.worker:
        return worker(args.worker, modules, args.out)

    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/keyprojects_bench")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    started = time.perf_counter()
    print(f"bench: sizes {sizes}, modules {modules}, load average {os.getloadavg()[0]:.1f}", flush=True)
    load_before = os.getloadavg()
    urls = {s: db_url(base, s) for s in sizes} if args.reuse else prepare(base, sizes)
    out_dir = BENCH / "out"
    out_dir.mkdir(exist_ok=True)
    rows = []
    for size in sizes:
        out = out_dir / f"rows_{size}.json"
        subprocess.run([sys.executable, str(BENCH / "run.py"), "--worker", str(size), "--out", str(out),
                        "--only", ",".join(modules)],
                       cwd=ROOT, env={**os.environ, "DATABASE_URL": urls[size], "DEBUG": "0",
                            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}, check=True)
        rows.extend(json.loads(out.read_text()))
    if not args.keep:
        for url in urls.values():
            psql(base, f'DROP DATABASE IF EXISTS "{dbname(url)}"')
    rows.sort(key=lambda r: (modules.index(r["module"]) if r.get("module") in modules else 99, r["bench"], r["size"]))
    rows += check_constant_queries([r for r in rows if r.get("module") == "dashboard_bench"])
    text = table(rows)
    text += (f"\n\nLoad average (1/5/15 min) at start {'/'.join(f'{x:.1f}' for x in load_before)}, "
             f"at end {'/'.join(f'{x:.1f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs.")
    print()
    print(text)
    print(f"\nbench finished in {time.perf_counter() - started:.0f} s")
    (out_dir / "results.json").write_text(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
    (out_dir / "table.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
