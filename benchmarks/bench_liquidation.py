"""Vectorized ``liquidation_price`` over 1,000,000 positions against a loop of scalar calls.

The loop is timed on a sample of positions and extrapolated to the full million; both must give
the same numbers on that sample. Goal: the vectorized call is at least 100× faster.
"""
from __future__ import annotations

import time

import numpy as np

import microfut_lib as mf
from benchmarks.record import figure, median_time

N = 1_000_000
SAMPLE = 20_000


def run() -> list[dict]:
    rng = np.random.default_rng(7)
    contract = mf.PRESETS["BTC-MICRO"]
    entry = rng.uniform(20_000, 120_000, N)
    qty = rng.integers(1, 500, N).astype(float)
    leverage = rng.uniform(1, 100, N)
    mmr = 0.004

    def vectorized():
        return mf.liquidation_price(entry, qty, contract, "long", leverage=leverage, mmr=mmr)

    vector_s = median_time(vectorized, repeat=5)
    fast = vectorized()

    t0 = time.perf_counter()
    slow = [mf.liquidation_price(float(entry[i]), float(qty[i]), contract, "long",
                                 leverage=float(leverage[i]), mmr=mmr) for i in range(SAMPLE)]
    loop_s = (time.perf_counter() - t0) * N / SAMPLE
    if not np.array_equal(np.array(slow), fast[:SAMPLE]):
        raise AssertionError("the scalar loop and the vectorized call disagree")
    ratio = loop_s / vector_s
    return [figure("liquidation_price, 1,000,000 positions, vectorized", vector_s, "s",
                   baseline=loop_s, baseline_name=f"loop of scalar calls (timed on {SAMPLE:,}, extrapolated)",
                   ratio=ratio, goal=">= 100x faster than the loop", met=ratio >= 100)]
