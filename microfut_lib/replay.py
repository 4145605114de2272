"""Paper trading on a price path: a session stepped bar by bar, and the same session replayed from actions.

A :class:`PaperSession` walks through OHLC bars (a seeded simulated path by default, or a CSV of
real prices loaded with :func:`~microfut_lib.data.load_ohlc_csv`). At each bar the trader sees
its close and may go long, go short, close, move the stop, or change the contract (micro 0.01 BTC
or nano 0.001 BTC), the number of contracts and the leverage while flat. :func:`replay` plays a
list of such actions from a fresh session, so a whole session is a pure function of its actions
and bars, and can be tested without a browser.

**Conventions** (the same as :mod:`microfut_lib.backtest` wherever both have the rule)

1. **Fills.** A market order (long, short, close) fills at the close of the current bar: the
   last price the trader saw. Entry and exit pay ``trading_fee`` at ``fee_rate`` (taker).
2. **Margin.** Isolated, one position at a time: margin = ``initial_margin(entry, qty,
   contract, leverage)``, fixed at entry. Opening needs the wallet to cover the margin plus the
   entry fee (:func:`~microfut_lib.margin.max_open_qty`'s rule).
3. **Liquidation** by the library's own rule: the liquidation price is
   :func:`~microfut_lib.margin.liquidation_price` (mark-price basis, ``mmr``), checked against
   each later bar's adverse extreme (low for a long, high for a short). A liquidated position
   loses its whole isolated margin (PnL = −margin, exit at the liquidation price, no exit fee).
   A bar that *opens* beyond the liquidation price liquidates too.
4. **Stops** are stop-market orders at a price (``stop_pct`` from the entry when the position
   opens, or moved later). Reached by a bar's low (long) or high (short), they fill at the stop,
   or at the bar's open when it opened beyond the stop (a gap: the fill is worse than the stop).
   Exit at the taker rate. If the liquidation price is reached first (the stop sits beyond it,
   or the bar opened beyond both), the position is liquidated.
5. **Funding** is settled at 00:00, 08:00 and 16:00 UTC of bar time on a position open at that
   moment, on the mark-price notional (taken as the close of the bar in which the funding time
   falls): :func:`~microfut_lib.funding.funding_payment` at ``funding_rate_per_8h``. Bars without
   dates count ``bar_hours`` hours each from hour 0. Funding settles against the wallet; the
   isolated margin and the liquidation price stay as set at entry.
6. **Equity** = wallet + the open position's PnL at the current close. **Margin ratio** =
   maintenance margin / (margin + unrealised PnL) at the close (Binance's "margin ratio":
   liquidation at 100 %).
7. Every closed trade is a :class:`~microfut_lib.journal.Trade` in :attr:`PaperSession.journal`,
   with exit reason ``"manual"`` (close), ``"stop"``, ``"liquidation"`` or ``"end"``
   (:meth:`PaperSession.finish` closes what is open at the last close seen). 1R is the loss at the
   stop set at entry (:func:`~microfut_lib.risk.risk_at_stop`); NaN for a trade opened without one.

Examples
--------
>>> bars = Bars(open=[100, 100, 96], high=[100, 101, 97], low=[100, 95, 90], close=[100, 96, 91])
>>> unit = ContractSpec("UNIT", contract_size=1.0)
>>> result = replay(["long", "next", "next"], bars, contract=unit, qty=1, leverage=2,
...                 stop_pct=4, fee_rate=0, initial_equity=1_000)
>>> trade = result.journal.trades[0]
>>> trade.exit_reason == "stop", trade.exit_price, trade.pnl   # stop at 96, reached inside bar 1
(True, 96.0, -4.0)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, NamedTuple

import numpy as np

from ._validate import choice, scalar, side_sign, whole_number
from .contracts import PRESETS, ContractSpec
from .data import Bars, as_bars
from .funding import funding_payment
from .journal import Journal, Trade
from .margin import initial_margin, liquidation_price, maintenance_margin
from .profit import pnl, trading_fee
from .risk import risk_at_stop
from .simulate import gbm_ohlc

__all__ = ["PaperSession", "SessionState", "Event", "Preview", "ReplayResult", "replay", "default_bars",
           "CONTRACTS", "ACTIONS", "SCRIPTED_SESSION"]

#: The contracts a learner can pick in the replay.
CONTRACTS: dict[str, ContractSpec] = {"micro": PRESETS["BTC-MICRO"], "nano": PRESETS["BTC-NANO"]}

#: Action names ``PaperSession.apply`` understands, with the argument each one takes.
ACTIONS = {"next": "bars (int, default 1)", "long": None, "short": None, "close": None, "end": None,
           "stop_pct": "percent from entry (0 = no stop)", "stop": "price (None = no stop)",
           "leverage": "x", "contract": "'micro' or 'nano' (or a ContractSpec)", "qty": "contracts"}

FUNDING_INTERVAL_S = 8 * 3600
MMR_DEFAULT = 0.004      # Binance BTCUSDT, first bracket (notional up to $50,000)


def default_bars(seed: int = 11, n_bars: int = 24 * 14) -> Bars:
    """Two weeks of hourly bars from $70,000, 60 % annual volatility, seeded (the replay's default).

    Examples
    --------
    >>> bars = default_bars()
    >>> len(bars), float(bars.open[0])
    (336, 70000.0)
    """
    return gbm_ohlc(n_bars, annual_vol=0.6, seed=seed, start="2024-03-01")


class Event(NamedTuple):
    """Something that happened at a bar: ``kind`` is open, close, stop, liquidation, funding or end."""

    bar: int
    kind: str
    message: str


class SessionState(NamedTuple):
    """A snapshot of the session at the close of bar ``bar`` (money in USD)."""

    bar: int
    time: Any
    price_usd: float
    wallet_usd: float
    equity_usd: float
    side: str | None
    qty: float
    contract: str
    leverage: float
    entry_price_usd: float
    stop_price_usd: float
    liquidation_price_usd: float
    margin_usd: float
    unrealized_pnl_usd: float
    margin_ratio: float
    fees_paid_usd: float
    funding_paid_usd: float
    n_trades: int
    finished: bool


class Preview(NamedTuple):
    """The position that :meth:`PaperSession.long` or :meth:`~PaperSession.short` would open now.

    Prices and money in USD; ``stop_price_usd`` and ``risk_usd`` (the loss at the stop, 1R,
    before fees) are NaN without a stop. ``affordable`` is whether the wallet covers the margin
    plus the entry fee.
    """

    side: str
    qty: float
    contract: str
    leverage: float
    entry_price_usd: float
    stop_price_usd: float
    liquidation_price_usd: float
    margin_usd: float
    entry_fee_usd: float
    risk_usd: float
    affordable: bool


@dataclass
class _Position:
    side: str
    qty: float
    contract: ContractSpec
    leverage: float
    entry_price: float
    entry_bar: int
    entry_time: Any
    margin: float
    liq_price: float
    stop_price: float        # NaN: no stop
    risk: float              # 1R at entry, NaN without a stop
    entry_fee: float
    funding: float = 0.0

    @property
    def sign(self) -> float:
        return side_sign(self.side)


def _funding_counts(bars: Bars, bar_hours: float) -> np.ndarray:
    """How many funding times (multiples of 8 h) fall in (start, end] of each bar."""
    n = len(bars)
    if bars.time.dtype.kind == "M":
        start = bars.time.astype("datetime64[s]").astype(np.int64)
        step = int(np.median(np.diff(start))) if n > 1 else int(round(bar_hours * 3600))
    else:
        step = int(round(bar_hours * 3600))
        start = np.arange(n, dtype=np.int64) * step
    end = np.append(start[1:], start[-1] + step)
    return end // FUNDING_INTERVAL_S - start // FUNDING_INTERVAL_S


class PaperSession:
    """A paper-trading session over bars, one position at a time (see the module's conventions).

    Parameters
    ----------
    bars : Bars or table, optional
        The price path; :func:`default_bars` when omitted.
    initial_equity : float
        Starting wallet, USD (> 0).
    contract : {"micro", "nano"} or ContractSpec
        Contract for the next position.
    qty : float
        Contracts for the next position (a multiple of the contract's ``qty_step``).
    leverage : float
        Leverage for the next position (1 to the contract's maximum).
    stop_pct : float
        Stop distance from the entry in percent, set when a position opens (0 = no stop).
    fee_rate : float
        Taker fee as a fraction of notional (0.0005 = 0.05 %).
    funding_rate_per_8h : float
        Funding rate per 8-hour interval, a fraction (0.0001 = 0.01 %; longs pay when > 0).
    mmr : float
        Maintenance margin rate, a fraction (0.004 = 0.4 %).
    start_bar : int
        The bar whose close is "now" when the session starts.
    bar_hours : float
        Length of a bar for bars without dates (funding timing), hours.
    """

    def __init__(self, bars: Any = None, *, initial_equity: float = 1_000.0, contract: Any = "micro",
                 qty: float = 1, leverage: float = 5.0, stop_pct: float = 2.0, fee_rate: float = 0.0005,
                 funding_rate_per_8h: float = 0.0001, mmr: float = MMR_DEFAULT, start_bar: int = 0,
                 bar_hours: float = 1.0) -> None:
        self.bars = default_bars() if bars is None else as_bars(bars)
        self.initial_equity = scalar("initial_equity", initial_equity, gt=0.0)
        self.fee_rate = scalar("fee_rate", fee_rate, ge=0.0, le=0.01, note="(a fraction: 0.0005 = 0.05 %)")
        self.funding_rate = scalar("funding_rate_per_8h", funding_rate_per_8h, ge=-0.01, le=0.01,
                                   note="(a fraction per 8 h: 0.0001 = 0.01 %)")
        self.mmr = scalar("mmr", mmr, ge=0.0, lt=0.5, note="(a fraction: 0.004 = 0.4 %)")
        bar_hours = scalar("bar_hours", bar_hours, gt=0.0)
        start_bar = whole_number("start_bar", start_bar, 0, unit="bars")
        if start_bar >= len(self.bars):
            raise ValueError(f"start_bar must be below the number of bars ({len(self.bars)}); got {start_bar}")
        self._funding = _funding_counts(self.bars, bar_hours)
        self.position: _Position | None = None
        self.finished = False
        self.contract, self.qty, self.leverage, self.stop_pct = CONTRACTS["micro"], 1.0, 1.0, 0.0
        self.set_contract(contract)
        self.set_qty(qty)
        self.set_leverage(leverage)
        self.set_stop_pct(stop_pct)
        self.bar = start_bar
        self.wallet = self.initial_equity
        self.trades: list[Trade] = []
        self.events: list[Event] = []
        self.fees_paid = 0.0
        self.funding_paid = 0.0
        self.equity_history = [self.initial_equity]
        self.history_bars = [start_bar]

    # -- what the trader sees -----------------------------------------------------------------
    @property
    def price(self) -> float:
        """The close of the current bar, USD."""
        return float(self.bars.close[self.bar])

    @property
    def journal(self) -> Journal:
        """The closed trades so far, as a :class:`~microfut_lib.journal.Journal`."""
        return Journal(self.trades, self.initial_equity)

    def unrealized_pnl(self) -> float:
        """PnL of the open position at the current close (0 when flat)."""
        p = self.position
        if p is None:
            return 0.0
        return float(pnl(p.entry_price, self.price, p.qty, p.contract, p.side))

    @property
    def equity(self) -> float:
        """Wallet plus the open position's PnL at the current close."""
        return self.wallet + self.unrealized_pnl()

    def margin_ratio(self) -> float:
        """Maintenance margin / (isolated margin + unrealised PnL); liquidation at 1.0 (NaN when flat)."""
        p = self.position
        if p is None:
            return math.nan
        mm = float(maintenance_margin(self.price, p.qty, p.contract, self.mmr))
        balance = p.margin + self.unrealized_pnl()
        return mm / balance if balance > 0 else math.inf

    def state(self) -> SessionState:
        """A snapshot of everything the readout shows."""
        p = self.position
        nan = math.nan
        return SessionState(
            self.bar, self.bars.time[self.bar], self.price, self.wallet, self.equity,
            None if p is None else p.side, self.qty if p is None else p.qty, self._contract_name(
                self.contract if p is None else p.contract), self.leverage if p is None else p.leverage,
            nan if p is None else p.entry_price, nan if p is None else p.stop_price,
            nan if p is None else p.liq_price, 0.0 if p is None else p.margin, self.unrealized_pnl(),
            self.margin_ratio(), self.fees_paid, self.funding_paid, len(self.trades), self.finished)

    @staticmethod
    def _contract_name(contract: ContractSpec) -> str:
        return next((k for k, v in CONTRACTS.items() if v == contract), contract.symbol)

    # -- settings for the next position -------------------------------------------------------
    def _flat_only(self, what: str) -> None:
        if self.position is not None:
            raise ValueError(f"close the open position before changing the {what} (it applies to "
                             "the next position)")

    def _live(self) -> None:
        if self.finished:
            raise ValueError("the session is finished; start a new one")

    def set_contract(self, contract: Any) -> None:
        """Contract for the next position: ``"micro"`` (0.01 BTC), ``"nano"`` (0.001 BTC) or a spec."""
        self._flat_only("contract")
        if isinstance(contract, ContractSpec):
            if contract.is_inverse:
                raise ValueError("contract must be a linear contract settled in USD for the replay")
            self.contract = contract
        else:
            self.contract = CONTRACTS[choice("contract", contract, tuple(CONTRACTS))]

    def set_qty(self, qty: float) -> None:
        """Number of contracts for the next position (a whole multiple of the contract's qty_step)."""
        self._flat_only("quantity")
        qty = scalar("qty", qty, gt=0.0, le=1_000_000.0)
        steps = qty / self.contract.qty_step
        if abs(steps - round(steps)) > 1e-9 or qty < self.contract.min_qty:
            raise ValueError(f"qty must be a multiple of {self.contract.qty_step:g} contracts and at "
                             f"least {self.contract.min_qty:g}; got {qty:g}")
        self.qty = qty

    def set_leverage(self, leverage: float) -> None:
        """Leverage for the next position (1 to the contract's maximum)."""
        self._flat_only("leverage")
        cap = self.contract.max_leverage or 125.0
        self.leverage = scalar("leverage", leverage, ge=1.0, le=cap, note=f"({self.contract.symbol}'s maximum)")

    def set_stop_pct(self, stop_pct: float) -> None:
        """Stop distance in percent from the entry (0 = no stop); moves the open position's stop too."""
        stop_pct = scalar("stop_pct", stop_pct, ge=0.0, lt=100.0, note="(percent from the entry; 0 = no stop)")
        if 0.0 < stop_pct < 0.01:
            raise ValueError(f"stop_pct must be 0 (no stop) or at least 0.01 (percent); got {stop_pct:g}")
        p = self.position
        if p is not None:
            self.set_stop(p.entry_price * (1.0 - p.sign * stop_pct / 100.0) if stop_pct > 0 else None)
        self.stop_pct = stop_pct

    def set_stop(self, stop_price: float | None) -> None:
        """Move the open position's stop to ``stop_price`` (``None`` removes it); 1R stays as at entry."""
        p = self.position
        if p is None:
            raise ValueError("there is no open position to put a stop on; use stop_pct for the next one")
        if stop_price is None:
            p.stop_price = math.nan
            return
        stop_price = scalar("stop_price", stop_price, gt=0.0)
        if (self.price - stop_price) * p.sign <= 0:
            where = "below" if p.sign > 0 else "above"
            raise ValueError(f"stop_price must be {where} the last price {self.price:,.2f} for a "
                             f"{p.side}; got {stop_price:,.2f}")
        p.stop_price = stop_price

    # -- orders ---------------------------------------------------------------------------------
    def long(self) -> None:
        """Open a long at the current close with the current contract, qty, leverage and stop."""
        self._open("long")

    def short(self) -> None:
        """Open a short at the current close (see :meth:`long`)."""
        self._open("short")

    def preview(self, side: str = "long") -> Preview:
        """The position ``side`` would open at the current close with the current settings.

        The same numbers :meth:`long` / :meth:`short` use (they open exactly this position):
        margin = ``initial_margin``, liquidation = ``liquidation_price`` at ``mmr``, stop
        ``stop_pct`` from the close, 1R = ``risk_at_stop``, entry fee at ``fee_rate``.

        Examples
        --------
        >>> s = PaperSession(qty=2, leverage=10, stop_pct=2, bars=Bars(open=[100], high=[100],
        ...                  low=[100], close=[100]), contract=ContractSpec("UNIT", 1.0), fee_rate=0)
        >>> p = s.preview()
        >>> p.margin_usd, p.stop_price_usd, p.risk_usd, round(p.liquidation_price_usd, 4)
        (20.0, 98.0, 4.0, 90.3614)
        """
        side = choice("side", side, ("long", "short"))
        price, c, qty, lev = self.price, self.contract, self.qty, self.leverage
        margin = float(initial_margin(price, qty, c, lev))
        fee = float(trading_fee(price, qty, c, self.fee_rate))
        liq = float(liquidation_price(price, qty, c, side, leverage=lev, mmr=self.mmr))
        stop = price * (1.0 - side_sign(side) * self.stop_pct / 100.0) if self.stop_pct > 0 else math.nan
        risk = float(risk_at_stop(price, stop, qty, c)) if self.stop_pct > 0 else math.nan
        return Preview(side, qty, self._contract_name(c), lev, price, stop, liq, margin, fee, risk,
                       margin + fee <= self.wallet + 1e-9)

    def _open(self, side: str) -> None:
        self._live()
        if self.position is not None:
            raise ValueError("a position is already open; close it first (one position at a time)")
        p = self.preview(side)
        if not p.affordable:
            raise ValueError(f"not enough money: {p.qty:g} contract(s) at {p.leverage:g}x need "
                             f"${p.margin_usd:,.2f} of margin + ${p.entry_fee_usd:,.2f} fee; the wallet "
                             f"holds ${self.wallet:,.2f}")
        price, c, lev, fee = p.entry_price_usd, self.contract, p.leverage, p.entry_fee_usd
        qty, margin, liq, stop, s = p.qty, p.margin_usd, p.liquidation_price_usd, p.stop_price_usd, side_sign(side)
        self.position = _Position(side, qty, c, lev, price, self.bar, self.bars.time[self.bar], margin,
                                  liq, stop, p.risk_usd, fee)
        self.wallet -= fee
        self.fees_paid += fee
        warn = ""
        if stop == stop and (stop - liq) * s <= 0:
            warn = f"; the stop {stop:,.2f} sits beyond the liquidation price: liquidation comes first"
        self._log("open", f"{side} {qty:g} {self._contract_name(c)} at {price:,.2f}, {lev:g}x, margin "
                          f"${margin:,.2f}, liquidation {liq:,.2f}" + warn)

    def close(self) -> None:
        """Close the open position at the current close (exit reason ``"manual"``)."""
        self._live()
        if self.position is None:
            raise ValueError("there is no open position to close")
        self._exit(self.price, "manual")

    def _exit(self, price: float, reason: str) -> None:
        p = self.position
        assert p is not None
        if reason == "liquidation":
            gross, exit_fee = -p.margin, 0.0
        else:
            gross = float(pnl(p.entry_price, price, p.qty, p.contract, p.side))
            exit_fee = float(trading_fee(price, p.qty, p.contract, self.fee_rate))
        trade = Trade(p.side, p.qty, p.entry_price, price, gross, p.entry_fee + exit_fee, p.funding,
                      p.risk, p.entry_time, self.bars.time[self.bar], p.entry_bar, self.bar, reason,
                      p.margin)
        self.wallet += gross - exit_fee
        self.fees_paid += exit_fee
        self.trades.append(trade)
        self.position = None
        self._log(reason, f"{reason}: {p.side} closed at {price:,.2f}, net {trade.net_pnl:+,.2f} USD")

    def _log(self, kind: str, message: str) -> None:
        self.events.append(Event(self.bar, kind, message))

    # -- time -----------------------------------------------------------------------------------
    @property
    def bars_left(self) -> int:
        """Bars after the current one."""
        return len(self.bars) - 1 - self.bar

    def next_bar(self, n: int = 1) -> list[Event]:
        """Advance ``n`` bars: stops, liquidation and funding are settled bar by bar.

        Returns the events of those bars.
        """
        self._live()
        n = whole_number("n", n, 1, unit="bars")
        if n > self.bars_left:
            raise ValueError(f"n must be at most the {self.bars_left} bar(s) left in the path; got {n} "
                             "(finish() ends the session)")
        first = len(self.events)
        for _ in range(n):
            self.bar += 1
            if self.position is not None:
                self._settle_bar()
            self.equity_history.append(self.equity)
            self.history_bars.append(self.bar)
        return self.events[first:]

    def _settle_bar(self) -> None:
        """The current bar's stop/liquidation check, then its funding if the position survived."""
        p = self.position
        assert p is not None
        k, s = self.bar, p.sign
        opened = float(self.bars.open[k])
        extreme = float(self.bars.low[k] if s > 0 else self.bars.high[k])
        stop, liq = p.stop_price, p.liq_price
        has_stop = stop == stop
        trigger = liq if not has_stop else (max(stop, liq) if s > 0 else min(stop, liq))
        if (extreme - trigger) * s <= 0:
            gapped_liq = (opened - liq) * s <= 0
            if not has_stop or gapped_liq or (liq - stop) * s >= 0:
                self._exit(liq, "liquidation")
            else:
                fill = min(opened, stop) if s > 0 else max(opened, stop)
                self._exit(fill, "stop")
            return
        count = int(self._funding[k])
        if count:
            paid = count * float(funding_payment(self.price, p.qty, p.contract, p.side, self.funding_rate))
            p.funding += paid
            self.wallet += paid
            self.funding_paid -= paid
            self._log("funding", f"funding {paid:+,.4f} USD at {self.price:,.2f}")

    def finish(self) -> None:
        """End the session: an open position is closed at the current close (exit reason ``"end"``)."""
        self._live()
        if self.position is not None:
            self._exit(self.price, "end")
        self.finished = True

    def report(self) -> dict[str, Any]:
        """The report card: the journal's statistics plus what the session paid and how trades ended.

        Keys: those of ``Journal.stats()`` plus
        ``fees_paid``, ``funding_paid``, ``equity`` (with the open position at the close) and
        ``exits`` (a count per exit reason).

        Examples
        --------
        >>> s = PaperSession(stop_pct=0)
        >>> s.long(); _ = s.next_bar(5); s.finish()
        >>> r = s.report()
        >>> r["n_trades"], r["exits"]
        (1, {'end': 1})
        """
        journal = self.journal
        stats = journal.stats()
        stats["max_drawdown"] = journal.max_drawdown     # the trade-by-trade balance's
        exits: dict[str, int] = {}
        for t in self.trades:
            exits[str(getattr(t.exit_reason, "value", t.exit_reason))] = exits.get(
                str(getattr(t.exit_reason, "value", t.exit_reason)), 0) + 1
        return {**stats, "fees_paid": self.fees_paid, "funding_paid": self.funding_paid,
                "equity": self.equity, "exits": exits}

    # -- scripted sessions ----------------------------------------------------------------------
    def apply(self, action: Any) -> None:
        """Carry out one action: a name (``"next"``, ``"long"``, …) or a tuple ``(name, value)``.

        See :data:`ACTIONS` for the names and the value each one takes.
        """
        name, args = (action, ()) if isinstance(action, str) else (action[0], tuple(action[1:]))
        choice("action", name, tuple(ACTIONS))
        if ACTIONS[name] is None and args:
            raise ValueError(f"action {name!r} takes no value; got {args!r}")
        if ACTIONS[name] is not None and name != "next" and len(args) != 1:
            raise ValueError(f"action {name!r} needs one value ({ACTIONS[name]}); got {args!r}")
        handlers = {"next": self.next_bar, "long": self.long, "short": self.short, "close": self.close,
                    "end": self.finish, "stop_pct": self.set_stop_pct, "stop": self.set_stop,
                    "leverage": self.set_leverage, "contract": self.set_contract, "qty": self.set_qty}
        handlers[name](*args)


class ReplayResult(NamedTuple):
    """What :func:`replay` returns: the final state, the journal, the events and the session."""

    state: SessionState
    journal: Journal
    events: list[Event]
    session: PaperSession


def replay(actions: Iterable[Any], bars: Any = None, **settings: Any) -> ReplayResult:
    """Play ``actions`` in a new :class:`PaperSession` on ``bars`` and return where it ends.

    ``settings`` are the session's keyword arguments (``initial_equity``, ``contract``, ``qty``,
    ``leverage``, ``stop_pct``, ``fee_rate``, ``funding_rate_per_8h``, ``mmr``, ``start_bar``,
    ``bar_hours``). The same actions on the same bars always give the same journal. An action that
    is not possible at that point raises a ValueError naming the action's position in the list.

    Examples
    --------
    >>> result = replay(["long", ("next", 24), "close"], leverage=5, stop_pct=0)
    >>> len(result.journal), result.journal.trades[0].exit_reason == "manual"
    (1, True)
    """
    session = PaperSession(bars, **settings)
    for i, action in enumerate(actions):
        try:
            session.apply(action)
        except ValueError as err:
            raise ValueError(f"action {i} ({action!r}): {err}") from None
    return ReplayResult(session.state(), session.journal, list(session.events), session)


#: The scripted session the book shows, on the default seeded path from $1,000: a long of 2 micro
#: contracts at 5x with a 2 % stop closed by hand; a long of 1 micro at 50x without a stop
#: (liquidated); a short of 3 micro at 10x with a 1.5 % stop (stopped); 10 nano contracts long at 5x,
#: still open when the session ends.
SCRIPTED_SESSION = (
    ("leverage", 5), ("stop_pct", 2), ("qty", 2), ("next", 12), "long", ("next", 60), "close",
    ("leverage", 50), ("stop_pct", 0), ("qty", 1), ("next", 10), "long", ("next", 60),
    ("leverage", 10), ("stop_pct", 1.5), ("qty", 3), ("next", 8), "short", ("next", 40),
    ("contract", "nano"), ("qty", 10), ("leverage", 5), ("stop_pct", 3), "long", ("next", 100), "end",
)
