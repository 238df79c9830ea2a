"""The 2020 data set (fixtures/demo_2020.json) for tests: parsed once per test session, then
inserted into each test's transaction with one bulk INSERT per model.

It writes the same rows as ``manage.py load_demo`` (Django's loaddata: raw saves, no model
``save()``, many-to-many set after the rows, sequences reset), in about a twentieth of the time;
``tests/test_demo_loader.py`` checks that both give the same rows."""
from copy import deepcopy
from functools import lru_cache

import pytest
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import TransactionTestCase

from contracts import demo as contracts_demo
from investment.rollups import rebuild_rollups
from portfolio.management.commands.load_demo import FIXTURE


@lru_cache(maxsize=None)
def _parsed():
    """[(model, [field values by attname], {m2m name: [pks]})] in the fixture's order."""
    with open(FIXTURE, encoding="utf-8") as handle:
        rows = []
        for item in serializers.deserialize("json", handle):
            obj = item.object
            values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
            rows.append((type(obj), values, dict(item.m2m_data or {})))
        return tuple(rows)


def load_demo_data():
    """Insert the 2020 data set into the current test database."""
    with transaction.atomic():
        _load_fixture()
        contracts_demo.bulk_load()  # what load_demo adds through contracts.demo.load


def load_demo_command(*args):
    """``manage.py load_demo *args`` as `make demo` runs it, with its two row-by-row steps made
    bulk: the fixture's ``loaddata`` and ``contracts.demo.load`` write the same rows in one INSERT
    per model (tests/test_demo_loader.py and tests/test_contracts.py check that they are the same).
    Every other step (ranking, evidence with its files, open data, 2021) runs as the command runs
    it. About a quarter of the command's time on PostgreSQL, for the tests that need committed
    data (browser tests) and cannot share a data set."""
    from unittest import mock

    from django.core.management import call_command

    from portfolio.management.commands import load_demo

    def fast_call_command(name, *a, **kw):
        if name == "loaddata" and a == (str(FIXTURE),):
            return _load_fixture()
        return call_command(name, *a, **kw)

    with mock.patch.object(load_demo, "call_command", fast_call_command), \
            mock.patch.object(load_demo.contracts_demo, "load", contracts_demo.bulk_load):
        call_command("load_demo", *args, verbosity=0)


def _load_fixture():
    by_model, with_m2m = {}, []
    for model, values, m2m in _parsed():
        obj = model(**values)
        by_model.setdefault(model, []).append(obj)
        if m2m:
            with_m2m.append((obj, m2m))
    with transaction.atomic():
        for model, objects in by_model.items():
            model.objects.bulk_create(objects)
        for obj, m2m in with_m2m:
            for name, pks in m2m.items():
                getattr(obj, name).set(pks)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
                cursor.execute(sql)
        rebuild_rollups()  # the read model of the monthly sums (bulk_create sends no signals)


# Data sets built once per test worker (as Django's TestCase.setUpTestData does for one class).
#
# The first test that asks for a set opens an outer transaction and builds the set in it; each
# test then runs in pytest-django's own transaction (a savepoint inside it) and is rolled back, so
# every test starts from the set as built. A test that asks for another set, or for none, or that
# needs committed data (transaction=True, live_server), first rolls the outer transaction back.
# tests/conftest.py orders the tests so that those asking for the same set run one after another.
SHARED_BUILDERS = {}  # set name → builder


class _Shared:
    name = None      # the set the outer transaction holds
    atomic = None
    value = None
    memos = {}       # memo(): values computed from the set as built, dropped with it

    def alive(self):
        return (self.atomic is not None and connection.in_atomic_block
                and connection.atomic_blocks and connection.atomic_blocks[0] is self.atomic)

    def switch(self, name):
        if self.name == name and (name is None or self.alive()):
            return
        if self.atomic is not None:
            if self.alive():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.name = self.atomic = self.value = None
            self.memos = {}
        if name is not None:
            self.atomic = transaction.atomic()
            self.atomic._from_testcase = True  # durable atomic blocks may run inside it, as in TestCase
            self.atomic.__enter__()
            try:
                self.name, self.value = name, SHARED_BUILDERS[name]()
            except BaseException:
                self.switch(None)
                raise

    def memo(self, key, build):
        """``build()`` once per set as built (e.g. a workbook downloaded by a fixture, before the
        test changes anything): the tests of a module reading the same download read one, as
        ``setUpTestData`` would build it once for a class. Without an open set, built each time."""
        if not self.alive():
            return build()
        if key not in self.memos:
            self.memos[key] = build()
        return self.memos[key]

    def get(self, name):
        """The set for the running test: a copy of the shared one (a test may change the Python
        objects freely), or, for a test that needs committed data, built for it alone."""
        if self.name == name and self.alive():
            return deepcopy(self.value)
        return SHARED_BUILDERS[name]()


SHARED = _Shared()


def shared_fixture(name, build, fixture_name=None):
    """A fixture (``fixture_name``, by default ``name``) giving the data set ``name`` that
    ``build()`` builds, once per worker (see above). Fixtures of several modules may share a set."""
    SHARED_BUILDERS[name] = build

    def _fixture(db):
        return SHARED.get(name)
    _fixture.shared_set = name  # found through the fixture a test resolves, not its name (names repeat)
    return pytest.fixture(name=fixture_name or name)(_fixture)


def shared_set_of(item):
    """The shared set a test asks for, or None (also for tests that need committed data)."""
    info = getattr(item, "_fixtureinfo", None)
    names = set()
    for fixture in getattr(item, "fixturenames", ()) if info else ():
        for fixturedef in info.name2fixturedefs.get(fixture, ())[-1:]:
            if name := getattr(fixturedef.func, "shared_set", None):
                names.add(name)
    if not names or needs_commits(item):
        return None
    assert len(names) == 1, f"{item.nodeid}: one shared data set per test, not {names}"
    return names.pop()


def needs_commits(item):
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transactional = False
    if marker:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        transactional = transactional or reset_sequences
    names = getattr(item, "fixturenames", ())
    return bool(transactional or "transactional_db" in names or "live_server" in names)


# Data sets committed once per worker for the tests that need committed data (live_server) and only
# read it, as the browser tests of the 2020 data set do: the first such test builds the set and
# commits it, the next ones find it in the database, and it is emptied (Django's flush, as after
# any transactional test) before any other test of the worker. A test that changes the set takes
# it as it finds it (or builds it) and is flushed after, as usual. tests/conftest.py orders a set's
# tests one after another, readers first, and flushes the set before any other test.
COMMITTED_BUILDERS = {}  # set name → builder


class _Committed:
    name = None    # the set committed in the worker's database now
    keep = False   # the running test only reads it: the flush after it is left out

    def get(self, name, reads_only):
        if self.name != name:
            assert self.name is None, f"{self.name} is still committed"  # tests/conftest.py flushes it
            COMMITTED_BUILDERS[name]()
            self.name = name
        self.keep = reads_only

    def flush(self):
        from django.core.management import call_command

        self.name, self.keep = None, False
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)  # as TransactionTestCase


COMMITTED = _Committed()


def _flush_unless_kept(test_case, _flush=TransactionTestCase._fixture_teardown):
    """TransactionTestCase's flush after each test that needs committed data, left out after a test
    that only read a committed set."""
    if COMMITTED.keep:
        COMMITTED.keep = False
        return
    COMMITTED.name = None
    _flush(test_case)


TransactionTestCase._fixture_teardown = _flush_unless_kept


def committed_fixture(name, build, fixture_name, *, reads_only):
    """A fixture (``fixture_name``) that makes the set ``name`` (``build()``) committed in the
    database for a test that needs committed data: ``reads_only`` tests keep it for the next ones."""
    COMMITTED_BUILDERS[name] = build

    def _fixture(transactional_db):
        COMMITTED.get(name, reads_only)
    _fixture.committed_set = (name, reads_only)
    return pytest.fixture(name=fixture_name)(_fixture)


def committed_set_of(item):
    """(the committed set a test uses, whether it only reads it), or (None, False)."""
    info = getattr(item, "_fixtureinfo", None)
    for fixture in getattr(item, "fixturenames", ()) if info else ():
        for fixturedef in info.name2fixturedefs.get(fixture, ())[-1:]:
            if found := getattr(fixturedef.func, "committed_set", None):
                return found
    return None, False
