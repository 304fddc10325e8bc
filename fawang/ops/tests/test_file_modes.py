"""Data at rest, file modes: var/ (database, keys, uploads) is private to the service's user, and uploads are
saved readable by that user only."""

from __future__ import annotations

import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import SimpleTestCase

from fawang.testing.commands import process_env

ROOT = Path(__file__).resolve().parents[3]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class FileModesTestCase(SimpleTestCase):
    def test_var_is_made_private_when_the_site_starts(self) -> None:
        with tempfile.TemporaryDirectory() as name:
            var = Path(name) / "var"
            var.mkdir(mode=0o755)
            var.chmod(0o755)
            old_db = var / "fawang.sqlite3"
            old_db.write_bytes(b"")
            old_db.chmod(0o644)
            env = process_env({"FAWANG_VAR_DIR": str(var), "FAWANG_TESTING": "0"})
            subprocess.run(
                [sys.executable, "-c", "import django; django.setup()"],
                env=env,
                cwd=ROOT,
                check=True,
                timeout=120,
            )
            self.assertEqual(mode(var), 0o700)
            self.assertEqual(mode(old_db), 0o600)
            # The keys generated on first run, too.
            self.assertEqual(mode(var / "secret_key"), 0o600)
            self.assertEqual(mode(var / "field_key"), 0o600)

    def test_uploads_are_saved_for_the_service_user_only(self) -> None:
        with tempfile.TemporaryDirectory() as name:
            storage = FileSystemStorage(location=name)
            saved = storage.save("matters/2026/12/id-copy.pdf", ContentFile(b"%PDF-1.7"))
            self.assertEqual(mode(Path(storage.path(saved))), 0o600)
            self.assertEqual(mode(Path(name) / "matters" / "2026"), 0o700)
