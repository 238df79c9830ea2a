"""Login throttling, CSRF, Content-Security-Policy, request size limit, and templates that keep
to the policy."""
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories

ROOT = Path(__file__).resolve().parents[1]
LOCKED = "登录失败次数过多"


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_locks_after_repeated_failures_with_chinese_message(db):
    factories.leader("lingdao")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, "lingdao", "wrong-password")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = post_login(client, "lingdao", "wrong-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Even the right password is refused while locked out.
    response = post_login(client, "lingdao", "pw-12345678")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_so_colleagues_can_still_log_in(db):
    factories.leader("lingdao")
    factories.staff("luru")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "lingdao", "wrong-password")
    response = post_login(client, "luru", "pw-12345678")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_successful_login_resets_the_counter(db):
    factories.leader("lingdao")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "lingdao", "wrong-password")
    assert post_login(client, "lingdao", "pw-12345678").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, "lingdao", "wrong-password").status_code == 200


def test_login_without_csrf_token_is_refused(db):
    factories.leader("lingdao")
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, "lingdao", "pw-12345678")
    assert response.status_code == 403


def test_no_view_is_csrf_exempt():
    from tests.urlwalk import all_patterns

    exempt = [p.route for p in all_patterns() if getattr(p.callback, "csrf_exempt", False)]
    assert exempt == []


def test_content_security_policy_on_pages(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    # A fresh nonce on every request.
    assert client.get(reverse("login"))["Content-Security-Policy"] != policy


def test_security_headers(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_oversized_request_is_refused_before_it_is_read(client, db):
    response = client.generic(
        "POST", reverse("login"), b"x" * 16, content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_SIZE + 1),
    )
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()


def template_files():
    dirs = [ROOT / "templates", *(ROOT / app / "templates" for app in
                                  ("portfolio", "projects", "investment", "land", "procurement"))]
    return sorted(p for d in dirs if d.exists() for p in d.rglob("*.html"))


def test_every_post_form_carries_a_csrf_token():
    missing = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.S | re.I):
            if re.search(r'method\s*=\s*["\']?post', form, re.I) and "csrf_token" not in form:
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_templates_have_no_inline_script_or_style_without_nonce():
    """The CSP blocks inline <script>/<style>, event handler attributes and style attributes;
    a template that needs an inline block must carry nonce="{{ request.csp_nonce }}"."""
    offending = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text, re.I):
            if "src=" not in tag and "csp_nonce" not in tag and 'type="application/json"' not in tag:
                offending.append(f"{name}: {tag}")
        for attr in re.findall(r"\s(on[a-z]+|style)\s*=\s*[\"']", text, re.I):
            offending.append(f"{name}: {attr}= attribute")
    assert offending == []


# --- Lockout behind the reverse proxy (issue 14) --------------------------------------------------

PROXY = "10.0.0.1"


@pytest.fixture
def behind_one_proxy(settings):
    """The settings that AXES_PROXY_COUNT=1 produces (test_proxy_count_from_the_environment)."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def proxied_client(address, spoofed=None):
    """A browser at ``address`` behind nginx: REMOTE_ADDR is the proxy, which appended the
    client's address to whatever X-Forwarded-For the client sent."""
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_the_proxy_one_client_is_locked_and_another_still_logs_in(db, behind_one_proxy):
    factories.leader("lingdao")
    attacker, colleague = proxied_client("10.0.5.66"), proxied_client("10.0.7.12")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(attacker, "lingdao", "wrong-password")
    assert post_login(attacker, "lingdao", "pw-12345678").status_code == 429
    response = post_login(colleague, "lingdao", "pw-12345678")
    assert response.status_code == 302 and colleague.session["_auth_user_id"]


def test_a_forged_forwarded_header_does_not_choose_the_address(db, behind_one_proxy):
    """The attacker writes the victim's address into X-Forwarded-For; the proxy appends the
    attacker's own, and that is the one counted."""
    factories.leader("lingdao")
    for n in range(settings.AXES_FAILURE_LIMIT):
        post_login(proxied_client("10.0.5.66", spoofed=f"10.0.7.12, 10.9.9.{n}"), "lingdao", "wrong")
    assert post_login(proxied_client("10.0.5.66"), "lingdao", "pw-12345678").status_code == 429
    assert post_login(proxied_client("10.0.7.12"), "lingdao", "pw-12345678").status_code == 302


def test_without_a_configured_proxy_the_forwarded_header_is_ignored(db):
    factories.leader("lingdao")
    for n in range(settings.AXES_FAILURE_LIMIT):
        post_login(Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), "lingdao", "wrong")
    assert post_login(Client(HTTP_X_FORWARDED_FOR="10.0.1.1"), "lingdao", "pw-12345678").status_code == 429


def test_a_failure_during_the_lock_does_not_extend_it(db):
    from axes.models import AccessAttempt

    def minutes_pass(minutes):
        for attempt in AccessAttempt.objects.all():
            AccessAttempt.objects.filter(pk=attempt.pk).update(
                attempt_time=attempt.attempt_time - timedelta(minutes=minutes))

    factories.leader("lingdao")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "lingdao", "wrong-password")
    cool_off = settings.AXES_COOLOFF_TIME * 60
    minutes_pass(cool_off - 1)
    assert post_login(client, "lingdao", "wrong-password").status_code == 429  # still locked ...
    minutes_pass(2)
    # ... and the lock ends when it was due to, not a cool-off after the last failure.
    assert post_login(client, "lingdao", "pw-12345678").status_code == 302


def test_proxy_count_from_the_environment():
    code = ("from django.conf import settings as s; "
            "print(s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.IPWARE_STRICT)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portfolio.settings", "AXES_PROXY_COUNT": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert done.stdout.split() == ["0", "['HTTP_X_FORWARDED_FOR',", "'REMOTE_ADDR']", "False"], done.stderr
