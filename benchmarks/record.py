"""One record per benchmark figure, collected into ``_build/bench.json``."""
from __future__ import annotations

import json
import platform
import time
from pathlib import Path
from typing import Any

BENCH_JSON = Path(__file__).resolve().parent.parent / "_build" / "bench.json"


def figure(name: str, value: float, unit: str, *, baseline: float | None, baseline_name: str,
           ratio: float | None, goal: str, met: bool, **extra: Any) -> dict[str, Any]:
    """Build one record: what was measured, against which same-run baseline, and the goal."""
    return {"name": name, "value": value, "unit": unit, "baseline": baseline,
            "baseline_name": baseline_name, "ratio": ratio, "goal": goal, "met": bool(met), **extra}


def write(records: list[dict[str, Any]], path: Path = BENCH_JSON) -> None:
    """Write the records with the machine and time they were measured on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "python": platform.python_version(),
           "machine": platform.machine(), "figures": records}
    path.write_text(json.dumps(doc, indent=2))


def median_time(fn, *, repeat: int = 5, number: int = 1) -> float:
    """Median wall time in seconds of ``number`` calls of ``fn``, over ``repeat`` runs."""
    import statistics
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)
