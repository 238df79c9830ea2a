"""scripts/backup.sh and scripts/restore.sh: a database backed up and restored elsewhere gives
the same report figures (portfolio.selectors.report_figures) as the original, and the stored
files (MEDIA_ROOT: the evidence photos) come back with it into an empty folder.

Each test builds its own database from the 2020 data set in a subprocess (every migration from
scratch, then load_demo as tests.demo.load_demo_command runs it: the same rows, its two row-by-row
steps made bulk — test_demo_loader and test_contracts compare them with the command's; the photos
and their files as the command writes them), because pg_dump cannot see the test database's
uncommitted transaction."""
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

# What each database is compared by, read in one process per database (a Django start-up costs
# about a second; the source's in the process that loaded it, after its commit): the report
# figures of June and December, and the photo rows.
STATE = """
import json
from evidence.models import Photo
from portfolio.numbers import Period
from portfolio.selectors import report_figures
print(json.dumps({
    "figures": {f"{y}-{m}": report_figures(period=Period(y, m)) for y, m in [(2020, 6), (2020, 12)]},
    "photos": sorted(Photo.objects.values_list("image", "thumbnail", "taken_at", "project_id").order_by()),
}, default=str, sort_keys=True))
"""

SETUP = """
import django
django.setup()
"""

LOAD_DEMO = SETUP + """
from django.core.management import call_command
from django.db import connection
from tests.demo import load_demo_command
call_command("migrate", interactive=False, verbosity=0)
load_demo_command("--year", "2020")
assert not connection.in_atomic_block  # committed: what pg_dump and the copy will see
""" + STATE


def run(args, url, media=None, **kw):
    env = {**os.environ, "DATABASE_URL": url}
    if media is not None:
        env["MEDIA_ROOT"] = str(media)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kw)


def load_demo(url, media=None):
    """``manage.py migrate`` (every migration, from scratch) then ``load_demo --year 2020``, in one
    process; returns the state of the database loaded."""
    done = run([sys.executable, "-c", LOAD_DEMO], url, media)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def state(url):
    done = run([sys.executable, "-c", SETUP + STATE], url)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def backup_and_restore(source_url, target_url, dest, source_media=None, target_media=None):
    done = run(["scripts/backup.sh", str(dest)], source_url, source_media)
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip().splitlines()[-1])
    assert dump.is_file() and dump.stat().st_size > 0
    refused = run(["scripts/restore.sh", str(dump)], target_url)
    assert refused.returncode == 2 and "--yes" in refused.stderr  # nothing happens unconfirmed
    done = run(["scripts/restore.sh", str(dump), "--yes"], target_url, target_media)
    assert done.returncode == 0, done.stderr
    return dump


def assert_same_files(source, target, source_media, target_media):
    """The photo rows and every stored file (path and bytes) are the same after the restore."""
    rows = [source["photos"], target["photos"]]
    assert rows[0] == rows[1] and len(rows[0]) >= 16  # the demo's photos
    files = [{p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
             for root in (source_media, target_media)]
    assert files[0] == files[1]
    assert {Path(name) for row in rows[1] for name in row[:2]} == set(files[1])


def assert_same_report(source, target):
    original, restored = source["figures"], target["figures"]
    assert restored == original
    # And they are the 2020 report's figures, not two empty databases.
    assert Decimal(restored["2020-12"]["completion"]["overall"]["target"]) == Decimal("147900")
    assert restored["2020-12"]["categories"]["planned_total"] == 45


def test_sqlite_backup_restores_the_same_figures(tmp_path):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    source_media, target_media = tmp_path / "media", tmp_path / "restored-media"
    original = load_demo(source, source_media)
    backup_and_restore(source, target, tmp_path / "backups", source_media, target_media)
    restored = state(target)
    assert_same_report(original, restored)
    assert_same_files(original, restored, source_media, target_media)


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
        source_media, target_media = tmp_path / "media", tmp_path / "restored-media"
        original = load_demo(source, source_media)
        dump = backup_and_restore(source, target, tmp_path / "backups", source_media, target_media)
        assert dump.suffix == ".dump"
        restored = state(target)
        assert_same_report(original, restored)
        assert_same_files(original, restored, source_media, target_media)
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
