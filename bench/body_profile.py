"""Where the page bodies spend their time: the main pages fetched through Django's test client,
as the administrator and as one area's 录入员, on the demo data (2020 + 2021, as `make demo`).

    .venv/bin/python bench/body_profile.py setup            # build the database once
    .venv/bin/python bench/body_profile.py time [-n 5]      # ms per request (CPU) for each page
    .venv/bin/python bench/body_profile.py profile [-n 3]   # cProfile of all pages, top functions
    .venv/bin/python bench/body_profile.py save DIR         # each page's HTML (csrf masked) for diffing
    .venv/bin/python bench/body_profile.py calls            # Python calls per request (deterministic)
    .venv/bin/python bench/body_profile.py templates        # ms per template for each page

The database is BODY_DB (default: SQLite file /tmp/body_profile.sqlite3); set it to a
postgres:// URL for PostgreSQL. Not a test: nothing here asserts.
"""
import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get("BODY_DB", "sqlite:////tmp/body_profile.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.DEBUG = False

USERS = ["admin", "luru_nan"]


def setup():
    from django.core.management import call_command

    from tests.demo import load_demo_command

    call_command("migrate", verbosity=0)
    load_demo_command()
    call_command("ensure_admin", username="admin", verbosity=0)
    call_command("ensure_demo_users", verbosity=0)


def pages():
    """(label, url) of the main pages."""
    from django.urls import reverse

    from projects.models import Project
    from records.registry import REGISTRY

    project = Project.objects.order_by("pk").first()
    urls = [
        ("dashboard", "/"),
        ("dashboard 2020-06", "/?year=2020&month=6"),
        ("month 2020-06", reverse("investment:month", args=[2020, 6])),
        ("projects", reverse("projects:list")),
        ("project detail", reverse("projects:detail", args=[project.pk])),
        ("records project", reverse("records:project", args=[project.pk])),
        ("records index", reverse("records:index")),
        ("problems", reverse("problem_list")),
        ("supervision", reverse("order_list")),
        ("inbox", reverse("inbox")),
        ("overdue", reverse("records:overdue")),
        ("scores", reverse("records:scores")),
    ]
    for rt in REGISTRY:
        if rt.list is not None:
            urls.append((rt.list.name, reverse(rt.list.name)))
    return urls


def clients():
    from django.contrib.auth import get_user_model
    from django.test import Client

    out = {}
    for name in USERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        out[name] = client
    return out


def fetch(client, url):
    response = client.get(url)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def warmed(only):
    """(label, user, client, url) of each page matching ``only`` and each user, after two warm-up
    requests."""
    cl = clients()
    for label, url in pages():
        if only and not re.search(only, label):
            continue
        for user, client in cl.items():
            fetch(client, url)
            fetch(client, url)
            yield label, user, client, url


def cmd_time(n, only):
    rows = []
    for label, user, client, url in warmed(only):
        samples = []
        for _ in range(n):
            c0 = time.process_time()
            fetch(client, url)
            samples.append((time.process_time() - c0) * 1000)
        samples.sort()
        rows.append((label, user, samples[len(samples) // 2], samples[0]))
        print(f"{label:34} {user:9} median {samples[len(samples) // 2]:7.1f} ms  min {samples[0]:7.1f} ms",
              flush=True)
    total = sum(r[2] for r in rows)
    print(f"{'TOTAL (sum of medians)':44} {total:8.1f} ms")


def cmd_calls(only):
    """Python function calls per request of each page (cProfile's count: deterministic, unlike
    times on a shared machine), after two warm-up requests."""
    total = 0
    for label, user, client, url in warmed(only):
        prof = cProfile.Profile()
        prof.runcall(fetch, client, url)
        calls = pstats.Stats(prof).total_calls
        total += calls
        print(f"{label:34} {user:9} {calls:9,d} calls", flush=True)
    print(f"{'TOTAL':44} {total:9,d} calls")


def cmd_profile(n, only, top, sort):
    cl = clients()
    todo = [(label, url) for label, url in pages() if not only or re.search(only, label)]
    for label, url in todo:  # warm
        for client in cl.values():
            fetch(client, url)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        for label, url in todo:
            for client in cl.values():
                fetch(client, url)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats(sort).print_stats(top)


CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+"|(csrftoken=)[^;"]+')


def cmd_save(directory):
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    cl = clients()
    for label, url in pages():
        for user, client in cl.items():
            body = fetch(client, url)
            body = CSRF.sub(lambda m: (m.group(1) or m.group(2)) + b"X", body)
            name = re.sub(r"[^\w.-]+", "_", f"{label}__{user}") + ".html"
            (out / name).write_bytes(body)
    print(f"saved to {out}")


def cmd_templates(n, only):
    """Inclusive CPU ms per template (and its count) for each page, per request."""
    from collections import defaultdict

    from django.template import base

    original = base.Template._render
    acc = defaultdict(lambda: [0.0, 0])

    def timed_render(self, context):
        c0 = time.perf_counter()
        try:
            return original(self, context)
        finally:
            entry = acc[self.origin.template_name if self.origin else "?"]
            entry[0] += time.perf_counter() - c0
            entry[1] += 1

    base.Template._render = timed_render
    for label, user, client, url in warmed(only):
        acc.clear()
        t0 = time.perf_counter()
        for _ in range(n):
            fetch(client, url)
        total = (time.perf_counter() - t0) * 1000 / n
        print(f"== {label} {user}: {total:.1f} ms")
        for name, (secs, count) in sorted(acc.items(), key=lambda kv: -kv[1][0])[:8]:
            print(f"   {secs * 1000 / n:7.1f} ms  x{count / n:5.0f}  {name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup", "time", "profile", "save", "templates", "calls"])
    parser.add_argument("dir", nargs="?")
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    if args.command == "setup":
        setup()
    elif args.command == "time":
        cmd_time(args.n, args.only)
    elif args.command == "profile":
        cmd_profile(args.n, args.only, args.top, args.sort)
    elif args.command == "calls":
        cmd_calls(args.only)
    elif args.command == "templates":
        cmd_templates(args.n, args.only)
    else:
        cmd_save(args.dir)


if __name__ == "__main__":
    main()
