"""The moving-average crossover over many simulated price paths: a distribution, not one story.

One backtest on one path says little: the same rule that breaks even on one random walk loses on
the next. :func:`sma_cross_many_paths` runs the crossover of :func:`~microfut_lib.signals.sma_cross_signals`
with :func:`~microfut_lib.backtest.backtest` over ``n_paths`` price paths of
:func:`~microfut_lib.simulate.gbm_ohlc`, path ``k`` drawn with ``seed + k`` (so any single path
can be replayed on its own), and returns per path:

- the strategy's return with fees, ``final_equity / initial_equity − 1`` (an open position valued
  at the last close);
- its return without fees: the same trades with every fee they paid given back,
  ``(final_equity + fees) / initial_equity − 1``. Same sizes, same entries, so the difference is
  exactly what the fees cost (a separate fee-free backtest would also size some trades a
  contract larger, which mixes a sizing effect into the comparison);
- buy and hold's return, ``last close / first open − 1``, without leverage, fees or funding;
- whether any position was liquidated.

Numpy only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import check_contract, whole_number
from .backtest import backtest
from .contracts import PRESETS, ContractSpec
from .signals import sma_cross_signals
from .simulate import gbm_ohlc

__all__ = ["ManyPathsResult", "sma_cross_many_paths", "MAX_TOTAL_BARS"]

#: Largest ``n_paths × n_bars`` one call simulates (about a minute of work here); split larger
#: studies into several calls with different seeds.
MAX_TOTAL_BARS = 20_000_000


@dataclass(frozen=True)
class ManyPathsResult:
    """Per-path results of :func:`sma_cross_many_paths` (one entry per path, path k = seed + k).

    Attributes
    ----------
    seeds : numpy.ndarray
        The seed of each path.
    strategy_return, strategy_return_no_fees, buy_and_hold_return : numpy.ndarray
        Returns as fractions (0.05 = +5 %), see the module notes.
    liquidated : numpy.ndarray
        Whether the strategy had a position liquidated on that path.
    n_trades : numpy.ndarray
        Closed trades on each path.
    """

    seeds: np.ndarray
    strategy_return: np.ndarray
    strategy_return_no_fees: np.ndarray
    buy_and_hold_return: np.ndarray
    liquidated: np.ndarray
    n_trades: np.ndarray

    def summary(self) -> dict[str, Any]:
        """Medians and shares over the paths.

        Keys: n_paths, median_return, median_return_no_fees, median_buy_and_hold_return,
        median_fee_cost (of the equity, as a fraction), share_profitable (return with fees
        > 0), share_profitable_no_fees, share_beating_buy_and_hold (with fees) and
        share_liquidated.
        """
        with_fees, free = self.strategy_return, self.strategy_return_no_fees
        return {"n_paths": int(with_fees.size),
                "median_return": float(np.median(with_fees)),
                "median_return_no_fees": float(np.median(free)),
                "median_buy_and_hold_return": float(np.median(self.buy_and_hold_return)),
                "median_fee_cost": float(np.median(free - with_fees)),
                "share_profitable": float(np.mean(with_fees > 0)),
                "share_profitable_no_fees": float(np.mean(free > 0)),
                "share_beating_buy_and_hold": float(np.mean(with_fees > self.buy_and_hold_return)),
                "share_liquidated": float(np.mean(self.liquidated))}


def sma_cross_many_paths(n_paths=200, n_bars=24 * 90, *, fast=12, slow=48, seed=0, annual_vol=0.6,
                         annual_drift=0.0, start_price=70_000.0, contract: ContractSpec | None = None,
                         initial_equity=1_000.0, leverage=5.0, sizing="fraction", size=0.2,
                         taker_fee=0.0005, funding_rate=0.0001, funding_every=8,
                         mmr=0.004) -> ManyPathsResult:
    """The SMA crossover backtested on ``n_paths`` seeded hourly GBM paths (module notes).

    The defaults are lesson 03's backtest (90 days of hourly bars at 60 % volatility, SMA 12/48,
    BTC-MICRO at 5x, 20 % of equity as margin per trade, 0.05 % taker fee, 0.01 % funding every
    8 hours). Every other argument goes to :func:`~microfut_lib.simulate.gbm_ohlc` or
    :func:`~microfut_lib.backtest.backtest` unchanged, and is checked there.

    Parameters
    ----------
    n_paths : int
        Number of paths, ≥ 1; path k is drawn with ``seed + k``.
    n_bars : int
        Hourly bars per path, > ``slow``. ``n_paths × n_bars`` is at most :data:`MAX_TOTAL_BARS`.

    Returns
    -------
    ManyPathsResult

    Examples
    --------
    >>> result = sma_cross_many_paths(n_paths=20, n_bars=24 * 30, seed=1)
    >>> bool(np.all(result.strategy_return <= result.strategy_return_no_fees))   # fees never help
    True
    >>> sorted(result.summary())[:3]
    ['median_buy_and_hold_return', 'median_fee_cost', 'median_return']
    """
    n_paths = whole_number("n_paths", n_paths, 1, unit="paths")
    n_bars = whole_number("n_bars", n_bars, 2, unit="bars")
    seed = whole_number("seed", seed, 0)
    if n_paths * n_bars > MAX_TOTAL_BARS:
        raise ValueError(f"n_paths × n_bars must be at most {MAX_TOTAL_BARS:,} bars; got {n_paths:,} × "
                         f"{n_bars:,} = {n_paths * n_bars:,} (split the study into calls with "
                         "different seeds)")
    contract = PRESETS["BTC-MICRO"] if contract is None else contract
    check_contract(contract)
    seeds = seed + np.arange(n_paths)
    out = np.zeros((4, n_paths))
    liquidated = np.zeros(n_paths, dtype=bool)
    for k, path_seed in enumerate(seeds.tolist()):
        bars = gbm_ohlc(n_bars, start_price=start_price, annual_drift=annual_drift,
                        annual_vol=annual_vol, seed=path_seed)
        signals = sma_cross_signals(bars.close, fast, slow)
        result = backtest(bars, signals, contract, initial_equity=initial_equity, leverage=leverage,
                          sizing=sizing, size=size, taker_fee=taker_fee, funding_rate=funding_rate,
                          funding_every=funding_every, mmr=mmr)
        st = result.stats
        still = result.open_position["fees"] if result.open_position else 0.0
        out[:, k] = (st["final_equity"], st["fees_paid"] + still, st["buy_and_hold_return"],
                     st["n_trades"])
        liquidated[k] = st["n_liquidations"] > 0
    final, fees, hold, trades = out
    return ManyPathsResult(seeds=seeds, strategy_return=final / initial_equity - 1.0,
                           strategy_return_no_fees=(final + fees) / initial_equity - 1.0,
                           buy_and_hold_return=hold, liquidated=liquidated,
                           n_trades=trades.astype(np.int64))
