"""Settings for 重点项目管理系统.

Everything that differs between a developer's laptop and the intranet server is read from the
environment: DATABASE_URL (SQLite file in the project when unset), SECRET_KEY, DEBUG,
ALLOWED_HOSTS.
"""
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    # A fixed key is acceptable only for local development; production must set SECRET_KEY.
    "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "django_tables2",
    "django_filters",
    "simple_history",
    "portfolio",
    "projects",
    "investment",
    "land",
    "procurement",
    "contracts",
    "records",
    "ranking",
    "supervision",
    "evidence",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portfolio.access.RoleRequiredMiddleware",  # a login without a role reads only 问题, 督办 and messages
]

ROOT_URLCONF = "portfolio.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portfolio.context_processors.roles",
                "supervision.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "portfolio.wsgi.application"

# A real deployment is DEBUG off *and* SECRET_KEY given in the environment (see "Production" below).
PRODUCTION = not DEBUG and bool(os.environ.get("SECRET_KEY"))

# Persistent connections in production: CONN_MAX_AGE seconds (0: a new connection, i.e. a new
# PostgreSQL backend, for every request — several ms of CPU each, bench/RESULTS.md); each is
# checked before a request reuses it, so a restarted database costs no request an error.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
# Timeouts, so that a database that accepts connections but never answers costs a worker seconds,
# not gunicorn's 120 s (issue 14). DB_STATEMENT_TIMEOUT=0 lifts the statement limit (e.g. for a
# long data migration run by hand).
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))  # seconds
DB_STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT", "30"))  # seconds
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high — as the correlated sums of the
    # dashboard and the workbook are estimated — and spends ~0.9 s compiling a query that runs in
    # 0.15 s (bench/RESULTS.md). The pages here are many small queries: JIT never pays off.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    _options.setdefault("options", f"-c jit=off -c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)}")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for several people at once (issue 14: 11 of 20 concurrent month saves failed with
    # "database is locked" on Django's defaults). IMMEDIATE: a transaction takes the write lock when
    # it begins, so two writers queue instead of one failing when it upgrades a read lock; timeout:
    # how long a writer waits for the lock (busy timeout); WAL: readers never wait for the writer;
    # synchronous=NORMAL is safe with WAL (a power cut may lose the last commits, never corrupt).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
# /healthz answers within this many seconds whatever the database does.
HEALTHZ_TIMEOUT = float(os.environ.get("HEALTHZ_TIMEOUT", "3"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Wherever a password is set through a form — Django admin's user pages, the 修改密码 page,
# `manage.py createsuperuser`/`changepassword` (issue 14: admin accepted "12345678"). The demo
# commands (ensure_admin, ensure_demo_users) set DEMO_PASSWORD without them, and say so.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
DIVISION_CODE = os.environ.get("DIVISION_CODE", "430112")  # 项目代码's division (望城区), projects.codes
# Open data (opendata app, OC4IDS): the publisher named in the package; the prefix of project ids —
# register the center's own with the OC4IDS helpdesk before publishing, the default is a placeholder;
# the public address the package's "uri" is built on; the locality of the projects; and whether
# /open-data/ may be read without logging in (off: the intranet serves logged-in users only).
OC4IDS_PUBLISHER = os.environ.get("OC4IDS_PUBLISHER", "望城区重点建设项目事务中心")
OC4IDS_PREFIX = os.environ.get("OC4IDS_PREFIX", "oc4ids-xxxxxx-")
OPEN_DATA_BASE_URL = os.environ.get("OPEN_DATA_BASE_URL", "http://127.0.0.1:8000")
OPEN_DATA_LOCALITY = os.environ.get("OPEN_DATA_LOCALITY", "湖南省长沙市望城区")
OPEN_DATA_PUBLIC = env_bool("OPEN_DATA_PUBLIC", False)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Upload limit for Excel files and forms (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Production serving and security (issue 8) ---------------------------------------------------
# In PRODUCTION (DEBUG off *and* SECRET_KEY given in the environment, defined above) the secure
# defaults below apply and `manage.py check --deploy` is clean; each one can still be changed
# through the environment (see README, "Production"). Developers and the test suite (no
# SECRET_KEY in the environment) keep plain-HTTP defaults.

INSTALLED_APPS += ["axes"]
MIDDLEWARE += [
    "portfolio.security.RequestSizeLimitMiddleware",
    "portfolio.security.ContentSecurityPolicyMiddleware",
    # django-axes: last in MIDDLEWARE, first in AUTHENTICATION_BACKENDS (its installation docs).
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "portfolio.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: 5 failures for one username from one address lock that pair for 15 minutes
# (username+address, so that one person mistyping behind the office NAT does not lock out the
# colleagues sharing the address). A success resets the counter.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portfolio.security.lockout_response"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，账号已暂时锁定，请稍后再试。")
AXES_PERMALOCK_MESSAGE = _("登录失败次数过多，账号已锁定，请联系管理员解锁。")
# A failure while locked does not restart the cool-off: otherwise whoever keeps typing a wrong
# password holds the lock forever (issue 14).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client address behind reverse proxies, through django-ipware (the way django-axes 8 reads
# it; without ipware installed axes ignores every proxy setting and sees only the proxy).
# AXES_PROXY_COUNT is the number of reverse proxies in front of gunicorn, each of which appends
# the address it received the request from to X-Forwarded-For (nginx:
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). The client is then the
# AXES_PROXY_COUNT-th address from the right; what a client writes into the header itself is
# further left and ignored. ipware counts only the proxies *inside* the header — the last proxy is
# REMOTE_ADDR — hence count − 1, and non-strict so that a client-supplied header does not send
# ipware back to REMOTE_ADDR (the proxy's address, shared by everyone).
AXES_PROXY_COUNT_ENV = int(os.environ.get("AXES_PROXY_COUNT") or 0)
if AXES_PROXY_COUNT_ENV > 0:
    AXES_IPWARE_PROXY_COUNT = AXES_PROXY_COUNT_ENV - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_IP_HEADERS", "HTTP_X_FORWARDED_FOR,REMOTE_ADDR")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # no proxy: a forwarded header is a lie
IPWARE_STRICT = False

# A refused form (CSRF) says why and what to do, in Chinese (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "portfolio.security.csrf_failure"

# Sessions end after a working day (absolute, no per-request session write) or when the
# browser closes, whichever comes first.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# HTTPS. TLS may end at an intranet reverse proxy: set SECURE_PROXY_SSL_HEADER=1 when (and only
# when) the proxy sets X-Forwarded-Proto and strips it from clients. Django then redirects HTTP
# to HTTPS itself; if the proxy already does that, set SSL_REDIRECT_AT_PROXY=1 (see below).
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SSL_REDIRECT_AT_PROXY = env_bool("SSL_REDIRECT_AT_PROXY")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION and not SSL_REDIRECT_AT_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring polls over plain HTTP on the host
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600 if PRODUCTION else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload lists only hold public domains; an intranet host name cannot be submitted.
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    # The proxy redirects HTTP to HTTPS; Django never sees plain HTTP from a browser.
    *(["security.W008"] if SSL_REDIRECT_AT_PROXY else []),
]

# Static files: hashed, compressed names served by whitenoise (needs `collectstatic`, which
# `make serve` runs). Development and tests use the plain storage and need no collectstatic.
if PRODUCTION:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Uploads: any request body over MAX_REQUEST_SIZE is refused with 413 before it is read
# (DATA_UPLOAD_MAX_MEMORY_SIZE above does not count files). The month entry form posts ~10
# fields per project, hence a field limit above Django's 1000.
MAX_REQUEST_SIZE = int(os.environ.get("MAX_REQUEST_SIZE", str(10 * 1024 * 1024)))
# Progress photos come several at once from a phone (a few MB each): their upload path alone may
# carry up to PHOTO_REQUEST_MAX_SIZE; each file is still checked against EVIDENCE_PHOTO_MAX_BYTES.
PHOTO_REQUEST_MAX_SIZE = int(os.environ.get("PHOTO_REQUEST_MAX_SIZE", str(100 * 1024 * 1024)))
LARGE_REQUEST_PATHS = ((r"^/evidence/projects/\d+/photos/$", "PHOTO_REQUEST_MAX_SIZE"),)  # (path, setting)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# Content-Security-Policy: only the app's own assets. Inline <script>/<style> need the
# per-request nonce ({{ request.csp_nonce }}); inline SVG is fine.
CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Monthly progress (月度填报): month N is due by this day of month N+1; Excel uploads up to this size.
PROGRESS_DEADLINE_DAY = int(os.environ.get("PROGRESS_DEADLINE_DAY", "5"))
# 统计对账: a project whose 调度 and 统计 figures (1-N月, 万元) differ by more than this is flagged
RECONCILIATION_GAP_WAN = int(os.environ.get("RECONCILIATION_GAP_WAN", "300"))
PROGRESS_UPLOAD_MAX_BYTES = 2 * 1024 * 1024

# Files (issue 17: site photos, rectification evidence). Local disk under MEDIA_ROOT by default, or
# any S3-compatible store when AWS_STORAGE_BUCKET_NAME is set (django-storages; AWS_S3_ENDPOINT_URL,
# AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME from the environment). Never served as
# static files: MEDIA_URL is not routed; evidence.views.FileView checks the user and streams the file.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
    }}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # MEDIA_ROOT
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            **globals().get("STORAGES", {}), "default": _default_storage}
EVIDENCE_PHOTO_MAX_BYTES = int(os.environ.get("EVIDENCE_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCE_PHOTO_MAX_PIXELS = int(os.environ.get("EVIDENCE_PHOTO_MAX_PIXELS", str(32_000_000)))

# E-mail (reminders: supervision.reminders, manage.py send_reminders). The console in the demo;
# SMTP when EMAIL_HOST is set (production). SITE_URL prefixes the links in e-mails.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
    EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zdxm-noreply@localhost")
SITE_URL = os.environ.get("SITE_URL", "")
