"""Replay step speed: one "next bar" of the paper-trading widget against re-plotting the session.

A learner presses *next bar* (or *play*) with a position open: the session settles the bar (stop,
liquidation, funding), the widget draws the moving artists over its cached background and encodes
the PNG. The baseline, timed in the same run on the same bars, is what an ``interact``-style widget
would do on each step: build the session figure from scratch (``ReplayPanel`` on the session) and
render it as the inline backend does. Goal: median step <= 10 ms and >= 8x the baseline.
"""
from __future__ import annotations

import statistics
import time

from IPython.core.pylabtools import print_figure

import microfut_lib as mf
from benchmarks import record

STEPS = 60
BASELINE_STEPS = 7
GOAL_MS, GOAL_RATIO = 10.0, 8.0


def _steps() -> list[float]:
    ex = mf.replay_explorer()
    ex.press(("stop_pct", 0))
    ex.press(("leverage", 2))
    ex.press("long")
    times = []
    for _ in range(STEPS):
        t0 = time.perf_counter()
        ex.press("next")
        times.append(time.perf_counter() - t0)
    assert ex.session.position is not None and ex.error is None
    return times


def _replots() -> list[float]:
    session = mf.PaperSession(leverage=2, stop_pct=0)
    session.long()
    times = []
    for _ in range(BASELINE_STEPS):
        t0 = time.perf_counter()
        session.next_bar()
        panel = mf.ReplayPanel(session=session)
        panel.draw()
        print_figure(panel.figure, "png")
        times.append(time.perf_counter() - t0)
    return times


def run() -> list[dict]:
    step_ms = 1e3 * statistics.median(_steps())
    replot_ms = 1e3 * statistics.median(_replots())
    ratio = replot_ms / step_ms
    return [record.figure("replay: next bar with a position open", step_ms, "ms", baseline=replot_ms,
                          baseline_name="new figure per step", ratio=ratio,
                          goal=f"<= {GOAL_MS:g} ms and >= {GOAL_RATIO:g}x",
                          met=step_ms <= GOAL_MS and ratio >= GOAL_RATIO)]
