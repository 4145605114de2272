"""Expectancy: why a win rate alone says nothing about whether a strategy makes money.

Per trade, with win rate ``p``, average win ``W`` and average loss ``ℓ`` (a positive number)::

    expectancy = p × W − (1 − p) × ℓ                         (money per trade)
    in R (risk units, ℓ = 1 R, W = reward:risk R):  p × R − (1 − p)
    break-even win rate = ℓ / (W + ℓ) = 1 / (1 + R)

Costs per trade (fees, slippage, funding) ``c`` in R lower every outcome:
``p × (R − c) − (1 − p) × (1 + c)``, so the break-even rate becomes ``(1 + c) / (1 + R)``.
Source: Van K. Tharp, *Trade Your Way to Financial Freedom* (expectancy in R-multiples);
:func:`~microfut_lib.journal.expectancy` measures the same quantity on a journal of trades.
"""
from __future__ import annotations

import math

import numpy as np

from ._validate import as_float_array, scalar, to_output, whole_number

__all__ = ["expectancy_per_trade", "expectancy_in_r", "breakeven_win_rate", "equity_paths"]


def expectancy_per_trade(win_rate, average_win, average_loss):
    """``p × W − (1 − p) × ℓ``, money per trade (``average_loss`` as a positive number).

    Examples
    --------
    70 % winners of $10 and 30 % losers of $30 lose $2 a trade:

    >>> round(expectancy_per_trade(0.70, 10, 30), 10)
    -2.0
    """
    p = as_float_array("win_rate", win_rate, ge=0.0, le=1.0, note="(a fraction: 0.7 = 70 %)")
    win = as_float_array("average_win", average_win, ge=0.0)
    loss = as_float_array("average_loss", average_loss, ge=0.0, note="(a positive number)")
    return to_output(p * win - (1.0 - p) * loss)


def expectancy_in_r(win_rate, reward_risk, *, cost_r=0.0):
    """Expectancy per trade in units of the risk R: ``p × (R − c) − (1 − p) × (1 + c)``.

    Examples
    --------
    >>> round(expectancy_in_r(0.70, 1 / 3), 6), round(expectancy_in_r(0.40, 2.0), 6)
    (-0.066667, 0.2)
    """
    p = as_float_array("win_rate", win_rate, ge=0.0, le=1.0, note="(a fraction: 0.7 = 70 %)")
    r = as_float_array("reward_risk", reward_risk, gt=0.0)
    c = as_float_array("cost_r", cost_r, ge=0.0, note="(costs per trade in R)")
    return to_output(p * (r - c) - (1.0 - p) * (1.0 + c))


def breakeven_win_rate(reward_risk, *, cost_r=0.0):
    """The win rate at which expectancy is zero: ``(1 + c) / (1 + R)`` (may exceed 1: no rate is enough).

    Examples
    --------
    >>> breakeven_win_rate(1 / 3), round(breakeven_win_rate(2.0), 6)
    (0.75, 0.333333)
    """
    r = as_float_array("reward_risk", reward_risk, gt=0.0)
    c = as_float_array("cost_r", cost_r, ge=0.0, note="(costs per trade in R)")
    return to_output((1.0 + c) / (1.0 + r))


def equity_paths(risk_fraction, win_rate, reward_risk, *, n_trades=200, n_paths=30, seed=None):
    """Seeded equity paths of fixed-fractional betting, as multiples of the starting equity.

    The bet of :func:`~microfut_lib.montecarlo.risk_of_ruin`: each trade risks ``risk_fraction``
    f of the current equity; a win (probability ``win_rate``) multiplies it by ``1 + f·R``, a loss
    by ``1 − f``. Returns an array of shape ``(n_paths, n_trades + 1)`` starting at 1.

    Examples
    --------
    >>> paths = equity_paths(0.02, 0.5, 1.0, n_trades=3, n_paths=2, seed=0)
    >>> paths.shape, float(paths[0, 0])
    ((2, 4), 1.0)
    >>> sorted(set(np.round(paths[:, 1], 4).tolist())) in ([0.98], [1.02], [0.98, 1.02])
    True
    """
    f = scalar("risk_fraction", risk_fraction, gt=0.0, lt=1.0, note="(0.01 = 1 % per trade)")
    p = scalar("win_rate", win_rate, ge=0.0, le=1.0)
    r = scalar("reward_risk", reward_risk, gt=0.0)
    n_trades = whole_number("n_trades", n_trades)
    n_paths = whole_number("n_paths", n_paths)
    wins = np.random.default_rng(seed).random((n_paths, n_trades)) < p
    steps = np.where(wins, math.log1p(f * r), math.log1p(-f))
    log_equity = np.concatenate((np.zeros((n_paths, 1)), np.cumsum(steps, axis=1)), axis=1)
    return np.exp(log_equity)
