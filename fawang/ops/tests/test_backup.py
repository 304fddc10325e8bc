"""Backup and restore round trip on real processes, on SQLite and (when the suite runs on PostgreSQL, i.e.
DATABASE_URL=postgres://...) on a throw-away PostgreSQL database: a matter with its encrypted ID number and an
upload come back as they were; a damaged backup or another field key restores nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from fawang.lib.validators import id_check_digit
from fawang.testing.commands import Commands
from fawang.testing.migrated import database_from_template, drop_database, server_url
from fawang.testing.sites import copy_demo, site_env

ROOT = Path(__file__).resolve().parents[3]
FIRST17 = "35020319800501991"

# Run on the demo site (load_demo, which imports the regions of 福建省 it needs).
SEED = """
from fawang.catalog.models import ServiceItem
from fawang.lib.validators import id_check_digit
from fawang.matters import actions
from fawang.matters.tests.base import at
from fawang.regions.models import Region
from django.conf import settings
from pathlib import Path

first17 = "35020319800501991"
actions.do_submit(
    actor=None,
    person=actions.PersonData(name="备份测试", phone="13900001234", id_number=first17 + id_check_digit(first17)),
    requests=[actions.MatterRequest(ServiceItem.objects.get(code="legal_aid"), "备份测试事项", Region.objects.get(code="350203001"))],
    channel="web",
    now=at(2025, 3, 3),
)
upload = Path(settings.MEDIA_ROOT) / "matters" / "id-copy.pdf"
upload.parent.mkdir(parents=True, exist_ok=True)
upload.write_bytes(b"%PDF-1.7 backup test")
"""

SHOW = """
from fawang.matters.models import Matter
from django.conf import settings
from pathlib import Path
m = Matter.objects.select_related("person").get(description="备份测试事项")
print(m.tracking_no, m.person.id_number, (Path(settings.MEDIA_ROOT) / "matters" / "id-copy.pdf").read_bytes().decode())
"""


class Site:
    """The site's management commands, run by one process that sets Django up once and forks per command
    (fawang/testing/commands.py), as ``python manage.py`` runs them."""

    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.env = site_env(database_url, tmp / "var")  # with the demo site's FIELD_KEY
        self.commands = Commands(self.env)

    def manage(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        if env is None:
            return self.commands.result(*args)
        # Settings the command process has already read (another field key): a process of its own.
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env={**self.env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )

    def ok(self, *args: str) -> str:
        out = self.manage(*args)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout


@contextmanager
def _throwaway_postgres(template: str) -> Iterator[str]:
    """A PostgreSQL database of its own, made from the run's migrated template database (conftest.py)."""
    name = f"fawang_backup_test_{os.getpid()}"
    server = server_url()
    try:
        yield database_from_template(server, name, template)
    finally:
        drop_database(server, name)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest) -> Iterator[Site]:
    """A site on a throw-away database: on SQLite a copy of the run's demo site (the migrated database with the demo
    loaded; conftest.py, fawang/testing/sites.py), on PostgreSQL a database made from the run's migrated template,
    where the demo is loaded; ``migrate`` finds either up to date, as on a deployment that has run it."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if request.param == "postgresql" and not on_postgres:
        pytest.skip("PostgreSQL 的备份测试需要 DATABASE_URL=postgres://...")
    with tempfile.TemporaryDirectory(prefix="fawang-backup-") as name, ExitStack() as stack:
        tmp = Path(name)
        if request.param == "postgresql":
            url = stack.enter_context(_throwaway_postgres(request.getfixturevalue("migrated_postgres")))
        else:
            url = f"sqlite:///{tmp}/db"
            copy_demo(request.getfixturevalue("demo_sqlite"), tmp / "db", tmp / "var")
        s = Site(tmp, url)
        stack.callback(s.commands.close)
        s.ok("migrate", "--no-input", "-v0", "--skip-checks")
        if request.param == "postgresql":
            s.ok("load_demo")
        s.ok("shell", "--no-imports", "-c", SEED)
        yield s


def test_backup_then_restore_round_trips_matters_uploads_and_encrypted_fields(site: Site) -> None:
    before = site.ok("shell", "--no-imports", "-c", SHOW).strip()
    assert before.split()[1:] == [FIRST17 + id_check_digit(FIRST17), "%PDF-1.7", "backup", "test"]
    site.ok("backup", "--output", str(site.tmp / "backups"))
    (folder,) = (site.tmp / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        "database.pgdump" if manifest["engine"] == "postgresql" else "database.sqlite3",
        "media/matters/id-copy.pdf",
    }
    # Never the keys.
    key = site.env["FIELD_KEY"].encode()
    assert not any(key in p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert not (folder / "secret_key").exists() and not (folder / "field_key").exists()

    # Lose everything, then restore.
    site.ok(
        "shell",
        "--no-imports",
        "-c",
        "from fawang.matters.models import Matter; Matter.objects.all().delete()",
    )
    (site.tmp / "var" / "media" / "matters" / "id-copy.pdf").unlink()
    refused = site.manage("restore", str(folder))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    site.ok("restore", str(folder), "--yes")
    assert site.ok("shell", "--no-imports", "-c", SHOW).strip() == before


def test_a_damaged_backup_or_another_key_restores_nothing(site: Site) -> None:
    site.ok("backup", "--output", str(site.tmp / "backups2"))
    (folder,) = (site.tmp / "backups2").iterdir()
    other_key = site.manage("restore", str(folder), "--yes", env={"FIELD_KEY": "another-key-" + "y" * 40})
    assert other_key.returncode != 0 and "字段密钥" in other_key.stderr
    upload = folder / "media" / "matters" / "id-copy.pdf"
    upload.write_bytes(b"tampered")
    damaged = site.manage("restore", str(folder), "--yes")
    assert damaged.returncode != 0 and "校验和不符" in damaged.stderr
    # The site's own upload is untouched.
    assert (site.tmp / "var" / "media" / "matters" / "id-copy.pdf").read_bytes() == b"%PDF-1.7 backup test"
