"""Issue 14, item 23: bin/system-deps decides rightly whether the CJK font is there, and `make run` installs it.

The old check, ``fc-list | grep -qi "Noto Sans CJK"`` under ``set -o pipefail``, said "missing" in about half the
runs on a machine that has the font (grep stops at its first match, fc-list dies of SIGPIPE, the pipeline fails), so
every `make test` went to apt. On a machine without the font, `make run` never installed it and the PDFs drew
their Chinese as empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bin" / "system-deps"


def missing(*args: str, env: dict[str, str] | None = None) -> list[str]:
    out = subprocess.run(
        [str(SCRIPT), *args, "--dry-run"], capture_output=True, text=True, check=True, env=env
    ).stdout
    return out.split()


def has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return "Noto Sans CJK SC" in families and "Noto Serif CJK SC" in families


def test_a_machine_with_the_font_never_needs_it() -> None:
    if not has_cjk_font():
        pytest.skip("此机器没有 Noto CJK 字体（make test 会先安装）")
    runs = [missing() for _ in range(30)]
    assert [r for r in runs if "fonts-noto-cjk" in r] == []
    assert [r for r in runs if "libpango-1.0-0" in r] == []


def test_a_machine_without_the_font_gets_it_from_make_run(tmp_path: Path) -> None:
    # A fontconfig that sees no font directory at all: what fc-list says on a machine without the CJK font.
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    assert "fonts-noto-cjk" in missing("run", env=env)
    assert "fonts-noto-cjk" in missing(env=env)


def test_make_run_installs_what_the_site_needs() -> None:
    makefile = (ROOT / "Makefile").read_text()
    run = next(line for line in makefile.splitlines() if line.startswith("run:"))
    assert "runtime-deps" in run.split(), run
    assert "\truntime-deps:" not in makefile
    target = makefile.split("\nruntime-deps:", 1)[1].split("\n\n", 1)[0]
    assert "bin/system-deps run" in target


def test_the_run_profile_leaves_the_test_tools_out() -> None:
    extras = {"chromium", "chromium-headless-shell", "gettext", "poppler-utils", "libfaketime"}
    assert not extras & set(missing("run"))
