"""Run every ``benchmarks/bench_*.py`` module, print its figures and write ``_build/bench.json``."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from benchmarks import record


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    records = []
    for name in names:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        for rec in module.run():
            records.append(rec)
            ratio = f"  ratio {rec['ratio']:.1f}x" if rec["ratio"] is not None else ""
            baseline = "" if rec["baseline"] is None else \
                f" (baseline {rec['baseline_name']}: {rec['baseline']:.4g} {rec['unit']})"
            print(f"  {rec['name']}: {rec['value']:.4g} {rec['unit']}{baseline}{ratio}  "
                  f"goal {rec['goal']}: {'met' if rec['met'] else 'NOT met'}", flush=True)
    record.write(records)
    print(f"wrote {record.BENCH_JSON}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
