"""The SMA-crossover strategy in backtesting.py, written once for the benchmark and the tests.

backtesting.py (AGPL) is a peer used only by ``benchmarks/bench_backtest.py`` and
``tests/test_backtest_vs_backtesting_py.py``, never copied into the library. The strategy: on a
strict cross of the fast SMA above the slow one, close any position and buy with all the equity;
on a cross below, close and sell; orders fill at the next open (``trade_on_close=False``),
exclusive orders, a position still open at the end stays open (``finalize_trades=False``).
"""
from __future__ import annotations

import contextlib
import io
import warnings


def sma_cross_strategy(fast: int, slow: int):
    """A backtesting.py ``Strategy`` class for the crossover of ``fast``- and ``slow``-bar SMAs."""
    from backtesting import Strategy
    from backtesting.lib import crossover
    from backtesting.test import SMA

    class SmaCross(Strategy):
        def init(self):
            self.fast = self.I(SMA, self.data.Close, fast)
            self.slow = self.I(SMA, self.data.Close, slow)

        def next(self):
            if crossover(self.fast, self.slow):
                self.position.close()
                self.buy()
            elif crossover(self.slow, self.fast):
                self.position.close()
                self.sell()

    return SmaCross


def run_peer(data, fast: int, slow: int, *, cash: float, commission: float, margin: float):
    """(backtesting.py's stats, the warnings it raised) for the crossover on ``data``.

    Its progress bar goes to a buffer, not the caller's output.
    """
    from backtesting import Backtest

    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("always")
        bt = Backtest(data, sma_cross_strategy(fast, slow), cash=cash, commission=commission,
                      margin=margin, exclusive_orders=True, trade_on_close=False,
                      finalize_trades=False)
        stats = bt.run()
    return stats, list(caught)
