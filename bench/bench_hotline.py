"""The 12348 hotline's CTI endpoint under load (issue 16): call events posted as a busy PBX posts them.

The site as ``bin/serve`` starts it; ``wrk`` at 32 connections POSTs JSON events to ``/api/v1/hotline/cti/<token>/``
(the demo centre's system): request i is event i % 3 of call i // 3, so the three events of a call are in flight
together and arrive in any order. Baseline in the same run and server: the signed-in POST that writes nothing
(the language switch with staff sessions and CSRF tokens, as in bench_matters). Afterwards the events stored for
the run's call ids are counted against the 200 answers: none may be lost. Target: ≥ 0.5× the baseline's rate with
p99 ≤ 2× its p99.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .bench_matters import _django, _ms, need_wrk, run_wrk, serve, sign_in, write_data
from .harness import ROOT, Context, Row, Section

DURATION = int(os.environ.get("BENCH_HOTLINE_SECONDS", "20"))
CONNECTIONS = 32
SERVER = os.environ.get("BENCH_HOTLINE_SERVER", "2x8")
TOKEN = "demo-12348-xiamen"  # noqa: S105 -- the demo system's published token (fawang/hotline/demo.py)
USERS = ["xm_agent", "sm_agent", "hl_agent", "sm_clerk"]


def _cti_data(path: Path, prefix: str) -> None:
    path.write_text(f'PATH = "/api/v1/hotline/cti/{TOKEN}/"\nKEY_PREFIX = "{prefix}"\n')


def _run_cti(wrk: str, base: str, data: Path, seconds: int) -> dict[str, object]:
    import json
    import subprocess

    result = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "hotline_cti.lua"),
            base,
            "--",
            str(data),
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            out: dict[str, object] = json.loads(line[len("RESULT ") :])
            return out
    raise RuntimeError(f"wrk 没有输出结果：\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def run(ctx: Context) -> Section:
    section = Section(
        "12348 hotline: the CTI endpoint (issue 16)",
        f"`wrk` with {CONNECTIONS} connections for {DURATION} s after a warm-up, each request one call event (JSON) "
        "to the demo centre's CTI endpoint, the three events of each call in flight together (any order); the site as "
        f"`bin/serve` runs it ({SERVER.replace('x', ' workers × ')} threads). Baseline in the same run and server: a "
        "signed-in POST that writes nothing (the language switch with staff sessions and CSRF). Target: ≥ 0.5× the "
        "baseline's rate, p99 ≤ 2× its p99, no event lost.",
    )
    if "PostgreSQL" not in ctx.databases:
        section.rows.append(Row("skipped", "PostgreSQL not available", "", "", "set BENCH_PG_URL"))
        return section
    wrk = need_wrk()
    url = ctx.fresh_database("PostgreSQL", "hotline")
    for args in (
        ("migrate", "--no-input", "-v0"),
        ("import_regions", "35", "--quiet-progress"),
        ("load_demo",),
        ("collectstatic", "--no-input", "-v0"),
    ):
        ctx.manage(url, *args)
    workers, threads = (int(x) for x in SERVER.split("x"))
    data = ctx.tmp / "wrk-hotline.lua"
    with serve(ctx, url, workers, threads) as base:
        _cti_data(data, "warmup00")
        _run_cti(wrk, base, data, 5)
        prefix = secrets.token_hex(4)
        _cti_data(data, prefix)
        cti = _run_cti(wrk, base, data, DURATION)
        sessions = [
            {**sign_in(base, u), "channel": "", "regions": [], "items": []} for u in USERS for _ in range(2)
        ]
        floor_data = ctx.tmp / "wrk-floor.lua"
        ids = ctx.tmp / "wrk-ids.txt"
        ids.write_text("")
        write_data(
            floor_data,
            mode="floor",
            url_path="/i18n/setlang/",
            sessions=sessions,
            key_prefix="",
            ids_file=ids,
        )
        floor = run_wrk(wrk, base, floor_data, DURATION)
    stored = _django(ctx, url, "hotline_ref", "count", prefix)
    statuses = dict(cti["statuses"])  # type: ignore[call-overload]
    ok = int(statuses.get("200", 0))
    duration = float(cti["duration_us"]) / 1e6  # type: ignore[arg-type]
    rate = ok / duration
    lat = cti["latency_us"]
    fl = floor["latency_us"]
    floor_ok = int(floor["statuses"].get("302", 0))
    floor_rate = floor_ok / (floor["duration_us"] / 1e6)
    in_flight = int(cti["sent"]) - int(cti["requests"])  # type: ignore[call-overload]
    lost = not (ok <= stored["events"] <= ok + in_flight)
    rate_ratio = rate / floor_rate if floor_rate else 0.0
    p99_ratio = lat["p99"] / fl["p99"] if fl["p99"] else 0.0  # type: ignore[index]
    verdict = []
    if rate_ratio < 0.5:
        verdict.append(f"rate {rate_ratio:.2f}× < 0.5×")
    if p99_ratio > 2:
        verdict.append(f"p99 {p99_ratio:.2f}× > 2×")
    if lost:
        verdict.append("EVENTS LOST")
    section.rows.append(
        Row(
            "CTI event POST",
            f"{rate:.0f} events/s; p50 {_ms(lat['p50']):.0f} / p90 {_ms(lat['p90']):.0f} / p99 {_ms(lat['p99']):.0f} ms",  # type: ignore[index]
            f"signed-in no-write POST {floor_rate:.0f} req/s; p50 {_ms(fl['p50']):.0f} / p99 {_ms(fl['p99']):.0f} ms",
            f"{rate_ratio:.2f}× rate, {p99_ratio:.2f}× p99",
            f"{ok:,} answered 200, other answers {({k: v for k, v in statuses.items() if k != '200'}) or 'none'}; "
            f"{stored['events']:,} events stored for {stored['calls']:,} calls ({stored['ended']:,} complete), "
            f"{in_flight} in flight when wrk stopped; {'no event lost' if not lost else 'EVENTS LOST'}; target: "
            f"{'; '.join(verdict) if verdict else 'meets'}",
        )
    )
    return section
