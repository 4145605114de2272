"""When positions open and close: the backtester's position engine (quantities play no part).

Given the bars, a signal series (see :func:`~microfut_lib.backtest.backtest`) and the exit rules
(stop distance, leverage, maintenance margin rate, funding), :class:`PositionFinder` finds every
position's side, entry bar, exit bar, exit price and exit reason. None of these depends on the
position's size: at a fixed leverage the margin, the PnL, the maintenance margin and the funding
are all proportional to the quantity, so the liquidation price (where margin balance =
maintenance margin) is the same for one contract as for a thousand.

**How.** Without stops and liquidations, the position after each instruction is the instruction
itself, so every position (the instruction that opens it and the one that ends it) comes from a
few array operations. Each position's held bars are then checked, all positions at once, against
its stop and liquidation price bar by bar. A position whose stop or liquidation is reached ends
there; if an instruction repeating its side arrives before the one that would have closed it, a
new position opens there (flat, a repeated signal is no longer "the position already held") and
is checked in the next round. Rounds repeat until no new position appears (usually one round).

**Funding moves the liquidation price.** The funding of an isolated position is settled against
its position margin: the position is isolated from the rest of the balance, and nothing outside
it is drawn to keep it alive (the isolated-margin worst case; Bybit's "Position Margin" help
describes this for a balance that cannot cover the fee, some venues always settle it there; a
venue that takes the fee from the free balance first leaves the liquidation price where it
was). After each funding settlement at a bar's close the margin is ``M + F`` (``F`` the funding
received so far, negative when paid); the new liquidation price is that of a position holding
``M + F + PnL(close)`` of margin at the close (:func:`~microfut_lib.margin.liquidation_price`
with ``margin=``; with the mark-price formula this equals the entry-based price with margin
``M + F``, and the tests check it against that formula), in force from the next bar. If the
margin balance at that close is already at or below the maintenance margin, the position is
liquidated at the close. So an isolated position never loses more than its margin, funding
included.

Numpy only.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .contracts import ContractSpec
from .margin import initial_margin, liquidation_price, maintenance_margin
from .profit import pnl

__all__ = ["ExitRules", "PositionFinder", "held_bars", "liquidation_ratio", "SIGNAL", "STOP", "LIQUIDATION", "OPEN",
           "END", "COLUMNS"]

#: Exit codes in the engine's arrays (``backtest`` maps them to ExitReason members).
SIGNAL, STOP, LIQUIDATION, OPEN, END = range(5)
#: One row per position: side (±1), entry_bar, exit_bar (n while still open), exit_price, code,
#: event (the instruction that opened it), end (the instruction that would close it) and
#: funding_end (one past the last bar whose funding the position pays or receives).
COLUMNS = ("side", "entry_bar", "exit_bar", "exit_price", "code", "event", "end", "funding_end")


@dataclass(frozen=True)
class ExitRules:
    """What ends a position besides the signals, checked by the caller.

    ``funding_long`` is the funding one contract held long receives at each bar's close (0 at
    bars without a settlement; a short receives minus it), or None when no funding is paid.
    """

    contract: ContractSpec
    leverage: float
    mmr: float
    stop_loss: float | None
    funding_long: np.ndarray | None


def held_bars(first: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For bars ``first[k] .. end[k] − 1`` of every segment k: (segment number, bar).

    Examples
    --------
    >>> held_bars(np.array([2, 7]), np.array([4, 8]))
    (array([0, 0, 1]), array([2, 3, 7]))
    """
    lengths = end - first
    seg_of = np.repeat(np.arange(len(lengths)), lengths)
    offsets = np.arange(seg_of.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return seg_of, first[seg_of] + offsets


def liquidation_ratio(contract: ContractSpec, side: str, leverage: float, mmr: float) -> float:
    """Liquidation price of a position opened at a price of 1 (isolated, margin = notional / L).

    At a fixed leverage the liquidation price is this multiple of the entry price, whatever the
    entry and the qty. Remembered per (contract, side, leverage, mmr): sliders and many-path
    studies run the backtester again and again with the same ones.

    Examples
    --------
    >>> from microfut_lib.contracts import PRESETS
    >>> round(70_000 * liquidation_ratio(PRESETS["BTC-MICRO"], "long", 10.0, 0.005), 2)
    63316.58
    """
    try:
        return _cached_ratio(contract, side, leverage, mmr)
    except TypeError:                        # a contract with an unhashable field: no memory
        return _cached_ratio.__wrapped__(contract, side, leverage, mmr)


@functools.lru_cache(maxsize=256)
def _cached_ratio(contract: ContractSpec, side: str, leverage: float, mmr: float) -> float:
    return float(liquidation_price(1.0, 1.0, contract, side, leverage=leverage, mmr=mmr))


def _empty() -> dict[str, np.ndarray]:
    ints = ("entry_bar", "exit_bar", "code", "event", "end", "funding_end")
    return {k: np.zeros(0, dtype=np.int64 if k in ints else float) for k in COLUMNS}


class PositionFinder:
    """The positions a signal series takes under :class:`ExitRules` (see the module notes).

    Examples
    --------
    >>> from microfut_lib.contracts import PRESETS
    >>> from microfut_lib.data import Bars
    >>> px = np.array([100.0, 101.0, 99.0, 96.0, 97.0])
    >>> bars = Bars(open=px, high=px + 0.5, low=px - 0.5, close=px)
    >>> rules = ExitRules(PRESETS["BTC-MICRO"], leverage=1.0, mmr=0.0, stop_loss=0.02,
    ...                   funding_long=None)
    >>> pos = PositionFinder(bars, np.array([1.0, np.nan, np.nan, np.nan, -1.0]), rules).positions()
    >>> # long at bar 1's open 101, stop 2 % below at 98.98: bar 2's low 98.5 reaches it
    >>> pos["entry_bar"], pos["exit_bar"], pos["exit_price"], pos["code"] == STOP
    (array([1]), array([2]), array([98.98]), array([ True]))
    """

    def __init__(self, bars, signals: np.ndarray, rules: ExitRules):
        self.o, self.h, self.lo, self.c = bars.open, bars.high, bars.low, bars.close
        self.n = len(self.o)
        self.rules = rules
        self.ev_bar = np.flatnonzero(~np.isnan(signals))
        self.ev_val = signals[self.ev_bar]
        # at a fixed leverage the liquidation price is a fixed multiple of the entry price (the
        # margin scales with the entry): one call per side serves every position
        self.ratio = {side: liquidation_ratio(rules.contract, name, rules.leverage, rules.mmr)
                      for side, name in ((1.0, "long"), (-1.0, "short"))}
        f = rules.funding_long
        self.cum_funding = None if f is None else np.concatenate(([0.0], np.cumsum(f)))

    # ------------------------------------------------------------------ the positions
    def positions(self) -> dict[str, np.ndarray]:
        """Every position from the first instruction on, in order."""
        vals = self.ev_val
        prev = np.concatenate(([0.0], vals[:-1]))
        change = np.flatnonzero(vals != prev)
        starts = change[vals[change] != 0.0]
        after = np.searchsorted(change, starts, side="right")
        ends = np.where(after < change.size, change[np.minimum(after, change.size - 1)],
                        vals.size)
        return self.resolve(starts, ends)

    def after_skip(self, event: int, end: int) -> dict[str, np.ndarray]:
        """The positions that replace one opened at instruction ``event`` but never taken.

        Flat again, the next instruction repeating its side (before ``end``) opens one.
        """
        nxt = np.arange(event + 1, min(event + 2, end))
        return self.resolve(nxt, np.full(nxt.size, end))

    def resolve(self, starts: np.ndarray, ends: np.ndarray) -> dict[str, np.ndarray]:
        """Positions opened at instructions ``starts``, each closed by ``ends`` at the latest.

        Round by round (module notes): a stop or liquidation before ``end`` lets a later
        instruction of the same side open a new position, checked in the next round.
        """
        parts = []
        while starts.size:
            keep = self.ev_bar[starts] + 1 < self.n          # an instruction at the last bar
            starts, ends = starts[keep], ends[keep]           # has no next open to fill at
            if not starts.size:
                break
            part = self._exits(starts, ends)
            parts.append(part)
            cut = part["exit_bar"] < self.n
            cut &= (part["code"] == STOP) | (part["code"] == LIQUIDATION)
            again = np.searchsorted(self.ev_bar, part["exit_bar"][cut], side="left")
            fresh = again < ends[cut]
            starts, ends = again[fresh], ends[cut][fresh]
        if len(parts) < 2:
            return parts[0] if parts else _empty()           # one round: already in order
        out = {k: np.concatenate([p[k] for p in parts]) for k in COLUMNS}
        order = np.argsort(out["event"], kind="stable")
        return {k: v[order] for k, v in out.items()}

    # ------------------------------------------------------------------ one round
    def _exits(self, starts: np.ndarray, ends: np.ndarray) -> dict[str, np.ndarray]:
        """Exit bar, price and reason of the positions opened at ``starts`` (one round)."""
        n, m = self.n, self.ev_val.size
        side = self.ev_val[starts]
        j = self.ev_bar[starts] + 1
        end_bar = self.ev_bar[np.minimum(ends, m - 1)]
        exits = (ends < m) & (end_bar + 1 < n)
        last = np.where(exits, end_bar, n - 1)
        entry = self.o[j]
        base = entry * np.where(side > 0, self.ratio[1.0], self.ratio[-1.0])
        scan = self._hits_fixed if self.cum_funding is None else self._hits_funded
        k, liq_k, intrabar, liq_last = scan(side, j, last, entry, base)
        out = {"side": side, "entry_bar": j, "event": starts, "end": ends}
        out.update(self._signal_exits(side, exits, last, liq_last))
        got = k >= 0
        if got.any():
            price, code = self._triggered(side[got], j[got], k[got], liq_k[got], intrabar[got])
            out["exit_bar"][got], out["exit_price"][got], out["code"][got] = k[got], price, code
            # a liquidation at a funding close paid that funding: its bar counts
            out["funding_end"][got] = k[got] + ~intrabar[got]
        return out

    def _signal_exits(self, side, exits, last, liq) -> dict[str, np.ndarray]:
        """Exits without a stop or liquidation: at the open after the closing instruction (a
        liquidation if that open gaps through ``liq``, the liquidation price after the last
        held close), or still open."""
        n = self.n
        x = np.where(exits, last + 1, n)
        fill = np.where(exits, self.o[np.minimum(x, n - 1)], math.nan)
        with np.errstate(invalid="ignore"):
            gapped = exits & np.where(side > 0, fill <= liq, fill >= liq)
        code = np.where(exits, np.where(gapped, LIQUIDATION, SIGNAL), OPEN)
        return {"exit_bar": x, "exit_price": np.where(gapped, liq, fill), "code": code,
                "funding_end": x.copy()}

    def _trigger(self, s, entry, liq):
        """The price that ends a position of side ``s``: the stop where it sits in front of
        the liquidation price, else the liquidation price."""
        if self.rules.stop_loss is None:
            return liq
        stop = entry * (1.0 - s * self.rules.stop_loss)
        return np.where(s > 0, np.maximum(stop, liq), np.minimum(stop, liq))

    def _first_hits(self, side, entry, seg_of, held, liq_in, drained):
        """Per position, the index into ``held`` of its first bar whose low (long) or high
        (short) reaches its trigger, or where ``drained``; −1 if none. Also, per held bar,
        whether it was reached intrabar."""
        s = side[seg_of]
        trig = self._trigger(s, entry[seg_of], liq_in)
        intrabar = np.where(s > 0, self.lo[held] <= trig, self.h[held] >= trig)
        idx = np.flatnonzero(intrabar | drained)
        first = np.full(side.size, -1)
        segs, at = np.unique(seg_of[idx], return_index=True)
        first[segs] = idx[at]
        return first, intrabar

    def _hits_fixed(self, side, j, last, entry, base):
        """Without funding the liquidation price is fixed: the extremes of every holding period
        (one ``reduceat`` over the bars the round spans) screen out the positions that never
        reach their trigger, and only the others are scanned bar by bar."""
        lo_bar, hi_bar = int(j[0]), int(last[-1]) + 1
        bounds = np.empty(2 * side.size - 1, dtype=np.int64)
        bounds[0::2], bounds[1::2] = j - lo_bar, last[:-1] + 1 - lo_bar
        lows = np.minimum.reduceat(self.lo[lo_bar:hi_bar], bounds)[0::2]
        highs = np.maximum.reduceat(self.h[lo_bar:hi_bar], bounds)[0::2]
        trig = self._trigger(side, entry, base)
        cand = np.flatnonzero(np.where(side > 0, lows <= trig, highs >= trig))
        k = np.full(side.size, -1)
        if cand.size:
            seg_of, held = held_bars(j[cand], last[cand] + 1)
            first, _ = self._first_hits(side[cand], entry[cand], seg_of, held, base[cand][seg_of],
                                        np.zeros(held.size, dtype=bool))
            k[cand] = held[first]
        return k, base, np.ones(side.size, dtype=bool), base

    def _hits_funded(self, side, j, last, entry, base):
        """With funding the liquidation price moves at each settlement: every held bar is
        checked against the price in force during it."""
        seg_of, held = held_bars(j, last + 1)
        liq_in, liq_after, drained = self._liquidation_levels(side, j, base, seg_of, held)
        first, intrabar = self._first_hits(side, entry, seg_of, held, liq_in, drained)
        got = first >= 0
        at = np.where(got, first, 0)
        ends_at = np.searchsorted(seg_of, np.arange(side.size), side="right") - 1
        return (np.where(got, held[at], -1), liq_in[at], intrabar[at] | ~got, liq_after[ends_at])

    def _triggered(self, side, j, k, liq, intrabar) -> tuple[np.ndarray, np.ndarray]:
        """Exit price and code of positions whose stop or liquidation is reached at bars k.

        Liquidated at the liquidation price when no stop sits in front of it or the bar opened
        beyond it; stopped at the stop, or at the open when the bar gapped past the stop; at a
        funding close where the margin ran out, liquidated at that close.
        """
        opened = self.o[k]
        long_ = side > 0
        gapped_liq = (k > j) & np.where(long_, opened <= liq, opened >= liq)
        code = np.full(side.size, LIQUIDATION)
        price = np.where(intrabar, liq, self.c[k])
        if self.rules.stop_loss is not None:
            stop = self.o[j] * (1.0 - side * self.rules.stop_loss)
            stop_first = np.where(long_, liq < stop, liq > stop) & ~gapped_liq & intrabar
            fill = np.where(k == j, stop, np.where(long_, np.minimum(opened, stop),
                                                   np.maximum(opened, stop)))
            code = np.where(stop_first, STOP, code)
            price = np.where(stop_first, fill, price)
        return price, code

    # ------------------------------------------------------------------ liquidation price
    def _liquidation_levels(self, side, j, base, seg_of, held):
        """Per held bar: the liquidation price during the bar, the one after its close, and
        whether the margin ran out at its close (funding, module notes)."""
        drained = np.zeros(held.size, dtype=bool)
        at = np.flatnonzero(self.rules.funding_long[held] != 0.0)
        after = np.full(held.size, math.nan)
        starts = np.flatnonzero(np.diff(seg_of, prepend=-1))
        if at.size:
            lp, gone = self._after_funding(side[seg_of[at]], j[seg_of[at]], held[at])
            after[at] = lp
            drained[at] = gone
        first = np.isnan(after[starts])
        after[starts[first]] = base[seg_of[starts[first]]]
        filled = np.where(np.isnan(after), 0, np.arange(held.size))
        after = after[np.maximum.accumulate(filled)]         # carried forward within a position
        liq_in = np.concatenate(([math.nan], after[:-1]))
        liq_in[starts] = base[seg_of[starts]]
        return liq_in, after, drained

    def _after_funding(self, side, j, bar) -> tuple[np.ndarray, np.ndarray]:
        """Liquidation price after the funding settled at the close of ``bar`` (NaN where the
        margin balance is then at or below the maintenance margin: ``drained``)."""
        r, c = self.rules, self.c[bar]
        entry = self.o[j]
        one = np.ones(bar.size)
        received = side * (self.cum_funding[bar + 1] - self.cum_funding[j])
        balance = (np.asarray(initial_margin(entry, one, r.contract, r.leverage)) + received
                   + side * np.asarray(pnl(entry, c, one, r.contract, "long")))
        gone = balance <= np.asarray(maintenance_margin(c, one, r.contract, r.mmr))
        lp = np.full(bar.size, math.nan)
        for s, name in ((1.0, "long"), (-1.0, "short")):
            ok = (side == s) & ~gone
            if ok.any():
                lp[ok] = liquidation_price(c[ok], one[ok], r.contract, name, margin=balance[ok],
                                           mmr=r.mmr)
        return lp, gone
