"""Request-level security: Content-Security-Policy, request size limit, login throttling glue,
and a deployment check for the development secret key.

Settings: CSP_POLICY (directive → sources), MAX_REQUEST_SIZE (bytes), AXES_* (django-axes).
"""
import re
import secrets

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_lockout_message
from django.conf import settings
from django.core import checks
from django.http import HttpResponse
from django.middleware import csrf
from django.shortcuts import render
from django.utils.translation import gettext as _

DEV_SECRET_KEY_PREFIX = "dev-only-insecure-key"


class ContentSecurityPolicyMiddleware:
    """Sends ``Content-Security-Policy`` built from ``settings.CSP_POLICY`` on every response.

    Each request gets a fresh nonce (``request.csp_nonce``) that is added to script-src and
    style-src, so a template that truly needs an inline block can write
    ``<script nonce="{{ request.csp_nonce }}">``; any other inline script or style is blocked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request.csp_nonce)
        return response

    @staticmethod
    def policy(nonce):
        directives = []
        for directive, sources in settings.CSP_POLICY.items():
            sources = list(sources)
            if directive in ("script-src", "style-src"):
                sources.append(f"'nonce-{nonce}'")
            directives.append(" ".join([directive, *sources]))
        return "; ".join(directives)


def request_size_limit(path):
    """The largest body a request to ``path`` may declare: MAX_REQUEST_SIZE, or the larger limit of
    a path in LARGE_REQUEST_PATHS (the photo upload; pairs of a path pattern and a setting's name)."""
    for pattern, setting in getattr(settings, "LARGE_REQUEST_PATHS", ()):
        if re.match(pattern, path):
            return getattr(settings, setting)
    return settings.MAX_REQUEST_SIZE


class RequestSizeLimitMiddleware:
    """Refuses (413) any request whose declared body exceeds ``settings.MAX_REQUEST_SIZE``
    before anything reads it. Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded
    files, so without this an upload of any size would be spooled to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_size_limit(request.path_info)
        if length > limit:
            limit_mb = limit // (1024 * 1024)
            return HttpResponse(
                _("上传内容过大（上限 %(mb)s MB）。") % {"mb": limit_mb},
                status=413, content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' backend, except for authentication without a request.

    Every login through HTTP passes the request, so every one is throttled. Code that calls
    ``authenticate()`` without one (the test client's ``login()``, management commands) has no
    client address to throttle and would otherwise be refused outright by axes.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out user sees: the Chinese message in the normal layout (HTTP 429)."""
    return render(
        request, "registration/locked_out.html", {"lockout_message": get_lockout_message()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: why a form was refused and what to do, in Chinese, in the layout.
    Django's ``reason`` is English and technical; the page says it in words a clerk can act on."""
    return render(request, "403_csrf.html", {"reason": _csrf_reason(reason)}, status=403)


def _csrf_reason(reason):
    if reason == csrf.REASON_NO_CSRF_COOKIE:
        return _("浏览器没有带上本系统的 Cookie（可能已禁用 Cookie，或登录已过期）。")
    if reason == csrf.REASON_CSRF_TOKEN_MISSING:
        return _("提交的表单缺少安全校验信息。")
    if reason.startswith(("Origin checking failed", "Referer checking failed")):
        return _("表单不是从本系统的网址提交的（通过代理访问时，请管理员检查 CSRF_TRUSTED_ORIGINS 设置）。")
    return _("表单的安全校验信息已过期或与当前登录不符。")


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key_is_not_the_development_key(app_configs, **kwargs):
    """The fallback key in settings is long and random-looking, so Django's own W009 passes
    it; this catches a deployment that forgot to set SECRET_KEY."""
    if settings.SECRET_KEY.startswith(DEV_SECRET_KEY_PREFIX):
        return [checks.Warning(
            "SECRET_KEY is the development fallback; set SECRET_KEY in the environment.",
            id="portfolio.W001",
        )]
    return []
