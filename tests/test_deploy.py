"""Production settings: `check --deploy` is clean under production environment variables, and
/healthz answers for monitoring."""
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
# The tests that start other programs (manage.py check --deploy, python -c, make, gunicorn), about
# a second each: part of the whole suite (make test), not the quick one (pyproject's slow marker).
starts_processes = pytest.mark.slow


def run_check_deploy(**env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "SECURE_COOKIES",
                         "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
                         "SSL_REDIRECT_AT_PROXY", "DJANGO_SETTINGS_MODULE",
                         "DJANGO_ALLOW_ASYNC_UNSAFE"}}  # set by the browser tests
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def production_env(**overrides):
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "xmzx.example.gov.cn", **overrides}


@starts_processes
def test_check_deploy_is_clean_in_production():
    code, output = run_check_deploy(**production_env())
    assert code == 0, output
    assert "System check identified no issues" in output, output


@starts_processes
def test_check_deploy_is_clean_when_the_proxy_redirects_to_https():
    code, output = run_check_deploy(**production_env(SSL_REDIRECT_AT_PROXY="1"))
    assert "System check identified no issues" in output, output


@starts_processes
def test_check_deploy_catches_a_missing_secret_key():
    code, output = run_check_deploy(DEBUG="0", ALLOWED_HOSTS="xmzx.example.gov.cn")
    assert "portfolio.W001" in output
    assert "security.W012" in output  # insecure session cookie, since this is not production


@starts_processes
def test_make_serve_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "MAKEFLAGS", "MAKELEVEL"}}
    done = subprocess.run(["make", "--no-print-directory", "serve"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0
    assert "拒绝启动：没有设置 SECRET_KEY" in done.stderr
    assert "gunicorn" not in done.stdout + done.stderr  # nothing was started


@starts_processes
def test_make_serve_goes_on_with_a_secret_key():
    done = subprocess.run(["make", "-n", "serve"], cwd=ROOT, env={**os.environ, "SECRET_KEY": "x" * 50},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "gunicorn portfolio.wsgi:application" in done.stdout


@starts_processes
def test_make_serve_and_the_load_bench_start_gunicorn_with_one_config():
    """`make serve` runs gunicorn with portfolio/gunicorn_conf.py (bench/load_bench.py starts it with
    the same file): sync workers forked from a warmed-up master, recycled after ~2,000 requests."""
    done = subprocess.run(["make", "-n", "serve"], cwd=ROOT, env={**os.environ, "SECRET_KEY": "x" * 50},
                          capture_output=True, text=True, timeout=60)
    assert "gunicorn portfolio.wsgi:application -c portfolio/gunicorn_conf.py" in done.stdout
    printed = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "portfolio.wsgi:application",
         "-c", "portfolio/gunicorn_conf.py", "--print-config"],
        # --print-config also loads the application: without the template warm-up, which
        # test_the_wsgi_module_warms_up_before_the_fork_without_a_database_connection checks (~0.6 s)
        cwd=ROOT, env={**{k: v for k, v in os.environ.items() if k != "WORKERS"}, "WSGI_WARM_UP": "0"},
        capture_output=True, text=True, timeout=60)
    config = dict(line.split(" = ", 1) for line in printed.stdout.splitlines() if " = " in line)
    config = {key.strip(): value.strip() for key, value in config.items()}
    assert (config["worker_class"], config["workers"], config["preload_app"]) == ("sync", "4", "True"), printed.stderr
    assert (config["max_requests"], config["timeout"]) == ("2000", "120")


# The connection settings are those of the settings module (portfolio/settings.py reads the
# environment) as Django's connection handler completes them; no app's ready() changes them, so
# these processes read them without django.setup() (loading every app: ~0.3 s of CPU each).
def database_settings(**env):
    code = ("from django.db import connection; "
            "print(connection.settings_dict['CONN_MAX_AGE'], connection.settings_dict['CONN_HEALTH_CHECKS'])")
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "CONN_MAX_AGE"}}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**base, "DJANGO_SETTINGS_MODULE": "portfolio.settings", **env})
    return done.stdout.split()


@starts_processes
def test_production_keeps_each_workers_database_connection():
    """A new connection per request is a new PostgreSQL backend per request: production keeps
    each connection 60 s, checked before reuse (a restarted database costs no request an error)."""
    assert database_settings(**production_env()) == ["60", "True"]
    assert database_settings(**production_env(CONN_MAX_AGE="0")) == ["0", "True"]
    assert database_settings() == ["0", "True"]  # development and tests: one per request


@starts_processes
def test_the_wsgi_module_warms_up_before_the_fork_without_a_database_connection():
    """gunicorn forks its workers from the master that imported portfolio.wsgi (preload_app):
    the templates are compiled there once, and no database connection is open to be shared."""
    code = ("import portfolio.wsgi; from django.db import connections; from django.template import engines; "
            "cache = engines['django'].engine.template_loaders[0].get_template_cache; "
            "print(all(c.connection is None for c in connections.all()), 'portfolio/dashboard.html' in cache, "
            "'investment/month.html' in cache)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "portfolio.settings", "DEBUG": "0"})
    assert done.stdout.split() == ["True", "True", "True"], done.stderr


@starts_processes
def test_check_deploy_reports_debug_on():
    code, output = run_check_deploy(**production_env(DEBUG="1"))
    assert "security.W018" in output


def test_healthz_ok_without_login(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def database_at(monkeypatch, django_db_blocker):
    """Points /healthz at a PostgreSQL server on a local port (with the timeouts of settings).
    The page touches no other database, so these tests need no test database."""
    from django.db import connections
    from django.conf import settings
    from portfolio import health

    def point(port):
        databases = {"probe": {"ENGINE": "django.db.backends.postgresql", "NAME": "probe", "USER": "probe",
                               "HOST": "127.0.0.1", "PORT": str(port),
                               "OPTIONS": {"connect_timeout": settings.DB_CONNECT_TIMEOUT}}}
        connections.configure_settings({"default": connections.settings["default"], **databases})
        monkeypatch.setitem(connections.settings, "probe", databases["probe"])
        monkeypatch.setattr(health, "DATABASE_ALIAS", "probe")

    with django_db_blocker.unblock():
        yield point


def test_healthz_reports_database_failure(client, database_at):
    with socket.socket() as closed:  # a port nobody listens on: connection refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    database_at(port)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_answers_503_in_time_when_the_database_never_replies(client, database_at):
    """A server that accepts the connection and then says nothing (issue 14: 120 s, then an HTML
    500 from gunicorn)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        database_at(silent.getsockname()[1])
        started = time.monotonic()
        response = client.get(reverse("healthz"))
        elapsed = time.monotonic() - started
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert elapsed < 5


@starts_processes
def test_database_timeouts_from_the_environment():
    code = "from django.db import connection; print(connection.settings_dict['OPTIONS'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portfolio.settings",
           "DATABASE_URL": "postgres://u@127.0.0.1:1/x", "DB_CONNECT_TIMEOUT": "4", "DB_STATEMENT_TIMEOUT": "12"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert "'connect_timeout': 4" in done.stdout, done.stderr
    assert "'options': '-c jit=off -c statement_timeout=12000'" in done.stdout


@pytest.mark.django_db
def test_postgresql_statement_timeout_is_set():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


@pytest.mark.parametrize("setting,value", [
    ("SESSION_EXPIRE_AT_BROWSER_CLOSE", True), ("SESSION_COOKIE_HTTPONLY", True),
])
def test_session_settings(settings, setting, value):
    assert getattr(settings, setting) == value
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit():
    """JIT compilation cost more than the dashboard's and workbook's queries themselves
    (bench/RESULTS.md); every connection turns it off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
