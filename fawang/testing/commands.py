"""Management commands for the sites tests start (the end-to-end site, the ops tests' sites), run as
``python manage.py <args>`` would run them but without starting Django each time: one process sets Django up once
(about 1.7 s of CPU, most of a short command's cost and, on a loaded 2-core machine, ten seconds or more of wall
each) and forks a child per command, which runs it with ``execute_from_command_line`` exactly as manage.py does,
from a fresh copy of that state (no database connection, no per-process cache carried from one command to the
next), its stdin /dev/null. The child ends as ``python manage.py`` ends: exit code 0, 1 with a traceback on an
uncaught exception, or a command's own ``SystemExit``; atexit handlers and non-daemon threads finish first.

``Commands.run`` waits for a command and answers with its stdout (CalledProcessError when it failed);
``Commands.start`` starts a long-running one (a worker, the scheduler) with its output appended to a log file and
answers at once with a ``Started`` handle (its pid; ``poll``, ``wait``, ``terminate``, ``kill`` as on a
``subprocess.Popen``).

Protocol: one JSON object per line on the process's stdin, one JSON line per request on its stdout:
``{"run": [args]}`` -> ``{"code", "stdout", "stderr"}``; ``{"start": [args], "log": path}`` -> ``{"pid"}``;
``{"poll": pid}`` -> ``{"code"}`` (null while it runs). End of stdin ends the process.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def process_env(values: Mapping[str, str]) -> dict[str, str]:
    """The environment of a process a test starts (a manage.py command, a site, the command process below): the
    test run's own without pytest's variables and its settings module, with the project's settings
    (fawang.settings) and ``values`` on top."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
        "DJANGO_SETTINGS_MODULE": "fawang.settings",
        **values,
    }


def _child(args: list[str], out: str, err: str, append: bool = False) -> None:
    """In the forked child: what ``python manage.py *args`` does, its output going to ``out`` and ``err``."""
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    mode = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    os.dup2(os.open(out, mode, 0o600), 1)
    os.dup2(os.open(err, mode, 0o600), 2)
    from django.core.management import execute_from_command_line

    sys.argv = [str(ROOT / "manage.py"), *args]
    execute_from_command_line(sys.argv)
    sys.exit(0)  # unwinds out of main(): the interpreter exits as a manage.py process would


def _fork() -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    return os.fork()


def _serve(request: dict[str, Any], out: Path, err: Path, started: dict[int, int | None]) -> dict[str, Any]:
    """One request (the protocol above), in the parent; a forked child does not return from here."""
    if "run" in request:
        out.write_bytes(b"")
        err.write_bytes(b"")
        pid = _fork()
        if pid == 0:
            _child(request["run"], str(out), str(err))
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        return {
            "code": code,
            "stdout": out.read_bytes().decode(errors="replace"),
            "stderr": err.read_bytes().decode(errors="replace"),
        }
    if "start" in request:
        pid = _fork()
        if pid == 0:
            _child(request["start"], request["log"], request["log"], append=True)
        started[pid] = None
        return {"pid": pid}
    pid = int(request["poll"])
    if started[pid] is None:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            started[pid] = os.waitstatus_to_exitcode(status)
    return {"code": started[pid]}


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
    parent, tmp = os.getpid(), Path(tempfile.mkdtemp(prefix="fawang-commands-"))
    started: dict[int, int | None] = {}
    try:
        for line in sys.stdin:
            answer = _serve(json.loads(line), tmp / "stdout", tmp / "stderr", started)
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        if os.getpid() == parent:
            shutil.rmtree(tmp, ignore_errors=True)
            for pid, code in started.items():  # a started command still running ends with this process
                if code is None:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)


class Commands:
    """Management commands for one site's environment ``env``, each run as ``manage.py`` runs it, by a process that
    has set Django up once and forks per command (above): not ~1.7 s of CPU to start Django each."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fawang.testing.commands"],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"manage.py 命令进程已退出（{self.process.wait()}）：{request}")
        return dict(json.loads(line))

    def run(self, *args: str) -> str:
        """The command's stdout; CalledProcessError (with its stdout and stderr) if it failed."""
        answer = self._ask({"run": args})
        if answer["code"]:
            cmd = ["manage.py", *args]
            raise subprocess.CalledProcessError(answer["code"], cmd, answer["stdout"], answer["stderr"])
        return str(answer["stdout"])

    def result(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The command's exit code, stdout and stderr, whether it failed or not."""
        answer = self._ask({"run": args})
        return subprocess.CompletedProcess(
            ["manage.py", *args], answer["code"], answer["stdout"], answer["stderr"]
        )

    def start(self, *args: str, log: Path) -> Started:
        """A long-running command started, its stdout and stderr appended to ``log``."""
        return Started(self, int(self._ask({"start": args, "log": str(log)})["pid"]))

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Started:
    """A command ``Commands.start`` started: the parts of ``subprocess.Popen`` the tests use."""

    def __init__(self, commands: Commands, pid: int) -> None:
        self.commands = commands
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.commands._ask({"poll": self.pid})["code"]
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"manage.py (pid {self.pid})", timeout or 0)
            time.sleep(0.05)
        return code

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


if __name__ == "__main__":
    main()
