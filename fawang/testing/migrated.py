"""The migrated SQLite database of a test run: ``manage.py migrate`` runs once per run (the first pytest-xdist
worker to need it runs it while the others wait on a lock), and each SQLite database the run sets up (a worker's
test database, the sites of the end-to-end and ops tests) starts as a copy of it instead of migrating again: about
20–40 s of CPU each (40 s measured on 2026-12-07 with 149 migrations), most of it Django rendering the migration states (conftest.py)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def migrated_sqlite(shared: Path) -> Path:
    """The run's migrated database in ``shared`` (the run's temporary directory), made on the first call."""
    path = shared / "migrated.sqlite3"
    with open(shared / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = shared / "migrated-building.sqlite3"
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
                "DJANGO_SETTINGS_MODULE": "fawang.settings",
                "DATABASE_URL": f"sqlite:///{building}",
                "FAWANG_VAR_DIR": str(shared / "migrated-var"),
                "FAWANG_TESTING": "1",
            }
            subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments, no shell
                [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0", "--skip-checks"],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            copy_database(building, path)
    return path


def copy_database(source: Path, target: Path) -> None:
    """A copy of SQLite database ``source`` at ``target`` (SQLite's backup: whole, whatever its journal holds)."""
    with (
        contextlib.closing(sqlite3.connect(source)) as read,
        contextlib.closing(sqlite3.connect(target)) as write,
    ):
        read.backup(write)
