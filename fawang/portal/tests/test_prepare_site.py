"""Issue 14, item 24: a second `make run` starts in seconds and prints each system-check warning once.

`make run` used to call manage.py seven times before the server (each run of Django printed the calendar's W001
again, and the worker and scheduler twice more) and ran collectstatic every time, which compressed all ~1,000
static files again though nothing had changed: about three quarters of the 98 s a second `make run` took.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings

from fawang.portal.management.commands import prepare_site

ROOT = Path(settings.BASE_DIR)


def recipe(makefile: str, target: str) -> list[str]:
    """The command lines of a Makefile target."""
    block = makefile.split(f"\n{target}:", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if not line.startswith("\t"):
            break
        lines.append(line.strip())
    return lines


class ChecksOnceTestCase(SimpleTestCase):
    def test_make_run_runs_the_system_checks_in_one_process_only(self) -> None:
        makefile = (ROOT / "Makefile").read_text()
        run_deps = re.search(r"^run:(.*)$", makefile, flags=re.M)
        assert run_deps
        self.assertIn("db", run_deps.group(1).split())
        commands = recipe(makefile, "db") + recipe(makefile, "run")
        serve = [
            line.strip()
            for line in (ROOT / "bin" / "serve").read_text().splitlines()
            if "manage.py" in line and not line.strip().startswith("#")
        ]
        manage_calls = [c for c in commands + serve if "manage.py" in c]
        checked = [
            c
            for c in manage_calls
            if "--skip-checks" not in c and "prepare_site" not in c  # prepare_site runs none (below)
        ]
        self.assertEqual(checked, ["$BIN/python manage.py check"])
        self.assertEqual([c for c in commands if "manage.py" in c], ["$(BIN)/python manage.py prepare_site"])

    def test_prepare_site_itself_runs_no_checks(self) -> None:
        self.assertEqual(prepare_site.Command.requires_system_checks, [])


class StaticOnlyWhenChangedTestCase(SimpleTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="fawang-static-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.source = self.tmp / "source"
        self.source.mkdir()
        (self.source / "extra.css").write_text("body { color: #111; }\n")

    def prepare(self) -> str:
        out = StringIO()
        with mock.patch.object(prepare_site, "STEPS", []):
            call_command("prepare_site", stdout=out)
        return out.getvalue()

    def test_collectstatic_runs_once_then_only_when_a_source_changes(self) -> None:
        root = self.tmp / "static"
        root.mkdir()
        dirs = [*settings.STATICFILES_DIRS, self.source]
        # The test settings' storage writes no manifest: a collected file stands in for it.
        with (
            override_settings(STATIC_ROOT=root, STATICFILES_DIRS=dirs),
            mock.patch.object(prepare_site, "MANIFEST", "extra.css"),
        ):
            first = self.prepare()
            self.assertIn("静态文件：", first)
            self.assertNotIn("未变化", first)
            self.assertTrue((root / "extra.css").exists())
            self.assertIn("静态文件：未变化，跳过 collectstatic。", self.prepare())
            changed = self.source / "extra.css"
            changed.write_text("body { color: #222; }\n")
            later = changed.stat().st_mtime + 2  # collectstatic compares whole seconds
            os.utime(changed, (later, later))
            again = self.prepare()
            self.assertNotIn("未变化", again)
            self.assertIn("#222", (root / "extra.css").read_text())
