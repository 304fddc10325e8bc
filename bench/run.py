"""`make bench`: run every bench/bench_*.py module and write docs/benchmarks.md."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, context, write_report


def main(argv: list[str]) -> None:
    only = set(argv)
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    sections = []
    with context() as ctx:
        for name in modules:
            if only and name not in only:
                continue
            print(f"运行基准测试 {name} ……", flush=True)
            module = importlib.import_module(f"bench.{name}")
            sections.append(module.run(ctx))
    out = ROOT / "docs" / "benchmarks.md"
    write_report(sections, out)
    print(f"结果已写入 {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
