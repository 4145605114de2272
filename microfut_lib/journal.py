"""A trade journal: typed trade records and the statistics used to decide whether to scale up.

A :class:`Trade` is one closed round trip (from the backtester, or typed by a learner with
:meth:`Trade.from_prices`). A :class:`Journal` is a list of them plus a starting balance, with the
numbers a trader checks before trading bigger:

- **win rate**: the share of trades whose net PnL is > 0 (a break-even trade is not a win);
- **expectancy**: the average net PnL per trade, ``win_rate × average_win − loss_rate ×
  average_loss`` (Van K. Tharp, *Trade Your Way to Financial Freedom*, ch. 7);
- **R-multiple**: net PnL divided by the amount risked at the stop (1R); the average R-multiple
  is the expectancy in units of risk, comparable across position sizes;
- **maximum drawdown** (``max_drawdown_closed``): the largest fall of the balance after each
  trade from its running peak, as a fraction of that peak,
  ``max over t of (1 − equity_t / max_{s ≤ t} equity_s)`` (a backtest also reports
  ``max_drawdown_bars``, over the equity at every bar: see :mod:`microfut_lib.outcomes`);
- **equity curve**: the starting balance followed by the balance after each trade.

Money is in the contract's settle currency throughout (USD for linear contracts, coin for
inverse ones). Net PnL = price PnL − fees + funding (funding is negative when the position paid).
"""
from __future__ import annotations

import html
import math
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np

from ._validate import as_float_array, scalar, side_sign
from .contracts import ContractSpec
from .outcomes import ExitReason, drawdown_of, summarize
from .profit import pnl as _pnl
from .profit import trading_fee
from .risk import risk_at_stop

__all__ = ["Trade", "Journal", "Table", "win_rate", "expectancy", "r_multiples", "equity_curve",
           "max_drawdown", "trade_table", "EXIT_REASONS", "TRADE_COLUMNS"]

EXIT_REASONS = tuple(reason.value for reason in ExitReason)


def _pnl_array(name: str, values: Any) -> np.ndarray:
    arr = as_float_array(name, values)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence (one value per trade); got shape "
                         f"{arr.shape}")
    return arr


def win_rate(net_pnls) -> float:
    """Share of trades with a net PnL > 0, as a fraction.

    Examples
    --------
    >>> win_rate([10.0, -5.0, 0.0, 20.0])
    0.5
    """
    return summarize(_pnl_array("net_pnls", net_pnls), 1.0)["win_rate"]


def expectancy(net_pnls) -> float:
    """Average net PnL per trade: ``win_rate × average_win − loss_rate × average_loss``.

    That product form equals the plain mean of the net PnLs, which is how it is computed.

    Examples
    --------
    >>> expectancy([30.0, -10.0, -10.0, 30.0])   # 50 % × 30 − 50 % × 10
    10.0
    """
    return summarize(_pnl_array("net_pnls", net_pnls), 1.0)["expectancy"]


def r_multiples(net_pnls, risks):
    """Net PnL of each trade in units of the amount it risked at its stop: ``net_pnl / risk``.

    Examples
    --------
    >>> r_multiples([30.0, -10.0], [10.0, 10.0])
    array([ 3., -1.])
    """
    pnl = _pnl_array("net_pnls", net_pnls)
    risk = as_float_array("risks", risks, gt=0.0, note="(the loss planned at the stop)")
    return pnl / risk


def equity_curve(net_pnls, initial_equity):
    """Balance before the first trade and after each one: ``initial + cumulative net PnL``.

    Examples
    --------
    >>> equity_curve([100.0, -50.0], 1_000)
    array([1000., 1100., 1050.])
    """
    pnl = as_float_array("net_pnls", net_pnls)
    start = scalar("initial_equity", initial_equity, gt=0.0)
    if pnl.ndim != 1:
        raise ValueError("net_pnls must be a 1-D sequence (one value per trade)")
    return start + np.concatenate(([0.0], np.cumsum(pnl)))


def max_drawdown(equity) -> float:
    """Largest fall from a running peak, as a fraction of that peak (0.25 = a 25 % drawdown).

    ``max over t of (1 − equity_t / max_{s ≤ t} equity_s)``; 0 for a curve that never falls.

    Examples
    --------
    >>> max_drawdown([100.0, 120.0, 90.0, 130.0, 117.0])   # 120 → 90
    0.25
    """
    eq = as_float_array("equity", equity, ge=0.0)
    if eq.ndim != 1 or eq.size == 0 or eq[0] <= 0:
        raise ValueError("equity must be a non-empty 1-D curve starting above 0")
    return drawdown_of(eq)


class _TradeFields(NamedTuple):
    side: str
    qty: float
    entry_price: float
    exit_price: float
    pnl: float
    fees: float = 0.0
    funding: float = 0.0
    risk: float = math.nan
    entry_time: Any = None
    exit_time: Any = None
    entry_bar: int | None = None
    exit_bar: int | None = None
    exit_reason: ExitReason = ExitReason.MANUAL
    initial_margin: float = math.nan


class Trade(_TradeFields):
    """One closed round trip.

    Parameters
    ----------
    side : {"long", "short"}
    qty : float
        Contracts.
    entry_price, exit_price : float
        Fill prices (quote currency per coin). For a liquidation the exit price is the
        liquidation price.
    pnl : float
        Price PnL in the settle currency (for a liquidation: minus the isolated margin lost).
    fees : float
        Trading fees paid on entry and exit (≥ 0).
    funding : float
        Funding received (negative when paid).
    risk : float
        Planned loss at the stop (1R), > 0; NaN when the trade had no stop.
    entry_time, exit_time : optional
        Timestamps (anything printable).
    entry_bar, exit_bar : int, optional
        Bar numbers, for trades from the backtester.
    exit_reason : ExitReason or its value
        ``"signal"``, ``"stop"``, ``"liquidation"``, ``"end"`` or ``"manual"``; stored as the
        :class:`~microfut_lib.outcomes.ExitReason` member.
    initial_margin : float
        Margin posted at entry (NaN when not known).

    Examples
    --------
    >>> t = Trade("long", 1, 70_000, 71_400, pnl=14.0, fees=0.7, risk=14.0)
    >>> t.net_pnl, round(t.r_multiple, 4)
    (13.3, 0.95)
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> "Trade":
        record = super().__new__(cls, *args, **kwargs)
        reason = ExitReason.parse(record.exit_reason)
        if reason is not record.exit_reason:
            record = record._replace(exit_reason=reason)
        record._check()
        return record

    def _check(self) -> None:
        # plain comparisons (not as_float_array): the backtester builds thousands of these
        side_sign(self.side)
        for name, low in (("qty", 0.0), ("entry_price", 0.0), ("exit_price", 0.0)):
            value = getattr(self, name)
            if not (isinstance(value, (int, float, np.number)) and math.isfinite(value) and value > low):
                raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
        for name in ("pnl", "fees", "funding"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float, np.number)) and math.isfinite(value)):
                raise ValueError(f"{name} must be a finite number; got {value!r}")
        if self.fees < 0:
            raise ValueError(f"fees must be >= 0 (a rebate goes in pnl); got {self.fees!r}")
        if not (isinstance(self.risk, (int, float, np.number)) and (math.isnan(self.risk) or self.risk > 0)):
            raise ValueError(f"risk must be > 0 (the loss planned at the stop) or NaN; got {self.risk!r}")

    @classmethod
    def from_checked_rows(cls, rows: Iterable[tuple]) -> list["Trade"]:
        """Records from rows of field values that their maker has already checked, unchecked.

        For the backtester, which builds thousands of rows from validated arrays (its
        ``exit_reason`` values are :class:`~microfut_lib.outcomes.ExitReason` members).

        Examples
        --------
        >>> Trade.from_checked_rows([("long", 1.0, 100.0, 110.0, 10.0)])[0].net_pnl
        10.0
        """
        make, n = tuple.__new__, len(cls._fields)
        tail = tuple(cls._field_defaults.values())        # the defaults of the last fields
        return [make(cls, row if len(row) == n else row + tail[len(row) - n:]) for row in rows]

    @property
    def net_pnl(self) -> float:
        """``pnl − fees + funding``."""
        return self.pnl - self.fees + self.funding

    @property
    def r_multiple(self) -> float:
        """``net_pnl / risk`` (NaN when the trade had no stop)."""
        return self.net_pnl / self.risk if self.risk > 0 else math.nan

    @classmethod
    def from_prices(cls, side, qty, entry_price, exit_price, contract: ContractSpec, *, fee_rate=0.0,
                    funding=0.0, stop_price=None, entry_time=None, exit_time=None) -> "Trade":
        """A trade typed by hand: PnL, fees and risk computed with the core formulas.

        ``pnl`` is :func:`~microfut_lib.profit.pnl`, ``fees`` is
        :func:`~microfut_lib.profit.trading_fee` at ``fee_rate`` on the entry and on the exit
        notional, and ``risk`` is :func:`~microfut_lib.risk.risk_at_stop` at ``stop_price``.

        Examples
        --------
        >>> micro = PRESETS["BTC-MICRO"]
        >>> t = Trade.from_prices("long", 2, 70_000, 73_500, micro, fee_rate=0.0005, stop_price=68_600)
        >>> t.pnl, round(t.fees, 4), t.risk, round(t.r_multiple, 4)
        (70.0, 1.435, 28.0, 2.4487)
        """
        gross = float(_pnl(entry_price, exit_price, qty, contract, side))
        fees = float(trading_fee(entry_price, qty, contract, fee_rate)
                     + trading_fee(exit_price, qty, contract, fee_rate))
        risk = math.nan
        if stop_price is not None:
            s = side_sign(side)
            if (stop_price - entry_price) * s >= 0:
                raise ValueError(f"stop_price must be below the entry for a long, above it for a short; "
                                 f"got {stop_price} for a {side} at {entry_price}")
            risk = float(risk_at_stop(entry_price, stop_price, qty, contract))
        return cls(side, float(qty), float(entry_price), float(exit_price), gross, fees, float(funding),
                   risk, entry_time, exit_time)


class Table:
    """A read-only table of columns that displays itself in a notebook (HTML) and as text.

    Index it by column name to get a numpy array; ``rows`` lists the rows as tuples. To get a
    pandas DataFrame, ``pandas.DataFrame(table.to_dict())``.

    Examples
    --------
    >>> t = Table({"qty": [1.0, 2.0], "side": ["long", "short"]})
    >>> t["qty"], len(t)
    (array([1., 2.]), 2)
    """

    def __init__(self, columns: dict[str, Sequence[Any]]):
        self._columns = {k: np.asarray(v) for k, v in columns.items()}
        lengths = {len(v) for v in self._columns.values()}
        if len(lengths) > 1:
            raise ValueError("every column of a table must have the same length")

    @property
    def columns(self) -> list[str]:
        """Column names."""
        return list(self._columns)

    @property
    def rows(self) -> list[tuple]:
        """The rows, as tuples."""
        return list(zip(*(v.tolist() for v in self._columns.values())))

    def __getitem__(self, name: str) -> np.ndarray:
        return self._columns[name]

    def __len__(self) -> int:
        return len(next(iter(self._columns.values()), ()))

    def to_dict(self) -> dict[str, list]:
        """Columns as plain lists (for ``pandas.DataFrame(...)``)."""
        return {k: v.tolist() for k, v in self._columns.items()}

    @staticmethod
    def _cell(value: Any) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:,.6g}" if abs(value) < 1 else f"{value:,.2f}"
        return "" if value is None else str(value)

    def __repr__(self) -> str:
        header = self.columns
        body = [[self._cell(v) for v in row] for row in self.rows]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
        lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in body]
        return "\n".join(lines) if body else f"(empty table: {', '.join(header)})"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(self._cell(v))}</td>" for v in row) + "</tr>"
                       for row in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


TRADE_COLUMNS = ("side", "qty", "entry_time", "entry_price", "exit_time", "exit_price", "exit_reason",
                 "pnl", "fees", "funding", "net_pnl", "r_multiple")


class Journal:
    """Trades plus a starting balance, with the statistics of the article's scaling section.

    Parameters
    ----------
    trades : iterable of Trade
        Closed trades in the order they were closed.
    initial_equity : float
        Balance before the first trade, in the settle currency.

    Examples
    --------
    >>> micro = PRESETS["BTC-MICRO"]
    >>> j = Journal([Trade.from_prices("long", 1, 70_000, 72_100, micro, stop_price=69_300),
    ...              Trade.from_prices("short", 1, 72_000, 72_700, micro, stop_price=72_700),
    ...              Trade.from_prices("long", 1, 71_000, 71_700, micro, stop_price=70_300)], 1_000)
    >>> round(j.win_rate, 4), round(j.expectancy, 4), round(j.average_r, 4)
    (0.6667, 7.0, 1.0)
    >>> round(j.max_drawdown, 6)          # 1,021 → 1,014: 7 / 1,021
    0.006856
    >>> j.equity_curve()
    array([1000., 1021., 1014., 1021.])
    """

    def __init__(self, trades: Iterable[Trade], initial_equity: float):
        self.trades = list(trades)
        for t in self.trades:
            if not isinstance(t, Trade):
                raise ValueError(f"trades must be Trade records; got {type(t).__name__}")
        self.initial_equity = scalar("initial_equity", initial_equity, gt=0.0)

    def __len__(self) -> int:
        return len(self.trades)

    def __repr__(self) -> str:
        return f"Journal({len(self.trades)} trades, initial equity {self.initial_equity:,.2f})"

    def net_pnls(self) -> np.ndarray:
        """Net PnL of each trade."""
        return np.array([t.net_pnl for t in self.trades], dtype=float)

    def equity_curve(self) -> np.ndarray:
        """Balance before the first trade and after each one."""
        return equity_curve(self.net_pnls(), self.initial_equity)

    @property
    def win_rate(self) -> float:
        """See :func:`win_rate`; NaN-free: a ValueError when there are no trades."""
        return win_rate(self.net_pnls())

    @property
    def expectancy(self) -> float:
        """See :func:`expectancy`."""
        return expectancy(self.net_pnls())

    @property
    def average_r(self) -> float:
        """Mean R-multiple over the trades that had a stop (ValueError if none had)."""
        with_stop = [t for t in self.trades if t.risk > 0]
        if not with_stop:
            raise ValueError("no trade in the journal has a risk (stop) recorded, so R is undefined")
        return float(np.mean(r_multiples([t.net_pnl for t in with_stop], [t.risk for t in with_stop])))

    @property
    def max_drawdown(self) -> float:
        """Largest fall of the trade-by-trade balance from its peak (``max_drawdown_closed``).

        A balance at or below zero counts as a 100 % drawdown (see :mod:`microfut_lib.outcomes`).
        """
        return drawdown_of(self.equity_curve())

    def stats(self) -> dict[str, float | int | None]:
        """All statistics in one dict (:func:`~microfut_lib.outcomes.summarize`); those
        undefined for this journal are ``None``.

        Keys: n_trades, win_rate, expectancy, average_r, max_drawdown_closed, closed_pnl,
        closed_equity, n_liquidations, n_stops, final_equity (= closed_equity) and total_return.

        Examples
        --------
        >>> Journal([], 1_000).stats()["win_rate"] is None
        True
        """
        stats = summarize(self.net_pnls(), self.initial_equity,
                          risks=np.array([t.risk for t in self.trades], dtype=float),
                          exit_reasons=[t.exit_reason for t in self.trades])
        stats["final_equity"] = stats["closed_equity"]
        stats["total_return"] = stats["final_equity"] / self.initial_equity - 1.0
        return stats

    def table(self) -> Table:
        """The trades as a :class:`Table` (one row per trade)."""
        return trade_table(self.trades)


def trade_table(trades: Sequence[Trade]) -> Table:
    """A :class:`Table` of trades with the columns of :data:`TRADE_COLUMNS`.

    Examples
    --------
    >>> trade_table([Trade("long", 1, 100.0, 110.0, pnl=10.0)])["net_pnl"]
    array([10.])
    """
    values = {name: [] for name in TRADE_COLUMNS}
    for t in trades:
        record = t._asdict()
        record["net_pnl"], record["r_multiple"] = t.net_pnl, t.r_multiple
        for name in TRADE_COLUMNS:
            values[name].append(record[name])
    if not trades:
        return Table({name: np.array([], dtype=object) for name in TRADE_COLUMNS})
    return Table({name: np.array(v, dtype=object) if name in ("side", "exit_reason", "entry_time",
                                                               "exit_time") else np.array(v, dtype=float)
                  for name, v in values.items()})

