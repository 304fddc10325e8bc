"""Fault tests on real processes (loopback, a throw-away SQLite database in a temporary folder, bounded waits).

1. The task worker is killed with SIGKILL in the middle of a deadline scan (after its first escalation was
   committed, before its last). The scheduler keeps running, untouched; a new worker is started. Within
   RECOVERY_SECONDS, with no manual step, every overdue matter is warned and escalated exactly once: the killed
   worker's task row, left RUNNING, is handed back to the queue when its lease runs out and run again.
2. Another connection holds SQLite's write lock for longer than the 5 s busy timeout. The worker meets
   "database is locked", waits and retries, and is alive afterwards and runs tasks again.

The processes get a short lease (TASK_LEASE_SECONDS=4) and heartbeat (1 s) so the test is quick; production uses
60 s and 10 s (README, "后台任务").
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fawang.testing.commands import Commands, Started
from fawang.testing.sites import copy_demo, site_env

ROOT = Path(__file__).resolve().parents[3]
MATTERS = 400
RECOVERY_SECONDS = 90  # from the restart of the worker to the last escalation, on a loaded 2-core machine
SCAN_TASK = "fawang.matters.tasks.scan_deadlines_task"
# The seed's matters are the last made (load_demo makes a few of its own first): ids from ``site.first`` on.
ESCALATED = "SELECT count(*) FROM matters_matter WHERE escalated_at IS NOT NULL AND id >= ?"

# Run on the demo site (fawang/testing/sites.py: load_demo, which imports the regions of 福建省 it needs).
SEED = f"""
from fawang.catalog.models import ServiceItem
from fawang.lib.validators import id_check_digit
from fawang.matters import actions
from fawang.matters.tests.base import at
from fawang.regions.models import Region

item = ServiceItem.objects.get(code="legal_aid")
region = Region.objects.get(code="350203001")
for p in range({MATTERS // 40}):
    first17 = "350203198005" + f"{{p + 1:02d}}" + "991"
    actions.do_submit(
        actor=None,
        person=actions.PersonData(name=f"故障测试{{p}}", phone=f"139000{{p:05d}}", id_number=first17 + id_check_digit(first17)),
        requests=[actions.MatterRequest(item, f"故障测试事项 {{p}}-{{i}}", region) for i in range(40)],
        channel="web",
        now=at(2025, 3, 3),
    )
"""


@dataclass
class Site:
    tmp: Path
    db: Path
    env: dict[str, str]
    # The site's management commands (the set-up, the workers, the scheduler), run by one process that sets Django
    # up once and forks per command (fawang/testing/commands.py), as ``python manage.py`` runs them.
    commands: Commands
    first: int = 0

    def manage(self, *args: str, log: str) -> Started:
        return self.commands.start(*args, log=self.tmp / log)

    def query(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql, params).fetchall()

    def one(self, sql: str, *params: object) -> Any:
        return self.query(sql, *params)[0][0]

    def log(self, name: str) -> str:
        path = self.tmp / name
        return path.read_text(errors="replace") if path.exists() else ""


def _stop(*procs: Started) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait(what: str, predicate: Callable[[], object], timeout: float, step: float = 0.2) -> float:
    """Poll until predicate() is true; returns the seconds it took, fails the test after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(step)
    pytest.fail(f"{what}：{timeout:g} 秒内未达到")


@pytest.fixture(scope="module")
def site(demo_sqlite: Path) -> Iterator[Site]:
    """The site's database and var/ start as a copy of the run's demo site (conftest.py, fawang/testing/sites.py):
    the migrated database with the demo loaded; ``migrate`` finds it up to date."""
    with tempfile.TemporaryDirectory(prefix="fawang-faults-") as name:
        tmp = Path(name)
        db = tmp / "fawang.sqlite3"
        copy_demo(demo_sqlite, db, tmp / "var")
        env = {
            **site_env(f"sqlite:///{db}", tmp / "var"),
            "PYTHONUNBUFFERED": "1",
            "TASK_LEASE_SECONDS": "4",
            "WORKER_HEARTBEAT_SECONDS": "1",
        }
        s = Site(tmp, db, env, Commands(env))
        try:
            for args in (["migrate", "--no-input", "-v0", "--skip-checks"], ["shell", "-c", SEED]):
                proc = s.manage(*args, log="setup.log")
                assert proc.wait(timeout=900) == 0, s.log("setup.log")[-3000:]
            s.first = int(
                s.one("SELECT min(id) FROM (SELECT id FROM matters_matter ORDER BY id DESC LIMIT ?)", MATTERS)
            )
            yield s
        finally:
            s.commands.close()


def test_worker_killed_mid_scan_every_overdue_matter_escalated_once(site: Site) -> None:
    assert (
        site.one("SELECT count(*) FROM matters_matter WHERE escalated_at IS NULL AND id >= ?", site.first)
        == MATTERS
    )
    worker = site.manage("db_worker", "--no-startup-delay", "--interval", "0.2", log="worker1.log")
    scheduler = site.manage("scheduler", "--interval", "1", log="scheduler.log")
    second = None
    try:
        # Kill -9 once the scan has committed its first escalation, before it has done them all.
        _wait(
            "扫描开始升级",
            lambda: site.one(ESCALATED, site.first) > 0,
            timeout=180,
            step=0.02,
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        done = site.one(ESCALATED, site.first)
        assert 0 < done < MATTERS, f"扫描应在中途被终止（已升级 {done} 件）"
        # The killed worker's task is left RUNNING: without the lease it would stay so, and the scheduler would
        # never queue the scan again. On a loaded machine the lease (4 s) may already have run out by the time
        # this reads the row: then the scheduler has handed it back (READY) and said so in its log.
        status = site.one(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ? "
            "ORDER BY enqueued_at DESC LIMIT 1",
            SCAN_TASK,
        )
        assert status in ("RUNNING", "READY"), status
        if status == "READY":
            _wait("调度器记录租约过期", lambda: "重新排队" in site.log("scheduler.log"), timeout=10)

        second = site.manage("db_worker", "--no-startup-delay", "--interval", "0.2", log="worker2.log")
        took = _wait(
            "全部超期事项已升级",
            lambda: site.one(ESCALATED, site.first) == MATTERS,
            timeout=RECOVERY_SECONDS,
        )
        print(f"重启执行进程后 {took:.1f} 秒内全部升级")
        # Exactly once: one warning and one escalation event per matter, one escalation message per recipient.
        assert site.query(
            "SELECT action, count(*), count(DISTINCT matter_id) FROM matters_matterevent "
            "WHERE action IN ('warn', 'escalate') AND matter_id >= ? GROUP BY action ORDER BY action",
            site.first,
        ) == [("escalate", MATTERS, MATTERS), ("warn", MATTERS, MATTERS)]
        assert (
            site.one(
                "SELECT count(DISTINCT related_id) FROM notify_message WHERE kind = 'matter.escalated' "
                "AND CAST(related_id AS INTEGER) >= ?",
                site.first,
            )
            == MATTERS
        )
        assert (
            site.query(
                "SELECT kind, related_id, user_id, channel, count(*) FROM notify_message "
                "WHERE kind IN ('matter.warning', 'matter.escalated') "
                "GROUP BY kind, related_id, user_id, channel HAVING count(*) > 1"
            )
            == []
        )
        # The scheduler was never restarted; the lease handed the killed worker's task back.
        assert scheduler.poll() is None
        assert "重新排队" in site.log("worker2.log") + site.log("scheduler.log")
    finally:
        _stop(*(p for p in (worker, second, scheduler) if p is not None))


def test_worker_survives_a_write_lock_held_past_the_busy_timeout(site: Site) -> None:
    worker = site.manage("db_worker", "--no-startup-delay", "--interval", "0.2", log="worker3.log")
    scheduler = site.manage("scheduler", "--interval", "1", log="scheduler2.log")
    try:
        _wait(
            "执行进程心跳",
            lambda: site.one("SELECT count(*) FROM ops_heartbeat WHERE role = 'worker'") > 0,
            timeout=60,
        )
        lock = sqlite3.connect(site.db, timeout=30, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")
            time.sleep(12)  # more than twice the 5 s busy timeout
            # On a loaded machine the worker may reach the lock late: hold it until the worker has met it.
            _wait(
                "执行进程应遇到数据库锁",
                lambda: "database is locked" in site.log("worker3.log"),
                timeout=60,
            )
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert worker.poll() is None, site.log("worker3.log")[-3000:]
        before = site.one(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        )
        _wait(
            "锁释放后执行进程继续完成任务",
            lambda: (
                site.one(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
                )
                > before
            ),
            timeout=60,
        )
        assert worker.poll() is None
    finally:
        _stop(worker, scheduler)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_bin_serve_restarts_a_child_that_dies(site: Site) -> None:
    """bin/serve starts the site, the worker and the scheduler; a worker killed with -9 is started again."""
    out = open(site.tmp / "serve.log", "ab")  # noqa: SIM115 - closed below
    serve = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        env={**site.env, "PORT": str(_free_port()), "WEB_WORKERS": "1", "WEB_THREADS": "2"},
        cwd=ROOT,
        stdout=out,
        stderr=out,
    )

    def worker_pids() -> set[int]:
        pids = [int(str(pid)) for (pid,) in site.query("SELECT pid FROM ops_heartbeat WHERE role = 'worker'")]
        return {pid for pid in pids if _alive(pid)}

    try:
        _wait("bin/serve 启动执行进程", lambda: worker_pids(), timeout=120)
        (first,) = worker_pids()
        os.kill(first, signal.SIGKILL)
        _wait("bin/serve 重启执行进程", lambda: worker_pids() - {first}, timeout=60)
        (second,) = worker_pids() - {first}
        assert "已退出" in site.log("serve.log")
    finally:
        serve.terminate()
        try:
            serve.wait(timeout=30)
        finally:
            out.close()
    assert serve.returncode == 0, site.log("serve.log")[-3000:]
    _wait("bin/serve 停止后执行进程退出", lambda: not _alive(second), timeout=20)
