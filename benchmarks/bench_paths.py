"""Price paths: peak memory and time of 10 million hourly GBM bars (12 sub-steps each).

The path generator builds the bars chunk by chunk, so its peak memory (traced by ``tracemalloc``)
stays near the size of what it returns: the baseline is the output itself, six float64 columns
(open, high, low, close, time, volume) of 10 million bars. Goal: peak ≤ 2x the output (an
all-at-once build held every sub-step three times over: about 8x, 3.7 GiB). The time is compared
with numpy merely drawing the same 120 million normals (the all-at-once build took about 4.8x).
"""
from __future__ import annotations

import time
import tracemalloc

import numpy as np

from benchmarks.record import figure

BARS, STEPS_PER_BAR = 10_000_000, 12


def _draw_only(seed=2):
    rng = np.random.default_rng(seed)
    rows = (1 << 20) // STEPS_PER_BAR
    for first in range(0, BARS, rows):
        rng.standard_normal((min(rows, BARS - first), STEPS_PER_BAR))


def run() -> list[dict]:
    from microfut_lib.simulate import gbm_ohlc
    t0 = time.perf_counter()
    _draw_only()
    t_draw = time.perf_counter() - t0
    t0 = time.perf_counter()
    bars = gbm_ohlc(BARS, steps_per_bar=STEPS_PER_BAR, seed=1)
    t_paths = time.perf_counter() - t0
    del bars
    tracemalloc.start()
    bars = gbm_ohlc(BARS, steps_per_bar=STEPS_PER_BAR, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    output = sum(getattr(bars, k).nbytes for k in ("open", "high", "low", "close", "time", "volume"))
    del bars
    peak_mib, output_mib = peak / 2**20, output / 2**20
    return [
        figure("paths_10M_bars_peak_memory", peak_mib, "MiB", baseline=round(output_mib, 1),
               baseline_name="the returned Bars (6 float64 columns)", ratio=peak_mib / output_mib,
               goal="<= 2x the output", met=peak_mib <= 2 * output_mib, bars=BARS),
        figure("paths_10M_bars_time", t_paths, "s", baseline=round(t_draw, 3),
               baseline_name="numpy: draw the 120 million normals in chunks", ratio=t_paths / t_draw,
               goal="<= 4x the draw-only time (informative: cumulative sums, exp, OHLC checks)",
               met=t_paths <= 4 * t_draw, bars=BARS),
    ]


if __name__ == "__main__":
    for rec in run():
        print(rec)
