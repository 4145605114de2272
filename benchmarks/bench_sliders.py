"""Slider redraw speed: one blitted update per slider against an ``interact``-style re-plot.

For every explorer the notebooks use and each of its sliders, the update is timed the way a
browser triggers it: setting the slider's ``value`` in the kernel (observers run synchronously),
which recomputes with the library, restores the cached background, draws the moving artists and
encodes the PNG into the ``ipywidgets.Image``. The baseline, measured in the same run at the same
values, is what ``interact`` does on each move: call the ``plot_*`` function to build the figure
from scratch and render it as the inline backend does (``IPython``'s ``print_figure``, PNG with a
tight bounding box). Goal: median update <= 25 ms and >= 3x faster than the baseline.

The measurements run inside a real ipykernel (started with nbclient, as a notebook would), with
each explorer displayed, so every move also sends its PNG over the widget comm; if no kernel can
be started they run in this process instead, and each record says where (``where``).
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from IPython.core.pylabtools import print_figure

import microfut_lib as mf
from benchmarks import record

#: explorer -> the static figure function it mirrors (same keyword names as the sliders).
PAIRS = {
    "welcome_explorer": "plot_leverage_magnifier",
    "leverage_explorer": "plot_leverage_magnifier",
    "account_size_explorer": "plot_account_size",
    "notional_explorer": "plot_notional",
    "liquidation_explorer": "plot_liquidation_distance",
    "funding_explorer": "plot_funding",
    "risk_budget_explorer": "plot_risk_budget",
    "entry_capital_explorer": "plot_entry_capital",
    "backtest_explorer": "plot_backtest",
    "price_ladder_explorer": "plot_price_ladder",
    "fee_schedules_explorer": "plot_fee_schedules",
    "margin_modes_explorer": "plot_margin_modes",
    "liquidation_odds_explorer": "plot_liquidation_odds",
}
MOVES = 25        # slider positions timed per slider
BASELINE_MOVES = 7
GOAL_MS, GOAL_RATIO = 25.0, 3.0


def _positions(slider, n):
    """``n`` positions sweeping the slider's range up and back down (as a drag does)."""
    low, high = slider.min, slider.max
    half = [low + (high - low) * (i + 0.5) / ((n + 1) // 2) for i in range((n + 1) // 2)]
    values = half + half[::-1]
    if isinstance(slider.value, int):
        values = [int(round(v)) for v in values]
    return values[:n]


def _time_updates(explorer, name, values):
    slider = explorer.sliders[name]
    times = []
    for value in values:
        if value == slider.value:
            continue
        t0 = time.perf_counter()
        slider.value = value
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _time_replots(plot, explorer, name, values):
    base = explorer.values()
    times = []
    for value in values:
        kwargs = dict(base, **{name: value})
        t0 = time.perf_counter()
        print_figure(plot(**kwargs), "png")
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(display=None) -> list[dict]:
    """Time every slider: ``[{explorer, slider, update_ms, baseline_ms}]`` (``display`` shows
    each explorer first, so that in a kernel its comm is open and each move is really sent)."""
    rows = []
    for explorer_name, plot_name in PAIRS.items():
        explorer = getattr(mf, explorer_name)()
        if display is not None:
            display(explorer)
        plot = getattr(mf, plot_name)
        for name, slider in explorer.sliders.items():
            default = slider.value
            values = _positions(slider, MOVES)
            _time_updates(explorer, name, values[:3])  # warm-up
            update_ms = 1e3 * _time_updates(explorer, name, values)
            slider.value = default
            baseline_ms = 1e3 * _time_replots(plot, explorer, name, _positions(slider, BASELINE_MOVES))
            rows.append({"explorer": explorer_name, "slider": name, "update_ms": update_ms,
                         "baseline_ms": baseline_ms})
    return rows


_KERNEL_CODE = """
import json
from benchmarks.bench_sliders import measure
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
        rows, where = measure(), "process"
    records = []
    for row in rows:
        update_ms, baseline_ms = row["update_ms"], row["baseline_ms"]
        ratio = baseline_ms / update_ms
        records.append(record.figure(
            f"slider {row['explorer']}.{row['slider']}: median update", update_ms, "ms",
            baseline=round(baseline_ms, 2),
            baseline_name="interact-style re-plot (plot_* + inline PNG)",
            ratio=ratio, goal=f"<= {GOAL_MS:g} ms and >= {GOAL_RATIO:g}x faster",
            met=update_ms <= GOAL_MS and ratio >= GOAL_RATIO, where=where))
    return records
