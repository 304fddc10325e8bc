"""The migrated database of a test run, built by ``manage.py migrate`` once and then copied: about 20–40 s of CPU
each time it is not built (40 s measured on 2026-12-07 with 151 migrations, 450 operations; most of it Django
rendering the migration states), instead of once per pytest-xdist worker and once per site a test starts.

- SQLite: ``migrated_sqlite`` is a database file. Each worker's test database and the sites of the end-to-end and ops
  tests start as a copy of it, and their ``migrate`` finds every migration applied.
- PostgreSQL: ``migrated_postgres`` is a template database; each worker's test database is made from it
  (``CREATE DATABASE … TEMPLATE``).

Both are kept across runs under the fingerprint of what decides their content (``fingerprint``: every migration file
of fawang, the locked versions of Django and the other packages whose migrations run, the Python version and this
file): ``var/test-migrated/`` for SQLite, a database named ``<FAWANG_TEST_DB>_migrated_<fingerprint>`` on the
PostgreSQL server. A run after a change to any migration builds them again and drops the old one. The first worker
to need it builds it while the others wait on a lock in the run's temporary directory (conftest.py)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .commands import process_env

ROOT = Path(__file__).resolve().parents[2]
SQLITE_CACHE = ROOT / "var" / "test-migrated"


def fingerprint(root: Path = ROOT) -> str:
    """What the migrated database depends on, hashed: the migration modules of fawang's apps, the lock file that pins
    Django's and django_tasks_database's (and so their migrations, and chinese_calendar, whose days a migration
    seeds), the Python version, and this module (how the database is built)."""
    digest = hashlib.sha256(sys.version.encode())
    paths = [
        root / "requirements" / "lock.txt",
        root / "fawang" / "testing" / "migrated.py",
        *sorted((root / "fawang").glob("*/migrations/*.py")),
    ]
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _migrate(database_url: str, shared: Path) -> None:
    env = process_env(
        {"DATABASE_URL": database_url, "FAWANG_VAR_DIR": str(shared / "migrated-var"), "FAWANG_TESTING": "1"}
    )
    subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments, no shell
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0", "--skip-checks"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def locked(folder: Path, name: str) -> Iterator[None]:
    """Holds the exclusive lock of file ``name`` in ``folder`` (made if missing): one process at a time, across the
    run's pytest-xdist workers, builds or copies what the others wait for."""
    with open(folder / name, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def migrated_sqlite(shared: Path, cache: Path = SQLITE_CACHE) -> Path:
    """The run's migrated database in ``shared`` (the run's temporary directory), made on the first call: a copy of
    the one kept in ``cache`` under the current fingerprint, which is built if there is none."""
    path = shared / "migrated.sqlite3"
    with locked(shared, "migrated.lock"):
        if path.exists():
            return path
        kept = cache / f"{fingerprint()}.sqlite3"
        if not kept.exists():
            building = shared / "migrated-building.sqlite3"
            _migrate(f"sqlite:///{building}", shared)
            cache.mkdir(parents=True, exist_ok=True)
            part = kept.with_name(
                kept.name + f".{os.getpid()}.part"
            )  # whole or not at all: renamed once copied
            copy_database(building, part)
            part.replace(kept)
            for other in cache.glob("*.sqlite3"):  # one kept: the migrations' current state
                if other != kept:
                    other.unlink(missing_ok=True)
        copy_database(kept, path)
    return path


def server_url() -> str:
    """The test run's PostgreSQL server: DATABASE_URL without its database name."""
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0]


@contextlib.contextmanager
def _server(url: str) -> Iterator[Any]:
    """A connection to the server's maintenance database, for creating and dropping databases."""
    import psycopg

    with psycopg.connect(url + "/postgres", autocommit=True) as conn:
        yield conn


def migrated_postgres(shared: Path, url: str, prefix: str) -> str:
    """The name of the template database on the PostgreSQL server at ``url`` (``server_url``) holding the
    migrated schema under the current fingerprint; built if there is none. Older templates of the same ``prefix``
    are dropped."""
    name = f"{prefix}_migrated_{fingerprint()}"
    with locked(shared, "migrated-postgres.lock"), _server(url) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            building = f"{name}_building"
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{building}"')
            _migrate(f"{url}/{building}", shared)
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        older = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [prefix.replace("_", r"\_") + r"\_migrated\_%", name],
        ).fetchall()
        for (other,) in older:
            conn.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')
    return name


def database_from_template(url: str, name: str, template: str) -> str:
    """Database ``name`` on the PostgreSQL server at ``url``, made afresh as a copy of ``template``; its URL."""
    with _server(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{url}/{name}"


def drop_database(url: str, name: str) -> None:
    with _server(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_database(source: Path, target: Path) -> None:
    """A copy of SQLite database ``source`` at ``target`` (SQLite's backup: whole, whatever its journal holds)."""
    with (
        contextlib.closing(sqlite3.connect(source)) as read,
        contextlib.closing(sqlite3.connect(target)) as write,
    ):
        read.backup(write)
