"""How a trade ended and what a list of trades adds up to: one vocabulary, one set of statistics.

:class:`ExitReason` names why a position was closed; the backtester writes it and the journal
reads it. :func:`summarize` computes the statistics of a list of closed trades (win rate,
expectancy, average R, drawdowns, counts by exit reason); both ``BacktestResult.stats`` and
``Journal.stats()`` come from it, so the two can never disagree on a definition.

Two drawdowns, two names (both as a fraction of the running peak,
``max over t of (1 − equity_t / max_{s ≤ t} equity_s)``):

- ``max_drawdown_closed``: over the balance after each closed trade (the starting balance
  first). It sees only what the trades realised.
- ``max_drawdown_bars``: over the equity marked at every bar's close (the starting balance
  first), open positions valued at the close. It also sees the dips inside a trade, so it is at
  least as large whenever the bars include every trade's exit.

A balance at or below zero counts as a 100 % drawdown (the account is gone; a fraction of the
peak does not measure a debt). Statistics that a list does not define (a win rate without
trades, an average R without a trade that had a stop) are ``None``.

Numpy only.
"""
from __future__ import annotations

import enum
from typing import Any

import numpy as np

__all__ = ["ExitReason", "summarize", "drawdown_of"]


class ExitReason(str, enum.Enum):
    """Why a position was closed. A member equals its string value (``ExitReason.STOP == "stop"``).

    Examples
    --------
    >>> ExitReason("liquidation") is ExitReason.LIQUIDATION
    True
    >>> f"{ExitReason.STOP}", ExitReason.STOP == "stop"
    ('stop', True)
    """

    SIGNAL = "signal"            #: the strategy's next instruction closed it
    STOP = "stop"                #: its stop-loss order filled
    LIQUIDATION = "liquidation"  #: the exchange liquidated it (isolated margin lost)
    END = "end"                  #: closed at the last bar of the data (``close_at_end``)
    MANUAL = "manual"            #: closed by hand (a trade typed into a journal)

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def parse(cls, value: Any) -> "ExitReason":
        """The member for ``value`` (a member or its string); a ValueError naming the options."""
        try:
            return cls(value)
        except ValueError:
            options = ", ".join(repr(m.value) for m in cls)
            raise ValueError(f"exit_reason must be one of {options}; got {value!r}") from None


def drawdown_of(curve: np.ndarray) -> float:
    """Largest fall from the running peak, as a fraction of it, of a curve starting above 0.

    A point at or below zero counts as a 100 % fall (see the module notes).

    Examples
    --------
    >>> drawdown_of(np.array([100.0, 120.0, 90.0, 130.0]))     # 120 → 90
    0.25
    >>> drawdown_of(np.array([100.0, -20.0]))
    1.0
    """
    eq = np.maximum(curve, 0.0)
    peak = np.maximum.accumulate(eq)
    return float(np.max(1.0 - eq / peak))


def summarize(net_pnls: np.ndarray, initial_equity: float, *, risks: np.ndarray | None = None,
              exit_reasons: Any = (), equity_bars: np.ndarray | None = None) -> dict[str, Any]:
    """Statistics of closed trades, in the order they were closed (arrays already checked).

    ``net_pnls`` are the trades' net PnLs (price PnL − fees + funding), ``risks`` their planned
    loss at the stop (NaN where a trade had no stop), ``exit_reasons`` their
    :class:`ExitReason`, and ``equity_bars`` the equity at each bar's close when there are bars.

    - ``win_rate``: share of trades with a net PnL > 0 (None without trades);
    - ``expectancy``: mean net PnL (None without trades);
    - ``average_r``: mean of ``net_pnl / risk`` over the trades with a stop (None if none);
    - ``max_drawdown_closed`` and ``max_drawdown_bars`` (the latter only with ``equity_bars``):
      see the module notes;
    - ``closed_pnl``, ``closed_equity`` (the balance after the last trade), ``n_trades``,
      ``n_liquidations``, ``n_stops``.

    Examples
    --------
    >>> s = summarize(np.array([21.0, -7.0, 7.0]), 1_000.0, risks=np.array([7.0, 7.0, 7.0]))
    >>> s["win_rate"], s["expectancy"], s["average_r"], round(s["max_drawdown_closed"], 6)
    (0.6666666666666666, 7.0, 1.0, 0.006856)
    """
    pnls = np.asarray(net_pnls, dtype=float)
    closed_curve = initial_equity + np.concatenate(([0.0], np.cumsum(pnls)))
    has = pnls.size > 0
    r = np.array([]) if risks is None else pnls[~np.isnan(risks)] / risks[~np.isnan(risks)]
    reasons = list(exit_reasons)
    stats: dict[str, Any] = {
        "n_trades": int(pnls.size),
        "win_rate": float(np.count_nonzero(pnls > 0) / pnls.size) if has else None,
        "expectancy": float(np.mean(pnls)) if has else None,
        "average_r": float(np.mean(r)) if r.size else None,
        "max_drawdown_closed": drawdown_of(closed_curve),
        "closed_pnl": float(np.sum(pnls)),
        "closed_equity": float(closed_curve[-1]),
        "n_liquidations": reasons.count(ExitReason.LIQUIDATION),
        "n_stops": reasons.count(ExitReason.STOP),
    }
    if equity_bars is not None:
        stats["max_drawdown_bars"] = drawdown_of(np.concatenate(([initial_equity], equity_bars)))
    return stats

