"""The migrated database a test run starts from (fawang/testing/migrated.py): built once, kept under the fingerprint
of the migrations, built again when one changes. ``manage.py migrate`` is replaced here by a stand-in that writes a
one-table database and counts its calls: the real one takes 20-40 s of CPU."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fawang.testing import migrated


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def fake_migrate(database_url: str, shared: Path) -> None:
        calls.append(database_url)
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            conn.execute("CREATE TABLE made (n INTEGER)")
            conn.execute("INSERT INTO made VALUES (?)", [len(calls)])

    monkeypatch.setattr(migrated, "_migrate", fake_migrate)
    return calls


def _made(path: Path) -> Any:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT n FROM made").fetchone()[0]


def test_a_second_run_copies_the_kept_database_instead_of_migrating(
    tmp_path: Path, builds: list[str]
) -> None:
    cache = tmp_path / "cache"
    first_run, second_run = tmp_path / "run1", tmp_path / "run2"
    first_run.mkdir()
    second_run.mkdir()

    path = migrated.migrated_sqlite(first_run, cache)
    assert len(builds) == 1 and _made(path) == 1
    assert migrated.migrated_sqlite(first_run, cache) == path  # the second worker of the run
    assert [p.name for p in cache.iterdir()] == [f"{migrated.fingerprint()}.sqlite3"]

    again = migrated.migrated_sqlite(second_run, cache)
    assert len(builds) == 1, "the kept database is copied, not migrated again"
    assert again != path and _made(again) == 1


def test_a_changed_migration_builds_again_and_drops_the_old_copy(
    tmp_path: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    (cache / "0123456789abcdef.sqlite3").parent.mkdir()
    (cache / "0123456789abcdef.sqlite3").write_bytes(b"")  # kept by an earlier state of the migrations
    run = tmp_path / "run"
    run.mkdir()
    migrated.migrated_sqlite(run, cache)
    assert len(builds) == 1
    assert [p.name for p in cache.iterdir()] == [f"{migrated.fingerprint()}.sqlite3"]


def test_the_fingerprint_follows_every_migration_and_the_lock_file(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in (
        "requirements/lock.txt",
        "fawang/testing/migrated.py",
        "fawang/matters/migrations/0001_matters.py",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated.ROOT / name, root / name)
    before = migrated.fingerprint(root)
    assert migrated.fingerprint(root) == before

    migration = root / "fawang" / "matters" / "migrations" / "0001_matters.py"
    migration.write_text(migration.read_text() + "\n# changed\n")
    changed = migrated.fingerprint(root)
    assert changed != before

    (root / "fawang" / "orgs" / "migrations").mkdir(parents=True)
    (root / "fawang" / "orgs" / "migrations" / "0001_initial.py").write_text("# a new app's migration\n")
    added = migrated.fingerprint(root)
    assert added not in (before, changed)

    lock = root / "requirements" / "lock.txt"
    pinned = lock.read_text()
    assert "\ndjango==" in pinned
    lock.write_text(pinned.replace("\ndjango==", "\ndjango==9"))  # another Django: its own migrations
    assert migrated.fingerprint(root) not in (before, changed, added)
