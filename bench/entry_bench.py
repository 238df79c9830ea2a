"""Month entry (月度填报, issue 4): saving 200 rows of one month, and the 录入员 side of the
load bench.

Save: ``investment.services.progress_save_month`` — the one write path of the month page and
the upload — with 200 rows of the open month (the last month of the data), as an
administrator: once creating 200 new rows, once changing 200 existing rows. Median of
BENCH_REPEAT runs, inputs built outside the timing, and the queries of one save.

Load (used by load_bench): each 录入员 opens the month page of the open month through HTTP,
changes 20 amounts of their area's rows and saves the page; afterwards every amount a 录入员
saved must be in the database exactly once with the value last saved.
"""
import itertools
import random
import re
import statistics
import threading
import time
from decimal import Decimal
from html import unescape

from common import REPEAT, result

ROWS = 200
CHANGED_PER_SAVE = 20


def open_month(ctx):
    return ctx["period"].year, 12


def bench_admin():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench_admin", defaults={"is_superuser": True, "is_staff": True})
    return user


def inputs_for(entries, year, month, *, bump):
    from investment.models import MonthlyProgress
    from investment.services import ProgressInput, progress_fingerprint

    current = {p.entry_id: p for p in MonthlyProgress.objects.filter(entry__in=entries, month=month)}
    rows = []
    for entry in entries:
        existing = current.get(entry.pk)
        rows.append(ProgressInput(
            entry_id=entry.pk,
            completed=(existing.completed if existing else Decimal(0)) + bump,
            physical_percent=existing.physical_percent if existing else None,
            physical_progress=existing.physical_progress if existing else "按计划推进",
            problems=existing.problems if existing else "",
            version=existing.version if existing else 0,
            loaded_fingerprint=progress_fingerprint(existing),
            confirm_over=True, key=entry.pk,
        ))
    return rows


def time_saves(user, year, month, make_rows, prepare=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from investment.services import progress_save_month

    times, queries, saved = [], None, None
    for i in range(REPEAT + 1):
        if prepare:
            prepare()
        rows = make_rows(i)
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            saved = progress_save_month(user=user, year=year, month=month, rows=rows)
            elapsed = (time.perf_counter() - t0) * 1000
        if i:  # the first run warms caches
            times.append(elapsed)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries, saved


def run(ctx):
    try:
        from investment.services import progress_save_month  # noqa: F401
    except ImportError:
        return [result("month entry save (200 rows)", note="skipped: month entry (issue 4) not on main")]
    from investment.models import MonthlyProgress, PlanEntry

    year, month = open_month(ctx)
    user = bench_admin()
    entries = list(PlanEntry.objects.filter(plan__year=year, unplanned=False)
                   .select_related("project").order_by("id")[:ROWS])
    if len(entries) < ROWS:
        return [result("month entry save (200 rows)", note=f"skipped: fewer than {ROWS} entries")]
    # The same 200 rows: deleted and created again, then changed.
    create_entries = update_entries = entries

    def clear():
        MonthlyProgress.objects.filter(entry__in=create_entries, month=month).delete()

    create_ms, create_q, created = time_saves(
        user, year, month, lambda i: inputs_for(create_entries, year, month, bump=Decimal(i + 1)),
        prepare=clear)
    update_ms, update_q, updated = time_saves(
        user, year, month, lambda i: inputs_for(update_entries, year, month, bump=Decimal(1)))
    assert created.created == ROWS and updated.updated == ROWS, (created, updated)
    return [
        month_page(year, month),
        result("month entry save: 200 new rows", ms=create_ms, queries=create_q,
               note=f"median of {REPEAT}; service progress_save_month, history included"),
        result("month entry save: 200 changed rows", ms=update_ms, queries=update_q,
               note=f"median of {REPEAT}; service progress_save_month, history included"),
    ]


class LoadSaver:
    """The 录入员 of the load bench: open the month page, change some amounts, save."""

    def __init__(self, ctx):
        self.year, self.month = open_month(ctx)
        self.path = f"/progress/{self.year}/{self.month}/"
        self.saved = {}  # entry id → last amount a successful save wrote
        self.lock = threading.Lock()
        self.counter = itertools.count(1)

    def loop(self, session, stats, deadline):
        rng = random.Random(id(session))
        while time.time() < deadline and stats.more():
            t0 = time.perf_counter()
            try:
                status, html, _ = session.request("GET", self.path)
                stats.record("month page", (time.perf_counter() - t0) * 1000, status == 200, f"status {status}")
                if status != 200:
                    continue
                fields = month_form_fields(html)
                if not any(name.endswith("-completed") for name, _ in fields):
                    stats.record("month save", 0, False, "no month form on the page")
                    continue
                data, changes = self.change(fields, rng)
                t0 = time.perf_counter()
                status, body, headers = session.request("POST", self.path, data)
                ok = status == 302
                stats.record("month save", (time.perf_counter() - t0) * 1000, ok,
                             f"status {status}" + ("" if ok else f" {_first_error(body)}"))
                if ok:
                    with self.lock:
                        self.saved.update(changes)
            except OSError as exc:
                stats.record("month save", (time.perf_counter() - t0) * 1000, False, repr(exc))

    def change(self, fields, rng):
        data, rows = {}, {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
            if name.startswith("rows-") and name.endswith("-entry"):
                rows[name[:-len("entry")]] = int(value)
        changes = {}
        for prefix in rng.sample(sorted(rows), min(CHANGED_PER_SAVE, len(rows))):
            amount = Decimal(next(self.counter)) / 100 + 1
            data[f"{prefix}completed"] = [str(amount)]
            data[f"{prefix}confirm_over"] = ["on"]
            changes[rows[prefix]] = amount
        return data, changes

    def verify(self):
        from django.db.models import Count

        from investment.models import MonthlyProgress

        qs = MonthlyProgress.objects.filter(entry_id__in=list(self.saved), month=self.month)
        stored = dict(qs.values_list("entry_id", "completed"))
        duplicates = qs.values("entry_id").annotate(n=Count("id")).filter(n__gt=1).count()
        wrong = [e for e, amount in self.saved.items() if stored.get(e) != amount]
        ok = not wrong and not duplicates and len(stored) == len(self.saved)
        return result("load: saved rows present exactly once", target="all, once", ok=ok,
                      note=f"{len(self.saved)} rows saved by 录入员; {len(stored)} found, "
                           f"{duplicates} duplicated, {len(wrong)} with another value")


def load_saver(ctx):
    try:
        from investment.services import progress_save_month  # noqa: F401
    except ImportError:
        return None
    return LoadSaver(ctx)


INPUT = re.compile(r"<input\b([^>]*)>", re.I)
TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.I | re.S)
ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def month_form_fields(html):
    """The month form's fields as a browser posts them (regular expressions: an HTML parser
    costs the load client ~75 ms per 10,000-project page, CPU the server needs)."""
    fields, seen_csrf = [], False
    for match in INPUT.finditer(html):
        attrs = {k.lower(): unescape(v or "") for k, v in ATTR.findall(match.group(1))}
        name, kind = attrs.get("name", ""), attrs.get("type", "text").lower()
        if name == "csrfmiddlewaretoken":
            if not seen_csrf:
                fields.append((name, attrs.get("value", "")))
                seen_csrf = True
        elif name.startswith("rows-") and (kind not in {"checkbox", "radio"} or "checked" in attrs):
            fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
    for match in TEXTAREA.finditer(html):
        attrs = dict(ATTR.findall(match.group(1)))
        if attrs.get("name", "").startswith("rows-"):
            fields.append((attrs["name"], unescape(match.group(2)).lstrip("\n")))
    return fields


def _first_error(html):
    match = re.search(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)<', html, re.S)
    return match.group(1).strip()[:120] if match else ""


def month_page(year, month):
    """GET the month page (月度填报) as the administrator with up to 250 rows (``per_page``): the
    page a 录入员 opens before saving; target ≤ 300 ms for 250 rows."""
    from common import client_for, get_ok, timed

    bench_admin()
    client = client_for("bench_admin")
    path = f"/progress/{year}/{month}/"
    html = get_ok(client, path, per_page=250).content.decode()
    rows = len(re.findall(r'name="[^"]*-completed"', html))
    ms, queries = timed(lambda: get_ok(client, path, per_page=250))
    return result(f"month page: GET {rows} rows", ms=ms, queries=queries, target="≤300 ms (250 rows)",
                  ok=ms <= 300 if rows >= 250 else None,
                  note=f"median of {REPEAT}; {path}?per_page=250 as administrator, {rows} form rows rendered")
