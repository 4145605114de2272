"""The course's backtest scenario: one seeded price path and one SMA-crossover setup (numpy only).

Lesson 03 tests a moving-average crossover on a micro contract. The setup is written down once
here, in the simulation layer, so that the lesson, its figures and the tests run the very same
backtest: 90 days of hourly bars (geometric Brownian motion, 60 % annual volatility, seed 7),
$1,000 to start, 20 % of the equity posted as margin per trade in whole micro contracts, a taker
fee of 0.05 % per side, funding of +0.01 % per 8 hours and a maintenance margin rate of 0.4 %.

Examples
--------
>>> len(backtest_bars())
2160
>>> result = run_sma_backtest(12, 48, 5)
>>> result.stats["n_trades"] > 0
True
"""
from __future__ import annotations

from typing import Any

from .backtest import BacktestResult, backtest
from .contracts import PRESETS
from .data import Bars
from .signals import sma_cross_signals
from .simulate import gbm_ohlc

__all__ = ["BACKTEST_SETUP", "backtest_bars", "run_sma_backtest"]

#: The backtest of lesson 03: 90 days of hourly bars (GBM, 60 % a year, seed 7), one micro
#: contract step, 20 % of the equity posted as margin per trade, taker fee 0.05 %, funding
#: +0.01 % per 8 hours, maintenance rate 0.4 %, $1,000 to start.
BACKTEST_SETUP: dict[str, Any] = {
    "n_bars": 24 * 90, "annual_vol": 0.6, "seed": 7, "contract": "BTC-MICRO",
    "initial_equity": 1_000.0, "sizing": "fraction", "size": 0.2, "taker_fee": 0.0005,
    "funding_rate": 0.0001, "funding_every": 8, "mmr": 0.004}


def backtest_bars() -> Bars:
    """The seeded hourly price path of :data:`BACKTEST_SETUP` (a fresh :class:`Bars` each call)."""
    setup = BACKTEST_SETUP
    return gbm_ohlc(setup["n_bars"], annual_vol=setup["annual_vol"], seed=setup["seed"])


def run_sma_backtest(fast: int = 12, slow: int = 48, leverage: float = 5.0, *,
                     bars: Bars | None = None) -> BacktestResult:
    """Backtest the SMA crossover of :data:`BACKTEST_SETUP` on a micro contract.

    Long when the ``fast``-hour simple moving average of the close is above the ``slow``-hour
    one, short when below (:func:`~microfut_lib.sma_cross_signals`), sized and charged as the
    setup says (:func:`~microfut_lib.backtest`).

    Parameters
    ----------
    fast, slow : int
        Moving-average windows in hours, ``fast < slow``.
    leverage : float
        Isolated-margin leverage.
    bars : Bars, optional
        The price path; :func:`backtest_bars` by default.

    Returns
    -------
    BacktestResult
    """
    setup = BACKTEST_SETUP
    bars = backtest_bars() if bars is None else bars
    signals = sma_cross_signals(bars.close, int(fast), int(slow))
    return backtest(bars, signals, PRESETS[setup["contract"]],
                    initial_equity=setup["initial_equity"], leverage=leverage,
                    sizing=setup["sizing"], size=setup["size"], taker_fee=setup["taker_fee"],
                    funding_rate=setup["funding_rate"], funding_every=setup["funding_every"],
                    mmr=setup["mmr"])
