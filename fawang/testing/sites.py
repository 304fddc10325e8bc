"""The demo site the ops tests' sites start from (fawang/ops/tests: test_backup on SQLite, test_faults): the run's
migrated database with the demo loaded (``manage.py load_demo``, about 10 s of CPU), built once per test run, not
once per test file, and copied by each site with its var/ folder (the secret key the demo was loaded with, and
anything else the demo wrote there).

The demo's ID numbers are encrypted with ``FIELD_KEY``, so every site that starts from it runs with that key
(``site_env``). The first pytest-xdist worker to need it builds it in the run's temporary directory while the others
wait on a lock (conftest.py's ``demo_sqlite``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .commands import Commands, process_env
from .migrated import copy_database, locked

FIELD_KEY = "ops-site-field-key-" + "x" * 30


def site_env(database_url: str, var: Path) -> dict[str, str]:
    """The environment of a site's processes: the test run's, without pytest's and with the site's database and
    var/ folder, production settings (not the test settings) and ``FIELD_KEY``."""
    return process_env(
        {
            "DATABASE_URL": database_url,
            "FAWANG_VAR_DIR": str(var),
            "FAWANG_TESTING": "0",
            "FIELD_KEY": FIELD_KEY,
        }
    )


def demo_sqlite(shared: Path, migrated: Path) -> Path:
    """The folder (in ``shared``, the run's temporary directory) holding the demo site: ``db.sqlite3``, a copy of
    the run's ``migrated`` database with the demo loaded, and its ``var/``; made on the first call."""
    folder = shared / "demo-site"
    with locked(shared, "demo-site.lock"):
        if (folder / "ready").exists():
            return folder
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "var").mkdir(parents=True)
        copy_database(migrated, folder / "db.sqlite3")
        commands = Commands(site_env(f"sqlite:///{folder / 'db.sqlite3'}", folder / "var"))
        try:
            commands.run("load_demo")
        finally:
            commands.close()
        (folder / "ready").touch()
    return folder


def copy_demo(demo: Path, db: Path, var: Path) -> None:
    """A site of its own from the demo site in folder ``demo``: its database at ``db``, its var/ at ``var``."""
    copy_database(demo / "db.sqlite3", db)
    shutil.copytree(demo / "var", var, symlinks=True)
