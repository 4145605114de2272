"""Seeded random price paths as OHLC bars: GBM, fat-tailed Student-t, and a block bootstrap.

**Conventions**

- Crypto trades around the clock: a year is 365 days × 24 hours = 8,760 hours, so an annual
  volatility σ becomes σ·√(bar_hours / 8760) per bar.
- ``annual_drift`` μ is the drift of the price (its expected growth rate): the log-price moves by
  (μ − σ²/2)·dt + σ·√dt·Z per step, the exact solution of geometric Brownian motion
  dS = μ·S·dt + σ·S·dW (Hull, *Options, Futures, and Other Derivatives*, ch. 14–15).
- Each bar is built from ``steps_per_bar`` sub-steps so that its high and low come from a path,
  not from the open and close alone: the high is the largest sub-step price, the low the smallest.
  The open of a bar is the close of the bar before (continuous 24/7 trading, no gaps).
- The fat-tailed variant replaces Z by a Student-t variate with ν degrees of freedom rescaled to
  unit variance, T·√((ν − 2)/ν), so ``annual_vol`` keeps its meaning while large moves become
  more frequent (ν → ∞ gives back the normal).
- Everything is reproducible: the same ``seed`` gives the same bars (numpy's PCG64 generator).

All return :class:`~microfut_lib.data.Bars` with ``time`` in ``datetime64[s]`` from ``start``.
"""
from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np

from ._validate import as_float_array, fmt, scalar, seed_value, whole_number
from .data import Bars, as_bars

__all__ = ["gbm_ohlc", "student_t_ohlc", "block_bootstrap"]

HOURS_PER_YEAR = 365.0 * 24.0
#: Limits that keep a typo from exhausting memory (raise them for a real need): bars per path
#: (10 million bars take about 0.5 GB as OHLC) and sub-steps per path (about 10 s of drawing).
MAX_BARS = 10_000_000
MAX_SUBSTEPS = 500_000_000
MIN_ANNUAL_VOL = 1e-4
#: Sub-steps drawn at once: the path is built chunk by chunk, so memory stays near the output's.
CHUNK_STEPS = 1 << 20


def _times(n_bars: int, bar_hours: float, start: Any) -> np.ndarray:
    if not isinstance(start, (str, np.datetime64, _dt.date)):
        raise ValueError(f"start must be an ISO 8601 date such as '2024-01-01'; got {start!r}")
    try:
        t0 = np.datetime64(start, "s")
    except (ValueError, OverflowError):
        t0 = np.datetime64("NaT")
    if np.isnat(t0):
        raise ValueError(f"start must be an ISO 8601 date such as '2024-01-01'; got {start!r}")
    step = np.timedelta64(int(round(bar_hours * 3600)), "s")
    return t0 + step * np.arange(n_bars)


def _check_range(n_bars: int, bar_hours: float, start_price: float, mu: float, sigma: float) -> None:
    """Refuse, up front, a path whose prices would leave floating-point range (e^±709)."""
    years = n_bars * bar_hours / HOURS_PER_YEAR
    reach = abs(mu - 0.5 * sigma**2) * years + 12.0 * sigma * math.sqrt(years)
    if reach + abs(math.log(start_price)) > 700.0:
        raise ValueError(f"a path of {years:,.4g} years at annual_drift {mu:g} and annual_vol {sigma:g} "
                         "would leave the range of floating-point prices (e^±709): use fewer or "
                         "shorter bars, or a smaller drift or volatility")


def _bar_chunks(n_bars: int, steps_per_bar: int):
    """Consecutive bar ranges of about :data:`CHUNK_STEPS` sub-steps each."""
    per_chunk = max(1, CHUNK_STEPS // steps_per_bar)
    for first in range(0, n_bars, per_chunk):
        yield first, min(n_bars, first + per_chunk)


def _log_bars(kind, rng, n_bars, steps_per_bar, mu, sigma, dt, dof):
    """Log(open, high, low, close / start) per bar, drawn chunk by chunk (the same stream as one
    draw of the whole path, so a seed gives the same bars whatever the chunk size)."""
    logs = np.empty((4, n_bars))
    carry = 0.0                                   # log-price at the end of the previous chunk
    for first, last in _bar_chunks(n_bars, steps_per_bar):
        shape = (last - first, steps_per_bar)
        if kind == "normal":
            steps = rng.standard_normal(shape)
        else:
            steps = rng.standard_t(dof, shape)
            steps *= np.sqrt((dof - 2.0) / dof)
        steps *= sigma * np.sqrt(dt)              # in place: (μ − σ²/2)·dt + σ·√dt·Z
        steps += (mu - 0.5 * sigma**2) * dt
        steps[0, 0] += carry                      # one running sum across chunks, same rounding
        path = np.cumsum(steps.ravel(), out=steps.ravel()).reshape(shape)
        close = path[:, -1]
        opens = np.concatenate(([carry], close[:-1]))
        high, low = logs[1, first:last], logs[2, first:last]
        np.maximum(opens, path[:, 0], out=high)   # column by column: faster than a short-axis max
        np.minimum(opens, path[:, 0], out=low)
        for k in range(1, steps_per_bar):
            np.maximum(high, path[:, k], out=high)
            np.minimum(low, path[:, k], out=low)
        logs[0, first:last] = opens
        logs[3, first:last] = close
        carry = float(close[-1])
    return logs


def _paths(kind: str, n_bars, start_price, annual_drift, annual_vol, bar_hours, steps_per_bar, seed,
           start, dof=None) -> Bars:
    n_bars = whole_number("n_bars", n_bars, maximum=MAX_BARS,
                          hint="generate several paths with different seeds, or set "
                               "microfut_lib.simulate.MAX_BARS higher for a real need")
    steps_per_bar = whole_number("steps_per_bar", steps_per_bar, maximum=1_000)
    if n_bars * steps_per_bar > MAX_SUBSTEPS:
        raise ValueError(f"n_bars × steps_per_bar = {n_bars * steps_per_bar:,} sub-steps exceeds the "
                         f"limit of {MAX_SUBSTEPS:,}: use fewer sub-steps per bar, or set "
                         "microfut_lib.simulate.MAX_SUBSTEPS higher for a real need")
    start_price = scalar("start_price", start_price, gt=0.0)
    mu = scalar("annual_drift", annual_drift, ge=-10.0, le=10.0, note="(a fraction per year: 0.1 = 10 %)")
    sigma = scalar("annual_vol", annual_vol, ge=0.0, le=10.0, note="(a fraction per year: 0.6 = 60 %)")
    if 0.0 < sigma < MIN_ANNUAL_VOL:
        raise ValueError(f"annual_vol must be 0 or at least {MIN_ANNUAL_VOL:g} (0.01 % a year); "
                         f"got {fmt(annual_vol)}")
    bar_hours = scalar("bar_hours", bar_hours, ge=1.0 / 3600.0, le=HOURS_PER_YEAR,
                       note="(from one second to one year)")
    _check_range(n_bars, bar_hours, start_price, mu, sigma)
    times = _times(n_bars, bar_hours, start)
    rng = np.random.default_rng(seed_value(seed))
    logs = _log_bars(kind, rng, n_bars, steps_per_bar, mu, sigma,
                     bar_hours / HOURS_PER_YEAR / steps_per_bar, dof)
    prices = np.exp(logs, out=logs)
    prices *= start_price
    if not (np.all(np.isfinite(prices)) and np.all(prices > 0.0)):
        raise ValueError("the path left the range of floating-point prices; use fewer or shorter "
                         "bars, or a smaller drift or volatility")
    return Bars(open=prices[0], high=prices[1], low=prices[2], close=prices[3], time=times,
                volume=np.zeros(n_bars))


def gbm_ohlc(n_bars, *, start_price=70_000.0, annual_drift=0.0, annual_vol=0.6, bar_hours=1.0,
             steps_per_bar=12, seed=None, start="2024-01-01") -> Bars:
    """OHLC bars of a geometric Brownian motion.

    Each sub-step multiplies the price by ``exp((μ − σ²/2)·dt + σ·√dt·Z)``, Z standard normal,
    ``dt = bar_hours / 8760 / steps_per_bar`` years (see the module notes).

    Parameters
    ----------
    n_bars : int
        Number of bars (≥ 1).
    start_price : float
        Price before the first bar (the first bar's open), in quote currency.
    annual_drift, annual_vol : float
        μ and σ as fractions per year (0.6 = 60 %).
    bar_hours : float
        Length of one bar in hours (1 = hourly, 24 = daily).
    steps_per_bar : int
        Sub-steps per bar from which the high and the low are taken.
    seed : int or None
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same bars.
    start : str
        Time of the first bar (ISO 8601).

    Returns
    -------
    Bars

    Examples
    --------
    >>> bars = gbm_ohlc(24 * 365, annual_vol=0.6, seed=1)
    >>> len(bars), float(bars.open[0])
    (8760, 70000.0)
    >>> bool(abs(np.diff(np.log(bars.close)).std() * np.sqrt(8760) - 0.6) < 0.02)   # σ recovered
    True
    """
    return _paths("normal", n_bars, start_price, annual_drift, annual_vol, bar_hours, steps_per_bar,
                  seed, start)


def student_t_ohlc(n_bars, *, dof=3.0, start_price=70_000.0, annual_drift=0.0, annual_vol=0.6,
                   bar_hours=1.0, steps_per_bar=12, seed=None, start="2024-01-01") -> Bars:
    """OHLC bars with fat-tailed (Student-t) returns of the same variance as :func:`gbm_ohlc`.

    The normal Z of GBM is replaced by ``T·√((ν − 2)/ν)`` with T Student-t with ν = ``dof`` > 2
    degrees of freedom: unit variance, so ``annual_vol`` keeps its meaning, but moves of 4 or 5
    standard deviations happen far more often (daily BTC returns are often fitted with ν ≈ 3–4).

    Parameters
    ----------
    n_bars : int
        Number of bars.
    dof : float
        Degrees of freedom ν, > 2 (the variance is infinite at ν ≤ 2).
    start_price, annual_drift, annual_vol, bar_hours, steps_per_bar, seed, start
        As in :func:`gbm_ohlc`.

    Returns
    -------
    Bars

    Examples
    --------
    >>> bars = student_t_ohlc(1000, dof=3, seed=7)
    >>> bars.close.shape
    (1000,)
    >>> student_t_ohlc(10, dof=2)
    Traceback (most recent call last):
    ...
    ValueError: dof must be a finite number > 2 (the variance is infinite at 2 or below); got 2
    """
    nu = scalar("dof", dof, gt=2.0, note="(the variance is infinite at 2 or below)")
    return _paths("t", n_bars, start_price, annual_drift, annual_vol, bar_hours, steps_per_bar, seed,
                  start, dof=nu)


def block_bootstrap(history, n_bars, *, block_size=24, seed=None, start_price=None) -> Bars:
    """Resample a historical series in contiguous blocks into a new path of OHLC bars.

    The moving-block bootstrap (Künsch 1989): draw random starting points, copy ``block_size``
    consecutive bars from each, and chain the blocks. Copying whole blocks keeps the short-range
    structure of the history (volatility clusters, intraday patterns) that resampling single
    returns would destroy. Each bar is stored relative to the previous close, as the four ratios
    ``open/prev_close, high/prev_close, low/prev_close, close/prev_close``, and the new path is
    rebuilt by chaining those ratios from ``start_price``, so every bar stays a valid OHLC bar.

    Parameters
    ----------
    history : Bars, table of OHLC columns, or 1-D array of prices
        At least ``block_size + 1`` bars. A plain price array is treated as closes (open = the
        previous close, high/low = the larger/smaller of the two).
    n_bars : int
        Length of the new path.
    block_size : int
        Bars per block (24 hourly bars = one day).
    seed : int or None
        Seed for :func:`numpy.random.default_rng`.
    start_price : float, optional
        Close before the first new bar; the history's last close by default.

    Returns
    -------
    Bars

    Examples
    --------
    >>> history = gbm_ohlc(500, seed=3)
    >>> new = block_bootstrap(history, 1000, block_size=24, seed=4)
    >>> len(new), bool(new.open[0] == history.close[-1])
    (1000, True)
    """
    n_bars = whole_number("n_bars", n_bars, maximum=MAX_BARS,
                          hint="set microfut_lib.simulate.MAX_BARS higher for a real need")
    block_size = whole_number("block_size", block_size)
    if isinstance(history, (list, tuple, np.ndarray)):
        close = as_float_array("history", history, gt=0.0)
        if close.ndim != 1 or len(close) < 2:
            raise ValueError(f"history must be a 1-D array of at least 2 prices; got shape {close.shape}")
        opens = close[:-1]
        history = Bars(open=opens, high=np.maximum(opens, close[1:]), low=np.minimum(opens, close[1:]),
                       close=close[1:])
        prev_close = opens
    else:
        history = as_bars(history, name="history")
        prev_close = np.concatenate(([history.open[0]], history.close[:-1]))
    n_hist = len(history)
    if block_size > n_hist:
        raise ValueError(f"block_size ({block_size}) must not exceed the history's {n_hist} bars")
    start_price = history.close[-1] if start_price is None else scalar("start_price", start_price, gt=0.0)
    ratios = np.stack([history.open / prev_close, history.high / prev_close, history.low / prev_close,
                       history.close / prev_close], axis=1)
    rng = np.random.default_rng(seed_value(seed))
    n_blocks = -(-n_bars // block_size)
    starts = rng.integers(0, n_hist - block_size + 1, size=n_blocks)
    idx = (starts[:, None] + np.arange(block_size)[None, :]).ravel()[:n_bars]
    picked = ratios[idx]
    close_rel = np.cumprod(picked[:, 3])
    prev = start_price * np.concatenate(([1.0], close_rel[:-1]))
    o, h, lo, c = (prev * picked[:, k] for k in range(4))
    return Bars(open=o, high=np.maximum(h, np.maximum(o, c)), low=np.minimum(lo, np.minimum(o, c)),
                close=c, time=np.arange(n_bars), volume=np.zeros(n_bars))
