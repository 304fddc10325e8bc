"""The supervision facts' scheduler pass at a million matters: the job that runs every minute
(``insights.rollup.refresh_changed``) on the database bench_matters builds (``bench.matters_data``: PostgreSQL
only, it writes by COPY). ``bench.facts_pass_measure`` times each pass after a minute's work (20 matters of the
last three weeks saved) against the same passes as they ran before the index on ``updated_at``, in the same run.
"""

from __future__ import annotations

import os

from .harness import Context, Row, Section, drop_pg

MATTERS = int(os.environ.get("BENCH_FACTS_MATTERS", "1000000"))


def run(ctx: Context) -> Section:
    section = Section(
        "Supervision facts: the scheduler's pass",
        f"A fresh PostgreSQL database (migrate, `import_regions 35`, `load_demo`), {MATTERS:,} matters by "
        "`bench.matters_data` and `rebuild_rollups`; then five passes of `insights.rollup.refresh_changed`, each "
        "after 20 matters submitted in the last three weeks are saved. Baseline (same run, first): the same passes "
        "with `changed_days` as it was (the saved matters' timestamps through `iterator()`, a server-side cursor) "
        "and no index on `updated_at`. SQLite is not measured (the generator writes by COPY).",
    )
    for label, _url in ctx.databases.items():
        if label == "SQLite":
            continue
        url = ctx.fresh_database(label, "facts_pass")
        ctx.set_up_demo(url)
        ctx.run_module(url, "bench.matters_data", str(MATTERS), timeout=3600)
        ctx.manage(url, "rebuild_rollups")
        m = ctx.run_module(url, "bench.facts_pass_measure")
        before, after = m["median"]["before"], m["median"]["after"]
        section.rows.append(
            Row(
                f"{label}: one pass (median of 5)",
                f"{after['pass']:.2f} s",
                f"{before['pass']:.2f} s",
                f"{before['pass'] / after['pass']:.1f}× faster",
                f"{m['matters']:,} matters; days refreshed per pass {min(m['after']['days'])}–"
                f"{max(m['after']['days'])}; every pass: {', '.join(f'{t:.2f}' for t in m['after']['pass'])} s "
                f"(baseline {', '.join(f'{t:.2f}' for t in m['before']['pass'])} s)",
            )
        )
        section.rows.append(
            Row(
                f"{label}: changed_days (median of 5)",
                f"{after['changed_days'] * 1000:.1f} ms",
                f"{before['changed_days'] * 1000:.0f} ms",
                f"{before['changed_days'] / after['changed_days']:.0f}× faster",
                f"the distinct Beijing days in SQL through the index; building the index took {m['index']:.1f} s",
            )
        )
        drop_pg(url)  # a million matters: about 2 GB
    return section
