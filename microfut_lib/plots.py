"""Figures for the course: pure ``plot_*`` functions that return a :class:`matplotlib.figure.Figure`.

Each figure is built by a small *panel* class: its constructor draws the fixed parts (axes with
limits fixed from the ranges a slider can take, labels, legend, reference lines) and its
``update(**values)`` sets the data of the artists that move and returns a short HTML summary of the
numbers. A ``plot_*`` function builds a panel, updates it once and returns the figure; the sliders
of :mod:`microfut_lib.widgets` reuse the same panel and redraw only the moving artists. So the
static figure in the book and the live explorer always show the same thing.

All the numbers come from the library's math modules; nothing here re-derives a formula.

Figures are plain :class:`~matplotlib.figure.Figure` objects with an Agg canvas (no pyplot), so
they never pile up in pyplot's state; in a notebook they display as PNG through
:meth:`CourseFigure._repr_png_`, with or without the inline backend.

Examples
--------
>>> fig = plot_leverage_magnifier(leverage=10, price_move_pct=-5)
>>> len(fig.axes)
1
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import margin as _margin
from .profit import roe as _roe
from .contracts import PRESETS

__all__ = [
    "CourseFigure",
    "plot_leverage_magnifier",
]

#: Colours used across the course (colour-blind safe: Okabe-Ito).
COLORS = {"long": "#0072B2", "short": "#D55E00", "neutral": "#777777", "loss": "#CC3311",
          "standard": "#CC79A7", "micro": "#0072B2", "nano": "#009E73", "budget": "#E69F00"}

#: The three sizes the course compares, by preset name.
SIZE_PRESETS = {"standard": "BTC-STANDARD", "micro": "BTC-MICRO", "nano": "BTC-NANO"}

#: The article's reference price, used as the default entry price of every figure.
REFERENCE_PRICE_USD = 70_000.0


class CourseFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that shows itself as PNG in IPython without pyplot."""

    def _repr_png_(self) -> bytes:
        out = io.BytesIO()
        self.savefig(out, format="png")
        return out.getvalue()


def _new_figure(width_in: float = 6.4, height_in: float = 3.6) -> CourseFigure:
    fig = CourseFigure(figsize=(width_in, height_in), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _range(ranges: Mapping[str, tuple[float, float]] | None, name: str,
           default: tuple[float, float]) -> tuple[float, float]:
    if ranges and name in ranges:
        low, high = ranges[name]
        return float(low), float(high)
    return default


def _usd(x: float, digits: int = 2) -> str:
    sign = "−" if x < 0 else ""
    return f"{sign}${abs(x):,.{digits}f}"


def _pct(x: float, digits: int = 1) -> str:
    return f"{x:+.{digits}f} %".replace("-", "−")


class Panel:
    """Base of every figure: ``figure``, the moving ``animated`` artists and ``update``."""

    figure: Figure
    animated: list[Any]

    def update(self, **values: Any) -> str:  # pragma: no cover - interface
        """Set the moving artists for ``values``; return the readout as HTML."""
        raise NotImplementedError

    def finish(self, **values: Any) -> Figure:
        """Update once and return the figure (what a ``plot_*`` function returns)."""
        self.update(**values)
        return self.figure


# ----------------------------------------------------------------------------------------------
# Leverage as a magnifier (notebooks 00 and 01)

class LeveragePanel(Panel):
    """PnL as a percentage of the initial margin against the price move, for one leverage.

    A long position of one micro contract (0.01 BTC) entered at ``entry_price``; the maintenance
    margin rate ``mmr`` marks where the exchange liquidates it.
    """

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None,
                 entry_price: float = REFERENCE_PRICE_USD, mmr: float = 0.004) -> None:
        self.contract = PRESETS["BTC-MICRO"]
        self.entry_price = float(entry_price)
        self.mmr = float(mmr)
        low, high = _range(ranges, "price_move_pct", (-20.0, 20.0))
        self.moves_pct = np.linspace(low, high, 401)
        exits = self.entry_price * (1.0 + self.moves_pct / 100.0)
        fig = self.figure = _new_figure()
        ax = self.ax = fig.add_axes((0.12, 0.15, 0.6, 0.78))
        ax.set_xlim(low, high)
        ax.set_ylim(-150.0, 250.0)
        ax.axhline(0.0, color="black", lw=0.8)
        ax.axvline(0.0, color="black", lw=0.8)
        ax.axhline(-100.0, color=COLORS["loss"], lw=1.0, ls=":", label="all the margin is gone")
        spot = 100.0 * _roe(self.entry_price, exits, 1.0, self.contract, "long")
        ax.plot(self.moves_pct, spot, color=COLORS["neutral"], lw=1.2, ls="--", label="1x (like spot)")
        ax.set_xlabel("price move from entry (%)")
        ax.set_ylabel("PnL as % of initial margin")
        ax.grid(alpha=0.3)
        (self.line,) = ax.plot([], [], color=COLORS["long"], lw=2.2, label="long at your leverage")
        (self.ghost,) = ax.plot([], [], color=COLORS["long"], lw=1.2, ls=":", alpha=0.7,
                                label="...had it not been liquidated")
        (self.point,) = ax.plot([], [], "o", color=COLORS["long"], ms=8)
        self.liq = ax.axvline(0.0, color=COLORS["loss"], lw=1.5, label="liquidation (mmr)")
        fig.legend(*ax.get_legend_handles_labels(), loc="center left", bbox_to_anchor=(0.73, 0.5),
                   frameon=False, fontsize=8)
        self.animated = [self.line, self.ghost, self.point, self.liq]

    def update(self, leverage: float = 10.0, price_move_pct: float = -5.0) -> str:
        exits = self.entry_price * (1.0 + self.moves_pct / 100.0)
        roe_pct = 100.0 * _roe(self.entry_price, exits, leverage, self.contract, "long")
        exit_now = self.entry_price * (1.0 + price_move_pct / 100.0)
        roe_now = 100.0 * _roe(self.entry_price, exit_now, leverage, self.contract, "long")
        liq_price = _margin.liquidation_price(self.entry_price, 1.0, self.contract, "long",
                                              leverage=leverage, mmr=self.mmr)
        liq_move = 100.0 * (liq_price / self.entry_price - 1.0)
        open_part = self.moves_pct >= liq_move
        self.line.set_data(self.moves_pct[open_part], roe_pct[open_part])
        self.ghost.set_data(self.moves_pct[~open_part], roe_pct[~open_part])
        self.point.set_data([price_move_pct], [roe_now])
        self.liq.set_xdata([liq_move, liq_move])
        for artist in self.animated:
            artist.set_visible(True)
        if price_move_pct <= liq_move:
            fate = (f"PnL would be {_pct(roe_now)} of the margin, but the position was "
                    f"<b>liquidated</b> on the way: the margin is lost")
        else:
            fate = f"PnL: <b>{_pct(roe_now)}</b> of the initial margin (position open)"
        return (f"<b>{leverage:g}x</b> leverage, price move <b>{_pct(price_move_pct)}</b><br>"
                f"{fate}<br>"
                f"liquidated at a move of {_pct(liq_move, 2)} (price {_usd(liq_price)}, "
                f"mmr {100 * self.mmr:g} %)")


def plot_leverage_magnifier(leverage: float = 10.0, price_move_pct: float = -5.0, *,
                            entry_price: float = REFERENCE_PRICE_USD, mmr: float = 0.004) -> Figure:
    """PnL in % of the initial margin against the price move, at one leverage (long, micro).

    Parameters
    ----------
    leverage : float
        From 1 to the contract's cap (125).
    price_move_pct : float
        The price move from entry marked on the line, in percent (-20 to 20).
    entry_price : float
        Entry price in USD.
    mmr : float
        Maintenance margin rate (0.004 = 0.4 %) that sets the liquidation line.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return LeveragePanel(entry_price=entry_price, mmr=mmr).finish(
        leverage=leverage, price_move_pct=price_move_pct)
