"""Test set-up shared by every app: each test database gets the regions of 厦门市 and 仙游县 and the test world
(fawang/testing/world.py: its units, practitioners, staff personas and line fixtures) once; every test then runs in
a transaction that is rolled back. The demo (`make run`) is not loaded: its own tests load it.

On SQLite the migrations run once per test run (``migrated_sqlite``): each pytest-xdist worker's test database and
the sites the end-to-end and ops tests start begin as a copy of that database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The files that take longest, in the order the two pytest-xdist workers should start them (``make test`` runs
# ``--dist loadfile``): the longest first, so that the many short files fill the end and both workers finish
# together. pytest-xdist by default hands out the files with the most tests first, which put these few-test files
# (the role matrix's three, 150 s each; the end-to-end journeys) last, where one worker ran them alone for minutes.
# The first end-to-end file builds the site every end-to-end test starts from (tests/e2e/conftest.py) while the
# other worker runs the role matrix.
SLOWEST_FIRST = (
    "tests/e2e/test_hotline.py",
    "fawang/console/tests/test_role_matrix_actions.py",
    "fawang/console/tests/test_role_matrix_rows.py",
    "fawang/console/tests/test_role_matrix_rows_second.py",
    "fawang/console/tests/test_role_matrix",
    "tests/e2e/",
    "fawang/ops/tests/test_backup.py",
    "fawang/ops/tests/test_faults.py",
    "fawang/api/tests/test_schema.py",
)


def pytest_configure(config: pytest.Config) -> None:
    """Files are handed out in collection order (below), not pytest-xdist's most-tests-first."""
    config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of SLOWEST_FIRST first, in its order; the rest as collected (a stable sort)."""

    def rank(item: pytest.Item) -> int:
        return next(
            (i for i, prefix in enumerate(SLOWEST_FIRST) if item.nodeid.startswith(prefix)),
            len(SLOWEST_FIRST),
        )

    items.sort(key=rank)


@pytest.fixture(scope="session")
def worker_id() -> str:
    """pytest-xdist's worker name ("gw0", ...), or "master" outside a parallel run: also when xdist is not loaded at
    all (``-p no:xdist``), where its own fixture of this name is missing."""
    import os

    return os.environ.get("PYTEST_XDIST_WORKER", "master")


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The run's temporary directory, which its pytest-xdist workers share (each has its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def migrated_sqlite(run_dir: Path) -> Path:
    """The run's migrated SQLite database (fawang/testing/migrated.py), in the run's temporary directory."""
    from fawang.testing.migrated import migrated_sqlite

    return migrated_sqlite(run_dir)


@pytest.fixture(scope="session")
def demo_sqlite(run_dir: Path, migrated_sqlite: Path) -> Path:
    """The run's demo site for the ops tests' sites (fawang/testing/sites.py): a folder with the migrated database,
    the demo loaded, and its var/."""
    from fawang.testing.sites import demo_sqlite

    return demo_sqlite(run_dir, migrated_sqlite)


@pytest.fixture(scope="session")
def migrated_postgres(run_dir: Path) -> str:
    """On PostgreSQL, the name of the run's migrated template database (fawang/testing/migrated.py)."""
    import os

    from fawang.testing import migrated

    return migrated.migrated_postgres(
        run_dir, migrated.server_url(), os.environ.get("FAWANG_TEST_DB", "test_fawang")
    )


@pytest.fixture(scope="session")
def _test_database_from_template(
    django_db_modify_db_settings_parallel_suffix: None, request: pytest.FixtureRequest
) -> Iterator[bool]:
    """This worker's test database starts as a copy of the run's migrated database (fawang/testing/migrated.py) and
    is kept as it is (Django's ``keepdb``: ``migrate`` finds every migration applied), then removed after the run:
    on SQLite with the default in-memory test database (``make test``, CI), a copy of ``migrated_sqlite`` in the
    worker's temporary directory; on PostgreSQL, a database made from the migrated template. A run with
    ``--reuse-db`` (and FAWANG_TEST_SQLITE on SQLite) makes its test database as before."""

    from django.conf import settings

    from fawang.testing import migrated

    db = settings.DATABASES["default"]
    if request.config.getvalue("reuse_db") or (
        db["ENGINE"] == "django.db.backends.sqlite3" and db.get("TEST", {}).get("NAME")
    ):
        yield False
        return
    if db["ENGINE"] != "django.db.backends.sqlite3":
        server = migrated.server_url()
        name = db["TEST"]["NAME"]  # pytest-django's, with the worker's suffix
        migrated.database_from_template(server, name, request.getfixturevalue("migrated_postgres"))
        yield True
        migrated.drop_database(server, name)
        return
    path = request.getfixturevalue("tmp_path_factory").getbasetemp() / "test.sqlite3"
    migrated.copy_database(request.getfixturevalue("migrated_sqlite"), path)
    db["TEST"] = {**db.get("TEST", {}), "NAME": str(path)}
    yield True
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(_test_database_from_template: bool) -> None:
    """pytest-django's hook for the test database's settings (the copy above)."""


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, _test_database_from_template: bool) -> bool:
    """Keep the test database as it is: with --reuse-db, or when it is the copy of the migrated database."""
    return bool(request.config.getvalue("reuse_db")) or _test_database_from_template


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from fawang.regions.importer import import_regions
    from fawang.testing.world import build_world

    with django_db_blocker.unblock():
        import_regions(["35"], only_under=["3502", "350322"])
        build_world()


@pytest.fixture(autouse=True)
def _calendar_cache_restored() -> Any:
    """The working-day calendar caches its table per process; a rolled-back CalendarDay must not outlive its test."""
    from fawang.calendar.testing import calendar_cache_restored

    with calendar_cache_restored():
        yield


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts in the default language (zh-hans). A request in English activates English in the thread
    (LocaleMiddleware does not reset it afterwards), and without this the next test in that worker would see it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
