"""Law search speed (issue 15): the index built through the database (`import_laws` into an empty migrated SQLite
database, then `build_law_index` from its rows), `SearchIndex.search()` in-process, and the search page through HTTP
on the real site, each beside a baseline from the same run.

Split from bench_lawsearch.py (quality: ten cross-validation trainings, too slow to share a run with these) so that
either can be rerun alone: `python bench/run.py bench_lawsearch_speed`. bench_lawsearch builds its database with
``build_database`` below.

On a shared machine wall-clock times include waiting for a core, so CPU times are reported beside them: the
children's CPU for the two commands, `time.process_time()` per `search()`, and the server process's CPU per request
(from /proc) for the HTTP figures.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np

from fawang.knowledge.evaluation import BASELINE_WEIGHTS, NATIONAL, search_latency
from fawang.knowledge.search import DEFAULT_MODEL_DIR, SearchIndex
from fawang.knowledge.search.bm25 import BM25Field, Vocab, count_matrix
from fawang.knowledge.search.data import default_everyday, default_questions, iter_articles, load_questions
from fawang.knowledge.search.segment import Segmenter

from .harness import ROOT, Context, Row, Section, free_port

TITLE = "Law search speed: import, index build, search in-process and through HTTP (issue 15)"
HTTP_REQUESTS = 200


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_database(ctx: Context, section: Section | None = None) -> str:
    """A migrated SQLite database with every statute imported and the index built from its rows (var/lawindex);
    the database URL.  With ``section``, the import and the build are reported there (wall and CPU seconds)."""
    url = ctx.fresh_database("SQLite", "laws")
    ctx.manage(url, "migrate", "--no-input", "-v0")
    for what, args in (
        ("import_laws, all statutes into an empty database", ("import_laws", "--quiet-progress")),
        ("build_law_index from the database's articles", ("build_law_index", "--quiet-progress")),
    ):
        cpu = _children_cpu()
        wall = ctx.manage(url, *args)
        cpu = _children_cpu() - cpu
        if section is not None:
            section.rows.append(
                Row(
                    f"SQLite: {what}", f"{wall:.1f} s wall, {cpu:.1f} s CPU", "", "", "includes process start"
                )
            )
    return url


def baseline_build_seconds() -> tuple[float, float]:
    """Build a char-bigram BM25 index over the same (non-案例) articles: the baseline's whole build (wall, CPU)."""
    started, cpu = time.perf_counter(), time.process_time()
    seg = Segmenter({})
    docs = [a for a in iter_articles() if a.get("level") != "案例"]
    vocab = Vocab()
    BM25Field.from_counts(count_matrix([seg.bigrams(a.get("text") or "") for a in docs], vocab))
    return time.perf_counter() - started, time.process_time() - cpu


def baseline_latency(index: SearchIndex, rows: list[dict]) -> tuple[float, float]:
    """Per-question wall time of the baseline search: bigram BM25 scores and the national top 10."""
    lat = []
    for r in rows:
        t0 = time.perf_counter()
        q = index.parse(r["question"])
        index.rank(
            index.combine({"b": index.fields["b"].score(*q.bigram_ids)}, BASELINE_WEIGHTS),
            10,
            index.mask(NATIONAL),
        )
        lat.append((time.perf_counter() - t0) * 1000)
    return float(np.percentile(lat, 50)), float(np.percentile(lat, 95))


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def http_latency(ctx: Context, db_url: str, questions: list[str]) -> dict[str, list[float] | float]:
    """Wall times (ms) of GET /laws/search/?q=… and of /healthz on the real site (gunicorn, one worker, the
    index and model loaded once by a warm-up request), one request at a time; and the worker's CPU ms per request."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "fawang.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=ctx.env(db_url),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(ctx.tmp / "serve.log").open("w"),
    )
    url = f"http://127.0.0.1:{port}"

    def get(path: str) -> float:
        t0 = time.perf_counter()
        with urllib.request.urlopen(url + path, timeout=60) as r:  # noqa: S310 - http://127.0.0.1 only
            r.read()
            assert r.status == 200
        return (time.perf_counter() - t0) * 1000

    def worker_pid() -> int:
        """gunicorn's one worker: the process whose parent is the server."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                    return int(stat.parent.name)
            except (OSError, ValueError, IndexError):
                continue
        raise RuntimeError("gunicorn worker not found")

    try:
        for _ in range(300):
            try:
                get("/healthz")
                break
            except OSError:
                time.sleep(0.2)
        for q in questions[:5]:  # loads the index and the model
            get("/laws/search/?" + urllib.parse.urlencode({"q": q}))
        pid = worker_pid()
        cpu = _process_cpu(pid)
        search = [
            get("/laws/search/?" + urllib.parse.urlencode({"q": questions[i % len(questions)]}))
            for i in range(HTTP_REQUESTS)
        ]
        search_cpu = (_process_cpu(pid) - cpu) * 1000 / HTTP_REQUESTS
        cpu = _process_cpu(pid)
        health = [get("/healthz") for _ in range(HTTP_REQUESTS)]
        health_cpu = (_process_cpu(pid) - cpu) * 1000 / HTTP_REQUESTS
    except OSError as error:
        log = (ctx.tmp / "serve.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"the search page failed ({error}); the server said:\n{log}") from error
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"search": search, "health": health, "search_cpu": search_cpu, "health_cpu": health_cpu}


def run(ctx: Context) -> Section:
    section = Section(
        TITLE,
        "`import_laws` of all 3,423 statutes into an empty migrated SQLite database, then `build_law_index` from "
        "its rows (147,288 articles, 案例 excluded), each a fresh process; baseline for the build: a char-bigram "
        "BM25 index over the same articles' text, in-process. Latency of `SearchIndex.search()` with the shipped "
        "model (k=10, national filter, highlights, one thread, warm) over the 1,722 STARD and everyday questions; "
        "baseline: char-bigram BM25 top 10. The search page through HTTP: `GET /laws/search/?q=…` on gunicorn (one "
        "worker, two threads, DEBUG off), 200 everyday and STARD questions one at a time after a warm-up; baseline: "
        "`/healthz` on the same server. The database has no knowledge entries, so the page's guide/FAQ/case part "
        "searches an empty set. Targets: index build < 5 min; search p95 ≤ 15 ms in-process and ≤ 50 ms through "
        "HTTP. Wall times include waiting for a core on a shared machine, so CPU times are given beside them.",
    )
    url = build_database(ctx, section)
    ctx.manage(
        url, "collectstatic", "--no-input", "-v0"
    )  # the site runs with DEBUG off: manifest static files
    index_dir = ctx.tmp / "var" / "lawindex"
    base_wall, base_cpu = baseline_build_seconds()
    section.rows.append(
        Row(
            "index size and the baseline build",
            f"{sum(f.stat().st_size for f in index_dir.iterdir()) / 2**20:.0f} MiB",
            f"{base_wall:.1f} s wall, {base_cpu:.1f} s CPU (bigram BM25 only, in-process)",
            "",
            "target: import → index under 5 minutes",
        )
    )
    started = time.perf_counter()
    index = SearchIndex.load(index_dir, model_dir=DEFAULT_MODEL_DIR)
    load = time.perf_counter() - started
    rows = load_questions(default_everyday()) + load_questions(default_questions())
    for _ in range(3):
        index.search("劳动合同解除经济补偿", filters=NATIONAL)
    lat = search_latency(index, rows)
    b50, b95 = baseline_latency(index, rows)
    section.rows.append(
        Row(
            "search() latency p50 / p95, all 147,288 articles",
            f"{lat['search_p50_ms']:.1f} / {lat['search_p95_ms']:.1f} ms",
            f"{b50:.1f} / {b95:.1f} ms",
            f"{lat['search_p95_ms'] / b95:.1f}× at p95",
            f"target p95 ≤ 15 ms; CPU p50 / p95 {lat['search_cpu_p50_ms']:.1f} / {lat['search_cpu_p95_ms']:.1f} ms; "
            f"{len(rows)} questions; index + model load {load:.1f} s once per process",
        )
    )
    http = http_latency(ctx, url, [r["question"] for r in rows])
    search, health = http["search"], http["health"]
    assert isinstance(search, list) and isinstance(health, list)
    section.rows.append(
        Row(
            "search page through HTTP p50 / p95 (GET /laws/search/?q=…)",
            f"{np.percentile(search, 50):.1f} / {np.percentile(search, 95):.1f} ms",
            f"{np.percentile(health, 50):.1f} / {np.percentile(health, 95):.1f} ms (/healthz)",
            f"{np.percentile(search, 95) / np.percentile(health, 95):.1f}× at p95",
            f"target p95 ≤ 50 ms; server CPU per request {http['search_cpu']:.1f} ms (/healthz "
            f"{http['health_cpu']:.1f} ms); {HTTP_REQUESTS} requests each, one at a time, SQLite",
        )
    )
    return section
