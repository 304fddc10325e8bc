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

import datetime as dt
import json
import os
import resource
import shutil
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
KEEP = os.environ.get("BENCH_LAWSPEED_KEEP", "")
REUSE = os.environ.get("BENCH_LAWSPEED_REUSE", "")


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


class _Site:
    """The site served by gunicorn from one source tree (one worker, two threads), on the bench's database."""

    def __init__(self, ctx: Context, db_url: str, root: Path, log: str) -> None:
        self.port = free_port()
        self.log = ctx.tmp / log
        # gunicorn puts its working directory first on sys.path, so the site is the one of `root`.
        self.server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "fawang.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            env=ctx.env(db_url),
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )
        self.pid = 0

    def get(self, path: str) -> float:
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=60) as r:
            r.read()
            assert r.status == 200
        return (time.perf_counter() - t0) * 1000

    def start(self, questions: list[str]) -> None:
        """Wait for the server; load the index and the model with a few searches; find gunicorn's one worker (the
        process whose parent is the server)."""
        for _ in range(300):
            try:
                self.get("/healthz")
                break
            except OSError:
                time.sleep(0.2)
        for q in questions[:5]:
            self.get(_search_path(q))
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.server.pid:
                    self.pid = int(stat.parent.name)
                    return
            except (OSError, ValueError, IndexError):
                continue
        raise RuntimeError("gunicorn worker not found")

    def cpu(self) -> float:
        return _process_cpu(self.pid)

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


def _search_path(question: str) -> str:
    return "/laws/search/?" + urllib.parse.urlencode({"q": question})


def http_latency(
    ctx: Context, db_url: str, questions: list[str], *, before: Path | None = None
) -> dict[str, dict[str, list[float] | float]]:
    """Wall times (ms) of GET /laws/search/?q=… and of /healthz on the real site, one request at a time, and the
    worker's CPU ms per request; with ``before`` (a source tree of an earlier revision), the same searches on that
    revision's site too, over the same database and index, the two sites asked in turn so that both meet the same
    load on a shared machine."""
    sites = {"now": _Site(ctx, db_url, ROOT, "serve.log")}
    if before is not None:
        sites["before"] = _Site(ctx, db_url, before, "serve-before.log")
    out: dict[str, dict[str, list[float] | float]] = {}
    try:
        for site in sites.values():
            site.start(questions)
        times: dict[str, list[float]] = {name: [] for name in sites}
        cpu = {name: 0.0 for name in sites}
        for i in range(HTTP_REQUESTS):
            path = _search_path(questions[i % len(questions)])
            for name, site in sites.items():
                c0 = site.cpu()
                times[name].append(site.get(path))
                cpu[name] += site.cpu() - c0
        for name in sites:
            out[name] = {"search": times[name], "search_cpu": cpu[name] * 1000 / HTTP_REQUESTS}
        now = sites["now"]
        c0 = now.cpu()
        out["now"]["health"] = [now.get("/healthz") for _ in range(HTTP_REQUESTS)]
        out["now"]["health_cpu"] = (now.cpu() - c0) * 1000 / HTTP_REQUESTS
    except OSError as error:
        logs = "\n".join(site.log.read_text(errors="replace")[-3000:] for site in sites.values())
        raise RuntimeError(f"the search page failed ({error}); the server said:\n{logs}") from error
    finally:
        for site in sites.values():
            site.stop()
    return out


def before_tree(ctx: Context) -> tuple[str, Path] | None:
    """BENCH_LAWSPEED_BEFORE=<revision>: that revision's source tree (git archive), to serve beside this one; or
    the path of such a tree already unpacked, named after its revision."""
    rev = os.environ.get("BENCH_LAWSPEED_BEFORE", "")
    if not rev:
        return None
    if Path(rev).is_dir():
        return Path(rev).name, Path(rev)
    short = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    tree = ctx.tmp / short
    tree.mkdir()
    archive = subprocess.run(["git", "archive", short], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return short, tree


def _copy_database(source: Path, target: Path) -> None:
    """A SQLite database file with its write-ahead log, if one is left."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")


def set_up(ctx: Context, section: Section) -> tuple[str, Path]:
    """The database with every statute and the index built from it (the first rows of the section); the database
    URL and the index directory.

    BENCH_LAWSPEED_KEEP=<dir> keeps the set-up and its rows there; BENCH_LAWSPEED_REUSE=<dir> starts from such a
    kept set-up instead of importing and building again (the import and the build take most of the run on a busy
    machine), and reports the rows measured when it was made, saying so."""
    if REUSE:
        kept = Path(REUSE)
        made = json.loads((kept / "setup.json").read_text(encoding="utf-8"))
        url = ctx.fresh_database("SQLite", "laws")
        _copy_database(kept / "laws.sqlite3", Path(url[len("sqlite:///") :]))
        shutil.copytree(kept / "var", ctx.tmp / "var", dirs_exist_ok=True)
        for row in made["rows"]:
            row["note"] = "; ".join(
                x
                for x in (
                    row["note"],
                    f"measured when the set-up was made ({made['date']}, commit {made['commit']}, load average "
                    f"{made['load']}), reused by this run (BENCH_LAWSPEED_REUSE)",
                )
                if x
            )
            section.rows.append(Row(**row))
        return url, ctx.tmp / "var" / "lawindex"
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
    if KEEP:
        kept = Path(KEEP)
        kept.mkdir(parents=True, exist_ok=True)
        _copy_database(Path(url[len("sqlite:///") :]), kept / "laws.sqlite3")
        shutil.copytree(ctx.tmp / "var", kept / "var", dirs_exist_ok=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        made = {
            "date": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "commit": commit or "unknown",
            "load": " / ".join(f"{v:.1f}" for v in os.getloadavg()),
            "rows": [vars(r) for r in section.rows],
        }
        (kept / "setup.json").write_text(json.dumps(made, ensure_ascii=False, indent=1), encoding="utf-8")
    return url, index_dir


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
        "searches an empty set. Where a row names an earlier revision, that revision's site answered the same "
        "questions over the same database and index, the two sites asked in turn. Targets: index build < 5 min; "
        "search p95 ≤ 15 ms in-process and ≤ 50 ms through HTTP. Wall times include waiting for a core on a shared machine, so CPU times are given beside them.",
    )
    url, index_dir = set_up(ctx, section)
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
    before = before_tree(ctx)
    http = http_latency(ctx, url, [r["question"] for r in rows], before=before[1] if before else None)
    search, health = http["now"]["search"], http["now"]["health"]
    assert isinstance(search, list) and isinstance(health, list)
    p95 = np.percentile(search, 95)
    section.rows.append(
        Row(
            "search page through HTTP p50 / p95 (GET /laws/search/?q=…)",
            f"{np.percentile(search, 50):.1f} / {p95:.1f} ms",
            f"{np.percentile(health, 50):.1f} / {np.percentile(health, 95):.1f} ms (/healthz)",
            f"{p95 / np.percentile(health, 95):.1f}× at p95",
            f"target p95 ≤ 50 ms; server CPU per request {http['now']['search_cpu']:.1f} ms (/healthz "
            f"{http['now']['health_cpu']:.1f} ms); {HTTP_REQUESTS} requests each, one at a time, SQLite",
        )
    )
    if before:
        old = http["before"]["search"]
        assert isinstance(old, list)
        section.rows.append(
            Row(
                f"the same searches on the site of {before[0]} (before issue 15's speed work)",
                f"{np.percentile(old, 50):.1f} / {np.percentile(old, 95):.1f} ms; "
                f"server CPU per request {http['before']['search_cpu']:.1f} ms",
                f"{np.percentile(search, 50):.1f} / {p95:.1f} ms; server CPU per request "
                f"{http['now']['search_cpu']:.1f} ms (this revision)",
                f"{np.percentile(old, 95) / p95:.1f}× at p95 (before ÷ now)",
                "same database, index and questions; the two sites asked in turn (BENCH_LAWSPEED_BEFORE)",
            )
        )
    return section
