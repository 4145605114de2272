"""What a stop really gets: stop-market and stop-limit fills on bars, with slippage and gaps.

A stop order rests until the market trades at or through its stop price (the *trigger*), then
sends an order:

- a **stop-market** order sells (for a long) at whatever the book pays: at best the stop price
  minus ``slippage`` (the spread and the depth eaten), and, when the price *gaps* through the stop
  (the bar opens beyond it), the open minus slippage: the fill is worse than the stop;
- a **stop-limit** order sends a limit order at ``limit_price`` (at or beyond the stop): it never
  fills worse than the limit, but when the price has already moved past the limit it rests
  unfilled and the position stays open, losing more, until the price comes back to the limit.

Conventions on bars (open, high, low, close), for a long (a short is the mirror image):

- the stop triggers in the first bar whose low is at or below the stop; if that bar opens at or
  below the stop it is a gap, and the first trade at or through the stop is the open;
- stop-market fill = ``min(open, stop) × (1 − slippage)`` in the trigger bar;
- stop-limit (sell limit at L ≤ stop): if ``min(open, stop) × (1 − slippage) ≥ L`` it fills there;
  otherwise it rests at L and fills at L in the first later bar whose high reaches L (in the
  trigger bar itself only after a gap, since then every trade of the bar comes after the
  trigger); if none does, it is still open after the last bar.

:func:`gapped_ohlc` makes seeded paths with gaps between bars (GBM bars from
:func:`~microfut_lib.simulate.gbm_ohlc`, each bar's open shifted from the previous close with
probability ``gap_probability`` by a normal log-jump of standard deviation ``gap_vol``: a weekend
close on CME, a halt, or a flash move through a thin book), and :func:`simulate_stop_fills` runs
both order types on many such paths. Sources: CME Group, "Stop orders" (CME Globex order types:
stop-market and stop-limit, with the protection of a limit); Binance Futures, "Stop-Limit and
Stop-Market orders".
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import choice, scalar, side_sign, whole_number
from .data import Bars, as_bars

__all__ = ["gapped_ohlc", "StopFill", "stop_fill", "StopFillStats", "simulate_stop_fills"]

ORDER_TYPES = ("market", "limit")
HOURS_PER_YEAR = 365.0 * 24.0


def _gapped_paths(rng, n_paths, n_bars, start_price, annual_vol, bar_hours, gap_probability, gap_vol,
                  annual_drift, steps_per_bar=12):
    """Open/high/low/close arrays (n_paths × n_bars) of gapped GBM paths, all paths at once.

    Within a bar: the log-price steps of :func:`~microfut_lib.simulate.gbm_ohlc`,
    ``(μ − σ²/2)·dt + σ·√dt·Z`` over ``steps_per_bar`` sub-steps; between bars the gap ``J_k``.
    """
    dt = bar_hours / HOURS_PER_YEAR / steps_per_bar
    z = rng.standard_normal((n_paths, n_bars, steps_per_bar))
    steps = (annual_drift - 0.5 * annual_vol**2) * dt + annual_vol * math.sqrt(dt) * z
    jumps = np.where(rng.random((n_paths, n_bars)) < gap_probability,
                     rng.normal(0.0, 1.0, (n_paths, n_bars)) * gap_vol, 0.0)
    jumps[:, 0] = 0.0
    within = np.cumsum(steps, axis=2)                                  # from each bar's open
    bar_move = within[:, :, -1] + jumps
    open_log = np.cumsum(bar_move, axis=1) - within[:, :, -1]          # log(open / start)
    path = open_log[:, :, None] + within
    scale = float(start_price)
    high = np.maximum(path.max(axis=2), open_log)
    low = np.minimum(path.min(axis=2), open_log)
    return (scale * np.exp(open_log), scale * np.exp(high), scale * np.exp(low),
            scale * np.exp(path[:, :, -1]))


def _path_args(start_price, annual_vol, bar_hours, gap_probability, gap_vol, annual_drift):
    return (scalar("start_price", start_price, gt=0.0),
            scalar("annual_vol", annual_vol, ge=0.0, le=10.0, note="(a fraction per year: 0.6 = 60 %)"),
            scalar("bar_hours", bar_hours, gt=0.0),
            scalar("gap_probability", gap_probability, ge=0.0, le=1.0),
            scalar("gap_vol", gap_vol, ge=0.0, le=1.0, note="(a fraction: 0.02 = 2 %)"),
            scalar("annual_drift", annual_drift, ge=-10.0, le=10.0))


def gapped_ohlc(n_bars, *, start_price=70_000.0, annual_vol=0.6, bar_hours=1.0, gap_probability=0.0,
                gap_vol=0.02, annual_drift=0.0, seed=None) -> Bars:
    """GBM bars whose opens may gap away from the previous close (seeded).

    Between bar k − 1 and bar k (k ≥ 1) the log-price jumps by ``J_k ~ N(0, gap_vol²)`` with
    probability ``gap_probability`` (else 0), so ``open_k = close_(k−1) × exp(J_k)``; within a bar
    the price follows GBM as in :func:`~microfut_lib.simulate.gbm_ohlc` (12 sub-steps per bar give
    the high and low). The first bar opens at ``start_price``. Bar times are hours from 0.

    Examples
    --------
    >>> bars = gapped_ohlc(48, gap_probability=0.1, gap_vol=0.03, seed=3)
    >>> gaps = bars.open[1:] / bars.close[:-1] - 1
    >>> int((abs(gaps) > 1e-12).sum()), float(bars.open[0])
    (5, 70000.0)
    """
    n_bars = whole_number("n_bars", n_bars)
    args = _path_args(start_price, annual_vol, bar_hours, gap_probability, gap_vol, annual_drift)
    o, h, lo, c = _gapped_paths(np.random.default_rng(seed), 1, n_bars, *args)
    return Bars(open=o[0], high=h[0], low=lo[0], close=c[0])


@dataclass(frozen=True)
class StopFill:
    """Where a stop order filled on a series of bars.

    ``trigger_bar``/``fill_bar`` are -1 when it never triggered/filled; ``fill_price`` is None
    when it did not fill. ``gap`` is True when the trigger bar opened through the stop.
    ``slippage_vs_stop`` is how much worse than the stop the fill is, as a fraction of the stop
    (0.01 = 1 % worse; 0 for a fill at the stop).
    """

    order: str
    triggered: bool
    filled: bool
    trigger_bar: int
    fill_bar: int
    fill_price: float | None
    gap: bool
    slippage_vs_stop: float | None


def _fills(open_, high, low, stop, side, limit, slippage):
    """Vectorized core over paths × bars arrays. Returns (trigger, gap, market, limit_fill, limit_bar).

    A short is turned into a long by negating prices (its "low" is −high).
    """
    s = side
    o = s * open_
    lo = s * np.where(s > 0, low, high)
    hi = s * np.where(s > 0, high, low)
    st, lim = s * stop, s * limit
    hit = lo <= st
    any_hit = hit.any(axis=1)
    trig = np.where(any_hit, hit.argmax(axis=1), -1)
    rows = np.arange(o.shape[0])
    t = np.maximum(trig, 0)
    open_at = o[rows, t]
    gap = any_hit & (open_at <= st)
    first_trade = np.minimum(open_at, st)                 # in the mirrored (long) space
    real_first = s * first_trade
    market = real_first * (1.0 - s * slippage)
    at_once = any_hit & (s * market >= lim)
    # otherwise: rests at the limit; fills at the first later bar whose (mirrored) high reaches it
    cols = np.arange(o.shape[1])
    later = (cols[None, :] > trig[:, None]) | ((cols[None, :] == trig[:, None]) & gap[:, None])
    back = later & (hi >= lim) & any_hit[:, None]
    comes_back = back.any(axis=1) & ~at_once
    limit_bar = np.where(at_once, trig, np.where(comes_back, back.argmax(axis=1), -1))
    limit_fill = np.where(at_once, market, np.where(comes_back, limit, np.nan))
    return trig, gap, np.where(any_hit, market, np.nan), limit_fill, limit_bar


def _check_order(side, stop_price, order, limit_price, slippage):
    s = side_sign(side)
    stop = scalar("stop_price", stop_price, gt=0.0)
    choice("order", order, ORDER_TYPES)
    slip = scalar("slippage", slippage, ge=0.0, lt=0.5, note="(a fraction: 0.001 = 0.1 %)")
    if order == "market":
        return s, stop, stop * (1.0 - s * 0.5), slip       # the limit is unused for a market order
    if limit_price is None:
        raise ValueError("limit_price is required for order='limit' (a stop-limit order)")
    limit = scalar("limit_price", limit_price, gt=0.0)
    if s * (limit - stop) > 0:
        raise ValueError(f"limit_price must be at or {'below' if s > 0 else 'above'} the stop_price for "
                         f"a {'long' if s > 0 else 'short'}'s stop; got {limit:g} against {stop:g}")
    return s, stop, limit, slip


def stop_fill(bars, stop_price, side: str, *, order="market", limit_price=None,
              slippage=0.0) -> StopFill:
    """Fill of the stop protecting a ``side`` position on ``bars`` (conventions in the module notes).

    Examples
    --------
    A long's stop at 97 on three bars; the second opens at 95, through the stop:

    >>> bars = Bars(open=[100, 95, 96], high=[101, 97, 99], low=[99, 94, 95], close=[99, 96, 98])
    >>> stop_fill(bars, 97, "long", slippage=0.001).fill_price        # the gap, not the stop
    94.905
    >>> f = stop_fill(bars, 97, "long", order="limit", limit_price=96.5)
    >>> f.filled, f.fill_bar, f.fill_price                           # rests, then fills at 96.5
    (True, 1, 96.5)
    >>> stop_fill(bars, 97, "long", order="limit", limit_price=96.5).slippage_vs_stop < 0.01
    True
    """
    data = as_bars(bars)
    s, stop, limit, slip = _check_order(side, stop_price, order, limit_price, slippage)
    trig, gap, market, limit_fill, limit_bar = _fills(
        data.open[None, :], data.high[None, :], data.low[None, :], stop, s, limit, slip)
    t = int(trig[0])
    if order == "market":
        price, bar = (None, -1) if t < 0 else (float(market[0]), t)
    else:
        bar = int(limit_bar[0])
        price = None if bar < 0 else float(limit_fill[0])
    worse = None if price is None else s * (stop - price) / stop
    return StopFill(order, t >= 0, price is not None, t, bar, price, bool(gap[0]), worse)


@dataclass(frozen=True)
class StopFillStats:
    """Summary of :func:`simulate_stop_fills`: fractions of the number of paths that triggered.

    ``gap_share`` triggered through a gap; ``market_slippage_mean``/``_p95``/``_worst`` how much
    worse than the stop the stop-market filled (fractions of the stop price); ``limit_unfilled_share``
    stop-limits still unfilled at the end; ``limit_late_share`` stop-limits that filled only after
    resting. ``triggered`` is the number of paths whose stop triggered (of ``n_paths``).
    """

    n_paths: int
    triggered: int
    gap_share: float
    market_slippage_mean: float
    market_slippage_p95: float
    market_slippage_worst: float
    limit_unfilled_share: float
    limit_late_share: float
    market_slippage: np.ndarray

    def __str__(self) -> str:
        return (f"{self.triggered:,} of {self.n_paths:,} stops triggered, "
                f"{self.gap_share:.1%} through a gap\n"
                f"stop-market: {self.market_slippage_mean:.3%} worse than the stop on average,\n"
                f"             {self.market_slippage_p95:.3%} at the 95th percentile, "
                f"{self.market_slippage_worst:.2%} at worst\n"
                f"stop-limit:  {self.limit_unfilled_share:.1%} never filled, "
                f"{self.limit_late_share:.1%} filled after resting")


def simulate_stop_fills(n_paths=2_000, *, stop_pct=2.0, limit_pct=0.5, slippage=0.0005, n_bars=72,
                        annual_vol=0.6, gap_probability=0.02, gap_vol=0.02, side="long",
                        seed=None) -> StopFillStats:
    """Stop-market vs stop-limit on ``n_paths`` seeded :func:`gapped_ohlc` paths of ``n_bars`` hours.

    The position is opened at the first open (70,000); its stop is ``stop_pct`` % away on the
    losing side, and the stop-limit's limit ``limit_pct`` % beyond the stop.

    Examples
    --------
    >>> r = simulate_stop_fills(500, gap_probability=0.05, gap_vol=0.03, seed=1)
    >>> r.triggered > 0, r.market_slippage_worst > r.market_slippage_mean > 0.0005
    (True, True)
    """
    n_paths = whole_number("n_paths", n_paths)
    n_bars = whole_number("n_bars", n_bars)
    s = side_sign(side)
    stop_frac = scalar("stop_pct", stop_pct, gt=0.0, lt=100.0, note="(a percentage: 2 = 2 %)") / 100
    limit_frac = scalar("limit_pct", limit_pct, ge=0.0, lt=50.0, note="(a percentage beyond the stop)") / 100
    args = _path_args(70_000.0, annual_vol, 1.0, gap_probability, gap_vol, 0.0)
    opens, highs, lows, _ = _gapped_paths(np.random.default_rng(seed), n_paths, n_bars, *args)
    entry = float(opens[0, 0])
    stop = entry * (1.0 - s * stop_frac)
    limit = stop * (1.0 - s * limit_frac)
    _, _, _, slip = _check_order(side, stop, "limit", limit, slippage)
    trig, gap, market, limit_fill, limit_bar = _fills(opens, highs, lows, stop, s, limit, slip)
    done = trig >= 0
    n = int(done.sum())
    worse = s * (stop - market[done]) / stop
    if n == 0:
        return StopFillStats(n_paths, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, worse)
    return StopFillStats(n_paths, n, float(gap[done].mean()), float(worse.mean()),
                         float(np.quantile(worse, 0.95)), float(worse.max()),
                         float((limit_bar[done] < 0).mean()),
                         float((limit_bar[done] > trig[done]).mean()), worse)
