"""Monte Carlo sliders (lessons 04 and 05): the first answer and the refined one, per slider.

A Monte Carlo slider must answer at once and refine shortly after: for each such explorer and
each of its sliders, time (1) the move itself, as a browser triggers it by setting the slider's
``value`` (the panel's ``draw``: a closed form or a small sample with its standard error, plus the
blitted figure), and (2) the refinement the explorer runs when the slider rests
(``refine_now``: the large sample, redrawn). Baseline in the same run: an ``interact``-style
re-plot of the refined figure (the ``plot_*`` function, which draws and refines, rendered as the
inline backend does). Goals (issue 11): first answer <= 50 ms, refined <= 1 s (medians).

Measured inside a real ipykernel (nbclient), as ``bench_sliders`` does; in this process when no
kernel starts (each record says where).
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from IPython.core.pylabtools import print_figure

import microfut_lib as mf
from benchmarks import record

PAIRS = {
    "stop_fills_explorer": "plot_stop_fills",
    "risk_of_ruin_explorer": "plot_risk_of_ruin",
    "liquidation_odds_explorer": "plot_liquidation_odds",
}
MOVES = 9
FIRST_GOAL_MS, REFINE_GOAL_MS = 50.0, 1_000.0


def _positions(slider, n):
    low, high = slider.min, slider.max
    values = [low + (high - low) * (i + 0.5) / n for i in range(n)]
    if isinstance(slider.value, int):
        return [int(round(v)) for v in values]
    return [round(round((v - low) / slider.step) * slider.step + low, 10) for v in values]


def measure(display=None) -> list[dict]:
    """``[{explorer, slider, first_ms, refine_ms, baseline_ms}]``, medians over the moves."""
    rows = []
    for explorer_name, plot_name in PAIRS.items():
        explorer = getattr(mf, explorer_name)()
        if display is not None:
            display(explorer)
        plot = getattr(mf, plot_name)
        for name, slider in explorer.sliders.items():
            default = slider.value
            first, refine, baseline = [], [], []
            for value in _positions(slider, MOVES):
                if value == slider.value:
                    continue
                t0 = time.perf_counter()
                slider.value = value
                t1 = time.perf_counter()
                explorer.refine_now()
                t2 = time.perf_counter()
                first.append(t1 - t0)
                refine.append(t2 - t1)
            for value in _positions(slider, 3):
                t0 = time.perf_counter()
                print_figure(plot(**dict(explorer.values(), **{name: value})), "png")
                baseline.append(time.perf_counter() - t0)
            slider.value = default
            explorer.refine_now()
            rows.append({"explorer": explorer_name, "slider": name,
                         "first_ms": 1e3 * statistics.median(first),
                         "refine_ms": 1e3 * statistics.median(refine),
                         "baseline_ms": 1e3 * statistics.median(baseline)})
    return rows


_KERNEL_CODE = """
import json
from benchmarks.bench_monte_carlo_sliders import measure
print("MEASURED" + json.dumps(measure(display)))
"""


def _measure_in_kernel() -> list[dict] | None:
    import nbclient
    import nbformat
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_KERNEL_CODE)])
    root = str(Path(__file__).resolve().parent.parent)
    try:
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": root}}).execute()
    except CellExecutionError as exc:
        raise RuntimeError(f"Monte Carlo slider benchmark failed in the kernel: {exc.ename}: "
                           f"{exc.evalue}") from None
    except Exception as exc:  # no kernel here: measure in this process instead
        print(f"  (no kernel: {type(exc).__name__}; measuring in this process)")
        return None
    for output in nb.cells[0].outputs:
        text = output.get("text", "")
        if "MEASURED" in text:
            return json.loads(text.split("MEASURED", 1)[1])
    return None


def run() -> list[dict]:
    rows, where = _measure_in_kernel(), "ipykernel"
    if rows is None:
        rows, where = measure(), "process"
    records = []
    for row in rows:
        label = f"{row['explorer']}.{row['slider']}"
        records.append(record.figure(
            f"Monte Carlo slider {label}: first answer", row["first_ms"], "ms",
            baseline=round(row["baseline_ms"], 2),
            baseline_name="interact-style re-plot of the refined figure",
            ratio=row["baseline_ms"] / row["first_ms"], goal=f"<= {FIRST_GOAL_MS:g} ms",
            met=row["first_ms"] <= FIRST_GOAL_MS, where=where))
        records.append(record.figure(
            f"Monte Carlo slider {label}: refined answer", row["refine_ms"], "ms",
            baseline=round(row["baseline_ms"], 2),
            baseline_name="interact-style re-plot of the refined figure",
            ratio=row["baseline_ms"] / row["refine_ms"], goal=f"<= {REFINE_GOAL_MS:g} ms",
            met=row["refine_ms"] <= REFINE_GOAL_MS, where=where))
    return records
