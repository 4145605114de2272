"""A leveraged backtester for futures on OHLC bars: signals in, trades and an equity curve out.

It plays a signal series the way it would really play out on a perpetual, with leverage, fees,
funding and isolated-margin liquidation, and it uses the core formulas for every amount of money
(:func:`~microfut_lib.margin.liquidation_price`, :func:`~microfut_lib.margin.initial_margin`,
:func:`~microfut_lib.profit.pnl`, :func:`~microfut_lib.profit.trading_fee`,
:func:`~microfut_lib.funding.funding_payment`, :func:`~microfut_lib.risk.risk_at_stop`).

**Conventions (each one checked against backtesting.py 0.6.6 in the tests, where it has one)**

1. **Signals.** ``signals[i]`` is decided at the close of bar ``i``: +1 = be long, −1 = be short,
   0 = be flat, NaN = no new instruction. A signal equal to the position already held is ignored.
2. **Fills at the next open.** An instruction at bar ``i``'s close fills at bar ``i + 1``'s open
   (backtesting.py with ``trade_on_close=False``). An instruction on the last bar has no next
   bar and is dropped.
3. **Exclusive orders.** A signal for the other side first closes the open position, then opens
   the new one at the same open (backtesting.py's ``exclusive_orders=True``).
4. **Crossovers are strict.** :func:`sma_cross_signals` fires at bar ``i`` when
   ``fast[i−1] < slow[i−1]`` and ``fast[i] > slow[i]`` (backtesting.py's ``lib.crossover``); a
   touch without crossing is no signal, and nothing fires before both averages exist.
5. **Sizing** (``sizing=``), in multiples of the contract's ``qty_step``, rounded down:

   - ``"all_in"``: the whole number of steps that ``equity × leverage`` buys after the entry fee,
     ``floor(equity·L·(1 − 2⁻⁵²) / (notional_1 + fee_1))`` with ``notional_1`` and ``fee_1``
     the notional and fee of one step; backtesting.py's default order size (its
     ``_FULL_EQUITY = 1 − 2⁻⁵²`` and the commission inside the price).
   - ``"fixed"``: ``size`` contracts.
   - ``"fraction"``: post ``size × equity`` as margin, fee included:
     ``floor(size·equity / (margin_1 + fee_1))``.
   - ``"risk"``: :func:`~microfut_lib.risk.position_size`'s rule with ``risk_fraction = size``
     and the stop at ``stop_loss`` from the entry (the risk-per-trade rule of the article):
     ``floor(equity × size / risk_at_stop(entry, stop, 1 contract))``, the per-contract risk
     coming from :func:`~microfut_lib.risk.risk_at_stop` once for all trades.

   ``"fixed"`` and ``"risk"`` are capped at what the equity can margin, fee included
   (:func:`~microfut_lib.margin.max_open_qty`'s rule); the tests check every size against
   ``position_size`` and ``max_open_qty``. An entry whose size rounds to zero is skipped and
   counted in ``stats["skipped_entries"]``. Trading stops when equity reaches zero.
6. **Fees.** A fee is ``trading_fee(price, qty, rate)`` on the entry and again on the exit
   (backtesting.py's relative ``commission``). Market orders pay the taker rate; with
   ``order_type="limit"`` entries and signal exits are idealised as limit orders resting at the
   open and pay the maker rate. Stops are stop-market orders: taker.
7. **Stops.** With ``stop_loss = f`` a stop-market order sits at ``entry × (1 − f)`` (long) or
   ``entry × (1 + f)`` (short). It is triggered when a bar's low (long) or high (short) reaches it
   and fills at the stop price, or at the open if the bar opened beyond it (a gap).
8. **Liquidation** (isolated margin, margin = ``notional(entry) / leverage`` fixed at entry):
   the liquidation price is ``entry × liquidation_price(1, 1, contract, side, leverage=L,
   mmr=mmr)``: at a fixed leverage it is proportional to the entry price and does not depend on
   qty (both linear and inverse formulas), so one call per side serves every trade. It is checked against each bar's adverse extreme (low for a long,
   high for a short), from the entry bar on; a stop placed closer to the entry fires first. A
   liquidated position loses its whole isolated margin (the exchange closes it and keeps what
   is left above bankruptcy: Binance "Liquidation Protocols"); the trade shows the liquidation
   price as its exit and ``−margin`` as its PnL, and pays no separate fee. An exit fill at or
   beyond the liquidation price (a gap through it) is a liquidation too.
9. **Funding** every ``funding_every`` bars, at the close of bars ``N−1, 2N−1, …``, on positions
   open at that close: ``funding_payment(close, qty, contract, side, rate)``. It settles against
   the wallet: the isolated margin, hence the liquidation price, stays as set at entry.
10. **Equity** is the wallet (initial equity, closed PnL, fees, funding) plus the open position's
    PnL at each bar's close, so ``equity[-1]`` is backtesting.py's final equity.
11. **End of data.** A position still open at the last bar is not a closed trade and does not
    count in the statistics (backtesting.py's default ``finalize_trades=False``); it is reported
    in ``open_position`` and valued in the equity curve. With ``close_at_end=True`` it is closed
    at the last close instead (exit reason ``"end"``, taker fee).

**Implementation.** The trade timeline (when each position opens and closes) does not depend on
the quantities: at a fixed leverage the liquidation price is a fixed multiple of the entry price,
whatever the qty, and so is the stop. So the timeline is found first, with array operations over
a window of instructions at a time (the extremes of all holding periods from one ``reduceat``);
after a stop or a liquidation the next positions are found one at a time, each holding period
scanned with one vectorized comparison. The money of every trade then comes from one vectorized
call of each core function per contract (all amounts are proportional to qty). Only the sizing is
inherently sequential, since each size depends on the equity the trades before it left: one tight
loop over the trades (not over the bars), with plain floats.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validate import as_float_array, check_contract, choice, leverage_array, scalar, whole_number
from .contracts import PRESETS, ContractSpec  # noqa: F401 (PRESETS: doctests)
from ._validate import price_array as _price_array
from .data import Bars, as_bars
from .funding import funding_payment
from .journal import Journal, Table, Trade, trade_table
from .outcomes import ExitReason, drawdown_of
from .margin import initial_margin, liquidation_price, notional
from .profit import pnl, trading_fee
from .risk import risk_at_stop

__all__ = ["backtest", "BacktestResult", "sma_cross_signals", "sma", "UNITS", "SIZINGS",
           "ORDER_TYPES"]

SIZINGS = ("all_in", "fixed", "fraction", "risk")
ORDER_TYPES = ("market", "limit")
FULL_EQUITY = 1.0 - sys.float_info.epsilon

UNITS = ContractSpec(symbol="UNITS", contract_size=1.0, kind="linear", base="UNIT", quote="USD",
                     qty_step=1.0, max_leverage=None, maintenance_margin_rate=0.0,
                     source="A plain asset traded in whole units (the convention of backtesting.py "
                            "and most stock backtesters); used to compare against them.")
"""One unit of a plain asset, whole units only, no leverage cap, no maintenance margin."""


def _window(name: str, value: Any, n: int) -> int:
    value = whole_number(name, value, 1, unit="bars")
    if value > n:
        raise ValueError(f"{name} ({value} bars) is longer than the data ({n} bars)")
    return int(value)


def _prices(name: str, values: Any) -> np.ndarray:
    arr = _price_array(name, values)              # the bars' check: 1-D, finite, > 0
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
    (no instruction) everywhere else, as backtesting.py's ``crossover`` decides it.

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
    a, b = _sma(c, f), _sma(c, s)
    with np.errstate(invalid="ignore"):
        up = np.zeros(len(c), dtype=bool)
        down = np.zeros(len(c), dtype=bool)
        up[1:] = (a[:-1] < b[:-1]) & (a[1:] > b[1:])
        down[1:] = (a[:-1] > b[:-1]) & (a[1:] < b[1:])
    out = np.full(len(c), np.nan)
    out[up] = 1.0
    out[down] = -1.0 if allow_short else 0.0
    return out


@dataclass(repr=False)
class BacktestResult:
    """What :func:`backtest` returns.

    Attributes
    ----------
    trades : list of Trade
        Closed trades, in order.
    equity : numpy.ndarray
        Equity at each bar's close (settle currency).
    stats : dict
        Summary statistics (see :func:`backtest`).
    open_position : dict or None
        The position still open at the end (side, qty, entry_bar, entry_time, entry_price,
        unrealized_pnl, funding, fees), or None.
    bars : Bars
        The bars the backtest ran on.
    """

    trades: list[Trade]
    equity: np.ndarray
    stats: dict[str, Any]
    open_position: dict[str, Any] | None
    bars: Bars = field(repr=False)

    def __repr__(self) -> str:
        st = self.stats
        still = f", open {self.open_position['side']}" if self.open_position else ""
        return (f"BacktestResult({st['n_trades']} trades{still}, final equity "
                f"{st['final_equity']:,.2f} ({st['total_return']:+.2%}), max drawdown "
                f"{st['max_drawdown']:.2%}, {st['n_liquidations']} liquidations)")

    def trade_table(self) -> Table:
        """The closed trades as a table (displays as HTML in a notebook)."""
        return trade_table(self.trades)

    def journal(self) -> Journal:
        """The closed trades as a :class:`~microfut_lib.journal.Journal`."""
        return Journal(self.trades, self.stats["initial_equity"])


REASONS = ("signal", "stop", "liquidation", "open")       # codes 0..3 in the timeline
REASON_NAMES = tuple(ExitReason(r) for r in ("signal", "stop", "liquidation")) + (None, ExitReason.END)                           # 4: closed at the end (close_at_end)
_COLUMNS = ("side", "entry_bar", "exit_bar", "exit_price", "reason", "event")


def _columns(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Concatenate timeline pieces (dicts of equal-length arrays) into one."""
    if not parts:
        return {"side": np.zeros(0), "entry_bar": np.zeros(0, dtype=np.int64),
                "exit_bar": np.zeros(0, dtype=np.int64), "exit_price": np.zeros(0),
                "reason": np.zeros(0, dtype=np.int64), "event": np.zeros(0, dtype=np.int64)}
    return {k: np.concatenate([np.atleast_1d(part[k]) for part in parts]) for k in _COLUMNS}


def _rows_to_part(rows: list[tuple]) -> dict[str, np.ndarray]:
    return {k: np.array(col) for k, col in zip(_COLUMNS, zip(*rows))}


class _Timeline:
    """Finds when positions open and close; independent of quantities (see module notes).

    The result is a set of columns, one row per position: side (±1), entry_bar, exit_bar (the
    bar of the exit fill; n for a position still open at the end), exit_price, reason (index in
    :data:`REASONS`) and event (the instruction that opened it).
    """

    def __init__(self, bars: Bars, signals: np.ndarray, stop_long, stop_short, liq_long, liq_short):
        self.o, self.h, self.lo = bars.open, bars.high, bars.low
        self.n = len(bars)
        self.ev_bar = np.flatnonzero(~np.isnan(signals))
        self.ev_val = signals[self.ev_bar]
        self._ev_bar, self._ev_val = self.ev_bar.tolist(), self.ev_val.tolist()
        self.stop_long, self.stop_short = stop_long, stop_short
        self.liq_long, self.liq_short = liq_long, liq_short

    def _trigger(self, side: float, j: int, last: int):
        """(first bar in j..last where the stop or the liquidation is reached or −1, liq, stop)."""
        liq = float(self.liq_long[j] if side > 0 else self.liq_short[j])
        stops = self.stop_long if side > 0 else self.stop_short
        stop = None if stops is None else float(stops[j])
        if side > 0:
            trig = liq if stop is None else max(stop, liq)
            hits = self.lo[j:last + 1] <= trig
        else:
            trig = liq if stop is None else min(stop, liq)
            hits = self.h[j:last + 1] >= trig
        first = int(hits.argmax())
        return (j + first if hits[first] else -1), liq, stop

    def _triggered_exit(self, side: float, j: int, k: int, liq: float, stop: float | None):
        """Exit price and reason of a position whose stop or liquidation is reached at bar k."""
        opened = float(self.o[k])
        gapped_liq = k > j and (opened <= liq if side > 0 else opened >= liq)
        if stop is None or gapped_liq or (liq >= stop if side > 0 else liq <= stop):
            return liq, 2
        if k == j:
            return stop, 1
        return (min(opened, stop) if side > 0 else max(opened, stop)), 1

    def _step(self, p: int) -> tuple[tuple | None, int, bool]:
        """The next position from instruction ``p`` on, starting flat, found on its own.

        Returns (row, the instruction to continue from, whether the timeline ends here); the
        row is None when no further position opens.
        """
        n, ev_bar, ev_val = self.n, self._ev_bar, self._ev_val
        m = len(ev_val)
        while p < m and ev_val[p] == 0.0:
            p += 1
        if p >= m or ev_bar[p] + 1 >= n:
            return None, m, True
        side, j = ev_val[p], ev_bar[p] + 1
        q = p + 1
        while q < m and ev_val[q] == side:
            q += 1
        has_exit = q < m and ev_bar[q] + 1 < n
        last = ev_bar[q] if has_exit else n - 1
        k, liq, stop = self._trigger(side, j, last)
        if k >= 0:
            price, reason = self._triggered_exit(side, j, k, liq, stop)
            return (side, j, k, price, reason, p), int(np.searchsorted(self.ev_bar, k, side="left")), False
        if has_exit:
            fill = float(self.o[last + 1])
            gapped = fill <= liq if side > 0 else fill >= liq
            return (side, j, last + 1, liq if gapped else fill, 2 if gapped else 0, p), q, False
        return (side, j, n, math.nan, 3, p), m, True

    def run_loop(self, p: int) -> dict[str, np.ndarray]:
        """Reference: the same timeline, one position at a time (kept to test :meth:`run`)."""
        rows = []
        while True:
            row, p, done = self._step(p)
            if row is not None:
                rows.append(row)
            if done:
                break
        return _columns([_rows_to_part(rows)] if rows else [])

    def run(self, p: int, window: int = 256, rejoin: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Positions from event ``p`` on, starting flat, found a window of events at a time.

        Without stops and liquidations the position after each instruction is simply that
        instruction (+1, −1 or 0), so the positions of a whole window of instructions come from
        a few array operations, and the adverse extreme of every holding period from one
        ``reduceat``. Only the first position whose stop or liquidation is reached is handled on
        its own (:meth:`_trigger`); the timeline then restarts flat from its exit bar. The window
        grows after each clean window; after a stop or liquidation the next positions are found
        one at a time (:meth:`_step`) until 16 in a row end without one.

        With ``rejoin`` (instructions at which another timeline opened positions), it stops before
        the first position opened at one of them: from there on the two timelines are the same.
        The result's ``"resume"`` is that instruction (the number of instructions if none).
        """
        n, o = self.n, self.o
        ev_bar, ev_val = self.ev_bar, self.ev_val
        m = len(ev_bar)
        parts: list[Any] = []                 # dicts of columns, or single rows (tuples)
        rejoin_set = set(rejoin.tolist()) if rejoin is not None else set()
        w = window
        one_by_one = 0                        # positions left to find one at a time
        resume = m
        while p < m:
            if one_by_one:
                # after a stop or liquidation others tend to follow: find the next positions
                # one at a time (cheaper than a window that a stop cuts short), until a run of
                # clean ones says the window can take over again
                row, p, done = self._step(p)
                if row is None:
                    break
                if row[5] in rejoin_set:
                    resume = row[5]
                    break
                parts.append(row)
                one_by_one = 16 if row[4] in (1, 2) else one_by_one - 1
                if done:
                    break
                continue
            hi = min(m, p + w)
            vals, at = ev_val[p:hi], ev_bar[p:hi]
            prev = np.concatenate(([0.0], vals[:-1]))
            change_idx = np.flatnonzero(vals != prev)
            starts = change_idx[vals[change_idx] != 0.0]
            if starts.size == 0:
                p = hi
                continue
            pos = np.searchsorted(change_idx, starts, side="right")
            has_end = pos < change_idx.size
            end_ev = change_idx[np.minimum(pos, change_idx.size - 1)]
            j = at[starts] + 1
            ok = (j < n) & (has_end | (hi == m))
            count = int(ok.size if ok.all() else ok.argmin())
            if count == 0:
                if j[0] >= n:
                    break
                w *= 2                       # a position outlasts the window: look further
                continue
            starts, has_end, end_ev, j = starts[:count], has_end[:count], end_ev[:count], j[:count]
            side = vals[starts]
            end_bar = np.where(has_end, at[end_ev], n - 1)
            exits = has_end & (end_bar + 1 < n)
            last = np.where(exits, end_bar, n - 1)
            liq = np.where(side > 0, self.liq_long[j], self.liq_short[j])
            trig = liq
            if self.stop_long is not None:
                stop = np.where(side > 0, self.stop_long[j], self.stop_short[j])
                trig = np.where(side > 0, np.maximum(stop, liq), np.minimum(stop, liq))
            # extremes of every holding period j..last, on the slice the window spans only
            first_bar, stop_bar = int(j[0]), int(last[-1]) + 1
            bounds = np.empty(2 * count - 1, dtype=np.int64)
            bounds[0::2], bounds[1::2] = j - first_bar, last[:-1] + 1 - first_bar
            lows = np.minimum.reduceat(self.lo[first_bar:stop_bar], bounds)[0::2]
            highs = np.maximum.reduceat(self.h[first_bar:stop_bar], bounds)[0::2]
            hit = np.where(side > 0, lows <= trig, highs >= trig)
            first_hit = int(hit.argmax()) if hit.any() else count
            def closed_by_signals(upto: int) -> dict[str, np.ndarray]:
                """Positions 0..upto−1 of the window: closed by an instruction, or still open."""
                a = slice(0, upto)
                is_open = ~exits[a]
                x = np.where(is_open, n, last[a] + 1)
                fill = np.where(is_open, math.nan, o[np.minimum(x, n - 1)])
                with np.errstate(invalid="ignore"):
                    gapped = ~is_open & np.where(side[a] > 0, fill <= liq[a], fill >= liq[a])
                return {"side": side[a], "entry_bar": j[a], "exit_bar": x,
                        "exit_price": np.where(gapped, liq[a], fill),
                        "reason": np.where(is_open, 3, np.where(gapped, 2, 0)), "event": p + starts[a]}

            if rejoin_set:
                met = np.isin(p + starts[:first_hit + 1], rejoin)
                if met.any():
                    cut = int(met.argmax())          # ≤ first_hit: before any stop in the window
                    if cut:
                        parts.append(closed_by_signals(cut))
                    resume = int(p + starts[cut])
                    break
            if first_hit:
                part = closed_by_signals(first_hit)
                parts.append(part)
                if part["reason"][-1] == 3:
                    break
            if first_hit < count:
                sd, jj, ll = float(side[first_hit]), int(j[first_hit]), int(last[first_hit])
                k, liq_k, stop_k = self._trigger(sd, jj, ll)
                price, reason = self._triggered_exit(sd, jj, k, liq_k, stop_k)
                parts.append((sd, jj, k, price, reason, int(p + starts[first_hit])))
                p = int(np.searchsorted(ev_bar, k, side="left"))
                one_by_one = 16
            else:
                p = p + int(end_ev[-1])
                w = min(4096, max(w, window) * 4)
        # consecutive single rows become one block of columns
        blocks: list[dict[str, np.ndarray]] = []
        rows: list[tuple] = []
        for part in parts:
            if isinstance(part, tuple):
                rows.append(part)
                continue
            if rows:
                blocks.append(_rows_to_part(rows))
                rows = []
            blocks.append(part)
        if rows:
            blocks.append(_rows_to_part(rows))
        out = _columns(blocks)
        out["resume"] = resume
        return out


def _by_side(fn, sides: np.ndarray, *args):
    """:func:`~microfut_lib.profit.pnl` for rows of mixed sides.

    In the PnL formula (and in ``funding_payment``) the short's amount is exactly minus the
    long's (``s × (...)`` with s = ±1), so one vectorized call for "long" on all rows, times the
    side, gives both.
    """
    return np.asarray(fn(*args, "long"), dtype=float) * sides


def _held(entry_bar: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For bars ``entry_bar[k] .. end[k] − 1`` of every segment k: (segment number, bar)."""
    lengths = end - entry_bar
    seg_of = np.repeat(np.arange(len(lengths)), lengths)
    offsets = np.arange(seg_of.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return seg_of, entry_bar[seg_of] + offsets


def backtest(bars, signals, contract: ContractSpec, *, initial_equity=10_000.0, leverage=1.0,
             sizing="all_in", size=None, stop_loss=None, maker_fee=None, taker_fee=None,
             order_type="market", funding_rate=0.0, funding_every=8, mmr=None,
             close_at_end=False) -> BacktestResult:
    """Backtest a signal series on OHLC bars with leverage, fees, funding and liquidation.

    See the module notes for every convention (fills, sizing, fees, stops, liquidation, funding).

    Parameters
    ----------
    bars : Bars or table
        OHLC bars (anything :func:`~microfut_lib.data.as_bars` accepts).
    signals : array_like
        One value per bar: +1 long, −1 short, 0 flat, NaN no instruction.
    contract : ContractSpec
        The product traded (:data:`UNITS` for a plain asset in whole units).
    initial_equity : float
        Starting balance in the settle currency.
    leverage : float
        Isolated-margin leverage, 1 ≤ L ≤ the contract's cap.
    sizing : {"all_in", "fixed", "fraction", "risk"}
        The sizing rule; ``size`` is its parameter (contracts, fraction of equity as margin,
        fraction of equity risked).
    stop_loss : float, optional
        Stop distance as a fraction of the entry price (0.02 = 2 %); required by ``"risk"``.
    maker_fee, taker_fee : float, optional
        Fee rates (0.0005 = 0.05 %); the contract's published rates by default, else 0.
    order_type : {"market", "limit"}
        Whether entries and signal exits pay the taker or the maker rate.
    funding_rate : float or array_like
        Funding rate per interval, one number or one per bar (read at the funding bars).
    funding_every : int
        Bars between funding settlements (8 for hourly bars on an 8-hour perpetual).
    mmr : float, optional
        Maintenance margin rate; the contract's by default.
    close_at_end : bool
        Close a position still open at the end at the last close.

    Returns
    -------
    BacktestResult
        ``stats`` holds initial_equity, final_equity, total_return, max_drawdown (fraction of
        the running peak, over the bar-by-bar equity), n_trades, win_rate, expectancy,
        average_r, n_liquidations, n_stops, fees_paid, funding_received, skipped_entries,
        exposure (fraction of bars in a position) and buy_and_hold_return.

    Examples
    --------
    >>> from microfut_lib.simulate import gbm_ohlc
    >>> bars = gbm_ohlc(2_000, annual_vol=0.6, seed=11)
    >>> signals = sma_cross_signals(bars.close, 24, 96)
    >>> result = backtest(bars, signals, PRESETS["BTC-MICRO"], initial_equity=1_000, leverage=10,
    ...                   sizing="fraction", size=0.1, taker_fee=0.0005)
    >>> result.stats["n_trades"] == len(result.trades), len(result.equity)
    (True, 2000)
    >>> repr(result).startswith("BacktestResult(")
    True
    """
    check_contract(contract)
    bars = as_bars(bars)
    n = len(bars)
    sig = np.asarray(signals, dtype=float)
    if sig.shape != (n,):
        raise ValueError(f"signals must have one value per bar ({n}); got shape {sig.shape}")
    ok = np.isnan(sig) | (sig == 1.0) | (sig == -1.0) | (sig == 0.0)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"signals must be +1 (long), -1 (short), 0 (flat) or NaN (no instruction); "
                         f"got {sig[i]:g} at bar {i}")
    equity0 = scalar("initial_equity", initial_equity, gt=0.0)
    lev = float(leverage_array(leverage, contract))
    choice("sizing", sizing, SIZINGS)
    choice("order_type", order_type, ORDER_TYPES)
    if sizing == "all_in":
        if size is not None:
            raise ValueError("sizing='all_in' takes no size; use sizing='fraction' for a part of equity")
    elif size is None:
        raise ValueError(f"sizing={sizing!r} needs size= (contracts for 'fixed', a fraction of equity "
                         "for 'fraction' and 'risk')")
    elif sizing == "fixed":
        size = scalar("size", size, gt=0.0, note="(contracts)")
    else:
        size = scalar("size", size, gt=0.0, le=1.0, note="(a fraction of equity)")
    if stop_loss is not None:
        stop_loss = scalar("stop_loss", stop_loss, gt=0.0, lt=1.0,
                            note="(a fraction of the entry price: 0.02 = 2 %)")
    if sizing == "risk" and stop_loss is None:
        raise ValueError("sizing='risk' needs stop_loss= (the stop distance that defines the risk)")
    rates = {}
    for name, given, published in (("maker_fee", maker_fee, contract.maker_fee),
                                   ("taker_fee", taker_fee, contract.taker_fee)):
        value = given if given is not None else published if published is not None else 0.0
        rates[name] = scalar(name, value, ge=0.0, le=0.1, note="(0.0005 = 0.05 %)")
    rates["leverage"] = lev
    fee_in = rates["maker_fee"] if order_type == "limit" else rates["taker_fee"]
    fee_stop = rates["taker_fee"]
    mmr_value = mmr if mmr is not None else (contract.maintenance_margin_rate or 0.0)
    mmr_value = scalar("mmr", mmr_value, ge=0.0, lt=1.0 / lev,
                        note=f"(below 1/leverage = {1.0 / lev:g})")
    funding_every = whole_number("funding_every", funding_every, 1, unit="bars")
    if np.ndim(funding_rate) == 0:
        rate_bars = np.full(n, scalar("funding_rate", funding_rate, ge=-0.05, le=0.05,
                                       note="(a fraction per interval: 0.0001 = 0.01 %)"))
    else:
        rate_bars = as_float_array("funding_rate", funding_rate, ge=-0.05, le=0.05,
                                   note="(a fraction per interval: 0.0001 = 0.01 %)")
    if rate_bars.shape != (n,):
        raise ValueError(f"funding_rate must be one number or one per bar ({n}); got shape "
                         f"{rate_bars.shape}")

    o, c = bars.open, bars.close
    # At a fixed leverage the liquidation price is a fixed multiple of the entry price (see the
    # formulas of liquidation_price: M = notional / L scales with the entry), so one call per
    # side gives it for every entry; it is only needed where a position can open.
    candidates = np.flatnonzero(~np.isnan(sig[:-1])) + 1
    liq_long, liq_short = np.zeros(n), np.full(n, np.inf)
    if candidates.size:
        for side, out in (("long", liq_long), ("short", liq_short)):
            ratio = float(liquidation_price(1.0, 1.0, contract, side, leverage=lev, mmr=mmr_value))
            out[candidates] = o[candidates] * ratio
    stop_long = None if stop_loss is None else o * (1.0 - stop_loss)
    stop_short = None if stop_loss is None else o * (1.0 + stop_loss)
    timeline = _Timeline(bars, sig, stop_long, stop_short, liq_long, liq_short)
    funding_bar = np.zeros(n, dtype=bool)
    funding_bar[funding_every - 1::funding_every] = True
    if not np.any(rate_bars[funding_bar] != 0.0):
        funding_bar = None

    def per_contract(tl: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Money of each position for one contract: one vectorized core call per amount.

        Every amount (PnL, fees, margin, funding, risk) is proportional to qty, so the trade's
        amounts are these times its quantity.
        """
        sides, entry_bar, exit_bar = tl["side"], tl["entry_bar"], tl["exit_bar"]
        count = sides.size
        code = tl["reason"].copy()
        if close_at_end:
            code[code == 3] = 4                                          # "end"
        entry = o[entry_bar]
        exit_px = np.where(code == 4, c[-1], tl["exit_price"])
        exit_px = np.where(np.isnan(exit_px), entry, exit_px)           # still open: not used
        exit_rate = np.where(code == 0, fee_in, np.where((code == 1) | (code == 4), fee_stop, 0.0))
        one = np.ones(count)
        margin1 = np.asarray(initial_margin(entry, one, contract, lev))
        pnl1 = np.where(code == 2, -margin1, _by_side(pnl, sides, entry, exit_px, one, contract))
        held_end = np.where(exit_bar >= n, n - 1 if close_at_end else n, exit_bar)
        funding1 = np.zeros(count)
        if funding_bar is not None:
            seg_of, held = _held(entry_bar, held_end)
            paid = funding_bar[held]
            if paid.any():
                fb = held[paid]
                flows = sides[seg_of[paid]] * np.asarray(
                    funding_payment(c[fb], np.ones(fb.size), contract, "long", rate_bars[fb]))
                funding1 = np.bincount(seg_of[paid], weights=flows, minlength=count)
        # entry and exit fees in one call: fee rate at entry, and by exit reason at the exit
        fees1 = np.asarray(trading_fee(np.concatenate((entry, exit_px)), np.ones(2 * count), contract,
                                       np.concatenate((np.full(count, fee_in), exit_rate))))
        risk1 = np.full(count, math.nan)
        if stop_loss is not None:
            risk1 = np.asarray(risk_at_stop(entry, entry * (1.0 - sides * stop_loss), one, contract))
        return {"side": sides, "entry_bar": entry_bar, "exit_bar": np.minimum(exit_bar, n - 1),
                "held_end": held_end, "entry": entry, "exit": exit_px, "margin1": margin1,
                "notional1": np.asarray(notional(entry, one, contract)) if sizing == "all_in" else one,
                "fee_in1": fees1[:count], "fee_out1": fees1[count:],
                "pnl1": pnl1, "funding1": funding1, "risk1": risk1,
                "closed": code != 3, "reason": np.array(REASON_NAMES, dtype=object)[code],
                "event": tl["event"], "code": code}

    step, min_qty = contract.qty_step, contract.min_qty

    def floor_steps(x: float) -> float:
        # contracts.floor_to_step's rule on one plain float: the sizing loop runs once per trade,
        # where floor_to_step's array validation would cost more than the rest of the loop
        q = round(math.floor(x / step + 1e-9) * step, 12)
        return q if q + 1e-12 >= min_qty else 0.0

    pc = per_contract(timeline.run(0))
    keys = ("notional1", "fee_in1", "margin1", "pnl1", "fee_out1", "funding1", "risk1", "event",
            "code")
    lists = {key: pc[key].tolist() for key in keys}
    qtys: list[float] = []
    rows: list[int] = []
    skipped = 0
    eq = equity0
    k = 0
    while k < len(lists["event"]):
        if eq <= 0.0:
            break
        n1, f1, m1 = lists["notional1"][k], lists["fee_in1"][k], lists["margin1"][k]
        if sizing == "all_in":
            qty = float((eq * lev * FULL_EQUITY) // (step * (n1 + f1))) * step
            qty = round(qty, 12) if qty + 1e-12 >= min_qty else 0.0
        elif sizing == "fraction":
            qty = floor_steps(size * eq / (m1 + f1))
        elif sizing == "fixed":
            qty = min(size, floor_steps(eq / (m1 + f1)))
        else:
            # position_size's rule: floor(equity × risk_fraction / risk_at_stop of one contract)
            qty = min(floor_steps(eq * size / lists["risk1"][k]), floor_steps(eq / (m1 + f1)))
        if qty <= 0.0:
            # no position: from here on the timeline starts flat at the next instruction, until it
            # opens a position at an instruction the old timeline also opened one at (from there
            # on the two are the same)
            skipped += 1
            later = pc["event"][k + 1:]
            fresh = timeline.run(lists["event"][k] + 1, rejoin=later)
            dropped = len(later) - int(np.count_nonzero(later >= fresh["resume"]))
            if fresh["side"].size == 0 and dropped == 0:
                k += 1                       # the usual case: nothing changes but this entry
                continue
            fresh = per_contract(fresh)
            pc = {key: np.concatenate((pc[key][:k + 1], fresh[key], pc[key][k + 1 + dropped:]))
                  for key in pc}
            lists = {key: pc[key].tolist() for key in keys}
            k += 1
            continue
        qtys.append(qty)
        rows.append(k)
        if lists["code"][k] != 3:
            eq += qty * (lists["pnl1"][k] - f1 - lists["fee_out1"][k] + lists["funding1"][k])
        k += 1

    return _assemble(bars, contract, np.array(qtys), pc, rows, equity0, rates, funding_bar, rate_bars,
                     skipped)


def _assemble(bars, contract, qty, pc, rows, equity0, rates, funding_bar, rate_bars,
              skipped) -> BacktestResult:
    """Each trade's money (its per-contract amounts × qty) and the bar-by-bar equity curve."""
    n = len(bars)
    o, c, t = bars.open, bars.close, bars.time
    m = len(rows)
    cash = np.zeros(n)                         # wallet changes booked at each bar
    unreal = np.zeros(n)
    trades: list[Trade] = []
    open_position = None
    n_held = 0
    net_closed, codes_closed, r_closed = np.array([]), np.array([], dtype=np.int64), np.array([])
    fees_closed = funding_closed = 0.0
    if m:
        rows = np.asarray(rows)
        v = pc if rows.size == pc["side"].size else {key: arr[rows] for key, arr in pc.items()}
        sides, entry, entry_bar, exit_bar, closed = (v[k] for k in ("side", "entry", "entry_bar",
                                                                    "exit_bar", "closed"))
        gross, fees_in, fees_out = qty * v["pnl1"], qty * v["fee_in1"], qty * v["fee_out1"]
        funding, margin, risk = qty * v["funding1"], qty * v["margin1"], qty * v["risk1"]
        seg_of, held = _held(entry_bar, v["held_end"])
        n_held = held.size
        unreal[held] = _by_side(pnl, sides[seg_of], entry[seg_of], c[held], qty[seg_of], contract)
        if funding_bar is not None:
            paid = funding_bar[held]
            fb = held[paid]
            np.add.at(cash, fb, sides[seg_of[paid]] * qty[seg_of[paid]] * np.asarray(
                funding_payment(c[fb], np.ones(fb.size), contract, "long", rate_bars[fb])))
        cash += np.bincount(entry_bar, weights=-fees_in, minlength=n)
        cash += np.bincount(exit_bar[closed], weights=gross[closed] - fees_out[closed], minlength=n)
        side_names = np.where(sides > 0, "long", "short").tolist()
        times = t[np.concatenate((entry_bar, exit_bar))].tolist()
        rows_ = list(zip(side_names, qty.tolist(), entry.tolist(), v["exit"].tolist(), gross.tolist(),
                         (fees_in + fees_out).tolist(), funding.tolist(), risk.tolist(), times[:m],
                         times[m:], entry_bar.tolist(), exit_bar.tolist(), v["reason"].tolist(),
                         margin.tolist()))
        if closed[-1]:                      # only the last position can still be open
            trades = Trade.from_checked_rows(rows_)
        else:
            trades = Trade.from_checked_rows(rows_[:-1])
            side, q, ep, _, _, _, fund, _, et, _, eb, _, _, mg = rows_[-1]
            open_position = {"side": side, "qty": q, "entry_bar": eb, "entry_time": et,
                             "entry_price": ep, "unrealized_pnl": float(unreal[-1]),
                             "funding": fund, "fees": float(fees_in[-1]), "initial_margin": mg}
        net_closed = (gross - fees_in - fees_out + funding)[closed]
        codes_closed = v["code"][closed]
        fees_closed = float(np.sum((fees_in + fees_out)[closed]))
        funding_closed = float(np.sum(funding[closed]))
        r_closed = net_closed / risk[closed] if not np.isnan(risk).any() else np.array([])
    equity = equity0 + np.cumsum(cash) + unreal
    has = net_closed.size > 0
    stats = {"initial_equity": equity0, "final_equity": float(equity[-1]),
             "total_return": float(equity[-1] / equity0 - 1.0),
             # the journal's definitions, on arrays built here (finite, curve starting > 0)
             "max_drawdown": drawdown_of(np.concatenate(([equity0], equity))),
             "n_trades": len(trades),
             "win_rate": float(np.count_nonzero(net_closed > 0) / net_closed.size) if has else None,
             "expectancy": float(np.mean(net_closed)) if has else None,
             "average_r": float(np.mean(r_closed)) if r_closed.size else None,
             "n_liquidations": int(np.count_nonzero(codes_closed == 2)),
             "n_stops": int(np.count_nonzero(codes_closed == 1)),
             "fees_paid": fees_closed, "funding_received": funding_closed,
             "closed_pnl": float(np.sum(net_closed)),
             "skipped_entries": skipped,
             "exposure": n_held / n,
             "buy_and_hold_return": float(c[-1] / o[0] - 1.0),
             "leverage": rates["leverage"], "maker_fee": rates["maker_fee"],
             "taker_fee": rates["taker_fee"]}
    return BacktestResult(trades, equity, stats, open_position, bars)
