"""The course's slider controls as data: one declaration per quantity, used three times.

A :class:`Control` says what a slider moves (its argument ``name``), where it starts
(``default``), how far it goes (``low`` to ``high`` in steps of ``step``), what it is called on
screen (``label``, ``unit``) and whether it takes whole numbers only. A figure panel lists its
controls once; from that one list come the slider of its explorer, the defaults of its
``plot_*`` function and the fixed axis ranges of its figure. This module is plain data: it
imports neither numpy nor matplotlib nor ipywidgets.

Names follow one convention everywhere: a fraction has a plain name (``mmr``), a percentage
ends in ``_pct`` (``mmr_pct``, ``price_move_pct``), money in ``_usd`` (``account_usd``) and a
rate in basis points in ``_bp`` (1 bp = 0.01 %).

Ranges and steps are chosen so that the browser's slider answers the arrow keys: whole numbers
or steps that divide the range exactly in binary floating point where it matters (the funding
rate moves in whole basis points rather than in steps of 0.005 %, which the slider widget's
keyboard handling could not step through).

Examples
--------
>>> LEVERAGE.default, LEVERAGE.low, LEVERAGE.high
(10, 1, 125)
>>> small = LEVERAGE.replace(default=5, high=20)
>>> small.high, LEVERAGE.high
(20, 125)
>>> defaults((LEVERAGE, PRICE_MOVE_PCT))
{'leverage': 10, 'price_move_pct': -5.0}
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Control",
    "defaults",
    "ranges",
    "LEVERAGE",
    "PRICE_MOVE_PCT",
    "PRICE_USD",
    "ACCOUNT_USD",
    "MMR_PCT",
    "FUNDING_RATE_BP",
    "DAYS_HELD",
    "STOP_PCT",
]


@dataclass(frozen=True)
class Control:
    """One slider: the argument it drives, its default, range, step and label.

    Parameters
    ----------
    name : str
        The keyword argument of the panel's ``draw`` (and of the ``plot_*`` function).
    default : float
        Starting value, also the ``plot_*`` default; ``low <= default <= high``.
    low, high : float
        The range, ``low < high``; the figure's axes are fixed from it.
    step : float
        Slider step, ``> 0``.
    label : str
        Text beside the slider, without the unit.
    unit : str, optional
        Shown after the label in brackets (``"%"``, ``"USD"``, ``"x"``).
    integer : bool, optional
        Whole numbers only (an integer slider); then default, low, high and step must be whole.

    Raises
    ------
    ValueError
        If the range is empty, the default outside it, the step not positive, the name not an
        identifier, or a whole-number control given a fraction.
    """

    name: str
    default: float
    low: float
    high: float
    step: float
    label: str
    unit: str = ""
    integer: bool = False

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"name must be a Python identifier, got {self.name!r}")
        numbers = {"default": self.default, "low": self.low, "high": self.high, "step": self.step}
        for key, value in numbers.items():
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{self.name}: {key} must be a finite number, got {value!r}")
        if not self.low < self.high:
            raise ValueError(f"{self.name}: low must be below high, got {self.low} and {self.high}")
        if not self.low <= self.default <= self.high:
            raise ValueError(f"{self.name}: default must be within [{self.low}, {self.high}], "
                             f"got {self.default}")
        if not self.step > 0:
            raise ValueError(f"{self.name}: step must be > 0, got {self.step}")
        if self.integer:
            if any(float(v) != int(v) for v in numbers.values()):
                raise ValueError(f"{self.name}: an integer control needs whole default, low, high "
                                 f"and step, got {numbers}")
            for key, value in numbers.items():
                object.__setattr__(self, key, int(value))

    @property
    def description(self) -> str:
        """The label with its unit, as the slider shows it: ``"leverage (x)"``."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def decimals(self) -> int:
        """Decimals the slider's readout shows: as many as the step needs (0 for whole steps)."""
        text = f"{self.step:.10f}".rstrip("0")
        return len(text.split(".")[1]) if "." in text else 0

    def replace(self, **changes: Any) -> Control:
        """A copy with some fields changed (a panel's own default or range for a shared control)."""
        return dataclasses.replace(self, **changes)

    def clip(self, value: float) -> float:
        """``value`` brought inside ``[low, high]``."""
        return min(max(value, self.low), self.high)


def defaults(controls: Iterable[Control]) -> dict[str, Any]:
    """The controls' defaults keyed by name (the values a ``plot_*`` function starts from)."""
    return {c.name: c.default for c in controls}


def ranges(controls: Iterable[Control]) -> Mapping[str, tuple[float, float]]:
    """The controls' ``(low, high)`` keyed by name (the ranges a figure fixes its axes from)."""
    return {c.name: (c.low, c.high) for c in controls}


# ----------------------------------------------------------------------------------------------
# Shared controls: each quantity is declared once; a panel that needs another default or range
# uses ``.replace(...)`` so the name, label and unit stay the same everywhere.

#: Leverage, 1x to 125x (the micro contract's cap).
LEVERAGE = Control("leverage", 10, 1, 125, 1, "leverage", "x", integer=True)

#: Price move from entry, in percent.
PRICE_MOVE_PCT = Control("price_move_pct", -5.0, -20.0, 20.0, 0.5, "price move", "%")

#: Bitcoin price in US dollars.
PRICE_USD = Control("price_usd", 70_000, 10_000, 150_000, 1_000, "bitcoin price", "USD",
                    integer=True)

#: Trading account in US dollars.
ACCOUNT_USD = Control("account_usd", 1_000, 100, 20_000, 100, "account", "USD", integer=True)

#: Maintenance margin rate in percent of the notional (0.4 = 0.4 %).
MMR_PCT = Control("mmr_pct", 0.4, 0.1, 5.0, 0.1, "maintenance rate", "%")

#: Funding rate per 8-hour interval in basis points (1 bp = 0.01 %), whole basis points.
FUNDING_RATE_BP = Control("funding_rate_bp", 1, -10, 10, 1, "funding per 8 h",
                          "bp = 0.01 %", integer=True)

#: Days a position is held.
DAYS_HELD = Control("days", 30, 1, 90, 1, "days held", integer=True)

#: Stop distance from entry, in percent.
STOP_PCT = Control("stop_pct", 2.0, 0.5, 10.0, 0.1, "stop distance", "%")
