"""scripts/backup.sh and scripts/restore.sh: a database backed up and restored elsewhere gives
the same report figures (portfolio.selectors.report_figures) as the original.

Each test builds its own database from the 2020 data set in a subprocess (migrate + load_demo),
because pg_dump cannot see the test database's uncommitted transaction."""
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

FIGURES = """
import json, django
django.setup()
from portfolio.numbers import Period
from portfolio.selectors import report_figures
print(json.dumps({f"{y}-{m}": report_figures(period=Period(y, m)) for y, m in [(2020, 6), (2020, 12)]},
                 default=str, sort_keys=True))
"""


def run(args, url, **kw):
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kw)


def load_demo(url):
    for command in (["migrate", "--noinput", "-v0"], ["load_demo", "--year", "2020"]):
        done = run([sys.executable, "manage.py", *command], url)
        assert done.returncode == 0, done.stderr


def figures(url):
    done = run([sys.executable, "-c", FIGURES], url)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def backup_and_restore(source_url, target_url, dest):
    done = run(["scripts/backup.sh", str(dest)], source_url)
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip().splitlines()[-1])
    assert dump.is_file() and dump.stat().st_size > 0
    refused = run(["scripts/restore.sh", str(dump)], target_url)
    assert refused.returncode == 2 and "--yes" in refused.stderr  # nothing happens unconfirmed
    done = run(["scripts/restore.sh", str(dump), "--yes"], target_url)
    assert done.returncode == 0, done.stderr
    return dump


def assert_same_report(source_url, target_url):
    original, restored = figures(source_url), figures(target_url)
    assert restored == original
    # And they are the 2020 report's figures, not two empty databases.
    assert Decimal(restored["2020-12"]["completion"]["overall"]["target"]) == Decimal("147900")
    assert restored["2020-12"]["categories"]["planned_total"] == 45


def test_sqlite_backup_restores_the_same_figures(tmp_path):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    load_demo(source)
    backup_and_restore(source, target, tmp_path / "backups")
    assert_same_report(source, target)


def postgres_base():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL backup test: set DATABASE_URL to a PostgreSQL database")
    return urlparse(url)


def test_postgres_backup_restores_the_same_figures(tmp_path):
    base = postgres_base()
    name = base.path.lstrip("/") or "keyprojects"
    source = urlunparse(base._replace(path=f"/{name}_backup_src"))
    target = urlunparse(base._replace(path=f"/{name}_backup_dst"))
    admin = urlunparse(base._replace(path="/postgres"))

    def psql(sql):
        done = subprocess.run(["psql", admin, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    for url in (source, target):
        psql(f'DROP DATABASE IF EXISTS "{urlparse(url).path[1:]}"')
        psql(f'CREATE DATABASE "{urlparse(url).path[1:]}"')
    try:
        load_demo(source)
        dump = backup_and_restore(source, target, tmp_path / "backups")
        assert dump.suffix == ".dump"
        assert_same_report(source, target)
    finally:
        for url in (source, target):
            psql(f'DROP DATABASE IF EXISTS "{urlparse(url).path[1:]}"')


def test_a_failed_backup_leaves_no_partial_file(tmp_path):
    """The copy fails half-way (the source is not a database): no `*.part` stays behind."""
    source = tmp_path / "broken.sqlite3"
    source.write_text("not a database, only text long enough to be read as a header " * 4)
    dest = tmp_path / "backups"
    done = run(["scripts/backup.sh", str(dest)], f"sqlite:///{source}")
    assert done.returncode != 0
    assert list(dest.iterdir()) == []
