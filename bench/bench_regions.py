"""Region import and demo load: the Fujian import (target under 60 s) against a naive row-by-row import.

Baseline: the same Fujian rows written one `Region.save()` at a time inside one transaction, the way a first
version would write it; measured in the same run on the same database.
"""

from __future__ import annotations

from .harness import Context, Row, Section

NAIVE_SCRIPT = """
import time
from django.db import transaction
from fawang.regions import importer
from fawang.regions.models import Region
from fawang.lib import codes
rows = []
div = importer.settings.DATA_DIR / "divisions"
for name in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv.xz"):
    for row in importer._rows(div / name):
        if len(row["code"]) <= 6 or row["code"].startswith("35"):
            rows.append((row["code"], row["name"]))
with transaction.atomic():
    for code, name in rows:
        Region(code=code, name=name, level=codes.level_of(code), parent_id=codes.parent_code(code), full_name=name).save()
"""


def run(ctx: Context) -> Section:
    section = Section(
        "Regions and demo data (issue 2)",
        "`import_regions 35` from an empty migrated database: all provinces, cities and counties of China plus Fujian's "
        "1,170 towns and 17,498 villages (22,019 rows), with census population. Baseline: the same rows saved one by one. "
        "`load_demo`: the 厦门市 and 仙游县 units, practitioners, advisors and staff, first run and repeat run.",
    )
    for label, url in ctx.databases.items():
        # The baseline writes into its own fresh database, so both start from the same empty schema.
        baseline_url = ctx.fresh_database(label, "regions_baseline")
        url = ctx.fresh_database(label, "regions")
        ctx.manage(baseline_url, "migrate", "--no-input", "-v0")
        ctx.manage(url, "migrate", "--no-input", "-v0")
        naive = ctx.manage(baseline_url, "shell", "-c", NAIVE_SCRIPT)
        fast = ctx.manage(url, "import_regions", "35", "--quiet-progress")
        again = ctx.manage(url, "import_regions", "35", "--quiet-progress")
        section.rows.append(
            Row(
                f"{label}: Fujian region import",
                f"{fast:.1f} s",
                f"{naive:.1f} s (row by row)",
                f"{naive / fast:.1f}× faster",
                "target < 60 s; includes process start",
            )
        )
        section.rows.append(
            Row(f"{label}: region import again (upsert)", f"{again:.1f} s", "", "", "idempotent re-run")
        )
        first = ctx.manage(url, "load_demo")
        repeat = ctx.manage(url, "load_demo")
        section.rows.append(
            Row(
                f"{label}: load_demo",
                f"{first:.1f} s first run",
                f"{repeat:.1f} s repeat run",
                f"{first / repeat:.1f}×",
                "repeat run reuses what exists",
            )
        )
    return section
