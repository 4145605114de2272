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
   qty (both linear and inverse formulas), so one call per side serves every trade (until
   funding moves it, item 9). It is checked against each bar's adverse extreme (low for a long,
   high for a short), from the entry bar on; a stop placed closer to the entry fires first. A
   liquidated position loses its whole isolated margin (the exchange closes it and keeps what
   is left above bankruptcy: Binance "Liquidation Protocols"); the trade shows the liquidation
   price as its exit and ``−margin`` as its PnL, and pays no separate fee. An exit fill at or
   beyond the liquidation price (a gap through it) is a liquidation too.
9. **Funding** every ``funding_every`` bars, at the close of bars ``N−1, 2N−1, …``, on positions
   open at that close: ``funding_payment(close, qty, contract, side, rate)``. It settles against
   the position's isolated margin, never the rest of the balance, so paying funding moves the
   liquidation price towards the price, and a position whose margin balance funding takes to
   the maintenance margin is liquidated at that close (:mod:`microfut_lib.engine`). A liquidated
   trade's ``pnl`` is then ``−(margin + funding received)``: with its funding, it loses exactly
   the margin posted. An isolated account's equity never goes below zero without a
   liquidation.
10. **Equity** is the wallet (initial equity, closed PnL, fees, funding) plus the open position's
    PnL at each bar's close, so ``equity[-1]`` is backtesting.py's final equity.
11. **End of data.** A position still open at the last bar is not a closed trade and does not
    count in the statistics (backtesting.py's default ``finalize_trades=False``); it is reported
    in ``open_position`` and valued in the equity curve. With ``close_at_end=True`` it is closed
    at the last close instead (exit reason ``"end"``, taker fee).

**Implementation.** When each position opens and closes does not depend on the quantities (every
amount of money is proportional to qty), so :class:`~microfut_lib.engine.PositionFinder` finds
the positions first, with array operations. The money of every position then comes from one
vectorized call of each core function for one contract; the funding of one contract at each bar
is computed once and serves the engine, the trades and the equity curve. Only the sizing is
inherently sequential, since each size depends on the equity the trades before it left: one tight
loop over the trades (not over the bars), with plain floats. The signals live in
:mod:`microfut_lib.signals`.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import engine
from ._validate import as_float_array, check_contract, choice, leverage_array, scalar, whole_number
from .contracts import ContractSpec
from .data import Bars, as_bars
from .engine import ExitRules, PositionFinder, held_bars
from .funding import funding_payment
from .journal import Journal, Table, Trade, trade_table
from .margin import initial_margin, notional
from .outcomes import ExitReason, summarize
from .profit import pnl, trading_fee
from .risk import risk_at_stop

__all__ = ["backtest", "BacktestResult", "BacktestSettings", "UNITS", "SIZINGS", "ORDER_TYPES"]

SIZINGS = ("all_in", "fixed", "fraction", "risk")
ORDER_TYPES = ("market", "limit")
FULL_EQUITY = 1.0 - sys.float_info.epsilon
#: ExitReason of each engine code (None: still open at the end).
REASON_OF_CODE = (ExitReason.SIGNAL, ExitReason.STOP, ExitReason.LIQUIDATION, None, ExitReason.END)

UNITS = ContractSpec(symbol="UNITS", contract_size=1.0, kind="linear", base="UNIT", quote="USD",
                     qty_step=1.0, max_leverage=None, maintenance_margin_rate=0.0,
                     source="A plain asset traded in whole units (the convention of backtesting.py "
                            "and most stock backtesters); used to compare against them.")
"""One unit of a plain asset, whole units only, no leverage cap, no maintenance margin."""


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
        unrealized_pnl, funding, fees, initial_margin), or None.
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
                f"{st['max_drawdown_bars']:.2%}, {st['n_liquidations']} liquidations)")

    def trade_table(self) -> Table:
        """The closed trades as a table (displays as HTML in a notebook)."""
        return trade_table(self.trades)

    def journal(self) -> Journal:
        """The closed trades as a :class:`~microfut_lib.journal.Journal`."""
        return Journal(self.trades, self.stats["initial_equity"])


@dataclass(frozen=True)
class BacktestSettings:
    """The inputs of :func:`backtest` once checked (fee rates resolved, funding per bar).

    ``fee_in`` is the rate of entries and signal exits (maker with limit orders), ``fee_stop``
    that of stops and of the close at the end (taker). ``funding_long`` is the funding one
    contract held long receives at each bar's close (None when no funding is paid).
    """

    initial_equity: float
    leverage: float
    sizing: str
    size: float | None
    stop_loss: float | None
    maker_fee: float
    taker_fee: float
    fee_in: float
    fee_stop: float
    mmr: float
    close_at_end: bool
    funding_long: np.ndarray | None = field(repr=False)


def _check_signals(signals: Any, n: int) -> np.ndarray:
    raw = np.asarray(signals)
    if raw.dtype.kind not in "iuf":             # no strings, booleans, None or complex numbers
        raise ValueError(f"signals must be numbers (+1, -1, 0 or NaN), one per bar; got an array of "
                         f"dtype {raw.dtype}")
    sig = raw.astype(float)
    if sig.shape != (n,):
        raise ValueError(f"signals must have one value per bar ({n}); got shape {sig.shape}")
    ok = np.isnan(sig) | (sig == 1.0) | (sig == -1.0) | (sig == 0.0)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise ValueError(f"signals must be +1 (long), -1 (short), 0 (flat) or NaN (no instruction); "
                         f"got {sig[i]:g} at bar {i}")
    return sig


def _check_sizing(sizing: Any, size: Any, stop_loss: Any) -> tuple[float | None, float | None]:
    choice("sizing", sizing, SIZINGS)
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
    return size, stop_loss


def _funding_per_contract(bars: Bars, contract: ContractSpec, funding_rate: Any,
                          funding_every: Any) -> np.ndarray | None:
    """Funding one long contract receives at each bar's close (0 between settlements), or None."""
    n = len(bars)
    every = whole_number("funding_every", funding_every, 1, unit="bars")
    note = "(a fraction per interval: 0.0001 = 0.01 %)"
    if np.ndim(funding_rate) == 0:
        value = scalar("funding_rate", funding_rate, ge=-0.05, le=0.05, note=note)
        if value == 0.0:
            return None
        rate = np.full(n, value)
    else:
        rate = as_float_array("funding_rate", funding_rate, ge=-0.05, le=0.05, note=note)
    if rate.shape != (n,):
        raise ValueError(f"funding_rate must be one number or one per bar ({n}); got shape "
                         f"{rate.shape}")
    bars_paid = np.arange(every - 1, n, every)
    bars_paid = bars_paid[rate[bars_paid] != 0.0]
    if not bars_paid.size:
        return None
    out = np.zeros(n)
    out[bars_paid] = funding_payment(bars.close[bars_paid], np.ones(bars_paid.size), contract, "long",
                                     rate[bars_paid])
    return out


def _check_inputs(bars, signals, contract, kw: dict[str, Any]):
    """(bars, signals, settings): every input of :func:`backtest` checked once."""
    check_contract(contract)
    bars = as_bars(bars)
    sig = _check_signals(signals, len(bars))
    equity0 = scalar("initial_equity", kw["initial_equity"], gt=0.0)
    lev = float(leverage_array(kw["leverage"], contract))
    size, stop_loss = _check_sizing(kw["sizing"], kw["size"], kw["stop_loss"])
    choice("order_type", kw["order_type"], ORDER_TYPES)
    rates = {}
    for name, published in (("maker_fee", contract.maker_fee), ("taker_fee", contract.taker_fee)):
        given = kw[name]
        value = given if given is not None else published if published is not None else 0.0
        rates[name] = scalar(name, value, ge=0.0, le=0.1, note="(0.0005 = 0.05 %)")
    mmr = kw["mmr"] if kw["mmr"] is not None else (contract.maintenance_margin_rate or 0.0)
    mmr = scalar("mmr", mmr, ge=0.0, lt=1.0 / lev, note=f"(below 1/leverage = {1.0 / lev:g})")
    if not isinstance(kw["close_at_end"], (bool, np.bool_)):
        raise ValueError(f"close_at_end must be True or False; got {kw['close_at_end']!r}")
    funding = _funding_per_contract(bars, contract, kw["funding_rate"], kw["funding_every"])
    fee_in = rates["maker_fee"] if kw["order_type"] == "limit" else rates["taker_fee"]
    settings = BacktestSettings(equity0, lev, kw["sizing"], size, stop_loss, rates["maker_fee"],
                                rates["taker_fee"], fee_in, rates["taker_fee"], mmr,
                                bool(kw["close_at_end"]), funding)
    return bars, sig, settings


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
        ``stats`` holds initial_equity, final_equity, total_return, the statistics of
        :func:`~microfut_lib.outcomes.summarize` over the closed trades (n_trades, win_rate,
        expectancy, average_r, max_drawdown_closed over the balance after each closed trade,
        max_drawdown_bars over the equity at every bar's close, closed_pnl, closed_equity,
        n_liquidations, n_stops), fees_paid, funding_received, skipped_entries, exposure
        (fraction of bars in a position), buy_and_hold_return, leverage, maker_fee and taker_fee.

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
    bars, sig, st = _check_inputs(bars, signals, contract, dict(
        initial_equity=initial_equity, leverage=leverage, sizing=sizing, size=size,
        stop_loss=stop_loss, maker_fee=maker_fee, taker_fee=taker_fee, order_type=order_type,
        funding_rate=funding_rate, funding_every=funding_every, mmr=mmr, close_at_end=close_at_end))
    finder = PositionFinder(bars, sig, ExitRules(contract, st.leverage, st.mmr, st.stop_loss,
                                                 st.funding_long))
    money = _Money(bars, contract, st, finder.cum_funding)
    qty, rows, skipped = _size_positions(money, finder)
    return _assemble(money, qty, rows, skipped)


class _Money:
    """Every amount of each position for one contract (all amounts are proportional to qty)."""

    def __init__(self, bars: Bars, contract: ContractSpec, st: BacktestSettings,
                 cum_funding: np.ndarray | None):
        self.bars, self.contract, self.st, self.cum_funding = bars, contract, st, cum_funding

    def per_contract(self, pos: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """One vectorized core call per amount, for the positions ``pos`` (engine columns)."""
        st, contract, n = self.st, self.contract, len(self.bars)
        o, c = self.bars.open, self.bars.close
        side, entry_bar, code = pos["side"], pos["entry_bar"], pos["code"].copy()
        funding_end = pos["funding_end"].copy()
        if st.close_at_end:
            ending = code == engine.OPEN
            code[ending], funding_end[ending] = engine.END, n - 1
        count = side.size
        entry, one = o[entry_bar], np.ones(count)
        exit_px = np.where(code == engine.END, c[-1], pos["exit_price"])
        exit_px = np.where(np.isnan(exit_px), entry, exit_px)            # still open: not used
        exit_rate = np.select([code == engine.SIGNAL, (code == engine.STOP) | (code == engine.END)],
                              [st.fee_in, st.fee_stop], 0.0)
        margin1 = np.asarray(initial_margin(entry, one, contract, st.leverage))
        funding1 = np.zeros(count)
        if self.cum_funding is not None:
            funding1 = side * (self.cum_funding[funding_end] - self.cum_funding[entry_bar])
        # a liquidation loses the whole isolated margin: what was posted, plus the funding it got
        pnl1 = np.where(code == engine.LIQUIDATION, -(margin1 + funding1),
                        side * np.asarray(pnl(entry, exit_px, one, contract, "long")))
        fees1 = np.asarray(trading_fee(np.concatenate((entry, exit_px)), np.ones(2 * count), contract,
                                       np.concatenate((np.full(count, st.fee_in), exit_rate))))
        risk1 = np.full(count, math.nan)
        if st.stop_loss is not None:
            risk1 = np.asarray(risk_at_stop(entry, entry * (1.0 - side * st.stop_loss), one, contract))
        return {"side": side, "entry_bar": entry_bar, "exit_bar": np.minimum(pos["exit_bar"], n - 1),
                "mark_end": np.where(code == engine.OPEN, n, np.minimum(pos["exit_bar"], n - 1)),
                "funding_end": funding_end, "entry": entry, "exit": exit_px, "margin1": margin1,
                "cost1": (np.asarray(notional(entry, one, contract)) if st.sizing == "all_in"
                          else margin1) + fees1[:count],
                "net1": np.where(code == engine.OPEN, 0.0,
                                 pnl1 - fees1[:count] - fees1[count:] + funding1),
                "fee_in1": fees1[:count], "fee_out1": fees1[count:], "pnl1": pnl1,
                "funding1": funding1, "risk1": risk1, "code": code, "event": pos["event"],
                "end": pos["end"]}


def _size_positions(money: _Money, finder: PositionFinder):
    """(qty of each position taken, the rows taken, entries skipped), position by position.

    An entry whose size rounds to zero is skipped; from there the engine starts flat again
    (:meth:`~microfut_lib.engine.PositionFinder.after_skip`) and its positions replace those
    that followed the skipped one up to the instruction that would have closed it. One tight
    loop over plain floats; it restarts after such a replacement.
    """
    pc = money.per_contract(finder.positions())
    size_of = _sizer(money.contract, money.st)
    qtys: list[float] = []
    rows: list[int] = []
    skipped, eq, start = 0, money.st.initial_equity, 0
    while start is not None:
        begin, start = start, None
        cols = zip(pc["cost1"][begin:].tolist(), pc["risk1"][begin:].tolist(),
                   pc["net1"][begin:].tolist())
        for k, (cost1, risk1, net1) in enumerate(cols, start=begin):
            if eq <= 0.0:
                break
            qty = size_of(eq, cost1, risk1)
            if qty > 0.0:
                qtys.append(qty)
                rows.append(k)
                eq += qty * net1
                continue
            skipped += 1
            replaced = _replace_after_skip(money, finder, pc, k)
            if replaced is not None:
                pc, start = replaced, k + 1
                break
    taken = np.asarray(rows, dtype=np.int64)
    return np.array(qtys), {key: arr[taken] for key, arr in pc.items()}, skipped


def _replace_after_skip(money: _Money, finder: PositionFinder, pc: dict[str, np.ndarray], k: int):
    """The positions with row ``k`` skipped, or None when nothing but that entry changes."""
    end = pc["end"][k]
    drop = int(np.cumprod(pc["end"][k + 1:] == end).sum())     # its stop-and-reenter chain
    fresh = finder.after_skip(int(pc["event"][k]), int(end))
    if not (fresh["side"].size or drop):
        return None
    fresh = money.per_contract(fresh)
    return {key: np.concatenate((pc[key][:k + 1], fresh[key], pc[key][k + 1 + drop:])) for key in pc}


def _sizer(contract: ContractSpec, st: BacktestSettings):
    """The sizing rule of the module notes as a function of plain floats (one call per trade):
    ``size_of(equity, cost of one contract (notional or margin, plus the entry fee), risk of
    one contract at the stop)``."""
    step, min_qty, lev, size = contract.qty_step, contract.min_qty, st.leverage, st.size

    def floor_steps(x: float) -> float:
        # contracts.floor_to_step's rule on one plain float: the sizing loop runs once per trade,
        # where floor_to_step's array validation would cost more than the rest of the loop
        q = round(math.floor(x / step + 1e-9) * step, 12)
        return q if q + 1e-12 >= min_qty else 0.0

    def all_in(eq: float, cost1: float, risk1: float) -> float:
        qty = float((eq * lev * FULL_EQUITY) // (step * cost1)) * step
        return round(qty, 12) if qty + 1e-12 >= min_qty else 0.0

    def fraction(eq: float, cost1: float, risk1: float) -> float:
        return floor_steps(size * eq / cost1)

    def fixed(eq: float, cost1: float, risk1: float) -> float:
        return min(size, floor_steps(eq / cost1))

    def risk(eq: float, cost1: float, risk1: float) -> float:
        # position_size's rule: floor(equity × risk_fraction / risk_at_stop of one contract)
        return min(floor_steps(eq * size / risk1), floor_steps(eq / cost1))

    return {"all_in": all_in, "fraction": fraction, "fixed": fixed, "risk": risk}[st.sizing]


def _equity(money: _Money, qty: np.ndarray, v: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, int]:
    """(equity at each bar's close, unrealized PnL at each close, bars in a position)."""
    bars, st = money.bars, money.st
    n, c = len(bars), bars.close
    cash = np.zeros(n)                         # wallet changes booked at each bar
    unreal = np.zeros(n)
    if not qty.size:
        return st.initial_equity + unreal, unreal, 0
    side, entry_bar = v["side"], v["entry_bar"]
    seg_of, held = held_bars(entry_bar, v["mark_end"])
    unreal[held] = side[seg_of] * np.asarray(pnl(v["entry"][seg_of], c[held], qty[seg_of],
                                                 money.contract, "long"))
    if st.funding_long is not None:
        seg_f, paid = held_bars(entry_bar, v["funding_end"])
        cash += np.bincount(paid, weights=side[seg_f] * qty[seg_f] * st.funding_long[paid],
                            minlength=n)
    closed = v["code"] != engine.OPEN
    cash += np.bincount(entry_bar, weights=-qty * v["fee_in1"], minlength=n)
    cash += np.bincount(v["exit_bar"][closed], minlength=n,
                        weights=(qty * (v["pnl1"] - v["fee_out1"]))[closed])
    return st.initial_equity + np.cumsum(cash) + unreal, unreal, held.size


def _trades(money: _Money, qty: np.ndarray, v: dict[str, np.ndarray], unreal: np.ndarray):
    """(closed trades, the position still open at the end or None)."""
    m = qty.size
    if not m:
        return [], None
    t = money.bars.time
    gross, fees_in, fees_out = qty * v["pnl1"], qty * v["fee_in1"], qty * v["fee_out1"]
    funding, margin, risk = qty * v["funding1"], qty * v["margin1"], qty * v["risk1"]
    side_names = np.where(v["side"] > 0, "long", "short").tolist()
    times = t[np.concatenate((v["entry_bar"], v["exit_bar"]))].tolist()
    reasons = [REASON_OF_CODE[code] for code in v["code"].tolist()]
    rows = list(zip(side_names, qty.tolist(), v["entry"].tolist(), v["exit"].tolist(),
                    gross.tolist(), (fees_in + fees_out).tolist(), funding.tolist(), risk.tolist(),
                    times[:m], times[m:], v["entry_bar"].tolist(), v["exit_bar"].tolist(), reasons,
                    margin.tolist()))
    if v["code"][-1] != engine.OPEN:              # only the last position can still be open
        return Trade.from_checked_rows(rows), None
    side, q, ep, _, _, _, fund, _, et, _, eb, _, _, mg = rows[-1]
    still = {"side": side, "qty": q, "entry_bar": eb, "entry_time": et, "entry_price": ep,
             "unrealized_pnl": float(unreal[-1]), "funding": fund, "fees": float(fees_in[-1]),
             "initial_margin": mg}
    return Trade.from_checked_rows(rows[:-1]), still


def _assemble(money: _Money, qty: np.ndarray, v: dict[str, np.ndarray], skipped: int) -> BacktestResult:
    """Each trade's money (its per-contract amounts × qty), the equity curve and the stats."""
    bars, st = money.bars, money.st
    equity, unreal, n_held = _equity(money, qty, v)
    trades, open_position = _trades(money, qty, v, unreal)
    closed = v["code"] != engine.OPEN
    net = (qty * (v["pnl1"] - v["fee_in1"] - v["fee_out1"] + v["funding1"]))[closed]
    summary = summarize(net, st.initial_equity, risks=(qty * v["risk1"])[closed],
                        exit_reasons=[t.exit_reason for t in trades], equity_bars=equity)
    stats = {"initial_equity": st.initial_equity, "final_equity": float(equity[-1]),
             "total_return": float(equity[-1] / st.initial_equity - 1.0), **summary,
             "fees_paid": float(np.sum((qty * (v["fee_in1"] + v["fee_out1"]))[closed])),
             "funding_received": float(np.sum((qty * v["funding1"])[closed])),
             "skipped_entries": skipped, "exposure": n_held / len(bars),
             "buy_and_hold_return": float(bars.close[-1] / bars.open[0] - 1.0),
             "leverage": st.leverage, "maker_fee": st.maker_fee, "taker_fee": st.taker_fee}
    return BacktestResult(trades, equity, stats, open_position, bars)
