"""SMA-crossover backtest: microfut_lib.backtest against backtesting.py on the same data.

Both run the same strategy (``benchmarks/peer_sma_cross.py`` on their side: SMA fast/slow crossover, exclusive orders, all-in whole units, 0.2 %
commission, 2x margin) on the same DataFrame, in interleaved rounds (the ratio is the median
round's); the trades must be identical (entry/exit bars,
sizes, final equity to 1e-9) for a figure to count. Timed end to end: signals, backtest and the
list of trade records on our side; ``Backtest(...).run()`` on theirs. backtesting.py is AGPL and
only used here and in the tests, never copied.
"""
from __future__ import annotations

import statistics
import time

import numpy as np

from benchmarks.peer_sma_cross import run_peer
from benchmarks.record import figure, median_time

FAST_SLOW = {"EURUSD": (10, 30), "GOOG": (10, 30), "synthetic-1y-hourly": (24, 96)}
COMMISSION, MARGIN, CASH = 0.002, 0.5, 1_000_000


def _datasets():
    import pandas as pd
    from backtesting.test import EURUSD, GOOG

    from microfut_lib.simulate import gbm_ohlc
    bars = gbm_ohlc(8_760, start_price=100.0, annual_vol=0.7, seed=1)
    synthetic = pd.DataFrame({"Open": bars.open, "High": bars.high, "Low": bars.low,
                              "Close": bars.close, "Volume": bars.volume},
                             index=pd.DatetimeIndex(bars.time))
    return {"EURUSD": EURUSD, "GOOG": GOOG, "synthetic-1y-hourly": synthetic}


def _peer(data, fast, slow):
    return run_peer(data, fast, slow, cash=CASH, commission=COMMISSION, margin=MARGIN)[0]


def _ours(data, fast, slow):
    from microfut_lib.backtest import UNITS, backtest
    from microfut_lib.signals import sma_cross_signals
    signals = sma_cross_signals(data["Close"].to_numpy(), fast, slow)
    result = backtest(data, signals, UNITS, initial_equity=CASH, leverage=1 / MARGIN,
                      taker_fee=COMMISSION, mmr=0.0)
    return result, result.trades


def _identical(peer, ours) -> bool:
    t = peer._trades
    if len(t) != len(ours.trades) or ours.stats["n_liquidations"]:
        return False
    sign = np.array([1 if x.side == "long" else -1 for x in ours.trades])
    return bool(np.array_equal([x.entry_bar for x in ours.trades], t["EntryBar"])
                and np.array_equal([x.exit_bar for x in ours.trades], t["ExitBar"])
                and np.array_equal(sign * np.array([x.qty for x in ours.trades]), t["Size"])
                and abs(ours.stats["final_equity"] / peer["Equity Final [$]"] - 1) < 1e-9)


def run() -> list[dict]:
    records = []
    for name, data in _datasets().items():
        fast, slow = FAST_SLOW[name]
        peer = _peer(data, fast, slow)                     # warm-up and the reference trades
        ours, _ = _ours(data, fast, slow)
        same = _identical(peer, ours)
        # interleaved rounds, so that a change in the machine's load hits both sides alike:
        # one peer run, then the median of five of ours; the figure is the median round
        peer_times, our_times, ratios = [], [], []
        for _ in range(5):
            t_peer = median_time(lambda: _peer(data, fast, slow), repeat=1)
            t_ours = median_time(lambda: _ours(data, fast, slow), repeat=5, number=3)
            peer_times.append(t_peer)
            our_times.append(t_ours)
            ratios.append(t_peer / t_ours)
        t_peer, t_ours, ratio = (statistics.median(x) for x in (peer_times, our_times, ratios))
        records.append(figure(
            f"sma_cross_backtest_{name}", t_ours * 1e3, "ms", baseline=round(t_peer * 1e3, 3),
            baseline_name="backtesting.py 0.6.6 Backtest.run (same data, same trades)", ratio=ratio,
            goal=">= 30x faster with identical trades", met=ratio >= 30 and same,
            ratio_range=[round(min(ratios), 1), round(max(ratios), 1)],
            identical_trades=same, n_bars=len(data), n_trades=len(ours.trades)))
    records.append(_many_paths())
    return records


def _many_paths() -> dict:
    """200 seeded paths × a year of hourly bars through the crossover (issue 10's study), against
    the same study with backtesting.py, extrapolated from its time on three of the paths."""
    import pandas as pd

    from microfut_lib.many_paths import sma_cross_many_paths
    from microfut_lib.simulate import gbm_ohlc
    n_paths, n_bars = 200, 8_760
    t_ours = median_time(lambda: sma_cross_many_paths(n_paths, n_bars, seed=0), repeat=3)
    per_path = []
    for seed in range(3):
        bars = gbm_ohlc(n_bars, annual_vol=0.6, seed=seed)
        data = pd.DataFrame({"Open": bars.open, "High": bars.high, "Low": bars.low,
                             "Close": bars.close}, index=pd.DatetimeIndex(bars.time))
        per_path.append(median_time(lambda: run_peer(data, 12, 48, cash=CASH, commission=0.0005,
                                                     margin=0.2), repeat=1))
    t_peer = n_paths * statistics.median(per_path)
    return figure("sma_cross_many_paths_200x8760", t_ours, "s", baseline=round(t_peer, 2),
                  baseline_name="backtesting.py on the same 200 paths (3 timed, extrapolated)",
                  ratio=t_peer / t_ours, goal="<= 5 s for 200 paths x 8,760 hourly bars",
                  met=t_ours <= 5.0, n_paths=n_paths, n_bars=n_bars)


if __name__ == "__main__":
    t0 = time.perf_counter()
    for rec in run():
        print(rec)
    print(f"{time.perf_counter() - t0:.1f} s")
