"""The end-to-end site's management commands, run as ``python manage.py <args>`` would run them but without
starting Django each time: this process sets Django up once (about 1.7 s of CPU, most of a short command's cost
and, on a loaded 2-core machine, ten seconds or more of wall each) and forks a child per command, which runs it
with ``execute_from_command_line`` exactly as manage.py does, from a fresh copy of that state (no database
connection, no per-process cache carried from one command to the next), its stdin /dev/null and its stdout and
stderr captured. The child ends as ``python manage.py`` ends: exit code 0, 1 with a traceback on an uncaught
exception, or a command's own ``SystemExit``; atexit handlers and non-daemon threads finish first.

Protocol (tests/e2e/conftest.py's Commands): one JSON list of arguments per line on stdin; one JSON line
``{"code", "stdout", "stderr"}`` per command on stdout. End of stdin ends the process.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _child(args: list[str], out: str, err: str) -> None:
    """In the forked child: what ``python manage.py *args`` does, its output going to ``out`` and ``err``."""
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(os.open(out, os.O_WRONLY | os.O_TRUNC), 1)
    os.dup2(os.open(err, os.O_WRONLY | os.O_TRUNC), 2)
    from django.core.management import execute_from_command_line

    sys.argv = [str(ROOT / "manage.py"), *args]
    execute_from_command_line(sys.argv)
    sys.exit(0)  # unwinds out of main(): the interpreter exits as a manage.py process would


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
    import django
    from django.db import connections
    from django.urls import get_resolver

    django.setup()
    # What the system checks of a command import first (the URLconf and every view module behind it, ~0.7 s of CPU
    # in each command) is imported once, here: each child starts with it, as a manage.py process would after its
    # checks' first step. The checks themselves still run in every child that runs them.
    get_resolver().url_patterns  # noqa: B018 -- imports every URL module
    # The children must not share a connection with this process (or each other).
    assert all(c.connection is None for c in connections.all(initialized_only=True))
    # Everything made so far is left out of the cyclic garbage collector (gc.freeze, as Python's documentation
    # advises before forking): a child's collections would otherwise walk all of it, each touching the pages it
    # shares with this process and so copying them (copy on write), ~0.3 s of CPU per command.
    gc.freeze()
    # Not a `with` block: a child leaves through the loop below (SystemExit), and must not remove the directory.
    parent, tmp = os.getpid(), Path(tempfile.mkdtemp(prefix="fawang-e2e-commands-"))
    out, err = tmp / "stdout", tmp / "stderr"
    try:
        for line in sys.stdin:
            args = json.loads(line)
            out.write_bytes(b"")
            err.write_bytes(b"")
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _child(args, str(out), str(err))
            code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            answer = {
                "code": code,
                "stdout": out.read_bytes().decode(errors="replace"),
                "stderr": err.read_bytes().decode(errors="replace"),
            }
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        if os.getpid() == parent:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
