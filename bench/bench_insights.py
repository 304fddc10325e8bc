"""Supervision rollups at scale (issue 21): ``load_activity`` fills a fresh database with a generated year of
BENCH_INSIGHTS_BASE matters (default 50,000; it makes each in Python, about a millisecond a matter), and on
PostgreSQL ``bench.insights_scale`` then copies that year in SQL until the database holds BENCH_INSIGHTS_MATTERS
(default 10,000,000, the issue's scale); SQLite is measured on the generated year alone. Then
``bench.insights_measure`` times, in one process on the same rows:

- the full rebuild (the daily facts by one grouped query, then the monthly and district facts from them) against
  DuckDB computing the daily facts from the same rows (exported to CSV first; only DuckDB's query is timed), with
  the totals checked equal;
- the incremental update of one day (``refresh_days``);
- the supervisor pages (dashboard, its JSON, the KPI board) through Django's test client, p50/p95, each computed
  afresh and again as a repeat view (the figures cached under the facts' version).

Targets (issue 21, at 10M in PostgreSQL): rebuild ≤ 60 s and within 2× DuckDB; a day ≤ 5 s; every dashboard page
p95 ≤ 100 ms. Runs on every database of the context (SQLite, and PostgreSQL when BENCH_PG_URL answers).
"""

from __future__ import annotations

import os

from .harness import Context, Row, Section

MATTERS = int(os.environ.get("BENCH_INSIGHTS_MATTERS", "10000000"))
BASE = int(os.environ.get("BENCH_INSIGHTS_BASE", "50000"))
END = os.environ.get("BENCH_INSIGHTS_END", "2026-06-30")


def run(ctx: Context) -> Section:
    section = Section(
        "Supervision rollups (issue 21)",
        f"`load_activity --count {BASE:,}` (a generated year ending {END}) on a fresh database with the demo; on "
        f"PostgreSQL `bench.insights_scale` then copies that year in SQL up to {MATTERS:,} matters (each copy moved by "
        "whole weeks inside the year; see its docstring), SQLite keeps the generated year. Then the full rollup "
        "rebuild (the daily facts by one grouped query into a new table, then the monthly and district facts) against "
        "DuckDB computing the daily facts from the same rows in "
        "the same run (rows exported to CSV first; only DuckDB's query timed; totals checked equal), the incremental "
        "update of one day, and the supervisor pages through Django's test client (xm_supervisor on 厦门市, "
        "sm_supervisor on 思明区). Targets at 10M in PostgreSQL: rebuild ≤ 60 s and ≤ 2× DuckDB; a day ≤ 5 s; "
        "pages p95 ≤ 100 ms.",
    )
    for label, _url in ctx.databases.items():
        url = ctx.fresh_database(label, "insights")
        # The pages render {% static %} from the manifest, as in production.
        ctx.set_up_demo(url, ("collectstatic", "--no-input", "-v0"))
        load = ctx.manage(url, "load_activity", "--count", str(BASE), "--end", END, timeout=6 * 3600)
        grown = ""
        if label != "SQLite" and MATTERS > BASE:
            grow = ctx.run_module(
                url,
                "bench.insights_scale",
                env={"BENCH_INSIGHTS_MATTERS": str(MATTERS), "BENCH_INSIGHTS_END": END},
            )
            grown = (
                f"; grown in SQL to {int(grow['matters_total']):,} in {grow['matters']:.0f} s (matters), "
                f"{grow['ratings and complaints']:.0f} s (ratings, complaints), {grow['indexes']:.0f} s (indexes), "
                f"{grow['vacuum']:.0f} s (VACUUM ANALYZE)"
            )
        m = ctx.run_module(url, "bench.insights_measure")
        rebuild = sorted(m["rebuild"])
        duck = m["duck"]
        assert isinstance(duck, dict)
        duck_times = sorted(duck["times"])
        same = duck["totals"] == m["ours"] and duck["rows"] == m["fact_rows"]
        section.rows.append(
            Row(
                f"{label}: load_activity",
                f"{load:.0f} s",
                "",
                "",
                f"{m['matters']:,} matters (load_activity: {BASE:,} generated and inserted{grown})",
            )
        )
        section.rows.append(
            Row(
                f"{label}: full rollup rebuild",
                f"{rebuild[0]:.2f} s (median {rebuild[len(rebuild) // 2]:.2f} s)",
                f"DuckDB {duck_times[0]:.2f} s",
                f"{rebuild[0] / duck_times[0]:.1f}× DuckDB",
                f"{m['fact_rows']:,} daily fact rows; same totals as DuckDB: {'yes' if same else 'NO'}; of which the "
                f"daily facts' query {sorted(m['daily'])[0]:.2f} s (= {sorted(m['daily'])[0] / duck_times[0]:.1f}× "
                f"DuckDB), the rest the indexes, the monthly and district facts and ANALYZE",
            )
        )
        inc = sorted(m["incremental"])
        section.rows.append(
            Row(
                f"{label}: incremental update of one day",
                f"{inc[len(inc) // 2] * 1000:.0f} ms median",
                f"worst {inc[-1] * 1000:.0f} ms",
                "",
                "refresh_days([day]) on the 5 busiest days (most matters received)",
            )
        )
        pages = m["dashboards"]
        assert isinstance(pages, dict)
        for name, t in pages.items():
            section.rows.append(
                Row(
                    f"{label}: {name}",
                    f"p95 {t['p95']:.0f} ms",
                    f"p50 {t['p50']:.0f} ms",
                    "",
                    f"in-process, each computed afresh (a new facts version before each); a repeat view (cached): "
                    f"p95 {t['repeat_p95']:.0f} ms",
                )
            )
    return section
