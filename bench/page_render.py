"""What a page costs to render through Django's test client, as the test suite renders it: a
throwaway in-memory SQLite test database with the 2020 data set (tests/demo.py), an admin, a
录入员 and a leader logged in, N renders of each page. Per request: wall ms (median and minimum),
CPU ms (median of the process's CPU time, steadier on a busy machine), SQL queries, and Python
function calls (cProfile of one request: the same however busy the machine is).

    .venv/bin/python bench/page_render.py [-n 20] [--pages dashboard,inbox] [--roles leader]
        [--profile out.prof] [--save-html DIR]

--profile writes a cProfile of every timed request (read it with ``python -m pstats``);
--save-html DIR writes each page's HTML with the per-request tokens (csrf, CSP nonce) masked,
for diffing the HTML before and after a change. DATABASE_URL may name a PostgreSQL server: its
test database (``test_<name>``) is created and dropped like the test suite's.
"""
import argparse
import cProfile
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

PAGES = {
    "dashboard": "/?year=2020&month=12",
    "projects": "/projects/?year=2020&month=12",
    "records": "/land/batches/?year=2020",
    "month": "/progress/2020/12/",
    "problems": "/problems/",
    "inbox": "/inbox/",
    "404": "/no-such-page/",
}
ROLES = ("admin", "staff", "leader")
MASKS = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(nonce=")[^"]+'), r"\1NONCE"),
    (re.compile(r'(data-cell="changed-by">[^<]*<br>)\d\d-\d\d \d\d:\d\d'), r"\1TIME"),  # the data's load time
]


def setup():
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here

    import django
    from django.conf import settings

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # not a "Not Found" line per 404
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    from django.db import connection

    # The test suite's database: built from the models (pytest --nomigrations), plus the role groups.
    connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    connection.original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    import importlib

    from django.apps import apps

    importlib.import_module("projects.migrations.0002_roles").create_roles(apps, None)
    from tests.demo import load_demo_data

    load_demo_data()
    return connection


def clients():
    from django.test import Client

    from projects.models import Area
    from tests import factories

    users = {"admin": factories.admin_user(), "staff": factories.staff(areas=[Area.objects.order_by("pk").first()]),
             "leader": factories.leader()}
    result = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        result[role] = client
    return result


def function_calls(fn):
    """Python function calls of one ``fn()`` (cProfile): unlike the times, the same on a busy machine."""
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(fn)
    return pstats.Stats(profiler).total_calls


def url_of(page):
    return PAGES[page]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="timed renders of each page and role")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--profile", help="write a cProfile of the timed requests to this file")
    parser.add_argument("--save-html", help="write each page's HTML (tokens masked) to this folder")
    args = parser.parse_args()
    pages = args.pages.split(",")
    roles = args.roles.split(",")

    t0 = time.perf_counter()
    connection = setup()
    from django.test.utils import CaptureQueriesContext

    logged_in = clients()
    print(f"set up in {time.perf_counter() - t0:.1f} s ({connection.vendor}); {args.n} renders each", flush=True)
    profiler = cProfile.Profile() if args.profile else None
    rows = []
    total_ms = []
    for role in roles:
        client = logged_in[role]
        for page in pages:
            url = url_of(page)
            response = client.get(url)  # warm-up: templates compiled, caches filled
            status = response.status_code
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries = len(captured.captured_queries)  # read now: the next request empties the log
            calls = function_calls(lambda: client.get(url))
            times, cpu = [], []
            for _ in range(args.n):
                start, start_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                client.get(url)
                if profiler:
                    profiler.disable()
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            if args.save_html:
                html = response.content.decode()
                for pattern, replacement in MASKS:
                    html = pattern.sub(replacement, html)
                folder = Path(args.save_html)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{role}-{page}.html").write_text(html, encoding="utf-8")
            ms, cpu_ms = statistics.median(times), statistics.median(cpu)
            total_ms.append((ms, cpu_ms))
            rows.append((role, page, status, ms, min(times), cpu_ms, queries, calls))
    print(f"{'role':<7} {'page':<10} {'status':>6} {'median ms':>10} {'min ms':>8} {'CPU ms':>8} {'queries':>8} {'calls':>8}")
    for role, page, status, ms, low, cpu_ms, queries, calls in rows:
        print(f"{role:<7} {page:<10} {status:>6} {ms:>10.1f} {low:>8.1f} {cpu_ms:>8.1f} {queries:>8} {calls:>8}")
    print(f"mean of the medians: {statistics.mean(m for m, _ in total_ms):.1f} ms wall, "
          f"{statistics.mean(c for _, c in total_ms):.1f} ms CPU")
    if profiler:
        profiler.dump_stats(args.profile)
        print(f"profile: {args.profile}")
    connection.creation.destroy_test_db(connection.original_name, verbosity=0)


if __name__ == "__main__":
    main()
