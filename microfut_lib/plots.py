"""Figures and sliders of lessons 00–03: one panel per figure, then one line per function.

Each panel (see :mod:`microfut_lib.panel`) declares its controls, builds its fixed artists once
and draws the moving ones from the library's math modules; nothing here re-derives a formula.
From each panel come a pure ``plot_*`` function (the static figure of the book, with a caption
that states the parameter values and the key numbers) and, where the lesson has a slider, an
``*_explorer()`` (the same figure, live).

Figures are plain :class:`~matplotlib.figure.Figure` objects with an Agg canvas (no pyplot), so
they never pile up in pyplot's state; in a notebook they display as PNG with or without the
inline backend.

Examples
--------
>>> fig = plot_leverage_magnifier(leverage=10, price_move_pct=-5)
>>> print(fig.caption.splitlines()[1])
PnL: −50.0 % of the initial margin (position open)
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import margin as _margin
from .contracts import PRESETS, ContractSpec
from .controls import (
    ACCOUNT_USD,
    DAYS_HELD,
    FUNDING_RATE_BP,
    LEVERAGE,
    MMR_PCT,
    PRICE_MOVE_PCT,
    PRICE_USD,
    STOP_PCT,
    Control,
)
from .funding import cumulative_funding as _cumulative_funding
from .panel import COLORS, Panel, explorer_function, html_table, mpl_text, pct, plot_function, usd
from .profit import pnl as _pnl
from .profit import roe as _roe
from .risk import position_size as _position_size
from .risk import risk_at_stop as _risk_at_stop
from .risk import risk_budget as _risk_budget
from .scenario import BACKTEST_SETUP, backtest_bars, run_sma_backtest
from .signals import sma as _sma
from .simulate import gbm_ohlc as _gbm_ohlc

__all__ = [
    "SIZE_PRESETS",
    "ENTRY_PRODUCTS",
    "LeveragePanel",
    "WelcomePanel",
    "AccountSizePanel",
    "NotionalPanel",
    "LiquidationPanel",
    "LiquidationVsSizePanel",
    "FundingPanel",
    "RiskBudgetPanel",
    "EntryCapitalPanel",
    "BacktestPanel",
    "DailyPnlPanel",
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
    "welcome_explorer",
    "leverage_explorer",
    "account_size_explorer",
    "notional_explorer",
    "liquidation_explorer",
    "funding_explorer",
    "risk_budget_explorer",
    "entry_capital_explorer",
    "backtest_explorer",
]

#: The three sizes the course compares, by preset name.
SIZE_PRESETS = {"standard": "BTC-STANDARD", "micro": "BTC-MICRO", "nano": "BTC-NANO"}

_REFERENCE_PRICE_USD = float(PRICE_USD.default)  # the article's $70,000


def _sizes() -> tuple[list[str], list[ContractSpec]]:
    names = list(SIZE_PRESETS)
    return names, [PRESETS[SIZE_PRESETS[n]] for n in names]


def _size_label(name: str) -> str:
    return f"{name}\n{PRESETS[SIZE_PRESETS[name]].contract_size:g} BTC"


def _side_legend(panel: Panel, ax: Any, x: float = 0.73) -> None:
    """The legend outside the axes, at the right (moving artists would paint over it inside)."""
    panel.figure.legend(*ax.get_legend_handles_labels(), loc="center left",
                        bbox_to_anchor=(x, 0.5), frameon=False, fontsize=8)


# ----------------------------------------------------------------------------------------------
# Leverage as a magnifier (lessons 00 and 01)

class LeveragePanel(Panel):
    """PnL in % of the initial margin against the price move, at one leverage (long, micro).

    The solid line ends where the exchange liquidates the position (maintenance rate
    ``mmr_pct``); the dotted line is what the PnL would be without liquidation. A marker beyond
    the fixed vertical range is drawn at its edge as a triangle pointing the way.

    Other Parameters
    ----------------
    price_usd : float
        Entry price in USD.
    mmr_pct : float
        Maintenance margin rate in percent (0.4 = 0.4 %), which sets the liquidation line.
    """

    controls = (LEVERAGE, PRICE_MOVE_PCT)
    move = PRICE_MOVE_PCT  # the x range, also where the move is not a slider
    y_range = (-150.0, 250.0)

    def __init__(self, *, price_usd: float = _REFERENCE_PRICE_USD, mmr_pct: float = 0.4) -> None:
        super().__init__()
        self.contract = PRESETS["BTC-MICRO"]
        self.price_usd, self.mmr = float(price_usd), float(mmr_pct) / 100.0
        self.moves_pct = np.linspace(self.move.low, self.move.high, 401)
        self.exits = self.price_usd * (1.0 + self.moves_pct / 100.0)
        ax = self.ax = self.figure.add_axes((0.12, 0.15, 0.6, 0.78))
        ax.set_xlim(self.move.low, self.move.high)
        ax.set_ylim(*self.y_range)
        ax.axhline(0.0, color="black", lw=0.8)
        ax.axvline(0.0, color="black", lw=0.8)
        ax.axhline(-100.0, color=COLORS["loss"], lw=1.0, ls=":", label="all the margin is gone")
        spot = 100.0 * _roe(self.price_usd, self.exits, 1.0, self.contract, "long")
        ax.plot(self.moves_pct, spot, color=COLORS["neutral"], lw=1.2, ls="--", label="1x (like spot)")
        ax.set_xlabel("price move from entry (%)")
        ax.set_ylabel("PnL as % of initial margin")
        ax.grid(alpha=0.3)
        (self.line,) = ax.plot([], [], color=COLORS["long"], lw=2.2, label="long at your leverage")
        (self.ghost,) = ax.plot([], [], color=COLORS["long"], lw=1.2, ls=":", alpha=0.7,
                                label="if not liquidated")
        (self.point,) = ax.plot([], [], "o", color=COLORS["long"], ms=8)
        self.liq = ax.axvline(0.0, color=COLORS["loss"], lw=1.5, label="liquidation (mmr)")
        _side_legend(self, ax)
        self.animated = [self.line, self.ghost, self.point, self.liq]

    def _mark(self, move_pct: float, roe_pct: float) -> None:
        low, high = self.y_range
        shown = min(max(roe_pct, low + 8.0), high - 8.0)
        self.point.set_data([move_pct], [shown])
        self.point.set_marker("o" if shown == roe_pct else ("^" if roe_pct > high else "v"))

    def draw(self, leverage: float = LEVERAGE.default,
             price_move_pct: float = PRICE_MOVE_PCT.default) -> str:
        roe_pct = 100.0 * _roe(self.price_usd, self.exits, leverage, self.contract, "long")
        exit_now = self.price_usd * (1.0 + price_move_pct / 100.0)
        roe_now = 100.0 * _roe(self.price_usd, exit_now, leverage, self.contract, "long")
        liq_price = _margin.liquidation_price(self.price_usd, 1.0, self.contract, "long",
                                              leverage=leverage, mmr=self.mmr)
        liq_move = 100.0 * (liq_price / self.price_usd - 1.0)
        open_part = self.moves_pct >= liq_move
        self.line.set_data(self.moves_pct[open_part], roe_pct[open_part])
        self.ghost.set_data(self.moves_pct[~open_part], roe_pct[~open_part])
        self._mark(price_move_pct, roe_now)
        self.liq.set_xdata([liq_move, liq_move])
        if price_move_pct <= liq_move:
            fate = (f"PnL would be {pct(roe_now)} of the margin, but the position was "
                    f"<b>liquidated</b> on the way: the margin is lost")
        else:
            fate = f"PnL: <b>{pct(roe_now)}</b> of the initial margin (position open)"
        return (f"<b>{leverage:g}x</b> leverage, price move <b>{pct(price_move_pct)}</b><br>"
                f"{fate}<br>"
                f"liquidated at a move of {pct(liq_move, 2)} (price {usd(liq_price)}, "
                f"mmr {100 * self.mmr:g} %)")


class WelcomePanel(LeveragePanel):
    """The leverage magnifier with one slider (leverage), the price 5 % below entry."""

    controls = (LEVERAGE,)

    def draw(self, leverage: float = LEVERAGE.default) -> str:  # type: ignore[override]
        return super().draw(leverage=leverage, price_move_pct=PRICE_MOVE_PCT.default)


plot_leverage_magnifier = plot_function(LeveragePanel, "plot_leverage_magnifier")
leverage_explorer = explorer_function(LeveragePanel, name="leverage_explorer")
welcome_explorer = explorer_function(
    WelcomePanel, note="A long position, price 5 % below entry. Move the slider.")


# ----------------------------------------------------------------------------------------------
# Why a 1 BTC contract is too big for a small account (lesson 01)

class AccountSizePanel(Panel):
    """Initial margin of one standard, micro and nano contract against an account (log scale).

    The solid bars are the initial margin at the chosen leverage, the pale bars what a 10 % fall
    would cost: with isolated margin a position cannot lose more than its margin (it is
    liquidated first), so the pale bar stops at the margin. The vertical line is the account; a
    position whose margin exceeds it cannot be opened.

    Other Parameters
    ----------------
    price_usd : float
        Bitcoin price in USD.
    mmr_pct : float
        Maintenance margin rate in percent, which decides whether a 10 % fall liquidates.
    """

    controls = (ACCOUNT_USD.replace(default=500, high=10_000, step=50), LEVERAGE)
    figure_size = (6.4, 3.2)
    fall_pct = 10.0

    def __init__(self, *, price_usd: float = _REFERENCE_PRICE_USD, mmr_pct: float = 0.4) -> None:
        super().__init__()
        self.price_usd, self.mmr = float(price_usd), float(mmr_pct) / 100.0
        self.names, self.contracts = _sizes()
        ax = self.ax = self.figure.add_axes((0.2, 0.16, 0.52, 0.78))
        ax.set_xscale("log")
        notionals = [_margin.notional(self.price_usd, 1.0, c) for c in self.contracts]
        account, leverage = self.controls
        ax.set_xlim(10.0 ** np.floor(np.log10(0.5 * min(notionals) / leverage.high)),
                    10.0 ** np.ceil(np.log10(2.0 * max(max(notionals) / leverage.low, account.high))))
        y = np.arange(len(self.names))
        ax.set_yticks(y, [_size_label(n) for n in self.names])
        ax.set_ylim(len(y) - 0.5, -0.5)
        ax.set_xlabel(mpl_text(f"US dollars (log scale), one contract at {usd(self.price_usd, 0)}"))
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)  # under the bars, as blitting draws them
        self.bars = list(ax.barh(y - 0.2, [1.0] * len(y), height=0.38, color=COLORS["long"],
                                 label="initial margin"))
        self.losses = list(ax.barh(y + 0.2, [1.0] * len(y), height=0.38, color=COLORS["loss"],
                                   alpha=0.35, label=f"loss on a {self.fall_pct:g} % fall\n"
                                                     "(at most the margin)"))
        self.account = ax.axvline(1.0, color="black", lw=2.0, label="your account")
        _side_legend(self, ax)
        self.animated = [*self.bars, *self.losses, self.account]

    def _loss(self, contract: ContractSpec, leverage: float, margin: float) -> tuple[float, bool]:
        """Loss of one contract on the fall, and whether the fall liquidates it first."""
        fallen = self.price_usd * (1.0 - self.fall_pct / 100.0)
        liq = _margin.liquidation_price(self.price_usd, 1.0, contract, "long", leverage=leverage,
                                        mmr=self.mmr)
        if fallen <= liq:
            return margin, True
        return float(_risk_at_stop(self.price_usd, fallen, 1.0, contract)), False

    def draw(self, account_usd: float = 500, leverage: float = LEVERAGE.default) -> str:
        rows = []
        for name, contract, bar, loss_bar in zip(self.names, self.contracts, self.bars, self.losses):
            m = float(_margin.initial_margin(self.price_usd, 1.0, contract, leverage))
            loss, liquidated = self._loss(contract, leverage, m)
            bar.set_width(m)
            loss_bar.set_width(loss)
            if m > account_usd:
                cost = "—"
            else:
                cost = f"{usd(loss)} = {100 * loss / account_usd:,.1f} %"
                cost += " (liquidated first: at most the margin)" if liquidated else ""
            rows.append((name, usd(m), f"{100 * m / account_usd:,.1f} %",
                         "fits" if m <= account_usd else "<b>cannot open</b>", cost))
        self.account.set_xdata([account_usd, account_usd])
        return (f"account {usd(account_usd, 0)}, {leverage:g}x, one contract each "
                f"(isolated margin):<br>"
                + html_table(rows, ("size", "margin", "of account", "",
                                    f"a {self.fall_pct:g} % fall costs")))


plot_account_size = plot_function(AccountSizePanel)
account_size_explorer = explorer_function(AccountSizePanel)


# ----------------------------------------------------------------------------------------------
# Contract size and notional value (lesson 02)

class NotionalPanel(Panel):
    """Notional value of one standard (1 BTC), micro (0.01) and nano (0.001) contract."""

    controls = (PRICE_USD,)
    figure_size = (6.4, 3.2)

    def __init__(self) -> None:
        super().__init__()
        self.names, self.contracts = _sizes()
        ax = self.ax = self.figure.add_axes((0.14, 0.12, 0.82, 0.8))
        ax.set_yscale("log")
        sizes = [c.contract_size for c in self.contracts]
        ax.set_ylim(0.5 * PRICE_USD.low * min(sizes), 2.0 * PRICE_USD.high * max(sizes))
        x = np.arange(len(self.names))
        ax.set_xticks(x, [_size_label(n) for n in self.names])
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.set_ylabel("notional value of one contract (USD)")
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)  # under the bars, as blitting draws them
        self.bars = list(ax.bar(x, [1.0] * len(x), width=0.6,
                                color=[COLORS[n] for n in self.names]))
        self.animated = list(self.bars)

    def draw(self, price_usd: float = PRICE_USD.default) -> str:
        rows = []
        for name, contract, bar in zip(self.names, self.contracts, self.bars):
            value = float(_margin.notional(price_usd, 1.0, contract))
            bar.set_height(value)
            rows.append((name, f"{contract.contract_size:g} BTC", usd(value)))
        return (f"bitcoin at <b>{usd(price_usd, 0)}</b>:<br>"
                + html_table(rows, ("size", "contract", "notional")))


plot_notional = plot_function(NotionalPanel)
notional_explorer = explorer_function(NotionalPanel)


# ----------------------------------------------------------------------------------------------
# Distance to liquidation against leverage (lesson 02)

class LiquidationPanel(Panel):
    """The price fall that liquidates a long, against leverage, at one maintenance rate (log-log).

    The fixed dashed curve is the bankruptcy distance (all the margin gone); the solid curve is
    the liquidation distance at the chosen maintenance margin rate, drawn for the leverages at
    which the position can be opened at all (:func:`~microfut_lib.margin.liquidates_at_entry`).

    Other Parameters
    ----------------
    price_usd : float
        Entry price in USD.
    """

    controls = (LEVERAGE, MMR_PCT)

    def __init__(self, *, price_usd: float = _REFERENCE_PRICE_USD) -> None:
        super().__init__()
        self.contract = PRESETS["BTC-MICRO"]
        self.price_usd = float(price_usd)
        self.leverages = np.geomspace(LEVERAGE.low, LEVERAGE.high, 300)
        ax = self.ax = self.figure.add_axes((0.12, 0.15, 0.6, 0.78))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(LEVERAGE.low, LEVERAGE.high)
        ax.set_ylim(0.05, 150.0)
        bankrupt = _margin.bankruptcy_price(self.price_usd, self.contract, "long", self.leverages)
        ax.plot(self.leverages, self._fall_pct(bankrupt), color=COLORS["neutral"], ls="--",
                label="bankruptcy")
        ax.set_xlabel("leverage (x, log scale)")
        ax.set_ylabel("price fall to liquidation (%)")
        ax.grid(alpha=0.3, which="both")
        (self.line,) = ax.plot([], [], color=COLORS["loss"], lw=2.0, label="liquidation")
        (self.point,) = ax.plot([], [], "o", color=COLORS["loss"], ms=8)
        _side_legend(self, ax)
        self.animated = [self.line, self.point]

    def _fall_pct(self, price: Any) -> Any:
        return 100.0 * (1.0 - np.asarray(price) / self.price_usd)

    def _liquidation(self, leverage: Any, mmr: float) -> Any:
        return _margin.liquidation_price(self.price_usd, 1.0, self.contract, "long",
                                         leverage=leverage, mmr=mmr)

    def draw(self, leverage: float = LEVERAGE.default, mmr_pct: float = MMR_PCT.default) -> str:
        mmr = mmr_pct / 100.0
        if _margin.liquidates_at_entry(self.price_usd, 1.0, self.contract, leverage=leverage,
                                       mmr=mmr):
            raise ValueError(f"at {leverage:g}x the margin is {100 / leverage:.2f} % of the "
                             f"notional, not more than the maintenance margin ({mmr_pct:.1f} %): "
                             f"the position would be liquidated at entry, so it cannot be opened. "
                             f"Lower the leverage below {1 / mmr:g}x or the rate.")
        can_open = ~_margin.liquidates_at_entry(self.price_usd, 1.0, self.contract,
                                                leverage=self.leverages, mmr=mmr)
        self.line.set_data(self.leverages[can_open],
                           self._fall_pct(self._liquidation(self.leverages[can_open], mmr)))
        liq_price = float(self._liquidation(leverage, mmr))
        distance = float(self._fall_pct(liq_price))
        self.point.set_data([leverage], [distance])
        bankrupt = float(_margin.bankruptcy_price(self.price_usd, self.contract, "long", leverage))
        return (f"long from {usd(self.price_usd, 0)} at <b>{leverage:g}x</b>, "
                f"mmr <b>{mmr_pct:.2f} %</b><br>"
                f"liquidation price <b>{usd(liq_price)}</b>: a fall of <b>{distance:.2f} %</b><br>"
                f"bankruptcy price {usd(bankrupt)}: a fall of {self._fall_pct(bankrupt):.2f} %<br>"
                f"the same for 1, 0.01 or 0.001 BTC: contract size does not enter")


plot_liquidation_distance = plot_function(LiquidationPanel, "plot_liquidation_distance")
liquidation_explorer = explorer_function(
    LiquidationPanel, note="Try 5 % maintenance at 25x: such a position cannot be opened.")


class LiquidationVsSizePanel(Panel):
    """Liquidation price of a long in a standard, micro and nano contract at one leverage.

    The bars come out level: at a fixed leverage the liquidation price does not depend on the
    contract size (the source article claims micro contracts liquidate closer to entry).

    Other Parameters
    ----------------
    price_usd : float
        Entry price in USD.
    """

    controls = (LEVERAGE, MMR_PCT)
    figure_size = (6.4, 3.0)

    def __init__(self, *, price_usd: float = _REFERENCE_PRICE_USD) -> None:
        super().__init__()
        self.price_usd = float(price_usd)
        self.names, self.contracts = _sizes()
        ax = self.ax = self.figure.add_axes((0.14, 0.13, 0.82, 0.78))
        x = np.arange(len(self.names))
        self.bars = list(ax.bar(x, [1.0] * len(x), width=0.6,
                                color=[COLORS[n] for n in self.names]))
        ax.axhline(self.price_usd, color="black", lw=1.0, ls="--")
        ax.text(-0.45, self.price_usd, mpl_text(f"entry {usd(self.price_usd, 0)}"), va="bottom",
                ha="left", fontsize=8)
        self.labels = [ax.text(xi, 1.0, "", ha="center", va="bottom", fontsize=8) for xi in x]
        ax.set_xticks(x, [_size_label(n) for n in self.names])
        self.animated = [*self.bars, *self.labels]

    def draw(self, leverage: float = LEVERAGE.default, mmr_pct: float = MMR_PCT.default) -> str:
        prices = [float(_margin.liquidation_price(self.price_usd, 1.0, c, "long", leverage=leverage,
                                                  mmr=mmr_pct / 100.0)) for c in self.contracts]
        for bar, label, price in zip(self.bars, self.labels, prices):
            bar.set_height(price)
            label.set_position((label.get_position()[0], price))
            label.set_text(mpl_text(usd(price)))
        self.ax.set_ylim(0.8 * min(prices), 1.05 * self.price_usd)  # a static figure only
        self.ax.set_ylabel(f"liquidation price at {leverage:g}x (USD)")
        rows = [(n, usd(p), f"{100 * (1 - p / self.price_usd):.2f} %")
                for n, p in zip(self.names, prices)]
        return (f"long from {usd(self.price_usd, 0)} at <b>{leverage:g}x</b>, "
                f"mmr {mmr_pct:.2f} %:<br>" + html_table(rows, ("size", "liquidation", "fall")))


plot_liquidation_vs_size = plot_function(LiquidationVsSizePanel, "plot_liquidation_vs_size")


# ----------------------------------------------------------------------------------------------
# Funding over a holding period (lesson 02)

class FundingPanel(Panel):
    """Cumulative funding of one micro contract (long and short) over the days held.

    Funding is settled every 8 hours on the mark-price notional; the rate is in basis points
    (1 bp = 0.01 %). The vertical axis follows the lines; the right axis gives the same cash
    flow in % of the long's initial margin.

    Other Parameters
    ----------------
    price_usd : float
        Mark price in USD, held constant.
    qty : float
        Number of micro contracts.
    leverage : float
        Sets the initial margin the right-hand axis compares with.
    """

    controls = (FUNDING_RATE_BP, DAYS_HELD)
    intervals_per_day = 3

    def __init__(self, *, price_usd: float = _REFERENCE_PRICE_USD, qty: float = 1.0,
                 leverage: float = 10.0) -> None:
        super().__init__()
        self.contract = PRESETS["BTC-MICRO"]
        self.price_usd, self.qty, self.leverage = float(price_usd), float(qty), float(leverage)
        self.margin = float(_margin.initial_margin(self.price_usd, self.qty, self.contract,
                                                   self.leverage))
        self.days = np.arange(0, DAYS_HELD.high + 1)
        ax = self.ax = self.figure.add_axes((0.13, 0.15, 0.58, 0.78))
        ax.set_xlim(0, DAYS_HELD.high)
        ax.axhline(0.0, color="black", lw=0.8)
        margin = self.margin
        ax.secondary_yaxis("right", functions=(lambda cash: 100.0 * cash / margin,
                                               lambda share: share * margin / 100.0)
                           ).set_ylabel("% of the initial margin")
        ax.set_xlabel("days held (funding every 8 hours)")
        ax.set_ylabel("funding received (+) / paid (−), USD")
        ax.grid(alpha=0.3)
        (self.line,) = ax.plot([], [], color=COLORS["long"], lw=2.0, label="long")
        (self.short,) = ax.plot([], [], color=COLORS["short"], lw=1.5, ls="--", label="short")
        (self.point,) = ax.plot([], [], "o", color=COLORS["long"], ms=8)
        _side_legend(self, ax, x=0.83)
        self.animated = [self.line, self.short, self.point]

    def _funding(self, side: str, rate: float, n_intervals: Any) -> Any:
        return _cumulative_funding(self.price_usd, self.qty, self.contract, side, rate, n_intervals)

    def draw(self, funding_rate_bp: float = FUNDING_RATE_BP.default,
             days: float = DAYS_HELD.default) -> str:
        rate = funding_rate_bp / 10_000.0
        n = self.intervals_per_day * self.days
        longs, shorts = self._funding("long", rate, n), self._funding("short", rate, n)
        payments = self.intervals_per_day * int(days)
        now = float(self._funding("long", rate, payments))
        year = float(self._funding("long", rate, self.intervals_per_day * 365))
        self.line.set_data(self.days, longs)
        self.short.set_data(self.days, shorts)
        self.point.set_data([days], [now])
        extreme = float(np.max(np.abs(longs)))
        self.follow_ylim(self.ax, -1.1 * extreme, 1.1 * extreme)
        who = ("longs pay shorts" if rate > 0 else "shorts pay longs" if rate < 0
               else "nobody pays")
        notional = float(_margin.notional(self.price_usd, self.qty, self.contract))
        return (f"rate <b>{funding_rate_bp:+g} bp</b> = {100 * rate:+.4f} % per 8 h: {who}<br>"
                f"a long of {self.qty:g} micro contract ({usd(notional, 0)} notional, "
                f"margin {usd(self.margin)} at {self.leverage:g}x)<br>"
                f"after <b>{int(days)} days</b> ({payments} payments): <b>{usd(now)}</b>, "
                f"{pct(100 * now / self.margin)} of its margin<br>"
                f"over a year: {usd(year)}, {pct(100 * year / notional)} of the notional, "
                f"{pct(100 * year / self.margin, 0)} of the margin")


plot_funding = plot_function(FundingPanel)
funding_explorer = explorer_function(FundingPanel)


# ----------------------------------------------------------------------------------------------
# The risk a budget allows with each size (lesson 03)

class RiskBudgetPanel(Panel):
    """What a risk budget can buy with standard, micro and nano contracts at a stop distance.

    The account risks ``risk_pct`` per trade with a stop ``stop_pct`` below a long entry. For each
    size, the pale bar is the loss of a single contract at the stop, the solid bar the loss of the
    position :func:`~microfut_lib.position_size` allows (no bar: zero contracts), and the line is
    the budget.

    Other Parameters
    ----------------
    risk_pct : float
        Share of the account risked per trade, in percent.
    price_usd : float
        Entry price in USD.
    """

    controls = (STOP_PCT, ACCOUNT_USD)

    def __init__(self, *, risk_pct: float = 1.0, price_usd: float = _REFERENCE_PRICE_USD) -> None:
        super().__init__()
        self.price_usd, self.risk_pct = float(price_usd), float(risk_pct)
        self.names, self.contracts = _sizes()
        ax = self.ax = self.figure.add_axes((0.13, 0.12, 0.58, 0.8))
        ax.set_yscale("log")
        ax.set_ylim(0.1, 50_000.0)
        x = np.arange(len(self.names))
        ax.set_xticks(x, [_size_label(n) for n in self.names])
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.set_ylabel("loss at the stop (USD, log scale)")
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)  # under the bars, as blitting draws them
        self.one = list(ax.bar(x - 0.18, [1.0] * len(x), width=0.34, color=COLORS["neutral"],
                               alpha=0.35))
        self.sized = list(ax.bar(x + 0.18, [1.0] * len(x), width=0.34,
                                 color=[COLORS[n] for n in self.names]))
        self.budget = ax.axhline(1.0, color=COLORS["budget"], lw=2.0)
        self.figure.legend([self.one[0], self.sized[1], self.budget],
                           ["one contract", "sized position\n(colour of the size)",
                            f"budget: {self.risk_pct:g} %\nof the account"],
                           loc="center left", bbox_to_anchor=(0.73, 0.5), frameon=False, fontsize=8)
        self.animated = [*self.one, *self.sized, self.budget]

    def draw(self, stop_pct: float = STOP_PCT.default,
             account_usd: float = ACCOUNT_USD.default) -> str:
        stop = self.price_usd * (1.0 - stop_pct / 100.0)
        budget = float(_risk_budget(account_usd, self.risk_pct / 100.0))
        rows = []
        for name, contract, one_bar, sized_bar in zip(self.names, self.contracts, self.one,
                                                      self.sized):
            one = float(_risk_at_stop(self.price_usd, stop, 1.0, contract))
            qty = float(_position_size(account_usd, self.risk_pct / 100.0, self.price_usd, stop,
                                       contract))
            risk = float(_risk_at_stop(self.price_usd, stop, qty, contract))
            one_bar.set_height(one)
            sized_bar.set_height(max(risk, 1e-3))
            rows.append((name, f"{one / budget:,.2f}x", f"{qty:g}", usd(risk),
                         f"{100 * risk / budget:.0f} %"))
        self.budget.set_ydata([budget, budget])
        return (f"account {usd(account_usd, 0)}, budget <b>{usd(budget)}</b> "
                f"({self.risk_pct:g} %), stop <b>{stop_pct:.1f} %</b> below "
                f"{usd(self.price_usd, 0)}<br>"
                + html_table(rows, ("size", "1 contract / budget", "contracts", "risk",
                                    "of budget used")))


plot_risk_budget = plot_function(RiskBudgetPanel)
risk_budget_explorer = explorer_function(RiskBudgetPanel)


# ----------------------------------------------------------------------------------------------
# The capital needed to start (lesson 03)

#: Products compared by the entry-capital figure (all linear, sized in BTC).
ENTRY_PRODUCTS = ("BTC-STANDARD", "CME-MBT", "BTC-MICRO", "BTC-NANO")


class EntryCapitalPanel(Panel):
    """Minimum margin to open the smallest position in each of several BTC products.

    CME products have exchange-set margins rather than a leverage; the figure treats all products
    alike (margin = notional / leverage) to compare their sizes.

    Other Parameters
    ----------------
    products : sequence of str
        Preset names, linear contracts sized in BTC.
    """

    controls = (LEVERAGE.replace(default=5, high=20), PRICE_USD)
    figure_size = (6.4, 3.2)

    def __init__(self, *, products: Sequence[str] = ENTRY_PRODUCTS) -> None:
        super().__init__()
        self.products = list(products)
        self.contracts = [PRESETS[p] for p in self.products]
        leverage, price = self.controls
        smallest = [float(_margin.notional(price.low, c.min_qty, c)) / leverage.high
                    for c in self.contracts]
        largest = [float(_margin.notional(price.high, c.min_qty, c)) / leverage.low
                   for c in self.contracts]
        ax = self.ax = self.figure.add_axes((0.25, 0.16, 0.7, 0.78))
        ax.set_xscale("log")
        ax.set_xlim(10.0 ** np.floor(np.log10(0.5 * min(smallest))),
                    10.0 ** np.ceil(np.log10(1.5 * max(largest))))
        y = np.arange(len(self.products))
        ax.set_yticks(y, [f"{p}\n{c.contract_size * c.min_qty:g} {c.base}"
                          for p, c in zip(self.products, self.contracts)], fontsize=9)
        marks = []
        for cash in (100.0, 500.0):
            marks.append(ax.axvline(cash, color=COLORS["neutral"], lw=1.0, ls=":"))
            ax.text(cash, -0.6, mpl_text(usd(cash, 0)), ha="center", va="bottom", fontsize=8)
        ax.set_ylim(len(y) - 0.5, -0.9)
        ax.set_xlabel("minimum margin to open one contract (USD, log scale)")
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)  # under the bars, as blitting draws them
        self.bars = list(ax.barh(y, [1.0] * len(y), height=0.6, color=COLORS["micro"]))
        self.animated = [*self.bars, *marks]  # the $100 and $500 marks stay above the bars

    def draw(self, leverage: float = 5, price_usd: float = PRICE_USD.default) -> str:
        rows = []
        for product, contract, bar in zip(self.products, self.contracts, self.bars):
            qty = contract.min_qty
            m = float(_margin.initial_margin(price_usd, qty, contract, leverage))
            bar.set_width(m)
            rows.append((product, usd(float(_margin.notional(price_usd, qty, contract)), 0),
                         usd(m)))
        return (f"bitcoin at <b>{usd(price_usd, 0)}</b>, <b>{leverage:g}x</b> leverage<br>"
                + html_table(rows, ("product", "notional", "margin")))


plot_entry_capital = plot_function(EntryCapitalPanel)
entry_capital_explorer = explorer_function(EntryCapitalPanel)


# ----------------------------------------------------------------------------------------------
# Testing a strategy: an SMA crossover on a micro contract (lesson 03)

FAST_HOURS = Control("fast", 12, 4, 40, 1, "fast SMA", "hours", integer=True)
SLOW_HOURS = Control("slow", 48, 42, 240, 2, "slow SMA", "hours", integer=True)


@functools.lru_cache(maxsize=1)
def _scenario_bars() -> Any:
    """The scenario's price path, simulated once per process (it is seeded: always the same)."""
    return backtest_bars()


@functools.lru_cache(maxsize=4096)
def _cached_backtest(fast: int, slow: int, leverage: float) -> Any:
    return run_sma_backtest(fast, slow, leverage, bars=_scenario_bars())


@functools.lru_cache(maxsize=512)
def _cached_sma(window: int, every: int) -> np.ndarray:
    return np.asarray(_sma(_scenario_bars().close, window))[::every]


@functools.lru_cache(maxsize=8)
def _equity_range(controls: tuple[Control, ...]) -> tuple[float, float]:
    """Lowest and highest equity over the corners of the sliders' ranges (fixes the y-axis)."""
    fast, slow, leverage = controls
    curves = [_cached_backtest(f, s, lev).equity for f in (fast.low, fast.high)
              for s in (slow.low, slow.high) for lev in (leverage.low, leverage.high)]
    return float(min(c.min() for c in curves)), float(max(c.max() for c in curves))


class BacktestPanel(Panel):
    """The SMA-crossover backtest of :data:`~microfut_lib.BACKTEST_SETUP`: price, averages and
    equity.

    Backtests and averages are cached per slider position (the path is seeded, so each position
    always gives the same answer): a slider moved back to a position it visited redraws at once.
    """

    controls = (FAST_HOURS, SLOW_HOURS, LEVERAGE.replace(default=5, high=25))
    figure_size = (6.4, 4.4)

    def __init__(self) -> None:
        super().__init__()
        self.bars = _scenario_bars()
        self.hours = np.arange(len(self.bars)) / 24.0
        self.every = max(1, len(self.bars) // 720)  # a few hundred pixels: one point per few hours
        self.days = self.hours[::self.every]
        equity0 = BACKTEST_SETUP["initial_equity"]
        low_eq, high_eq = _equity_range(self.controls)
        fig = self.figure
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
        handles, labels = (a + b for a, b in zip(top.get_legend_handles_labels(),
                                                  bottom.get_legend_handles_labels()))
        fig.legend(handles, labels, loc="center left", bbox_to_anchor=(0.74, 0.5), frameon=False,
                   fontsize=8)
        self.animated = [self.fast_line, self.slow_line, self.equity_line]

    def draw(self, fast: int = 12, slow: int = 48, leverage: float = 5) -> str:
        result = _cached_backtest(int(fast), int(slow), float(leverage))
        self.fast_line.set_data(self.days, _cached_sma(int(fast), self.every))
        self.slow_line.set_data(self.days, _cached_sma(int(slow), self.every))
        self.equity_line.set_data(self.days, result.equity[::self.every])
        st = result.stats
        win = "n/a" if st["win_rate"] is None else f"{100 * st['win_rate']:.0f} %"
        drawdown = st["max_drawdown_bars"]  # bar by bar (max_drawdown_closed: closed trades)
        return (f"SMA {int(fast)} / {int(slow)} hours, <b>{leverage:g}x</b><br>"
                f"final equity <b>{usd(st['final_equity'])}</b> ({pct(100 * st['total_return'])})<br>"
                f"trades {st['n_trades']}, won {win}, liquidated {st['n_liquidations']}, "
                f"skipped {st['skipped_entries']}<br>"
                f"worst drawdown {100 * drawdown:.1f} % (bar by bar)<br>"
                f"fees {usd(-st['fees_paid'])}, funding {usd(st['funding_received'])}<br>"
                f"buy and hold the coin: {pct(100 * st['buy_and_hold_return'])}")


plot_backtest = plot_function(BacktestPanel)
backtest_explorer = explorer_function(BacktestPanel)


# ----------------------------------------------------------------------------------------------
# How the swings feel: daily PnL of each size on one price path (lesson 03)

class DailyPnlPanel(Panel):
    """Histograms of the daily PnL of one long contract of each size on the same daily path.

    The path is the same, so the shapes are the same: only the dollar scale changes, by 100 from
    standard to micro and by 10 from micro to nano. Each histogram has its own dollar axis; the
    dashed lines mark a day that moves the account by ``big_day_pct`` either way (where they fall
    inside the axis), and each title counts those days.

    Other Parameters
    ----------------
    annual_vol : float
        Annual volatility of the path (0.6 = 60 %).
    seed : int
        Seed of the path.
    account_usd : float
        The account the swings are compared with.
    big_day_pct : float
        The daily swing, in percent of the account, that the dashed lines mark.
    """

    controls = (Control("n_days", 365, 30, 2_000, 1, "days simulated", integer=True),)
    figure_size = (6.4, 4.6)

    def __init__(self, *, annual_vol: float = 0.6, seed: int = 3, account_usd: float = 1_000.0,
                 big_day_pct: float = 10.0) -> None:
        super().__init__()
        self.annual_vol, self.seed = float(annual_vol), int(seed)
        self.account_usd, self.big_day_pct = float(account_usd), float(big_day_pct)
        self.names, self.contracts = _sizes()
        self.axes = self.figure.subplots(3, 1)
        self.figure.subplots_adjust(left=0.11, right=0.97, top=0.94, bottom=0.11, hspace=0.95)

    def draw(self, n_days: int = 365) -> str:
        bars = _gbm_ohlc(n_days, annual_vol=self.annual_vol, bar_hours=24.0, seed=self.seed)
        edge = self.account_usd * self.big_day_pct / 100.0
        lines = []
        for ax, name, contract in zip(self.axes, self.names, self.contracts):
            daily = np.asarray(_pnl(bars.open, bars.close, 1.0, contract, "long"))  # open = last close
            widest = float(np.max(np.abs(daily)))
            ax.hist(daily, bins=40, range=(-widest, widest), color=COLORS[name])
            ax.set_xlim(-1.08 * widest, 1.08 * widest)
            if edge <= 1.08 * widest:
                for x in (-edge, edge):
                    ax.axvline(x, color="black", lw=1.0, ls="--")
            big = 100.0 * float(np.mean(np.abs(daily) > edge))
            typical = float(np.std(daily))
            ax.set_title(mpl_text(f"{name} ({contract.contract_size:g} BTC): typical day "
                                  f"{usd(typical, 2 if typical < 10 else 0)}; days beyond "
                                  f"±{usd(edge, 0)}: {big:.0f} %"), fontsize=9)
            ax.set_ylabel("days", fontsize=8)
            ax.tick_params(labelsize=8)
            lines.append((name, usd(typical), f"{big:.0f} %"))
        self.axes[-1].set_xlabel(mpl_text(
            f"daily PnL of one long contract (USD); dashed: ±{usd(edge, 0)} = "
            f"±{self.big_day_pct:g} % of a {usd(self.account_usd, 0)} account (where in range)"),
            fontsize=8)
        return (f"{n_days} simulated days, {100 * self.annual_vol:g} % annual volatility, "
                f"seed {self.seed}:<br>"
                + html_table(lines, ("size", "typical day", f"days beyond ±{usd(edge, 0)}")))


plot_daily_pnl = plot_function(DailyPnlPanel)
