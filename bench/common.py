"""Helpers shared by the bench modules: timing, query counting, a logged-in client, results.

A bench module exposes ``run(ctx)`` returning a list of result dicts (see ``result``); ``ctx``
holds ``size`` (projects), ``period`` (the latest month of the data) and ``db_url``. Modules
run inside a worker process whose Django is set up on the generated database of that size.
"""
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))


def timed(fn, *, repeat=REPEAT, warmup=2):
    """Median wall time in ms of ``fn()`` over ``repeat`` runs after ``warmup`` runs, and the
    number of SQL queries of the last run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), len(ctx.captured_queries)


def client_for(username):
    """A Django test client logged in as ``username`` (no password hashing in the timing)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def get_ok(client, url, **params):
    response = client.get(url, params)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} {params} → {response.status_code}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def result(bench, *, ms=None, queries=None, floor_ms=None, target="", ok=None, note="", **extra):
    """One row of the results table. ``ok`` None means "no target" or "skipped"."""
    return {"bench": bench, "ms": ms, "queries": queries, "floor_ms": floor_ms,
            "ratio": (ms / floor_ms) if ms is not None and floor_ms else None,
            "target": target, "ok": ok, "note": note, **extra}


def url_exists(name):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
        return True
    except NoReverseMatch:
        return False
