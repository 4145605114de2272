"""Tiered maintenance margin: brackets of notional value, each with its own rate.

Exchanges raise the maintenance margin rate (and lower the maximum leverage) as a position's
notional grows. Binance publishes each bracket with a *maintenance amount* ``cum`` chosen so the
maintenance margin is continuous at every bracket boundary::

    MM = notional × mmr_k − cum_k                   for notional in bracket k
    cum_k = cum_(k−1) + floor_k × (mmr_k − mmr_(k−1)),  cum_1 = 0

Source: Binance Futures, "Leverage and Margin of USDⓈ-M Futures" (the maintenance margin formula)
and the announcement "Updates to Leverage and Margin Tiers of Binance Futures Contracts
(2021-03-18)" for the BTCUSDT table in :data:`BINANCE_BTCUSDT_TIERS`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, fmt, scalar, text


@dataclass(frozen=True)
class MarginTier:
    """One bracket: notional in (``notional_floor``, ``notional_cap``], in the settle currency.

    Parameters
    ----------
    notional_floor, notional_cap : float
        The bracket's bounds of position notional value.
    max_leverage : float
        The highest leverage allowed for a position in this bracket.
    maintenance_margin_rate : float
        ``mmr`` as a fraction (0.004 = 0.4 %).
    maintenance_amount : float
        ``cum``, subtracted from ``notional × mmr``.
    """

    notional_floor: float
    notional_cap: float
    max_leverage: float
    maintenance_margin_rate: float
    maintenance_amount: float

    def __post_init__(self) -> None:
        floor = scalar("notional_floor", self.notional_floor, ge=0.0)
        checked = {"notional_floor": floor,
                   "notional_cap": scalar("notional_cap", self.notional_cap, gt=floor,
                                          note="(above the bracket's notional_floor)"),
                   "max_leverage": scalar("max_leverage", self.max_leverage, ge=1.0, le=1e6),
                   "maintenance_margin_rate": scalar("maintenance_margin_rate",
                                                     self.maintenance_margin_rate, ge=0.0, lt=1.0),
                   "maintenance_amount": scalar("maintenance_amount", self.maintenance_amount, ge=0.0)}
        for name, value in checked.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class MarginSchedule:
    """A contiguous list of :class:`MarginTier` brackets, lowest first.

    The constructor checks that the brackets touch, that rates rise and leverage falls, and that
    each maintenance amount keeps the maintenance margin continuous (to a cent).

    Examples
    --------
    >>> mmr, cum = BINANCE_BTCUSDT_TIERS.lookup(100_000.0)
    >>> mmr, cum
    (0.005, 50.0)
    >>> round(100_000.0 * mmr - cum, 2)   # maintenance margin of a $100,000 position
    450.0
    """

    tiers: tuple[MarginTier, ...]
    source: str = ""
    as_of: str = ""

    def __post_init__(self) -> None:
        if (not isinstance(self.tiers, (tuple, list)) or not self.tiers
                or not all(isinstance(t, MarginTier) for t in self.tiers)):
            raise ValueError(f"tiers must be a non-empty tuple of MarginTier; got {self.tiers!r:.80}")
        object.__setattr__(self, "tiers", tuple(self.tiers))
        text("source", self.source)
        text("as_of", self.as_of)
        if self.tiers[0].notional_floor != 0.0:
            raise ValueError("tiers must start at notional_floor 0")
        for low, high in zip(self.tiers, self.tiers[1:]):
            if high.notional_floor != low.notional_cap:
                raise ValueError(f"tiers must be contiguous: a bracket ends at {fmt(low.notional_cap)} "
                                 f"but the next starts at {fmt(high.notional_floor)}")
            if high.maintenance_margin_rate < low.maintenance_margin_rate:
                raise ValueError("maintenance_margin_rate must not fall from one tier to the next")
            if high.max_leverage > low.max_leverage:
                raise ValueError("max_leverage must not rise from one tier to the next")
            at_boundary_low = high.notional_floor * low.maintenance_margin_rate - low.maintenance_amount
            at_boundary_high = high.notional_floor * high.maintenance_margin_rate - high.maintenance_amount
            if abs(at_boundary_low - at_boundary_high) > 0.005:
                raise ValueError(f"maintenance_amount of the tier from {fmt(high.notional_floor)} makes the "
                                 f"maintenance margin jump at the boundary ({at_boundary_low:.2f} vs "
                                 f"{at_boundary_high:.2f})")

    @property
    def max_notional(self) -> float:
        """The largest notional the schedule covers."""
        return self.tiers[-1].notional_cap

    def _index(self, notional) -> np.ndarray:
        values = as_float_array("notional", notional, ge=0.0, le=self.max_notional,
                                note="(the schedule's range)")
        caps = np.array([t.notional_cap for t in self.tiers])
        return np.searchsorted(caps, values, side="left")

    def lookup(self, notional):
        """Return ``(mmr, maintenance_amount)`` for each notional (scalars in, floats out)."""
        index = self._index(notional)
        rates = np.array([t.maintenance_margin_rate for t in self.tiers])[index]
        amounts = np.array([t.maintenance_amount for t in self.tiers])[index]
        if np.ndim(index) == 0:
            return float(rates), float(amounts)
        return rates, amounts

    def max_leverage_for(self, notional):
        """The highest leverage the schedule allows at each notional."""
        leverage = np.array([t.max_leverage for t in self.tiers])[self._index(notional)]
        return float(leverage) if np.ndim(leverage) == 0 else leverage


def _schedule_from_rows(rows, *, source: str, as_of: str) -> MarginSchedule:
    """Build a schedule from (cap, max_leverage, mmr) rows, deriving each maintenance amount."""
    tiers, floor, cum, previous_rate = [], 0.0, 0.0, None
    for cap, leverage, rate in rows:
        if previous_rate is not None:
            cum += floor * (rate - previous_rate)
        tiers.append(MarginTier(floor, cap, leverage, rate, round(cum, 6)))
        floor, previous_rate = cap, rate
    return MarginSchedule(tuple(tiers), source=source, as_of=as_of)


#: Binance USDⓈ-M BTCUSDT perpetual brackets, as announced for 2021-03-18. The maintenance
#: amounts (50; 1,300; 16,300; 266,300; …) follow from Binance's continuity rule. Brackets change
#: over time: check the live table before relying on them for a real trade.
BINANCE_BTCUSDT_TIERS = _schedule_from_rows(
    [
        (50_000, 125, 0.004),
        (250_000, 100, 0.005),
        (1_000_000, 50, 0.01),
        (10_000_000, 20, 0.025),
        (20_000_000, 10, 0.05),
        (50_000_000, 5, 0.10),
        (100_000_000, 4, 0.125),
        (200_000_000, 3, 0.15),
        (300_000_000, 2, 0.25),
        (500_000_000, 1, 0.50),
    ],
    source="Binance announcement 'Updates to Leverage and Margin Tiers of Binance Futures Contracts "
           "(2021-03-18)', BTCUSDT 125x perpetual table",
    as_of="2021-03-18",
)
