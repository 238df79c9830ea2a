import atexit
import importlib
import shutil
import tempfile

import pytest
from django.conf import settings
from django.test import Client

from portfolio.numbers import Period
from tests import factories
from tests.demo import (COMMITTED, SHARED, committed_set_of, load_demo_data, needs_commits, shared_fixture,
                        shared_set_of)

# Test users are hashed with MD5: PBKDF2's 0.3 s per user is a production property, not a test one.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _force_login(self, user, backend=None):
    """``Client.force_login`` for a client with no session yet (nearly every test): writes the
    session row ``django.contrib.auth.login`` leaves (user, backend, password hash) with one INSERT,
    instead of the five to eight statements of ``login()`` (a session saved, cycled and saved again,
    last_login, django-axes' access log) — about 20 ms a test on PostgreSQL. Signing in through the
    login page, with its signals, is what tests/test_security.py and the browser tests do."""
    if settings.SESSION_COOKIE_NAME in self.cookies:
        return _django_force_login(self, user, backend)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.http import HttpRequest
    from django.utils.crypto import get_random_string

    session = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = user.backend = backend or self._get_backend()
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session._session_key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    session.save(must_create=True)
    request = HttpRequest()
    request.session = session
    self._set_login_cookies(request)


_django_force_login = Client.force_login
Client.force_login = _force_login

# Files the tests store (evidence photos, also those `load_demo` makes) go to a temporary folder.
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="test-media-")
atexit.register(shutil.rmtree, settings.MEDIA_ROOT, True)
# PostgreSQL: the test database's commits (transactional and browser tests, their flushes) need not
# wait for the disk; it is thrown away at the end. Production settings keep the server's default.
if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = settings.DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

    from django.db.backends.postgresql.operations import DatabaseOperations as _PostgresOperations

    _truncate = _PostgresOperations.sql_flush

    def _delete_rows(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """The flush after each transactional test (pytest-django, TransactionTestCase) empties the
        ~90 tables with DELETE, not one TRUNCATE: TRUNCATE gives every table and index a new file,
        1.7–4.4 s on a busy machine, while the rows a test wrote are few (the demo set ~20,000).
        Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so the order does not matter; the
        sequences are not reset, as with TRUNCATE without RESTART IDENTITY."""
        if reset_sequences or allow_cascade:
            return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    _PostgresOperations.sql_flush = _delete_rows

# Programs some tests drive, and the Debian package that brings each (scripts/system-deps).
PROGRAMS = {"chromium": "chromium", "soffice": "libreoffice-calc-nogui", "pdftotext": "poppler-utils"}
MISSING_PREFIX = "缺少系统程序"


def pytest_collection_modifyitems(config, items):
    """A test marked ``needs("soffice", …)`` is skipped, with the reason, when a program is not
    installed; the run then ends with one line naming them (``pytest_terminal_summary``).
    Tests that share a data set (tests/demo.py) run one after another, grouped by set, so each
    worker builds each set about once; and the long ones first (tests marked slow or browser that
    use no set, then the sets with such a test, then the other sets, then the other tests), so that
    under ``--dist worksteal`` (pyproject) the short tests are the last and the two workers finish
    together."""
    sets = {item: shared_set_of(item) for item in items}
    long = {item for item in items if item.get_closest_marker("slow") or item.get_closest_marker("browser")}
    long_sets = {sets[item] for item in long if sets[item]}

    def order(item):
        name = sets[item]
        if name:
            return (1 if name in long_sets else 2, name)
        return (0 if item in long else 3, "")
    def order_(item):
        # the tests of a committed set (tests/demo.py) one after another, those that only read it first
        committed, reads_only = committed_set_of(item)
        return (*order(item), committed or "", not reads_only)
    items.sort(key=order_)
    for item in items:
        for marker in item.iter_markers("needs"):
            missing = [p for p in marker.args if not shutil.which(p)]
            if missing:
                packages = " ".join(PROGRAMS[p] for p in missing)
                item.add_marker(pytest.mark.skip(reason=f"{MISSING_PREFIX} {', '.join(missing)} ({packages})"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that needs committed data starts with no shared set open, before any of its fixtures:
    ``live_server`` is a session fixture, set up before the test's own ones, and on SQLite (one
    in-memory database shared with the server's thread) a server started inside a set's open
    transaction leaves the tables locked for every later browser test of the worker."""
    if SHARED.atomic is not None and needs_commits(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            SHARED.switch(None)
    if COMMITTED.name is not None and committed_set_of(item)[0] != COMMITTED.name:
        # the committed set the tests before kept (tests/demo.py) is emptied before any other test
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            COMMITTED.flush()
        _flushed.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if MISSING_PREFIX in str(getattr(r, "longrepr", ""))]
    if skipped:
        programs = sorted({p for p in PROGRAMS if any(f" {p}" in str(r.longrepr) for r in skipped)})
        terminalreporter.write_line(
            f"跳过 {len(skipped)} 个测试：缺少 {', '.join(programs)}。以 root 运行 scripts/system-deps 安装后即可运行。",
            yellow=True, bold=True)


# The shipped 2020 data set, as `make demo` loads it: loaded once per worker (tests/demo.py).
demo_2020 = shared_fixture("demo_2020", load_demo_data)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is built from the models (pytest --nomigrations, pyproject: ~6 s less per
    worker; ``makemigrations --check`` keeps models and migrations equal, and test_backup.py still
    migrates a database from scratch), plus the rows the data migrations write: the role groups."""
    with django_db_blocker.unblock():
        _create_roles()


def _create_roles():
    from django.apps import apps

    importlib.import_module("projects.migrations.0002_roles").create_roles(apps, None)


@pytest.fixture(scope="session")
def _shared_data_session(django_db_setup, django_db_blocker):
    yield SHARED
    with django_db_blocker.unblock():
        SHARED.switch(None)


_flushed = []  # a flush emptied every table, role groups too (after a test that needed committed data)


@pytest.fixture
def _shared_data_switch(request, _shared_data_session, django_db_blocker):
    """Also writes the role groups again after a flush, so that a test never depends on whether
    a transactional test ran before it on its worker (``--dist worksteal`` moves tests between
    workers in any order)."""
    with django_db_blocker.unblock():
        if _flushed:
            SHARED.switch(None)
            _create_roles()
            _flushed.clear()
        SHARED.switch(shared_set_of(request.node))
    yield
    if needs_commits(request.node) and COMMITTED.name is None:  # not kept for the next test
        _flushed.append(request.node.nodeid)


@pytest.fixture
def _django_db_helper(_shared_data_switch, _django_db_helper):
    """pytest-django's transaction for each test, inside the worker's shared data set when the
    test asks for one (tests/demo.py): the set is switched before the test's transaction begins."""
    yield


@pytest.fixture
def dec_2020():
    return Period(2020, 12)


@pytest.fixture
def jun_2020():
    return Period(2020, 6)


@pytest.fixture
def admin_user(db):
    return factories.admin_user()


@pytest.fixture
def leader(db):
    return factories.leader()


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client
