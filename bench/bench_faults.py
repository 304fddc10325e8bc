"""Faults under load (issue 13): ten minutes of mixed traffic on the site as ``bin/serve`` runs it, with the task
worker killed (SIGKILL) twice in the middle of a deadline scan, and nothing lost or done twice.

1. Data: a fresh database (SQLite, the embedded default that ``make run`` uses; ``BENCH_FAULTS_DB=PostgreSQL``
   for the production database): migrate, regions of 福建, the demo, the statutes and the search index, and
   BENCH_FAULTS_OVERDUE matters submitted on 2025-03-03 (overdue long ago).
2. The site: ``bin/serve`` (gunicorn, the task worker and the scheduler, each restarted by bin/serve when it dies)
   with the production lease and heartbeat (60 s, 10 s), the scheduler every 15 s, and the loopback proxy trusted
   so the code requests can come from many client addresses.
3. The load, all at once for BENCH_FAULTS_SECONDS (600): public pages (``wrk`` GETs of the home page, the service
   finder, the public statistics, the guides, the directory and 普法 articles), law searches in everyday words, the
   staff intake form posted by signed-in clerks and hotline agents (bench/matters_intake.lua, a new person each), and
   anonymous sign-in code requests through the API (a new phone each; the per-address limit answers 429 after ten
   an hour).
4. The faults: at about a quarter and at about 60 % of the run a new batch of overdue matters is added and, as soon
   as the deadline scan's task is RUNNING and has escalated part of it, the task worker is killed with SIGKILL.
   Nobody restarts anything: bin/serve starts a new worker, the scheduler hands the dead worker's task back once
   its lease has run out.
5. The check, after the load stops and the queue drains: every overdue matter warned and escalated exactly once;
   every accepted intake (302) stored, nothing beyond the requests in flight; every accepted code request (200) has
   its code and one message; no two messages with one dedupe key; no task left RUNNING; messages still unsent.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from .bench_matters import (
    INTAKE_USERS,
    _django,
    _ids_file,
    need_wrk,
    run_wrk,
    sign_in,
    write_data,
)
from .harness import ROOT, Context, Row, Section, free_port

SECONDS = int(os.environ.get("BENCH_FAULTS_SECONDS", "600"))
OVERDUE = int(os.environ.get("BENCH_FAULTS_OVERDUE", "400"))
DATABASE = os.environ.get("BENCH_FAULTS_DB", "SQLite")
# BENCH_FAULTS_REUSE=1: start from the set-up an earlier SQLite run kept in bench/out/ (for trying the benchmark;
# a measured run starts from nothing).
REUSE = os.environ.get("BENCH_FAULTS_REUSE") == "1"
SCHEDULER_INTERVAL = 15
KILL_WAIT_LIMIT = 420  # seconds after a batch is added to catch its scan half done
RECOVERY_LIMIT = 700  # seconds for the queue to drain after the load (a message a killed worker was sending waits out its 600 s lease)
PUBLIC_PATHS = ["/", "/finder/", "/stats/", "/guides/", "/directory/", "/pufa/"]
SEARCHES = [
    "老板拖欠工资三个月不给怎么办",
    "被狗咬了谁负责",
    "离婚后孩子抚养费怎么算",
    "房东不退押金",
    "交通事故对方全责不赔钱",
    "网购买到假货怎么退款",
    "父母去世房子怎么继承",
    "邻居装修把我家墙弄裂了",
]
# Connections per kind: bounded, so the public side does not starve the staff side on two cores.
CONNECTIONS = {"public": 2, "search": 2, "intake": 4, "code": 1}


def _lua_data(path: Path, **values: str | list[str]) -> None:
    def lua(value: str | list[str]) -> str:
        if isinstance(value, list):
            return "{" + ", ".join(lua(v) for v in value) + "}"
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    path.write_text("".join(f"{k} = {lua(v)}\n" for k, v in values.items()))


class Site:
    """bin/serve in its own process group, and a look at its task table."""

    def __init__(self, ctx: Context, url: str) -> None:
        self.ctx, self.url = ctx, url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **ctx.env(url),
            "PORT": str(self.port),
            "SCHEDULER_INTERVAL_SECONDS": str(SCHEDULER_INTERVAL),
            "TRUSTED_PROXIES": "127.0.0.1",
        }
        self.log = open(ctx.tmp / "serve.log", "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(ROOT / "bin" / "serve")],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def wait_up(self) -> None:
        import socket

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        raise RuntimeError("bin/serve 未能启动。")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()

    def worker_pids(self) -> list[int]:
        """The task worker processes under this bin/serve (its process group)."""
        found = subprocess.run(
            ["pgrep", "-g", str(self.proc.pid), "-f", "manage.py db_worker"],
            capture_output=True,
            text=True,
            check=False,
        )
        return [int(p) for p in found.stdout.split()]

    def scan_running(self) -> bool:
        rows = self.query(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' AND task_path = "
            "'fawang.matters.tasks.scan_deadlines_task'"
        )
        return bool(rows and rows[0][0])

    def next_matter_id(self) -> int:
        rows = self.query("SELECT max(id) FROM matters_matter")
        return int(rows[0][0] or 0) + 1 if rows else 1

    def escalated_since(self, first: int) -> int:
        rows = self.query(
            f"SELECT count(*) FROM matters_matter WHERE escalated_at IS NOT NULL AND id >= {int(first)}"  # noqa: S608 - an int
        )
        return int(rows[0][0]) if rows else 0

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            if self.url.startswith("sqlite:///"):
                import sqlite3

                with sqlite3.connect(
                    f"file:{self.url[len('sqlite:///') :]}?mode=ro", uri=True, timeout=10
                ) as conn:
                    return conn.execute(sql).fetchall()
            import psycopg

            with psycopg.connect(self.url, connect_timeout=5) as conn:
                return conn.execute(sql).fetchall()
        except Exception:
            return []


def _kill_mid_scan(site: Site, first: int, log: list[str], started: float, seeded: threading.Event) -> None:
    """While the batch from matter ``first`` on is being added (the scheduler's scans escalate it as it comes) and
    until it is all escalated (at most KILL_WAIT_LIMIT after): as soon as the scan's task is running with part of
    the batch escalated and part not, SIGKILL the worker (the log says how far it had got)."""
    # The scan waits its turn behind the deliveries the load queues, so give it until the batch is escalated.
    deadline: float | None = None
    while deadline is None or time.monotonic() < deadline:
        if deadline is None and seeded.is_set():
            deadline = time.monotonic() + KILL_WAIT_LIMIT
        escalated = site.escalated_since(first)
        if seeded.is_set() and escalated >= OVERDUE:
            break
        if site.scan_running() and 0 < escalated < OVERDUE:
            pids = site.worker_pids()
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            done = site.escalated_since(first)
            log.append(
                f"at {time.monotonic() - started:.0f} s: worker {pids} killed mid-scan ({done} of {OVERDUE} escalated)"
            )
            return
        time.sleep(0.05)
    log.append(
        f"at {time.monotonic() - started:.0f} s: the scan was not caught half done (it escalated "
        f"{site.escalated_since(first)} of {OVERDUE}); the worker was not killed"
    )


def run(ctx: Context) -> Section:
    section = Section(
        "Faults under mixed load (issue 13)",
        f"{SECONDS} s of mixed traffic on the site as `bin/serve` runs it ({DATABASE}; gunicorn with its default "
        f"workers × threads, the task worker, the scheduler every {SCHEDULER_INTERVAL} s; production lease 60 s): "
        f"public pages ({CONNECTIONS['public']} connections), everyday law searches ({CONNECTIONS['search']}), "
        f"the staff intake form by signed-in clerks and hotline agents ({CONNECTIONS['intake']}) and anonymous "
        f"sign-in code requests through the API ({CONNECTIONS['code']}), all at once, loopback. Twice the task "
        f"worker is killed with SIGKILL while the deadline scan of {OVERDUE} freshly added overdue matters is half "
        "done; bin/serve restarts it, nobody else touches anything. Afterwards (the queue drained) every overdue "
        "matter must be warned and escalated exactly once, every accepted submission stored and every accepted code "
        "request have one code and one message. The rates are what the site did while under all four loads and two "
        "faults at once, not a throughput target.",
    )
    if DATABASE not in ctx.databases:
        section.rows.append(Row("skipped", f"{DATABASE} not available", "", "", ""))
        return section
    wrk = need_wrk()
    url = ctx.fresh_database(DATABASE, "faults")
    template = ROOT / "bench" / "out" / "faults-template"
    if REUSE and DATABASE == "SQLite" and (template / "db.sqlite3").exists():
        # Trying the benchmark out: the set-up of an earlier run (database and its var/ with the field key).
        shutil.copy(template / "db.sqlite3", url[len("sqlite:///") :])
        shutil.copytree(template / "var", ctx.tmp / "var", dirs_exist_ok=True)
        setup = 0.0
    else:
        setup = ctx.set_up_demo(
            url,
            ("import_laws", "--if-empty", "--quiet-progress"),
            ("build_law_index", "--if-missing", "--quiet-progress"),
            ("collectstatic", "--no-input", "-v0"),
            timeout=3600,
        )
        if DATABASE == "SQLite":
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir(parents=True)
            shutil.copy(url[len("sqlite:///") :], template / "db.sqlite3")
            shutil.copytree(ctx.tmp / "var", template / "var")
    batches = [_django(ctx, url, "faults_ref", "seed", "1", str(OVERDUE))]
    items = _django(ctx, url, "matters_intake_ref")
    site = Site(ctx, url)
    log: list[str] = []
    results: dict[str, dict[str, Any]] = {}
    prefix = secrets.token_hex(4)
    phone_prefix = f"137{secrets.randbelow(90) + 10:02d}"
    try:
        site.wait_up()
        sessions = []
        for username in INTAKE_USERS:
            ref = items["users"][username]
            for _ in range(2):
                sessions.append({**sign_in(site.base, username), **ref})
        ids = ctx.tmp / "faults-ids.txt"
        _ids_file(ids, 200_000, 7)
        data = {kind: ctx.tmp / f"faults-{kind}.lua" for kind in CONNECTIONS}
        write_data(
            data["intake"],
            mode="intake",
            url_path="/console/matters/intake/",
            sessions=sessions,
            key_prefix=prefix,
            ids_file=ids,
        )
        _lua_data(data["public"], MODE="paths", PATHS=PUBLIC_PATHS)
        _lua_data(
            data["search"], MODE="paths", PATHS=[f"/laws/search/?q={urllib.parse.quote(q)}" for q in SEARCHES]
        )
        _lua_data(data["code"], MODE="code", PHONE_PREFIX=phone_prefix)
        scripts = {
            "public": "faults_mixed.lua",
            "search": "faults_mixed.lua",
            "intake": "matters_intake.lua",
            "code": "faults_mixed.lua",
        }

        def load(kind: str) -> None:
            results[kind] = run_wrk(
                wrk,
                site.base,
                data[kind],
                SECONDS,
                script=scripts[kind],
                connections=CONNECTIONS[kind],
                request_timeout=20,
            )

        started = time.monotonic()
        runners = [threading.Thread(target=load, args=(kind,)) for kind in CONNECTIONS]
        for runner in runners:
            runner.start()
        workers_at_start = len(site.worker_pids())
        for share, batch_no in ((0.2, 2), (0.55, 3)):
            while time.monotonic() - started < SECONDS * share:
                time.sleep(1)
            # Watch from before the batch is added: the scans take it up while it is being written.
            first = site.next_matter_id()
            seeded = threading.Event()
            watcher = threading.Thread(target=_kill_mid_scan, args=(site, first, log, started, seeded))
            watcher.start()
            batch = _django(ctx, url, "faults_ref", "seed", str(batch_no), str(OVERDUE))
            seeded.set()
            watcher.join()
            batches.append(batch)
        for runner in runners:
            runner.join()
        load_end = time.monotonic()
        first = min(b["first"] for b in batches)
        drained = None
        while time.monotonic() - load_end < RECOVERY_LIMIT:
            outcome = _django(ctx, url, "faults_ref", "check", str(first), prefix, phone_prefix)
            if (
                outcome["escalated_at_set"] == outcome["overdue"]
                and not outcome["tasks_running"]
                and not outcome["messages_unsent"]
            ):
                drained = time.monotonic() - load_end
                break
            time.sleep(5)
        outcome = _django(ctx, url, "faults_ref", "check", str(first), prefix, phone_prefix)
        workers_now = site.worker_pids()
    finally:
        site.stop()
    log_text = (ctx.tmp / "serve.log").read_text(errors="replace")
    restarts = log_text.count("任务执行进程 db_worker 已退出")
    kept = ROOT / "bench" / "out" / "faults-serve.log"
    kept.parent.mkdir(exist_ok=True)
    kept.write_text(log_text)
    failures = _exceptions(log_text)

    for kind in ("public", "search", "intake", "code"):
        r = results.get(kind)
        if r is None:
            section.rows.append(Row(f"Load: {kind}", "no result", "", "", ""))
            continue
        lat = r["latency_us"]
        errors = sum(v for k, v in r["errors"].items() if k != "status")
        section.rows.append(
            Row(
                f"Load: {kind} ({CONNECTIONS[kind]} connections, {SECONDS} s)",
                f"{r['rate']:.1f} req/s; p50 {lat['p50'] / 1000:.0f} / p99 {lat['p99'] / 1000:.0f} ms",
                "",
                "",
                f"answers {r['statuses']}, socket errors {errors} (timeouts {r['errors']['timeout']})",
            )
        )
    intake = results.get("intake", {"statuses": {}, "sent": 0, "requests": 0})
    accepted = int(intake["statuses"].get("302", 0))
    in_flight = intake["sent"] - intake["requests"]
    stored = outcome["intake_stored"]
    section.rows.append(
        Row(
            "Accepted intake submissions stored",
            f"{stored:,} stored of {accepted:,} accepted",
            "",
            "",
            ("no accepted matter lost" if stored >= accepted else f"LOST {accepted - stored}")
            + f"; {stored - accepted} more from the {in_flight} requests in flight when wrk stopped "
            + ("(within it)" if stored - accepted <= in_flight else "(MORE THAN WERE IN FLIGHT)"),
        )
    )
    code = results.get("code", {"statuses": {}, "sent": 0, "requests": 0})
    code_ok = int(code["statuses"].get("200", 0))
    code_in_flight = code["sent"] - code["requests"]
    section.rows.append(
        Row(
            "Accepted sign-in code requests",
            f"{outcome['codes_stored']:,} codes and {outcome['code_messages']:,} messages for {code_ok:,} accepted "
            f"(200); {code['statuses'].get('429', 0):,} refused (429)",
            "",
            "",
            (
                "one code and one message each"
                if outcome["codes_stored"] == outcome["code_messages"]
                and code_ok <= outcome["codes_stored"] <= code_ok + code_in_flight
                else "MISMATCH"
            )
            + f" ({code_in_flight} in flight at the end)",
        )
    )
    section.rows.append(
        Row(
            f"Overdue matters escalated ({len(batches)} batches of {OVERDUE})",
            f"{outcome['escalated_once']:,} escalated once, {outcome['escalated_twice_or_more']} twice or more, "
            f"{outcome['not_escalated']} not escalated; {outcome['warned_once']:,} warned once, "
            f"{outcome['warned_twice_or_more']} twice or more",
            "",
            "",
            "; ".join(log)
            + f"; worker exits seen by bin/serve {restarts}, worker running at the end {len(workers_now)} "
            f"(at the start {workers_at_start})",
        )
    )
    section.rows.append(
        Row(
            "Messages and tasks afterwards",
            f"{outcome['duplicate_dedupe_keys']} dedupe keys used twice; {outcome['messages_unsent']} of "
            f"{outcome['messages']:,} messages unsent; {outcome['tasks_running']} task rows left RUNNING, "
            f"{outcome['tasks_failed']} FAILED",
            "",
            "",
            (
                f"queue drained {drained:.0f} s after the load stopped"
                if drained is not None
                else f"NOT DRAINED within {RECOVERY_LIMIT} s"
            )
            + f"; {outcome['messages_tried_more_than_once']} messages sent on a second attempt (at-least-once "
            "delivery after a kill); set-up (migrate, regions, demo, statutes, index, static) "
            + (f"{setup:.0f} s" if setup else "reused from an earlier run (BENCH_FAULTS_REUSE=1)"),
        )
    )
    section.rows.append(
        Row(
            "Server errors logged (bin/serve's output)",
            ", ".join(f"{n} × {text}" for text, n in failures.most_common(6)) or "none",
            "",
            "",
            f"the exceptions' last lines, counted; the whole log is kept in {kept.relative_to(ROOT)} (not committed)",
        )
    )
    return section


def _exceptions(log: str) -> Counter[str]:
    """The closing line of each traceback in the log (``sqlite3.OperationalError: database is locked`` ...)."""
    found: Counter[str] = Counter()
    in_traceback = False
    for line in log.splitlines():
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
        elif (
            in_traceback
            and line
            and not line.startswith((" ", "\t", "During handling", "The above exception"))
        ):
            found[line.strip()[:120]] += 1
            in_traceback = False
    return found


if __name__ == "__main__":
    sys.exit("run with: python bench/run.py bench_faults")
