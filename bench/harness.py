"""Shared pieces of the benchmarks: a throwaway database per run, timing, machine description, the report.

Each benchmark module `bench/bench_*.py` defines `run(ctx: Context) -> Section`. `bench/run.py` runs them all and
writes docs/benchmarks.md. Figures are only compared with a baseline measured in the same run, because the
machines are shared and noisy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# How `make run` fills a site's database: the schema, the regions of Fujian, the demo's units and staff.
DEMO_SET_UP: tuple[tuple[str, ...], ...] = (
    ("migrate", "--no-input", "-v0"),
    ("import_regions", "35", "--quiet-progress"),
    ("load_demo",),
)
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/fawang_bench")


@dataclass
class Row:
    what: str
    value: str
    baseline: str = ""
    ratio: str = ""
    note: str = ""


@dataclass
class Section:
    title: str
    intro: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Context:
    tmp: Path
    databases: dict[str, str]

    def fresh_database(self, label: str, name: str) -> str:
        """A new empty database for one measurement: a SQLite file, or a re-created PostgreSQL database."""
        if label == "SQLite":
            path = self.tmp / f"{name}.sqlite3"
            path.unlink(missing_ok=True)
            return f"sqlite:///{path}"
        # Named after BENCH_PG_URL's database (fawang_bench_<name> by default), so two checkouts benchmarking at
        # the same time on one server each drop and create only their own.
        base, db = PG_URL.rsplit("/", 1)
        url = f"{base}/{db}_{name}"
        reset_pg(url)
        return url

    def env(self, db_url: str) -> dict[str, str]:
        """The environment of a process of the site (a server, a management command, a measuring script) on
        ``db_url``: this run's var directory, the project importable, not in test mode."""
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "FAWANG_VAR_DIR": str(self.tmp / "var"),
            "DJANGO_SETTINGS_MODULE": "fawang.settings",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("FAWANG_TESTING", None)
        return env

    def manage(self, db_url: str, *args: str, timeout: int = 1800) -> float:
        """Run a management command against ``db_url`` in a fresh process; return wall seconds."""
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env(db_url),
            check=False,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
        return time.perf_counter() - started

    def set_up_demo(self, db_url: str, *more: tuple[str, ...], timeout: int = 1800) -> float:
        """DEMO_SET_UP on ``db_url``, then the commands of ``more``, each in a fresh process; return wall seconds."""
        return sum(self.manage(db_url, *args, timeout=timeout) for args in (*DEMO_SET_UP, *more))

    def run_module(
        self, db_url: str, module: str, *args: str, env: dict[str, str] | None = None, timeout: int = 7200
    ) -> Any:
        """Run ``python -m <module> args`` in a Django process on ``db_url``; its last line of output is JSON."""
        result = subprocess.run(
            [sys.executable, "-m", module, *args],
            env={**self.env(db_url), **(env or {})},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"{module} failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on just now, for a server started by a benchmark."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def reset_pg(url: str, create: bool = True) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg(url: str) -> None:
    """Drop a benchmark's PostgreSQL database once measured."""
    reset_pg(url, create=False)


@contextmanager
def context() -> Iterator[Context]:
    with tempfile.TemporaryDirectory(prefix="fawang-bench-") as tmp:
        dbs = {"SQLite": f"sqlite:///{tmp}/bench.sqlite3"}
        if pg_available():
            dbs["PostgreSQL"] = PG_URL
        else:
            print("PostgreSQL 不可用：只测 SQLite。", file=sys.stderr)
        yield Context(Path(tmp), dbs)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Commit: {commit or 'unknown'}",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem} memory, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}",
        # Other jobs on a shared machine move every absolute figure: say how busy it was when the section was written.
        "- Load average (1/5/15 min) when written: " + " / ".join(f"{v:.1f}" for v in os.getloadavg()),
    ]


def write_report(sections: list[Section], path: Path) -> None:
    """Write the report; sections of benchmarks not run this time are kept from the previous report.

    Each section carries its own date, commit and machine, since a partial run (``make bench ARGS=...``)
    rewrites only its own sections.
    """
    kept: dict[str, str] = {}
    if path.exists():
        for chunk in path.read_text().split("\n## ")[1:]:
            title = chunk.split("\n", 1)[0].strip()
            kept[title] = "## " + chunk.rstrip() + "\n"
    fresh: dict[str, str] = {}
    stamp = machine()
    for s in sections:
        lines = [
            f"## {s.title}",
            "",
            *stamp,
            "",
            s.intro,
            "",
            "| what | result | baseline (same run) | ratio | note |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| {r.what} | {r.value} | {r.baseline} | {r.ratio} | {r.note} |" for r in s.rows]
        fresh[s.title] = "\n".join(lines) + "\n"
    order = sorted(set(kept) | set(fresh))
    head = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py). Ratios compare with a baseline measured in the same run on the same",
        "machine; absolute times on these shared machines vary from run to run. Each section names the date, commit",
        "and machine of the run that wrote it.",
        "",
    ]
    body = [fresh.get(t) or kept[t] for t in order]
    path.write_text("\n".join(head) + "\n" + "\n".join(body))
