"""Throughput under load: gunicorn on 127.0.0.1 with production's settings (portfolio/gunicorn_conf.py,
as `make serve`; 4 sync workers), 20 leaders reloading the dashboard and 10 录入员 saving months, for
BENCH_LOAD_SECONDS (60) — loopback only, bounded in time and in request count.

Reports requests/s, p50/p95 latency per kind and errors (target 0), then checks that every row
a 录入员 saved is in the database exactly once with the value last saved. Also the CPU the server
spent per request (gunicorn's workers and their PostgreSQL backends, from /proc), which does not
depend on what else the machine is doing the way requests/s does: with 2 cores, 30 requests/s
needs at most ~65 ms of CPU per request.
"""
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from common import result

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LEADERS = int(os.environ.get("BENCH_LOAD_LEADERS", "20"))
STAFF = int(os.environ.get("BENCH_LOAD_STAFF", "10"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "4"))
MAX_REQUESTS = 200_000  # a hard bound whatever the speed
PASSWORD = "bench-pass-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """A tiny HTTP client for one user against 127.0.0.1: cookies, CSRF token, no redirects."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, data=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, content.decode("utf-8", "replace"), response.headers
        finally:
            conn.close()

    def csrf_from(self, html):
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else self.cookies.get("csrftoken", "")

    def login(self, username):
        status, html, _ = self.request("GET", "/accounts/login/")
        status, html, headers = self.request("POST", "/accounts/login/", {
            "csrfmiddlewaretoken": self.csrf_from(html), "username": username, "password": PASSWORD,
            "next": "/"})
        if status != 302:
            raise RuntimeError(f"login {username} failed: {status}")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = {}
        self.errors = {}
        self.count = 0

    def record(self, kind, ms, ok, detail=""):
        with self.lock:
            self.count += 1
            self.latencies.setdefault(kind, []).append(ms)
            if not ok:
                self.errors.setdefault(kind, []).append(detail)

    def more(self):
        return self.count < MAX_REQUESTS


def percentile(values, p):
    values = sorted(values)
    if not values:
        return None
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def start_server(ctx, port):
    """gunicorn as `make serve` starts it (the same config file and environment), except that
    plain HTTP on 127.0.0.1 needs the TLS settings off, and the access log goes nowhere."""
    env = {**os.environ, "DATABASE_URL": ctx["db_url"], "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0"}
    env.pop("CONN_MAX_AGE", None)  # production's default (portfolio/settings.py)
    root = str(ctx["root"])
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=root,
                   env=env, check=True)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    proc = subprocess.Popen(
        [gunicorn, "portfolio.wsgi:application", "-c", "portfolio/gunicorn_conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS)],
        cwd=root, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, _, _ = Session(port).request("GET", "/healthz")
            if status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError("gunicorn did not start")


def stop_server(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def proc_stat(pid):
    """The fields of /proc/<pid>/stat after the command name (state, ppid, …), None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_ms(pid):
    """User + system CPU time of a process so far, in ms (None once it is gone)."""
    fields = proc_stat(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) * TICK_MS


def server_pids(master, exclude=()):
    """gunicorn's workers (children of the master) and the PostgreSQL backends of this database
    other than the bench's own connections (this thread's and ``exclude``)."""
    from django.db import connection

    workers = [int(entry) for entry in os.listdir("/proc")
               if entry.isdigit() and (fields := proc_stat(entry)) and int(fields[1]) == master]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
        backends = [row[0] for row in cursor.fetchall() if row[0] not in exclude]
    return {"gunicorn": workers, "postgres": backends}


class CpuMeter(threading.Thread):
    """Samples the CPU time of gunicorn's workers and their PostgreSQL backends every half second
    during the run: a backend replaced during the run (CONN_MAX_AGE) or a worker restarted
    (max_requests) counts up to its last sample, a new one from its start."""

    def __init__(self, master):
        from django.db import connection

        super().__init__(daemon=True)
        self.master, self.first, self.last = master, {}, {}
        self.done = threading.Event()
        with connection.cursor() as cursor:  # the bench's own connection, idle during the run
            cursor.execute("SELECT pg_backend_pid()")
            self.own = {cursor.fetchone()[0]}
        self.sample(baseline=True)

    def sample(self, baseline=False):
        for kind, pids in server_pids(self.master, exclude=self.own).items():
            for pid in pids:
                ms = cpu_ms(pid)
                if ms is not None:
                    self.first.setdefault((kind, pid), ms if baseline else 0)
                    self.last[(kind, pid)] = ms

    def run(self):
        from django.db import connection

        try:
            while not self.done.wait(0.5):
                self.sample()
        finally:
            connection.close()

    def stop(self):
        self.done.set()
        self.join()
        self.sample()

    def spent(self):
        """CPU ms per kind, and how many processes of each kind were seen."""
        spent, seen = {"gunicorn": 0.0, "postgres": 0.0}, {"gunicorn": 0, "postgres": 0}
        for (kind, pid), ms in self.last.items():
            spent[kind] += ms - self.first[(kind, pid)]
            seen[kind] += 1
        return spent, seen


def leader_loop(session, stats, deadline):
    while time.time() < deadline and stats.more():
        t0 = time.perf_counter()
        try:
            status, html, _ = session.request("GET", "/")
            ok = status == 200 and "data-figure=" in html
            detail = f"status {status}"
        except OSError as exc:
            ok, detail = False, repr(exc)
        stats.record("dashboard", (time.perf_counter() - t0) * 1000, ok, detail)


def run(ctx):
    from django.contrib.auth import get_user_model

    import entry_bench

    port = free_port()
    stats = Stats()
    saver = entry_bench.load_saver(ctx) if hasattr(entry_bench, "load_saver") else None
    staff_users = list(get_user_model().objects.filter(username__startswith="luru")
                       .order_by("username").values_list("username", flat=True)[:STAFF])
    proc = start_server(ctx, port)
    try:
        # Log everyone in first: password hashing is deliberately slow and is not what is measured.
        leaders = [Session(port) for _ in range(LEADERS)]
        staff = [Session(port) for _ in staff_users] if saver else []
        logins = [threading.Thread(target=s.login, args=(f"lingdao{i % 3 + 1}",)) for i, s in enumerate(leaders)]
        logins += [threading.Thread(target=s.login, args=(u,)) for s, u in zip(staff, staff_users)]
        for t in logins:
            t.start()
        for t in logins:
            t.join()
        meter = CpuMeter(proc.pid)
        meter.start()
        client_cpu = time.process_time()
        deadline = time.time() + SECONDS
        threads = [threading.Thread(target=leader_loop, args=(s, stats, deadline)) for s in leaders]
        threads += [threading.Thread(target=saver.loop, args=(s, stats, deadline)) for s in staff]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SECONDS + 180)
        elapsed = time.perf_counter() - t0
        client_cpu = (time.process_time() - client_cpu) * 1000
        meter.stop()
    finally:
        stop_server(proc)
    rows = []
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(len(v) for v in stats.errors.values())
    for kind, values in sorted(stats.latencies.items()):
        errs = stats.errors.get(kind, [])
        rows.append(result(
            f"load: {kind}", ms=statistics.median(values), target="0 errors", ok=not errs,
            note=f"{len(values) / elapsed:.1f} req/s, p50 {percentile(values, 50):.0f} ms, "
                 f"p95 {percentile(values, 95):.0f} ms, {len(values)} requests, {len(errs)} errors"
                 + (f" (first: {errs[0]})" if errs else "")))
    rows.append(result(
        "load: total", target="0 errors", ok=errors == 0,
        note=f"{LEADERS} leaders + {len(staff_users) if saver else 0} 录入员, {WORKERS} gunicorn workers, "
             f"{elapsed:.0f} s: {total / elapsed:.1f} req/s, {errors} errors"
             + ("" if saver else "; no 录入员 saving (month entry page not on main)")))
    spent, seen = meter.spent()
    per_request = {kind: ms / max(total, 1) for kind, ms in spent.items()}
    rows.append(result(
        "load: server CPU per request", ms=sum(per_request.values()), target="≤65 ms (30 req/s on 2 cores)",
        ok=sum(per_request.values()) <= 65,
        note=f"gunicorn {per_request['gunicorn']:.0f} ms + PostgreSQL {per_request['postgres']:.0f} ms "
             f"({seen['gunicorn']} worker and {seen['postgres']} backend processes); "
             f"the load client itself {client_cpu / max(total, 1):.0f} ms per request on the same cores"))
    if saver:
        rows.append(saver.verify())
    return rows
