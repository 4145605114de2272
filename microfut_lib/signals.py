"""Trading signals learners compute and pass to the backtester: moving averages and crossovers.

A signal series has one value per bar, decided at that bar's close: +1 = be long, −1 = be short,
0 = be flat, NaN = no new instruction (see :func:`~microfut_lib.backtest.backtest`).
Numpy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import price_array, whole_number

__all__ = ["sma", "sma_cross_signals"]


def _window(name: str, value: Any, n: int) -> int:
    value = whole_number(name, value, 1, unit="bars")
    if value > n:
        raise ValueError(f"{name} ({value} bars) is longer than the data ({n} bars)")
    return int(value)


def _prices(name: str, values: Any) -> np.ndarray:
    arr = price_array(name, values)              # the bars' check: 1-D, finite, > 0
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one price; got an empty array")
    return arr


def sma(values, window):
    """Simple moving average over ``window`` bars; NaN for the first ``window − 1`` bars.

    ``sma[i] = (values[i−window+1] + … + values[i]) / window``, each window summed on its own
    (a direct convolution, no running sum, so no rounding drift over long series).

    Examples
    --------
    >>> sma([1.0, 2.0, 3.0, 4.0], 2)
    array([nan, 1.5, 2.5, 3.5])
    """
    x = _prices("values", values)
    return _sma(x, _window("window", window, len(x)))


def _sma(x: np.ndarray, w: int) -> np.ndarray:
    out = np.full(len(x), np.nan)
    out[w - 1:] = np.convolve(x, np.ones(w), mode="valid") / w
    return out


def sma_cross_signals(close, fast, slow, *, allow_short=True):
    """Signals of a moving-average crossover: +1 when the fast SMA crosses above the slow one.

    At bar ``i`` the signal is +1 if ``fast[i−1] < slow[i−1]`` and ``fast[i] > slow[i]`` (a strict
    cross up), −1 for a strict cross down (0, i.e. go flat, with ``allow_short=False``) and NaN
    (no instruction) everywhere else, as backtesting.py's ``crossover`` decides it. Nothing fires
    before both averages exist, and a touch without crossing is no signal.

    Parameters
    ----------
    close : array_like
        Closing prices.
    fast, slow : int
        Window lengths in bars, ``1 ≤ fast < slow ≤ len(close)``.
    allow_short : bool
        Whether a cross down opens a short (True) or only closes the long (False).

    Returns
    -------
    numpy.ndarray
        One float per bar: +1, −1, 0 or NaN.

    Examples
    --------
    >>> close = [5.0, 4.0, 3.0, 4.0, 6.0, 5.0, 3.0]
    >>> sma_cross_signals(close, 1, 2)
    array([nan, nan, nan,  1., nan, -1., nan])
    """
    c = _prices("close", close)
    f = _window("fast", fast, len(c))
    s = _window("slow", slow, len(c))
    if f >= s:
        raise ValueError(f"fast must be shorter than slow; got fast={f}, slow={s}")
    return cross_signals(_sma(c, f), _sma(c, s), allow_short=allow_short)


def cross_signals(a: np.ndarray, b: np.ndarray, *, allow_short: bool = True) -> np.ndarray:
    """Strict crossovers of ``a`` over ``b`` along the last axis (arrays already checked).

    Works on one series or on a 2-D stack of them (one path per row), NaN where either is NaN.

    Examples
    --------
    >>> cross_signals(np.array([1.0, 3.0, 1.0]), np.array([2.0, 2.0, 2.0]))
    array([nan,  1., -1.])
    """
    with np.errstate(invalid="ignore"):
        up = (a[..., :-1] < b[..., :-1]) & (a[..., 1:] > b[..., 1:])
        down = (a[..., :-1] > b[..., :-1]) & (a[..., 1:] < b[..., 1:])
    out = np.full(a.shape, np.nan)
    out[..., 1:][up] = 1.0
    out[..., 1:][down] = -1.0 if allow_short else 0.0
    return out
