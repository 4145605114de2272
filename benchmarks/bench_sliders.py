"""Slider redraw speed: one blitted update per slider against an ``interact``-style re-plot.

For every explorer the package exports and each of its sliders, the update is timed the way a
browser triggers it: setting the slider's ``value`` in the kernel (observers run synchronously),
which recomputes with the library, restores the cached background, draws the moving artists and
encodes the PNG into the ``ipywidgets.Image``. The baseline, measured in the same run at the same
values, is what ``interact`` does on each move: call the ``plot_*`` function to build the figure
from scratch and render it as the inline backend does (``IPython``'s ``print_figure``, PNG with a
tight bounding box). Goal: median update <= 10 ms and >= 8x faster than the baseline.

The measurements run inside a real ipykernel (started with nbclient, as a notebook would), with
each explorer displayed, so every move also sends its PNG over the widget comm; if no kernel can
be started they run in this process instead, and each record says where (``where``). One record
per slider, then one per explorer over all its sliders. ``MF_BENCH_ONLY=backtest,funding``
restricts a run to some explorers. A panel with a slow ``refine`` (Monte Carlo) is held to its
own goals: the first answer within 50 ms and the refined one within 1 s of the move. Each
record also gives the CPU time per move and the machine's load average: on a machine whose
cores are shared, wall times grow with the load while the CPU time stays near the work done.
"""
from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from IPython.core.pylabtools import print_figure

import microfut_lib as mf
from benchmarks import record

#: Every explorer the package exports, found by name (new lessons' explorers included).
EXPLORERS = sorted(n for n in dir(mf) if n.endswith("_explorer"))
MOVES = 25        # slider positions timed per slider
BASELINE_MOVES = 7
GOAL_MS, GOAL_RATIO = 10.0, 8.0
#: A panel with a slow ``refine`` (Monte Carlo): first answer, then the refined one.
FIRST_ANSWER_GOAL_MS, REFINE_GOAL_MS, REFINE_MOVES = 50.0, 1_000.0, 5


def _positions(slider, n):
    """Up to ``n`` distinct positions sweeping the slider's range once (as a drag does); each is
    a first visit, so no cache of an earlier position helps."""
    low, high = slider.min, slider.max
    values = [low + (high - low) * (i + 0.5) / n for i in range(n)]
    if isinstance(slider.value, int):
        values = [int(round(v)) for v in values]
    return [v for i, v in enumerate(values) if v not in values[:i] and v != slider.value]


def _time_updates(explorer, name, values):
    """Wall and CPU seconds of each move (CPU time of this process, all threads: the work a move
    costs, which other programs competing for the cores do not inflate as much)."""
    slider = explorer.sliders[name]
    times, cpu = [], []
    for value in values:
        if value == slider.value:
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        slider.value = value
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return times, cpu


def _time_refines(explorer, name, values):
    """Seconds from a move to the refined answer (``draw`` then the panel's slow ``refine``)."""
    slider = explorer.sliders[name]
    times = []
    for value in values:
        t0 = time.perf_counter()
        slider.value = value
        explorer.refine_now()
        times.append(time.perf_counter() - t0)
    return times


def _time_replots(plot, explorer, name, values):
    base = explorer.values()
    times = []
    for value in values:
        kwargs = dict(base, **{name: value})
        t0 = time.perf_counter()
        print_figure(plot(**kwargs), "png")
        times.append(time.perf_counter() - t0)
    return times


def measure(display=None, only: str = "") -> list[dict]:
    """Time every slider: ``[{explorer, slider, update_ms, baseline_ms}]``, then one row per
    explorer (``slider`` ``"*"``: medians over all its sliders' moves). ``display`` shows each
    explorer first, so that in a kernel its comm is open and each move is really sent; ``only``
    (comma-separated parts of names) restricts the run to some explorers."""
    rows = []
    names = [n for n in EXPLORERS if not only or any(part in n for part in only.split(","))]
    for explorer_name in names:
        make = getattr(mf, explorer_name)
        explorer = make()
        if display is not None:
            display(explorer)
        plot = mf.plot_function(make.panel)  # the static figure of the same panel
        all_updates, all_cpu, all_replots = [], [], []
        for name, slider in explorer.sliders.items():
            default = slider.value
            updates, cpu = _time_updates(explorer, name, _positions(slider, MOVES))
            slider.value = default
            replots = _time_replots(plot, explorer, name, _positions(slider, BASELINE_MOVES))
            rows.append({"explorer": explorer_name, "slider": name,
                         "update_ms": 1e3 * statistics.median(updates),
                         "update_cpu_ms": 1e3 * statistics.median(cpu),
                         "baseline_ms": 1e3 * statistics.median(replots)})
            if make.panel.refine is not None:
                rows[-1]["refine_ms"] = 1e3 * statistics.median(
                    _time_refines(explorer, name, _positions(slider, REFINE_MOVES)))
                slider.value = default
            all_updates += updates
            all_cpu += cpu
            all_replots += replots
        rows.append({"explorer": explorer_name, "slider": "*",
                     "update_ms": 1e3 * statistics.median(all_updates),
                     "update_cpu_ms": 1e3 * statistics.median(all_cpu),
                     "baseline_ms": 1e3 * statistics.median(all_replots)})
    return rows


_KERNEL_CODE = """
import json
from benchmarks.bench_sliders import measure
print("MEASURED" + json.dumps(measure(display, only={only!r})))
"""


def _measure_in_kernel() -> list[dict] | None:
    import nbclient
    import nbformat
    from nbclient.exceptions import CellExecutionError

    code = _KERNEL_CODE.format(only=os.environ.get("MF_BENCH_ONLY", ""))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    root = str(Path(__file__).resolve().parent.parent)
    try:
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": root}}).execute()
    except CellExecutionError as exc:  # the measurement itself failed: report it, do not hide it
        raise RuntimeError(f"slider benchmark failed in the kernel: {exc.ename}: {exc.evalue}") from None
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
        rows, where = measure(only=os.environ.get("MF_BENCH_ONLY", "")), "process"
    refining = {row["explorer"] for row in rows if "refine_ms" in row}
    records = []
    for row in rows:
        update_ms, baseline_ms = row["update_ms"], row["baseline_ms"]
        ratio = baseline_ms / update_ms
        what = ("all sliders" if row["slider"] == "*" else f"slider {row['slider']}")
        goal_ms = FIRST_ANSWER_GOAL_MS if row["explorer"] in refining else GOAL_MS
        records.append(record.figure(
            f"{row['explorer']} ({what}): median update (CPU {row['update_cpu_ms']:.1f} ms)",
            update_ms, "ms",
            baseline=round(baseline_ms, 2),
            baseline_name="interact-style re-plot (plot_* + inline PNG)",
            ratio=ratio, goal=f"<= {goal_ms:g} ms and >= {GOAL_RATIO:g}x faster",
            met=update_ms <= goal_ms and ratio >= GOAL_RATIO, where=where,
            update_cpu_ms=row["update_cpu_ms"], load_average=os.getloadavg()[0]))
        if "refine_ms" in row:
            records.append(record.figure(
                f"{row['explorer']} ({what}): median move to refined answer", row["refine_ms"],
                "ms", baseline=round(baseline_ms, 2),
                baseline_name="interact-style re-plot (plot_* + inline PNG)",
                ratio=baseline_ms / row["refine_ms"], goal=f"<= {REFINE_GOAL_MS:g} ms",
                met=row["refine_ms"] <= REFINE_GOAL_MS, where=where))
    return records
