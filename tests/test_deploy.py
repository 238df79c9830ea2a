"""Production settings: `check --deploy` is clean under production environment variables, and
/healthz answers for monitoring."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


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


def test_check_deploy_is_clean_in_production():
    code, output = run_check_deploy(**production_env())
    assert code == 0, output
    assert "System check identified no issues" in output, output


def test_check_deploy_is_clean_when_the_proxy_redirects_to_https():
    code, output = run_check_deploy(**production_env(SSL_REDIRECT_AT_PROXY="1"))
    assert "System check identified no issues" in output, output


def test_check_deploy_catches_a_missing_secret_key():
    code, output = run_check_deploy(DEBUG="0", ALLOWED_HOSTS="xmzx.example.gov.cn")
    assert "portfolio.W001" in output
    assert "security.W012" in output  # insecure session cookie, since this is not production


def test_check_deploy_reports_debug_on():
    code, output = run_check_deploy(**production_env(DEBUG="1"))
    assert "security.W018" in output


def test_healthz_ok_without_login(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_database_failure(client, db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


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
