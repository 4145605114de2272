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

import functools
import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import margin as _margin
from .backtest import backtest as _backtest
from .backtest import sma as _sma
from .backtest import sma_cross_signals as _sma_cross_signals
from .contracts import PRESETS
from .funding import cumulative_funding as _cumulative_funding
from .profit import pnl as _pnl
from .profit import roe as _roe
from .risk import position_size as _position_size
from .risk import risk_at_stop as _risk_at_stop
from .risk import risk_budget as _risk_budget
from .simulate import gbm_ohlc as _gbm_ohlc

__all__ = [
    "CourseFigure",
    "plot_leverage_magnifier",
    "plot_account_size",
    "plot_notional",
    "plot_liquidation_distance",
    "plot_liquidation_vs_size",
    "plot_funding",
    "plot_risk_budget",
    "plot_entry_capital",
    "plot_backtest",
    "plot_daily_pnl",
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


def _mpl(text: str) -> str:
    """Escape dollar signs, which matplotlib would read as math delimiters."""
    return text.replace("$", r"\$")


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
                                label="if not liquidated")
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


def _size_label(name: str) -> str:
    contract = PRESETS[SIZE_PRESETS[name]]
    return f"{name}\n{contract.contract_size:g} BTC"


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    head = "".join(f'<th style="text-align:right; padding:0 .5em">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f'<td style="text-align:right; padding:0 .5em">{c}</td>'
                                    for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


# ----------------------------------------------------------------------------------------------
# Why a 1 BTC contract is too big for a small account (notebook 01)

class AccountSizePanel(Panel):
    """Initial margin for one contract of each size against the account, on a log scale.

    The pale bars (fixed) are the loss of one contract on a 10 % adverse move, which does not
    depend on leverage; the solid bars are the initial margin at the chosen leverage; the vertical
    line is the account.
    """

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None,
                 price: float = REFERENCE_PRICE_USD) -> None:
        self.price = float(price)
        self.names = list(SIZE_PRESETS)
        self.contracts = [PRESETS[SIZE_PRESETS[n]] for n in self.names]
        fig = self.figure = _new_figure(6.4, 3.2)
        ax = self.ax = fig.add_axes((0.25, 0.16, 0.5, 0.78))
        ax.set_xscale("log")
        ax.set_xlim(1.0, 200_000.0)
        y = np.arange(len(self.names))
        self.y = y
        move_loss = [_risk_at_stop(self.price, 0.9 * self.price, 1.0, c) for c in self.contracts]
        ax.barh(y + 0.2, move_loss, height=0.38, color=COLORS["loss"], alpha=0.3,
                label="loss on a 10 % fall")
        ax.set_yticks(y, [_size_label(n) for n in self.names])
        ax.invert_yaxis()
        ax.set_xlabel(_mpl(f"US dollars (log scale), one contract at {_usd(self.price, 0)}"))
        ax.grid(axis="x", alpha=0.3)
        self.bars = list(ax.barh(y - 0.2, [1.0] * len(y), height=0.38,
                                 color=[COLORS[n] for n in self.names], label="initial margin"))
        self.account = ax.axvline(1.0, color="black", lw=2.0, label="your account")
        fig.legend(*ax.get_legend_handles_labels(), loc="center left", bbox_to_anchor=(0.76, 0.5),
                   frameon=False, fontsize=8)
        self.animated = [*self.bars, self.account]

    def update(self, account_usd: float = 500.0, leverage: float = 10.0) -> str:
        margins = [_margin.initial_margin(self.price, 1.0, c, leverage) for c in self.contracts]
        for bar, m in zip(self.bars, margins):
            bar.set_width(m)
            bar.set_visible(True)
        self.account.set_xdata([account_usd, account_usd])
        self.account.set_visible(True)
        rows = []
        for name, contract, m in zip(self.names, self.contracts, margins):
            loss = _risk_at_stop(self.price, 0.9 * self.price, 1.0, contract)
            verdict = "fits" if m <= account_usd else "<b>cannot open</b>"
            rows.append((name, _usd(m), f"{100 * m / account_usd:,.1f} %", verdict,
                         f"{100 * loss / account_usd:,.1f} %"))
        return (f"account {_usd(account_usd, 0)}, {leverage:g}x, one contract each:<br>"
                + _table(rows, ("size", "margin", "of account", "", "a 10 % fall costs")))


def plot_account_size(account_usd: float = 500.0, leverage: float = 10.0, *,
                      price: float = REFERENCE_PRICE_USD) -> Figure:
    """Initial margin of one standard, micro and nano contract against an account size.

    Parameters
    ----------
    account_usd : float
        The account, in USD (the vertical line).
    leverage : float
        From 1 to 125.
    price : float
        Bitcoin price in USD.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return AccountSizePanel(price=price).finish(account_usd=account_usd, leverage=leverage)


# ----------------------------------------------------------------------------------------------
# Contract size and notional value (notebook 02)

class NotionalPanel(Panel):
    """Notional value of one standard, micro and nano contract at a price (log scale)."""

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None) -> None:
        self.names = list(SIZE_PRESETS)
        self.contracts = [PRESETS[SIZE_PRESETS[n]] for n in self.names]
        low, high = _range(ranges, "price_usd", (10_000.0, 150_000.0))
        fig = self.figure = _new_figure(6.4, 3.2)
        ax = self.ax = fig.add_axes((0.14, 0.12, 0.82, 0.8))
        ax.set_yscale("log")
        ax.set_ylim(0.5 * low * min(c.contract_size for c in self.contracts),
                    2.0 * high * max(c.contract_size for c in self.contracts))
        x = np.arange(len(self.names))
        ax.set_xticks(x, [_size_label(n) for n in self.names])
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.set_ylabel("notional value of one contract (USD)")
        ax.grid(axis="y", alpha=0.3)
        self.bars = list(ax.bar(x, [1.0] * len(x), width=0.6,
                                color=[COLORS[n] for n in self.names]))
        self.animated = list(self.bars)

    def update(self, price_usd: float = REFERENCE_PRICE_USD) -> str:
        values = [_margin.notional(price_usd, 1.0, c) for c in self.contracts]
        for bar, v in zip(self.bars, values):
            bar.set_height(v)
            bar.set_visible(True)
        rows = [(n, f"{c.contract_size:g} BTC", _usd(v)) for n, c, v in
                zip(self.names, self.contracts, values)]
        return (f"bitcoin at <b>{_usd(price_usd, 0)}</b>:<br>"
                + _table(rows, ("size", "contract", "notional")))


def plot_notional(price_usd: float = REFERENCE_PRICE_USD) -> Figure:
    """Notional value of one standard (1 BTC), micro (0.01) and nano (0.001) contract.

    Parameters
    ----------
    price_usd : float
        Bitcoin price in USD.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return NotionalPanel().finish(price_usd=price_usd)


# ----------------------------------------------------------------------------------------------
# Distance to liquidation against leverage (notebook 02)

class LiquidationPanel(Panel):
    """How far the price can fall before a long is liquidated, against leverage (log-log).

    The fixed dashed curve is the bankruptcy distance (all the margin gone); the solid curve is
    the liquidation distance at the chosen maintenance margin rate, drawn for the leverages at
    which the position can be opened at all.
    """

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None,
                 entry_price: float = REFERENCE_PRICE_USD) -> None:
        self.contract = PRESETS["BTC-MICRO"]
        self.entry_price = float(entry_price)
        low, high = _range(ranges, "leverage", (1.0, 125.0))
        self.leverages = np.geomspace(low, high, 300)
        fig = self.figure = _new_figure()
        ax = self.ax = fig.add_axes((0.12, 0.15, 0.6, 0.78))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(low, high)
        ax.set_ylim(0.05, 150.0)
        bankrupt = _margin.bankruptcy_price(self.entry_price, self.contract, "long", self.leverages)
        ax.plot(self.leverages, 100.0 * (1.0 - bankrupt / self.entry_price), color=COLORS["neutral"],
                ls="--", label="bankruptcy")
        ax.set_xlabel("leverage (x, log scale)")
        ax.set_ylabel("price fall to liquidation (%)")
        ax.grid(alpha=0.3, which="both")
        (self.line,) = ax.plot([], [], color=COLORS["loss"], lw=2.0, label="liquidation")
        (self.point,) = ax.plot([], [], "o", color=COLORS["loss"], ms=8)
        fig.legend(*ax.get_legend_handles_labels(), loc="center left", bbox_to_anchor=(0.73, 0.5),
                   frameon=False, fontsize=8)
        self.animated = [self.line, self.point]

    def _distance_pct(self, leverage: Any, mmr: float) -> Any:
        price = _margin.liquidation_price(self.entry_price, 1.0, self.contract, "long",
                                          leverage=leverage, mmr=mmr)
        return 100.0 * (1.0 - np.asarray(price) / self.entry_price), price

    def update(self, leverage: float = 10.0, mmr_pct: float = 0.4) -> str:
        mmr = mmr_pct / 100.0
        distance, liq_price = self._distance_pct(leverage, mmr)  # ValueError if not possible
        possible = self.leverages * mmr < 0.999  # the curve: only where a position can open
        curve, _ = self._distance_pct(self.leverages[possible], mmr)
        self.line.set_data(self.leverages[possible], curve)
        self.point.set_data([leverage], [float(distance)])
        for artist in self.animated:
            artist.set_visible(True)
        bankrupt = _margin.bankruptcy_price(self.entry_price, self.contract, "long", leverage)
        return (f"long from {_usd(self.entry_price, 0)} at <b>{leverage:g}x</b>, "
                f"mmr <b>{mmr_pct:.2f} %</b><br>"
                f"liquidation price <b>{_usd(liq_price)}</b>: a fall of <b>{float(distance):.2f} %</b><br>"
                f"bankruptcy price {_usd(bankrupt)}: a fall of "
                f"{100 * (1 - bankrupt / self.entry_price):.2f} %<br>"
                f"the same for 1, 0.01 or 0.001 BTC: contract size does not enter")


def plot_liquidation_distance(leverage: float = 10.0, mmr_pct: float = 0.4, *,
                              entry_price: float = REFERENCE_PRICE_USD) -> Figure:
    """The price fall that liquidates a long, against leverage, at one maintenance rate.

    Parameters
    ----------
    leverage : float
        The marked leverage, 1 to 125.
    mmr_pct : float
        Maintenance margin rate in percent (0.4 = 0.4 %).
    entry_price : float
        Entry price in USD.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return LiquidationPanel(entry_price=entry_price).finish(leverage=leverage, mmr_pct=mmr_pct)


def plot_liquidation_vs_size(leverage: float = 10.0, mmr: float = 0.004, *,
                             entry_price: float = REFERENCE_PRICE_USD) -> Figure:
    """Liquidation price of a long in a standard, micro and nano contract at one leverage.

    The bars come out level: at a fixed leverage the liquidation price does not depend on the
    contract size (the source article claims micro contracts liquidate closer to entry).

    Parameters
    ----------
    leverage : float
        From 1 to 125.
    mmr : float
        Maintenance margin rate as a fraction.
    entry_price : float
        Entry price in USD.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(SIZE_PRESETS)
    prices = [_margin.liquidation_price(entry_price, 1.0, PRESETS[SIZE_PRESETS[n]], "long",
                                        leverage=leverage, mmr=mmr) for n in names]
    fig = _new_figure(6.4, 3.0)
    ax = fig.add_axes((0.14, 0.13, 0.82, 0.78))
    x = np.arange(len(names))
    ax.bar(x, prices, width=0.6, color=[COLORS[n] for n in names])
    ax.axhline(entry_price, color="black", lw=1.0, ls="--")
    ax.text(-0.45, entry_price, _mpl(f"entry {_usd(entry_price, 0)}"), va="bottom", ha="left",
            fontsize=8)
    for xi, p in zip(x, prices):
        ax.text(xi, p, _mpl(_usd(p)), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0.8 * min(prices), 1.05 * entry_price)
    ax.set_xticks(x, [_size_label(n) for n in names])
    ax.set_ylabel(f"liquidation price at {leverage:g}x (USD)")
    return fig


# ----------------------------------------------------------------------------------------------
# Funding over a holding period (notebook 02)

class FundingPanel(Panel):
    """Cumulative funding cash flow of a long over the days held, in USD and % of its margin."""

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None,
                 mark_price: float = REFERENCE_PRICE_USD, qty: float = 1.0,
                 leverage: float = 10.0, intervals_per_day: int = 3) -> None:
        self.contract = PRESETS["BTC-MICRO"]
        self.mark_price, self.qty = float(mark_price), float(qty)
        self.leverage, self.per_day = float(leverage), int(intervals_per_day)
        self.margin = _margin.initial_margin(self.mark_price, self.qty, self.contract, self.leverage)
        rate_low, rate_high = _range(ranges, "rate_pct", (-0.1, 0.1))
        _, day_high = _range(ranges, "days", (1.0, 90.0))
        self.days = np.arange(0, int(day_high) + 1)
        worst = max(abs(rate_low), abs(rate_high)) / 100.0
        extreme = abs(_cumulative_funding(self.mark_price, self.qty, self.contract, "long", worst,
                                          self.per_day * int(day_high)))
        fig = self.figure = _new_figure()
        ax = self.ax = fig.add_axes((0.13, 0.15, 0.58, 0.78))
        ax.set_xlim(0, day_high)
        ax.set_ylim(-1.05 * extreme, 1.05 * extreme)
        ax.axhline(0.0, color="black", lw=0.8)
        margin = self.margin
        ax.secondary_yaxis("right", functions=(lambda usd: 100.0 * usd / margin,
                                               lambda pct: pct * margin / 100.0)
                           ).set_ylabel("% of the initial margin")
        ax.set_xlabel("days held (funding every 8 hours)")
        ax.set_ylabel("funding received (+) / paid (−), USD")
        ax.grid(alpha=0.3)
        (self.line,) = ax.plot([], [], color=COLORS["long"], lw=2.0, label="long")
        (self.short,) = ax.plot([], [], color=COLORS["short"], lw=1.5, ls="--", label="short")
        (self.point,) = ax.plot([], [], "o", color=COLORS["long"], ms=8)
        fig.legend(*ax.get_legend_handles_labels(), loc="center left", bbox_to_anchor=(0.83, 0.5),
                   frameon=False, fontsize=8)
        self.animated = [self.line, self.short, self.point]

    def update(self, rate_pct: float = 0.01, days: float = 30) -> str:
        rate = rate_pct / 100.0
        n = self.per_day * self.days
        longs = _cumulative_funding(self.mark_price, self.qty, self.contract, "long", rate, n)
        shorts = _cumulative_funding(self.mark_price, self.qty, self.contract, "short", rate, n)
        now = _cumulative_funding(self.mark_price, self.qty, self.contract, "long", rate,
                                  self.per_day * int(days))
        self.line.set_data(self.days, longs)
        self.short.set_data(self.days, shorts)
        self.point.set_data([days], [now])
        for artist in self.animated:
            artist.set_visible(True)
        if rate > 0:
            who = "longs pay shorts"
        elif rate < 0:
            who = "shorts pay longs"
        else:
            who = "nobody pays"
        return (f"rate <b>{rate_pct:+.3f} %</b> per 8 h: {who}<br>"
                f"a long of {self.qty:g} micro contract "
                f"({_usd(_margin.notional(self.mark_price, self.qty, self.contract), 0)} notional, "
                f"margin {_usd(self.margin)} at {self.leverage:g}x)<br>"
                f"after <b>{int(days)} days</b> ({self.per_day * int(days)} payments): "
                f"<b>{_usd(now)}</b>, {_pct(100 * now / self.margin)} of its margin")


def plot_funding(rate_pct: float = 0.01, days: float = 30, *, leverage: float = 10.0) -> Figure:
    """Cumulative funding of one micro contract (long and short) over the days held.

    Parameters
    ----------
    rate_pct : float
        Funding rate per 8-hour interval in percent (0.01 = 0.01 %).
    days : float
        The marked holding period, whole days.
    leverage : float
        Sets the initial margin the right-hand axis compares with.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return FundingPanel(leverage=leverage).finish(rate_pct=rate_pct, days=days)


# ----------------------------------------------------------------------------------------------
# The risk a budget allows with each size (notebook 03)

class RiskBudgetPanel(Panel):
    """Risk budget against what one contract risks and what the sized position risks.

    The account risks ``risk_pct`` per trade with a stop ``stop_pct`` below a long entry. For each
    size, the pale bar is the loss of a single contract at the stop, the solid bar the loss of the
    position :func:`~microfut_lib.position_size` allows (no bar: zero contracts), and the line is
    the budget.
    """

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None,
                 entry_price: float = REFERENCE_PRICE_USD, risk_pct: float = 1.0) -> None:
        self.entry_price, self.risk_pct = float(entry_price), float(risk_pct)
        self.names = list(SIZE_PRESETS)
        self.contracts = [PRESETS[SIZE_PRESETS[n]] for n in self.names]
        fig = self.figure = _new_figure()
        ax = self.ax = fig.add_axes((0.13, 0.12, 0.58, 0.8))
        ax.set_yscale("log")
        ax.set_ylim(0.1, 50_000.0)
        x = np.arange(len(self.names))
        ax.set_xticks(x, [_size_label(n) for n in self.names])
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.set_ylabel("loss at the stop (USD, log scale)")
        ax.grid(axis="y", alpha=0.3)
        self.one = list(ax.bar(x - 0.18, [1.0] * len(x), width=0.34, color=COLORS["neutral"],
                               alpha=0.35, label="one contract"))
        self.sized = list(ax.bar(x + 0.18, [1.0] * len(x), width=0.34,
                                 color=[COLORS[n] for n in self.names], label="sized position"))
        self.budget = ax.axhline(1.0, color=COLORS["budget"], lw=2.0,
                                 label=f"budget: {self.risk_pct:g} %\nof the account")
        sized_key = Patch(facecolor="white", edgecolor="black", hatch="",
                          label="sized position\n(colour of the size)")
        fig.legend([self.one[0], sized_key, self.budget],
                   ["one contract", sized_key.get_label(), self.budget.get_label()],
                   loc="center left", bbox_to_anchor=(0.73, 0.5), frameon=False, fontsize=8)
        self.animated = [*self.one, *self.sized, self.budget]

    def update(self, stop_pct: float = 2.0, account_usd: float = 1_000.0) -> str:
        stop = self.entry_price * (1.0 - stop_pct / 100.0)
        budget = _risk_budget(account_usd, self.risk_pct / 100.0)
        rows = []
        for name, contract, one_bar, sized_bar in zip(self.names, self.contracts, self.one,
                                                      self.sized):
            one = _risk_at_stop(self.entry_price, stop, 1.0, contract)
            qty = _position_size(account_usd, self.risk_pct / 100.0, self.entry_price, stop, contract)
            risk = _risk_at_stop(self.entry_price, stop, qty, contract)
            one_bar.set_height(one)
            sized_bar.set_height(max(risk, 1e-3))
            one_bar.set_visible(True)
            sized_bar.set_visible(True)
            rows.append((name, f"{one / budget:,.2f}x", f"{qty:g}", _usd(risk),
                         f"{100 * risk / budget:.0f} %"))
        self.budget.set_ydata([budget, budget])
        self.budget.set_visible(True)
        return (f"account {_usd(account_usd, 0)}, budget <b>{_usd(budget)}</b>, "
                f"stop <b>{stop_pct:.1f} %</b> below {_usd(self.entry_price, 0)}<br>"
                + _table(rows, ("size", "1 contract / budget", "contracts", "risk",
                                "of budget used")))


def plot_risk_budget(stop_pct: float = 2.0, account_usd: float = 1_000.0, *,
                     risk_pct: float = 1.0, entry_price: float = REFERENCE_PRICE_USD) -> Figure:
    """What a risk budget can buy with standard, micro and nano contracts at a stop distance.

    Parameters
    ----------
    stop_pct : float
        Stop distance below a long entry, in percent.
    account_usd : float
        The account in USD.
    risk_pct : float
        Share of the account risked per trade, in percent.
    entry_price : float
        Entry price in USD.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return RiskBudgetPanel(entry_price=entry_price, risk_pct=risk_pct).finish(
        stop_pct=stop_pct, account_usd=account_usd)


# ----------------------------------------------------------------------------------------------
# The capital needed to start (notebook 03)

#: Products compared by the entry-capital figure (all linear, sized in BTC).
ENTRY_PRODUCTS = ("BTC-STANDARD", "CME-MBT", "BTC-MICRO", "BTC-NANO")


class EntryCapitalPanel(Panel):
    """Initial margin of the smallest position in each product, at one leverage and price."""

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None,
                 products: Sequence[str] = ENTRY_PRODUCTS) -> None:
        self.products = list(products)
        self.contracts = [PRESETS[p] for p in self.products]
        fig = self.figure = _new_figure(6.4, 3.2)
        ax = self.ax = fig.add_axes((0.25, 0.16, 0.7, 0.78))
        ax.set_xscale("log")
        ax.set_xlim(1.0, 300_000.0)
        y = np.arange(len(self.products))
        ax.set_yticks(y, [f"{p}\n{c.contract_size * c.min_qty:g} {c.base}"
                          for p, c in zip(self.products, self.contracts)], fontsize=9)
        ax.invert_yaxis()
        for usd, label in ((100.0, "$100"), (500.0, "$500")):
            ax.axvline(usd, color=COLORS["neutral"], lw=1.0, ls=":")
            ax.text(usd, -0.6, _mpl(label), ha="center", va="bottom", fontsize=8)
        ax.set_ylim(len(y) - 0.5, -0.9)
        ax.set_xlabel("minimum margin to open one contract (USD, log scale)")
        ax.grid(axis="x", alpha=0.3)
        self.bars = list(ax.barh(y, [1.0] * len(y), height=0.6, color=COLORS["micro"]))
        self.animated = list(self.bars)

    def update(self, leverage: float = 5.0, price_usd: float = REFERENCE_PRICE_USD) -> str:
        rows = []
        for product, contract, bar in zip(self.products, self.contracts, self.bars):
            qty = contract.min_qty
            m = _margin.initial_margin(price_usd, qty, contract, leverage)
            bar.set_width(m)
            bar.set_visible(True)
            rows.append((product, _usd(_margin.notional(price_usd, qty, contract), 0), _usd(m)))
        return (f"bitcoin at <b>{_usd(price_usd, 0)}</b>, <b>{leverage:g}x</b> leverage<br>"
                + _table(rows, ("product", "notional", "margin")))


def plot_entry_capital(leverage: float = 5.0, price_usd: float = REFERENCE_PRICE_USD) -> Figure:
    """Minimum margin to open the smallest position in each of several BTC products.

    Parameters
    ----------
    leverage : float
        Leverage used to size the margin (CME products have exchange-set margins instead; the
        figure treats all products alike to compare sizes).
    price_usd : float
        Bitcoin price in USD.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return EntryCapitalPanel().finish(leverage=leverage, price_usd=price_usd)


# ----------------------------------------------------------------------------------------------
# Testing a strategy: an SMA crossover on a micro contract (notebook 03)

#: The backtest of notebook 03: 90 days of hourly bars (GBM, 60 % a year, seed 7), one micro
#: contract step, 20 % of the equity posted as margin per trade, taker fee 0.05 %, funding
#: +0.01 % per 8 hours, maintenance rate 0.4 %, $1,000 to start.
BACKTEST_SETUP = {"n_bars": 24 * 90, "annual_vol": 0.6, "seed": 7, "contract": "BTC-MICRO",
                  "initial_equity": 1_000.0, "sizing": "fraction", "size": 0.2,
                  "taker_fee": 0.0005, "funding_rate": 0.0001, "funding_every": 8, "mmr": 0.004}


def backtest_bars() -> Any:
    """The seeded price path of :data:`BACKTEST_SETUP` (hourly OHLC bars)."""
    setup = BACKTEST_SETUP
    return _gbm_ohlc(setup["n_bars"], annual_vol=setup["annual_vol"], seed=setup["seed"])


def run_sma_backtest(fast: int = 12, slow: int = 48, leverage: float = 5.0, *, bars: Any = None) -> Any:
    """Backtest the SMA crossover of :data:`BACKTEST_SETUP` on a micro contract.

    Parameters
    ----------
    fast, slow : int
        Moving-average windows in hours, ``fast < slow``.
    leverage : float
        Isolated-margin leverage.
    bars : Bars, optional
        The price path; :func:`backtest_bars` by default.

    Returns
    -------
    BacktestResult
    """
    setup = BACKTEST_SETUP
    bars = backtest_bars() if bars is None else bars
    signals = _sma_cross_signals(bars.close, int(fast), int(slow))
    return _backtest(bars, signals, PRESETS[setup["contract"]],
                     initial_equity=setup["initial_equity"], leverage=leverage,
                     sizing=setup["sizing"], size=setup["size"], taker_fee=setup["taker_fee"],
                     funding_rate=setup["funding_rate"], funding_every=setup["funding_every"],
                     mmr=setup["mmr"])


@functools.lru_cache(maxsize=8)
def _equity_range(fast_range: tuple[float, float], slow_range: tuple[float, float],
                  leverage_range: tuple[float, float]) -> tuple[float, float]:
    """Lowest and highest equity over the corners of the sliders' ranges (fixes the y-axis)."""
    bars = backtest_bars()
    curves = [run_sma_backtest(int(f), int(s), lev, bars=bars).equity
              for f in fast_range for s in slow_range for lev in leverage_range]
    return float(min(c.min() for c in curves)), float(max(c.max() for c in curves))


class BacktestPanel(Panel):
    """Price with the two moving averages (top) and the strategy's equity (bottom)."""

    def __init__(self, *, ranges: Mapping[str, tuple[float, float]] | None = None) -> None:
        self.bars = backtest_bars()
        self.hours = np.arange(len(self.bars)) / 24.0
        self.every = max(1, len(self.bars) // 720)
        equity0 = BACKTEST_SETUP["initial_equity"]
        low_eq, high_eq = _equity_range(_range(ranges, "fast", (4.0, 40.0)),
                                        _range(ranges, "slow", (42.0, 240.0)),
                                        _range(ranges, "leverage", (1.0, 25.0)))
        fig = self.figure = _new_figure(6.4, 4.4)
        top = self.top = fig.add_axes((0.13, 0.55, 0.6, 0.4))
        bottom = self.bottom = fig.add_axes((0.13, 0.1, 0.6, 0.36), sharex=top)
        top.plot(self.hours, self.bars.close, color=COLORS["neutral"], lw=0.8, label="price")
        top.set_xlim(0, self.hours[-1])
        top.set_ylim(0.97 * float(np.min(self.bars.low)), 1.03 * float(np.max(self.bars.high)))
        top.set_ylabel("price (USD)")
        top.tick_params(labelbottom=False)
        top.grid(alpha=0.3)
        (self.fast_line,) = top.plot([], [], color=COLORS["long"], lw=1.2, label="fast SMA")
        (self.slow_line,) = top.plot([], [], color=COLORS["short"], lw=1.2, label="slow SMA")
        span = max(high_eq - equity0, equity0 - low_eq, 0.05 * equity0)
        bottom.set_ylim(equity0 - 1.1 * span, equity0 + 1.1 * span)
        bottom.axhline(equity0, color="black", lw=0.8, ls="--", label="starting equity")
        bottom.set_xlabel("days")
        bottom.set_ylabel("equity (USD)")
        bottom.grid(alpha=0.3)
        (self.equity_line,) = bottom.plot([], [], color=COLORS["nano"], lw=1.5, label="strategy")
        handles = top.get_legend_handles_labels()[0] + bottom.get_legend_handles_labels()[0]
        labels = top.get_legend_handles_labels()[1] + bottom.get_legend_handles_labels()[1]
        fig.legend(handles, labels, loc="center left", bbox_to_anchor=(0.74, 0.5), frameon=False,
                   fontsize=8)
        self.animated = [self.fast_line, self.slow_line, self.equity_line]

    def update(self, fast: int = 12, slow: int = 48, leverage: float = 5.0) -> str:
        result = run_sma_backtest(fast, slow, leverage, bars=self.bars)
        every = self.every  # one point per few hours: the axes are a few hundred pixels wide
        self.fast_line.set_data(self.hours[::every], _sma(self.bars.close, int(fast))[::every])
        self.slow_line.set_data(self.hours[::every], _sma(self.bars.close, int(slow))[::every])
        self.equity_line.set_data(self.hours[::every], result.equity[::every])
        for artist in self.animated:
            artist.set_visible(True)
        st = result.stats
        win = "n/a" if st["win_rate"] is None else f"{100 * st['win_rate']:.0f} %"
        return (f"SMA {int(fast)} / {int(slow)} hours, <b>{leverage:g}x</b><br>"
                f"final equity <b>{_usd(st['final_equity'])}</b> ({_pct(100 * st['total_return'])})<br>"
                f"trades {st['n_trades']}, won {win}, liquidated {st['n_liquidations']}, "
                f"skipped {st['skipped_entries']}<br>"
                f"worst drawdown {100 * st['max_drawdown']:.1f} %<br>"
                f"fees {_usd(-st['fees_paid'])}, funding {_usd(st['funding_received'])}<br>"
                f"buy and hold the coin: {_pct(100 * st['buy_and_hold_return'])}")


def plot_backtest(fast: int = 12, slow: int = 48, leverage: float = 5.0) -> Figure:
    """The SMA-crossover backtest of :data:`BACKTEST_SETUP`: price, averages and equity.

    Parameters
    ----------
    fast, slow : int
        Moving-average windows in hours, ``fast < slow``.
    leverage : float
        Isolated-margin leverage (1 to 125).

    Returns
    -------
    matplotlib.figure.Figure
    """
    return BacktestPanel().finish(fast=fast, slow=slow, leverage=leverage)


# ----------------------------------------------------------------------------------------------
# How the swings feel: daily PnL of each size on one price path (notebook 03)

def plot_daily_pnl(n_days: int = 365, *, annual_vol: float = 0.6, seed: int = 3,
                   account_usd: float = 1_000.0) -> Figure:
    """Histograms of the daily PnL of one contract of each size on the same daily price path.

    The path is the same, so the shapes are the same: only the dollar scale changes, by 100 from
    standard to micro and by 10 from micro to nano. Each panel marks plus and minus the account.

    Parameters
    ----------
    n_days : int
        Days simulated (daily bars from :func:`~microfut_lib.simulate.gbm_ohlc`).
    annual_vol : float
        Annual volatility of the path (0.6 = 60 %).
    seed : int
        Seed of the path.
    account_usd : float
        The account the swings are compared with.

    Returns
    -------
    matplotlib.figure.Figure
    """
    bars = _gbm_ohlc(n_days, annual_vol=annual_vol, bar_hours=24.0, seed=seed)  # open = last close
    fig = _new_figure(6.4, 4.2)
    axes = fig.subplots(3, 1)
    fig.subplots_adjust(left=0.1, right=0.97, top=0.95, bottom=0.1, hspace=0.9)
    for ax, name in zip(axes, SIZE_PRESETS):
        contract = PRESETS[SIZE_PRESETS[name]]
        daily = np.asarray(_pnl(bars.open, bars.close, 1.0, contract, "long"))
        ax.hist(daily, bins=40, color=COLORS[name])
        for edge in (-account_usd, account_usd):
            ax.axvline(edge, color="black", lw=1.0, ls="--")
        bad = np.mean(np.abs(daily) > 0.1 * account_usd)
        ax.set_title(_mpl(f"{name} ({contract.contract_size:g} BTC): typical day "
                          f"{_usd(float(np.std(daily)), 0)}; days beyond 10 % of "
                          f"{_usd(account_usd, 0)}: {100 * bad:.0f} %"), fontsize=9)
        ax.tick_params(labelsize=8)
    axes[-1].set_xlabel("daily PnL of one long contract (USD); dashed: plus and minus the account")
    return fig
