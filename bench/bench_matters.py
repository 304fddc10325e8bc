"""Matters at scale (issue 3): one million matters in PostgreSQL; intake through the real HTTP path under load,
and the workbench lists.

Targets: intake >= 300 submissions/s with p99 <= 100 ms at 32 concurrent clients, every accepted submission
present afterwards; workbench list p95 <= 50 ms with a query count independent of page size.

1. Data: a fresh database (migrate, ``import_regions 35``, ``load_demo``), then ``bench.matters_data`` COPYs
   BENCH_MATTERS matters (default 1,000,000; set it smaller for a quick run) with persons and events, and
   ``rebuild_rollups`` brings the supervision facts up to date (a site in steady state).
2. Lists: ``bench.matters_lists`` renders each workbench list through Django's test client in-process (view +
   ORM + template, no network), once on the demo-sized database before the data is loaded (the baseline:
   the same pages with a handful of matters, so the ratio is what a million rows cost) and once after.
3. Intake: the site as ``bin/serve`` starts it (gunicorn plus the task worker and the scheduler), for a few
   worker/thread settings; ``wrk`` at 32 connections POSTs the intake form (session cookie and CSRF token
   taken by signing in beforehand; a new person and idempotency key per request) through the real view,
   middleware, session auth and CSRF, in windows taking turns with the floor (so the scheduler's passes fall on
   both alike). Baselines: the same load on ``/healthz`` (the framework floor) and a
   signed-in POST that writes nothing (the language switch, with the same sessions: the floor of any staff form
   post, session and user look-up, CSRF and the middleware). Afterwards
   the matters carrying the run's key prefix are counted against the successful (302) answers.

Needs PostgreSQL (BENCH_PG_URL) and ``wrk`` (Debian package ``wrk``; installed with apt-get when missing and
running as root).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .harness import ROOT, Context, Row, Section, free_port

MATTERS = int(os.environ.get("BENCH_MATTERS", "1000000"))
# Intake and the signed-in POST that writes nothing take turns: ROUNDS windows of ROUND_SECONDS each.
ROUNDS = 3
ROUND_SECONDS = int(os.environ.get("BENCH_MATTERS_SECONDS", "10"))
CONNECTIONS = 32
LIST_REQUESTS = int(os.environ.get("BENCH_MATTERS_LIST_REQUESTS", "200"))
# gunicorn workers x threads tried; bin/serve's default is one worker more than the cores x 4 threads (3x4 here),
# 2x8 its earlier default.
SERVER_SETTINGS = [
    (int(w), int(t))
    for w, t in (s.split("x") for s in os.environ.get("BENCH_MATTERS_SERVERS", "2x8,3x4,4x2").split(","))
]
TARGET_RATE, TARGET_P99, TARGET_LIST_P95 = 300, 100.0, 50.0
# Issue 12 restates the intake target for this 2-core machine (load generator, database and site share the
# cores): intake at least 0.30x the signed-in POST that writes nothing, measured in the same run.
TARGET_FLOOR_RATIO = 0.30
PASSWORD = "fawang-demo-2026"  # noqa: S105 -- the published demo password (fawang/orgs/demo.py)
# Intake staff of the demo: window clerks and 12348 hotline agents, each signed in twice (two sessions).
INTAKE_USERS = ["sm_clerk", "hl_clerk", "xy_clerk", "xm_agent", "sm_agent", "hl_agent", "xy_agent"]
NAMES = ["陈建华", "林秀英", "黄志强", "王丽娟", "郑海峰", "吴雪梅", "蔡文博", "李春燕", "张国平", "许晓东"]
DESCRIPTIONS = [
    "咨询劳动合同解除后经济补偿金的计算方法。",
    "邻里之间因排水管道渗漏引发纠纷，申请调解。",
    "被拖欠工资三个月，申请法律援助代为追讨。",
    "咨询父母去世后房产继承的办理流程。",
    "房屋租赁合同到期后押金不退，咨询如何处理。",
]
# Service items a clerk picks, with repetition as weight (codes of the catalogue).
ITEM_MIX = ["consultation"] * 5 + ["mediation"] * 2 + ["legal_aid", "lawyer", "notary"]


def _django(ctx: Context, url: str, module: str, *args: str, timeout: int = 1800) -> Any:
    """Run ``python -m bench.<module> args`` in a Django process on ``url``; its last stdout line is JSON."""
    return ctx.run_module(url, f"bench.{module}", *args, timeout=timeout)


def need_wrk() -> str:
    found = shutil.which("wrk")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("安装 wrk（apt-get install wrk）……", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    if found is None:
        raise RuntimeError(
            "bench_matters 需要 wrk 压测工具：请先安装（Debian/Ubuntu：sudo apt-get install wrk）。"
        )
    return found


@contextmanager
def serve(ctx: Context, url: str, workers: int, threads: int) -> Iterator[str]:
    """The site as bin/serve starts it (gunicorn, task worker, scheduler), in its own process group."""
    port = free_port()
    env = {**ctx.env(url), "PORT": str(port), "WEB_WORKERS": str(workers), "WEB_THREADS": str(threads)}
    proc = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("bin/serve 未能启动。") from None
                time.sleep(0.3)
        yield base
    finally:
        # Only the process group we started: bin/serve, gunicorn and its workers, the worker, the scheduler.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        time.sleep(1)


# --------------------------------------------------------------------------------------------- signing in


class Browser:
    """Just enough of a browser for the sign-in: cookies and form posts over http.client."""

    def __init__(self, base: str) -> None:
        import http.client

        self.host, port = urllib.parse.urlsplit(base).netloc.split(":")
        self.conn = http.client.HTTPConnection(self.host, int(port), timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text


def _token(html: str) -> str:
    import re

    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("页面中没有 CSRF 令牌。")
    return found.group(1)


def sign_in(base: str, username: str) -> dict[str, str]:
    b = Browser(base)
    _status, _loc, html = b.request("GET", "/accounts/login/")
    status, location, _html = b.request(
        "POST",
        "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _token(html)},
    )
    if status != 302 or "login" in location:
        raise RuntimeError(f"{username} 登录失败（{status} {location}）。")
    status, _loc, html = b.request("GET", "/console/matters/intake/")
    if status != 200:
        raise RuntimeError(f"{username} 打开受理登记页面失败（{status}）。")
    return {"cookie": "; ".join(f"{k}={v}" for k, v in b.cookies.items()), "csrf": _token(html)}


# --------------------------------------------------------------------------------------------- wrk


def _lua_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_list(values: list[str]) -> str:
    return "{" + ", ".join(_lua_str(v) for v in values) + "}"


def write_data(
    path: Path, *, mode: str, url_path: str, sessions: list[dict[str, Any]], key_prefix: str, ids_file: Path
) -> None:
    quote = urllib.parse.quote_plus
    lines = [
        f"MODE = {_lua_str(mode)}",
        f"PATH = {_lua_str(url_path)}",
        f"KEY_PREFIX = {_lua_str(key_prefix)}",
        f"IDS_FILE = {_lua_str(str(ids_file))}",
        f"NAMES = {_lua_list([quote(n) for n in NAMES])}",
        f"DESCRIPTIONS = {_lua_list([quote(d) for d in DESCRIPTIONS])}",
        "SESSIONS = {",
    ]
    for s in sessions:
        lines.append(
            f"  {{cookie = {_lua_str(s['cookie'])}, csrf = {_lua_str(s['csrf'])}, channel = {_lua_str(s['channel'])}, "
            f"regions = {_lua_list(s['regions'])}, items = {_lua_list(s['items'])}}},"
        )
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")


def run_wrk(
    wrk: str,
    base: str,
    data: Path,
    seconds: int,
    *,
    script: str = "matters_intake.lua",
    connections: int = CONNECTIONS,
    request_timeout: int = 10,
) -> dict[str, Any]:
    """Run ``wrk`` with one of bench/'s lua scripts (each prints a ``RESULT {json}`` line) and return that result."""
    result = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            f"{request_timeout}s",
            "-s",
            str(ROOT / "bench" / script),
            base,
            "--",
            str(data),
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60 + request_timeout * 2,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            out: dict[str, Any] = json.loads(line[len("RESULT ") :])
            out["rate"] = out["requests"] / (out["duration_us"] / 1e6)
            return out
    raise RuntimeError(f"wrk 没有输出结果：\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def _ids_file(path: Path, count: int, run: int) -> None:
    """Unique, valid ID numbers that no generated person has (area codes 350290-350296, which the generator
    does not use) on a birth-date range of their own for each run, so every request is a new person."""
    import datetime as dt

    sys.path.insert(0, str(ROOT))
    from fawang.lib.validators import id_check_digit

    start = dt.date(1950, 1, 1) + dt.timedelta(days=run * (count // 100 + 1))
    lines = []
    for n in range(count):
        born = start + dt.timedelta(days=n // 100)
        first17 = f"35029{n % 7}{born:%Y%m%d}{n % 100:03d}"
        lines.append(first17 + id_check_digit(first17))
    path.write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------------------------- the benchmark


def _ms(us: float) -> float:
    return us / 1000.0


def _combined(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several wrk windows as one: the answers 302 (accepted; the floor's redirect) and their rate over all the
    windows' time, the other answers by status, and each latency percentile the worst (highest) of the windows'."""
    ok = sum(int(r["statuses"].get("302", 0)) for r in results)
    other: dict[str, int] = {}
    for r in results:
        for status, n in r["statuses"].items():
            if status != "302":
                other[status] = other.get(status, 0) + int(n)
    return {
        "ok": ok,
        "rate": ok / (sum(r["duration_us"] for r in results) / 1e6),
        "other": other,
        "latency_us": {p: max(r["latency_us"][p] for r in results) for p in ("p50", "p90", "p99")},
    }


def _list_rows(section: Section, before: dict[str, Any], after: dict[str, Any], n: int) -> None:
    base = {s["label"]: s for s in before["scenarios"]}
    for s in after["scenarios"]:
        b = base.get(s["label"])
        q = s["queries"]
        same = len(set(q.values())) == 1
        verdict = "meets" if s["p95"] <= TARGET_LIST_P95 else f"misses by {s['p95'] - TARGET_LIST_P95:.0f} ms"
        section.rows.append(
            Row(
                f"List: {s['label']} ({s['rows']:,} rows match)"
                if s["rows"] is not None
                else f"List: {s['label']}",
                f"p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms (n={s['n']})",
                f"p50 {b['p50']:.0f} ms, p95 {b['p95']:.0f} ms (demo data)" if b else "",
                f"{s['p95'] / b['p95']:.1f}× at p95" if b else "",
                f"target p95 ≤ {TARGET_LIST_P95:.0f} ms: {verdict}; queries at page size 10/50/100: "
                f"{q['10']}/{q['50']}/{q['100']} ({'independent of page size' if same else 'DEPENDS ON PAGE SIZE'}); "
                f"main query {s['main_plan']}; count {s['count_plan']}",
            )
        )


def run(ctx: Context) -> Section:
    section = Section(
        "Matters at scale (issue 3)",
        f"{MATTERS:,} matters in PostgreSQL (厦门市 and 仙游县, all demo units, every catalogue item, persons with "
        "encrypted ID numbers, events), generated by COPY. Intake: the site as `bin/serve` runs it (gunicorn + task "
        f"worker + scheduler), `wrk` with {CONNECTIONS} connections after a warm-up, in {ROUNDS} windows of {ROUND_SECONDS} s "
        "taking turns with the floor below, each request a "
        "signed-in clerk's POST of the intake form (CSRF, session, a new person, its own idempotency key); baseline "
        "`/healthz` under the same load and server settings. Lists: Django's test client in-process (view + ORM + "
        f"template), up to {LIST_REQUESTS} requests each (at least 20; a slow page stops after about 20 s); baseline the same pages on the demo-sized database (9 matters) in the same "
        "run, so the ratio is what the million rows cost. Targets: ≥ 300 submissions/s with p99 ≤ 100 ms (issue 3), "
        f"restated for this 2-core machine by issue 12 as intake ≥ {TARGET_FLOOR_RATIO:.2f}× the signed-in POST that "
        "writes nothing in the same run, every accepted submission stored; list p95 ≤ 50 ms with the same number of "
        "queries at any page size.",
    )
    if "PostgreSQL" not in ctx.databases:
        section.rows.append(Row("skipped", "PostgreSQL not available", "", "", "set BENCH_PG_URL"))
        return section
    wrk = need_wrk()
    url = ctx.fresh_database("PostgreSQL", "matters")
    setup = ctx.set_up_demo(url, ("collectstatic", "--no-input", "-v0"))
    print("  列表基线（演示数据）……", flush=True)
    lists_demo = _django(ctx, url, "matters_lists", str(LIST_REQUESTS))
    print(f"  生成 {MATTERS:,} 个事项……", flush=True)
    gen = _django(ctx, url, "matters_data", str(MATTERS), timeout=3600)
    t = gen["timings"]
    section.rows.append(
        Row(
            f"Generate {gen['matters']:,} matters, {gen['events']:,} events, {gen['persons']:,} persons",
            f"{t['total']:.0f} s",
            f"{setup:.0f} s (migrate + regions + demo + static)",
            "",
            f"persons (Fernet + HMAC) {t['persons']:.0f} s, COPY {t['copy']:.0f} s, indexes and constraints "
            f"{t['indexes']:.0f} s, VACUUM ANALYZE {t['vacuum_analyze']:.0f} s",
        )
    )
    # The supervision facts brought up to date, as on a site in steady state: otherwise the scheduler's first pass
    # over the million just-loaded matters (a rebuild) would run inside the first intake window.
    ctx.manage(url, "rebuild_rollups")
    print("  列表（一百万事项）……", flush=True)
    lists_big = _django(ctx, url, "matters_lists", str(LIST_REQUESTS))
    _list_rows(section, lists_demo, lists_big, MATTERS)

    print("  受理压测……", flush=True)
    one = _django(ctx, url, "matters_intake_ref", "serial", "30")
    section.rows.append(
        Row(
            "Intake POST one at a time (in-process test client, sm_clerk)",
            ", ".join(f"{code} {v['ms']:.0f} ms" for code, v in one.items()),
            "",
            "",
            "median of 30; queries per submission: "
            + ", ".join(f"{code} {v['queries']}" for code, v in one.items())
            + " (session, user, the memberships' and the catalogue's version tokens in one read — the memberships, the service "
            "item, its route and the region come from per-process copies, fawang/orgs/scoping.py and "
            "fawang/catalog/cache.py —, one person look-up and the insert, matter, event, outbox message — and a "
            "batch delivery task for the first notice of a process's two seconds, fawang/notify/actions.py —, one "
            "commit)",
        )
    )
    items = _django(ctx, url, "matters_intake_ref")
    best: tuple[float, str] | None = None
    for run_no, (workers, threads) in enumerate(SERVER_SETTINGS):
        label = f"{workers} workers × {threads} threads"
        rate = _intake_rows(section, ctx, url, wrk, items, run_no, workers, threads, label)
        if best is None or rate > best[0]:
            best = (rate, label)
    if best is not None:
        section.rows.append(
            Row(
                "Best intake setting",
                best[1],
                "bin/serve default: workers = cores + 1, 4 threads",
                "",
                f"{best[0]:.0f} submissions/s",
            )
        )
    return section


def _intake_rows(
    section: Section,
    ctx: Context,
    url: str,
    wrk: str,
    items: dict[str, Any],
    run_no: int,
    workers: int,
    threads: int,
    label: str,
) -> float:
    """One server setting: intake and the floor in turns, /healthz after; two rows. Returns the intake rate."""
    with serve(ctx, url, workers, threads) as base:
        sessions = []
        for username in INTAKE_USERS:
            ref = items["users"][username]
            for _ in range(2):
                sessions.append({**sign_in(base, username), **ref})
        data = ctx.tmp / "wrk-data.lua"
        ids = ctx.tmp / "wrk-ids.txt"
        _ids_file(ids, 60_000, run_no * (ROUNDS + 1))
        write_data(
            data,
            mode="intake",
            url_path="/console/matters/intake/",
            sessions=sessions,
            key_prefix="0" * 8,
            ids_file=ids,
        )
        run_wrk(wrk, base, data, 5)  # warm-up: connections, caches, the first sessions' writes
        # Intake and the floor take turns, window by window, so that the scheduler's passes (every 15 s, the
        # supervision facts' refresh among them) fall on both alike; the rates are over all windows.
        rounds: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        for round_no in range(ROUNDS):
            prefix = secrets.token_hex(4)
            _ids_file(ids, 60_000, run_no * (ROUNDS + 1) + round_no + 1)
            write_data(
                data,
                mode="intake",
                url_path="/console/matters/intake/",
                sessions=sessions,
                key_prefix=prefix,
                ids_file=ids,
            )
            intake_window = run_wrk(wrk, base, data, ROUND_SECONDS)
            write_data(
                data, mode="floor", url_path="/i18n/setlang/", sessions=sessions, key_prefix="", ids_file=ids
            )
            rounds.append((prefix, intake_window, run_wrk(wrk, base, data, ROUND_SECONDS)))
        write_data(data, mode="get", url_path="/healthz", sessions=[], key_prefix="", ids_file=ids)
        health = run_wrk(wrk, base, data, ROUND_SECONDS)
    stored = sum(
        _django(ctx, url, "matters_intake_ref", "count", prefix)["count"] for prefix, _i, _f in rounds
    )
    intake = _combined([i for _p, i, _f in rounds])
    ok, rate, other, lat = intake["ok"], intake["rate"], intake["other"], intake["latency_us"]
    # wrk stops with up to one request per connection in flight: sent, never counted as answered, but the
    # server finishes and commits them. Every accepted one must be stored, and nothing beyond those.
    in_flight = sum(i["sent"] - i["requests"] for _p, i, _f in rounds)
    complete = ok <= stored <= ok + in_flight
    hl = health["latency_us"]
    misses = []
    if rate < TARGET_RATE:
        misses.append(f"rate {rate / TARGET_RATE:.0%} of target")
    if _ms(lat["p99"]) > TARGET_P99:
        misses.append(f"p99 {_ms(lat['p99']) - TARGET_P99:.0f} ms over")
    section.rows.append(
        Row(
            f"Intake POST, {label}",
            f"{rate:.0f} submissions/s; p50 {_ms(lat['p50']):.0f} / p90 {_ms(lat['p90']):.0f} / p99 "
            f"{_ms(lat['p99']):.0f} ms",
            f"/healthz {health['rate']:.0f} req/s; p50 {_ms(hl['p50']):.1f} / p99 {_ms(hl['p99']):.1f} ms",
            f"{rate / health['rate']:.2f}× of /healthz",
            f"{ok:,} accepted (302), other answers {other or 'none'}, socket errors "
            f"{sum(v for _p, i, _f in rounds for k, v in i['errors'].items() if k != 'status')}; "
            f"{stored:,} new matters stored "
            f"({'all accepted present' if complete else 'MISSING MATTERS'}; {stored - ok} more from the "
            f"{in_flight} requests in flight when wrk stopped); target ≥ {TARGET_RATE}/s, p99 ≤ {TARGET_P99:.0f} ms: "
            f"{'; '.join(misses) if misses else 'meets'}",
        )
    )
    floor = _combined([f for _p, _i, f in rounds])
    floor_ok, floor_rate, floor_other, fl = floor["ok"], floor["rate"], floor["other"], floor["latency_us"]
    by_window = [(_combined([i])["rate"], _combined([f])["rate"]) for _p, i, f in rounds]
    per_round = ", ".join(f"{i / f:.2f}" if f else "-" for i, f in by_window)
    floor_meets = floor_rate >= TARGET_RATE and _ms(fl["p99"]) <= TARGET_P99
    section.rows.append(
        Row(
            f"Signed-in POST that writes nothing, {label}",
            f"{floor_rate:.0f} req/s; p50 {_ms(fl['p50']):.0f} / p90 {_ms(fl['p90']):.0f} / p99 "
            f"{_ms(fl['p99']):.0f} ms",
            f"/healthz {health['rate']:.0f} req/s",
            f"intake at {rate / floor_rate:.2f}× of it (by window: {per_round})" if floor_rate else "",
            f"target intake ≥ {TARGET_FLOOR_RATIO:.2f}× of this (issue 12): "
            f"{'meets' if floor_rate and rate / floor_rate >= TARGET_FLOOR_RATIO else 'misses'}"
            f"{'' if complete else ' (MISSING MATTERS)'}; "
            "the floor under any staff form post on this stack: the language switch (POST /i18n/setlang/) with "
            "the intake's sessions and CSRF tokens, so session, user, CSRF and middleware but no writes; "
            f"{floor_ok:,} answered 302, other answers {floor_other or 'none'}; the intake target "
            f"(≥ {TARGET_RATE}/s, p99 ≤ {TARGET_P99:.0f} ms) {'is met' if floor_meets else 'is missed'} "
            "even by this",
        )
    )
    return rate
