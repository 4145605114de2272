"""Figures and sliders of lesson 05 (practical steps): one panel per figure, then one line each.

- :class:`FeeSchedulePanel`: a round trip's fees as a share of the margin against leverage, for
  a percentage fee and for a fixed fee per contract on three contract sizes
  (:func:`~microfut_lib.round_trip_cost_of_margin`);
- :class:`MarginModesPanel`: the wallet left after a fall, isolated against cross margin
  (:func:`~microfut_lib.balance_after_move`);
- :class:`LiquidationOddsPanel`: the chance that ordinary noise liquidates a long within a day, a
  week and a month, the closed form at once and a Monte Carlo with its error bars on refine
  (:func:`~microfut_lib.liquidation_odds`).

Examples
--------
>>> fig = plot_margin_modes(price_move_pct=-12, contracts=10)
>>> print(" ".join(fig.caption.splitlines()[-1].split()))
cross $160.00 liquidated at −13.94 %
"""
from __future__ import annotations

import numpy as np

from .contracts import PRESETS
from .controls import LEVERAGE, PRICE_MOVE_PCT, Control
from .costs import round_trip_cost as _round_trip_cost
from .costs import round_trip_cost_of_margin as _cost_of_margin
from .liquidation_horizons import HORIZONS_HOURS
from .liquidation_horizons import liquidation_odds as _liquidation_odds
from .margin_modes import balance_after_move as _balance_after_move
from .margin_modes import compare_margin_modes as _compare_margin_modes
from .montecarlo import liquidation_probability as _liquidation_probability
from .panel import COLORS, Panel, explorer_function, html_table, plot_function, usd

__all__ = ["FeeSchedulePanel", "MarginModesPanel", "LiquidationOddsPanel", "plot_fee_schedules",
           "fee_schedules_explorer", "plot_margin_modes", "margin_modes_explorer",
           "plot_liquidation_odds", "liquidation_odds_explorer"]

_PRICE_USD = 70_000.0

#: A fixed fee per contract and per side, in US dollars (CME-style schedules).
FEE_PER_CONTRACT_USD = Control("fee_per_contract_usd", 2.5, 0.25, 5.0, 0.25,
                               "fee per contract per side", "USD")
#: A percentage taker fee in basis points of the notional (5 bp = 0.05 %).
TAKER_FEE_BP = Control("taker_fee_bp", 5, 1, 10, 1, "taker fee", "bp = 0.01 %", integer=True)
#: Number of 0.01 BTC contracts held.
CONTRACTS = Control("contracts", 10, 1, 14, 1, "micro contracts (0.01 BTC)", integer=True)
#: Annualised volatility of bitcoin, in percent.
ANNUAL_VOL_PCT = Control("annual_vol_pct", 60, 20, 150, 5, "annual volatility", "%", integer=True)


# ----------------------------------------------------------------------------------------------
# Fees as a share of the margin (5.1)

#: The products compared: (label, preset, colour); the percentage fee is the same for all sizes.
_FIXED_FEE_PRODUCTS = (("CME Bitcoin, 5 BTC", "CME-BTC", COLORS["standard"]),
                       ("CME Micro, 0.1 BTC", "CME-MBT", COLORS["micro"]),
                       ("Coinbase nano, 0.01 BTC", "COINBASE-BIT", COLORS["nano"]))


class FeeSchedulePanel(Panel):
    """A round trip's fees in percent of the margin against leverage (log-log), at $70,000.

    The black line is a percentage fee (the same for every contract size); the coloured lines a
    fixed fee per contract on three sizes of bitcoin contract. Margin is notional / leverage for
    all of them (CME sets its margin in dollars; read the leverage as notional / margin).
    """

    controls = (LEVERAGE.replace(default=10, high=50), FEE_PER_CONTRACT_USD, TAKER_FEE_BP)
    figure_size = (6.4, 3.4)

    def __init__(self) -> None:
        super().__init__()
        self.leverages = np.geomspace(1, 50, 60)
        ax = self.ax = self.figure.add_axes((0.12, 0.14, 0.52, 0.8))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1, 50)
        ax.set_ylim(1e-4, 100)
        ax.set_xlabel("leverage (x, log scale)")
        ax.set_ylabel("round trip, % of the margin")
        ax.grid(alpha=0.3, which="both")
        (self.percent,) = ax.plot([], [], color="black", lw=2, label="percentage fee, any size")
        self.fixed = [ax.plot([], [], color=color, lw=2, label=f"fixed fee: {label}")[0]
                      for label, _, color in _FIXED_FEE_PRODUCTS]
        (self.points,) = ax.plot([], [], "o", color="black", ms=6)
        self.figure.legend(*ax.get_legend_handles_labels(), loc="center left",
                           bbox_to_anchor=(0.66, 0.5), frameon=False, fontsize=8)
        self.animated = [self.percent, *self.fixed, self.points]

    def _curves(self, fee_per_contract_usd: float, taker_fee_bp: float) -> None:
        """Set the lines: the black one depends on the taker fee only, the coloured ones on the
        fixed fee only, and a leverage move changes neither (each is recomputed only when its
        own fee moved)."""
        if getattr(self, "_taker_key", None) != taker_fee_bp:
            self._taker_key = taker_fee_bp
            self.percent.set_data(self.leverages, 100 * np.asarray(_cost_of_margin(
                _PRICE_USD, PRESETS["BTC-MICRO"], self.leverages, fee_rate=taker_fee_bp / 10_000)))
        if getattr(self, "_fixed_key", None) != fee_per_contract_usd:
            self._fixed_key = fee_per_contract_usd
            for line, (_, key, _) in zip(self.fixed, _FIXED_FEE_PRODUCTS):
                line.set_data(self.leverages, 100 * np.asarray(_cost_of_margin(
                    _PRICE_USD, PRESETS[key], self.leverages,
                    fee_per_contract=fee_per_contract_usd)))

    def draw(self, leverage: float = 10, fee_per_contract_usd: float = 2.5,
             taker_fee_bp: float = 5) -> str:
        self._curves(fee_per_contract_usd, taker_fee_bp)
        rate = taker_fee_bp / 10_000
        micro = PRESETS["BTC-MICRO"]
        here = [100 * float(_cost_of_margin(_PRICE_USD, micro, leverage, fee_rate=rate))]
        one_micro = float(_round_trip_cost(_PRICE_USD, 1, micro, fee_rate=rate))
        rows = [("percentage fee", "any", f"{usd(one_micro)} per 0.01 BTC", f"{2 * rate:.3%}",
                 f"{here[0]:.3g} %")]
        for label, key, _ in _FIXED_FEE_PRODUCTS:
            contract = PRESETS[key]
            share = 100 * float(_cost_of_margin(_PRICE_USD, contract, leverage,
                                                fee_per_contract=fee_per_contract_usd))
            here.append(share)
            notional = contract.contract_size * _PRICE_USD
            rows.append((label, f"{contract.contract_size:g} BTC",
                         usd(2 * fee_per_contract_usd), f"{2 * fee_per_contract_usd / notional:.3%}",
                         f"{share:.3g} %"))
        self.points.set_data([leverage] * len(here), here)
        return (f"at <b>{leverage:g}x</b>, bitcoin at {usd(_PRICE_USD, 0)}: taker "
                f"<b>{taker_fee_bp:g} bp</b> a side, or <b>{usd(fee_per_contract_usd)}</b> per "
                f"contract a side<br>"
                + html_table(rows, ("schedule", "contract", "round trip", "of notional",
                                    "of margin")))


plot_fee_schedules = plot_function(FeeSchedulePanel, "plot_fee_schedules")
fee_schedules_explorer = explorer_function(
    FeeSchedulePanel, name="fee_schedules_explorer",
    note="Predict first: which line moves when the fixed fee doubles, and by how much?")


# ----------------------------------------------------------------------------------------------
# Isolated against cross margin (5.2)

_WALLET_USD = 1_000.0
_MODES_LEVERAGE = 10
_MODES_MMR = 0.004


class MarginModesPanel(Panel):
    """The wallet left after a fall, for micro longs opened at 10x from a $1,000 wallet.

    Isolated (blue) loses at most the position's margin; cross (orange, on top of the blue line
    until the isolated position is liquidated) survives further, since the whole wallet backs the
    position, and then loses the wallet. The dots mark the chosen fall;
    the readout gives both balances and liquidation points (fees left out).
    """

    controls = (PRICE_MOVE_PCT.replace(default=-12.0, low=-30.0, high=0.0), CONTRACTS)
    figure_size = (6.4, 3.2)

    def __init__(self) -> None:
        super().__init__()
        self.moves = np.linspace(-30, 0, 241)
        ax = self.ax = self.figure.add_axes((0.13, 0.15, 0.55, 0.78))
        ax.set_xlim(-31, 0.5)
        ax.set_ylim(-20, 1_050)
        ax.set_xlabel("price move from entry (%)")
        ax.set_ylabel("wallet after the move (USD)")
        ax.grid(alpha=0.3)
        ax.axhline(_WALLET_USD, color="black", lw=0.8)
        (self.isolated,) = ax.plot([], [], color=COLORS["long"], lw=2, label="isolated")
        (self.cross,) = ax.plot([], [], color=COLORS["short"], lw=2, label="cross")
        (self.dots,) = ax.plot([], [], "o", color="black", ms=6, label="chosen fall")
        self.figure.legend(*ax.get_legend_handles_labels(), loc="center left",
                           bbox_to_anchor=(0.7, 0.5), frameon=False, fontsize=8)
        self.animated = [self.isolated, self.cross, self.dots]

    def _balance(self, move_pct, contracts: int, mode: str):
        return _balance_after_move(_PRICE_USD, _PRICE_USD * (1 + np.asarray(move_pct) / 100),
                                   contracts, PRESETS["BTC-MICRO"], "long", _MODES_LEVERAGE,
                                   _WALLET_USD, mode=mode, mmr=_MODES_MMR)

    def draw(self, price_move_pct: float = -12.0, contracts: int = 10) -> str:
        move = min(price_move_pct, -1e-9)  # a move of 0 is the entry price itself
        self.isolated.set_data(self.moves, self._balance(np.minimum(self.moves, -1e-9), contracts,
                                                         "isolated"))
        self.cross.set_data(self.moves, self._balance(np.minimum(self.moves, -1e-9), contracts,
                                                      "cross"))
        iso, cross = (float(self._balance(move, contracts, m)) for m in ("isolated", "cross"))
        self.dots.set_data([price_move_pct, price_move_pct], [iso, cross])
        modes = _compare_margin_modes(_PRICE_USD, contracts, PRESETS["BTC-MICRO"], "long",
                                      _MODES_LEVERAGE, _WALLET_USD, mmr=_MODES_MMR)

        def where(price: float) -> str:
            if price <= 0.0:
                return "no price liquidates it"
            return f"liquidated at {-100 * modes.distance(price):+.2f} %".replace("-", "−")

        rows = [("isolated", usd(iso), where(modes.isolated_liquidation_price)),
                ("cross", usd(cross), where(modes.cross_liquidation_price))]
        return (f"<b>{contracts}</b> micro longs at {_MODES_LEVERAGE}x (margin "
                f"{usd(modes.isolated_at_stake)}) from a {usd(_WALLET_USD, 0)} wallet; the price "
                f"moves <b>{price_move_pct:+.1f} %</b>".replace("+-", "−").replace("-", "−")
                + "<br>" + html_table(rows, ("mode", "wallet left", "")))


plot_margin_modes = plot_function(MarginModesPanel)
margin_modes_explorer = explorer_function(
    MarginModesPanel, note="Predict first: at what fall does cross leave less than isolated?")


# ----------------------------------------------------------------------------------------------
# Liquidation by ordinary noise within a day, a week, a month (5.3)

class LiquidationOddsPanel(Panel):
    """Chance that a long is liquidated by random price moves within 30 days (no drift).

    The line is the closed form (hourly checks) for every horizon up to 30 days; the dots mark a
    day, a week and a month. On refine, a Monte Carlo of hourly paths adds its estimates with
    ±2 standard errors (the crosses and bars). Maintenance rate 0.5 %.

    Other Parameters
    ----------------
    refine_paths : int
        Paths of the Monte Carlo.
    """

    controls = (LEVERAGE.replace(default=5, high=50), ANNUAL_VOL_PCT)
    figure_size = (6.4, 3.2)

    def __init__(self, *, refine_paths: int = 4_000) -> None:
        super().__init__()
        self.refine_paths = int(refine_paths)
        self.hours = np.linspace(1, max(HORIZONS_HOURS), 120)
        ax = self.ax = self.figure.add_axes((0.12, 0.15, 0.56, 0.78))
        ax.set_xlim(0, 31)
        ax.set_ylim(0, 100)
        ax.set_xticks([1, 7, 14, 21, 30])
        ax.set_xlabel("days held")
        ax.set_ylabel("liquidated by then (%)")
        ax.grid(alpha=0.3)
        (self.curve,) = ax.plot([], [], color=COLORS["loss"], lw=2, label="closed form")
        (self.marks,) = ax.plot([], [], "o", color=COLORS["loss"], ms=7,
                                label="a day, a week, a month")
        (self.mc,) = ax.plot([], [], "x", color="black", ms=8, mew=2, label="Monte Carlo")
        (self.bars,) = ax.plot([], [], color="black", lw=1.5, label="± 2 standard errors")
        self.figure.legend(*ax.get_legend_handles_labels(), loc="center left",
                           bbox_to_anchor=(0.7, 0.5), frameon=False, fontsize=8)
        self.animated = [self.curve, self.marks, self.mc, self.bars]

    def draw(self, leverage: float = 5, annual_vol_pct: float = 60) -> str:
        sigma = annual_vol_pct / 100
        curve = _liquidation_probability(leverage, sigma, self.hours, mmr=0.005, monitoring_hours=1)
        self.curve.set_data(self.hours / 24, 100 * np.asarray(curve))
        odds = _liquidation_odds(leverage, sigma)
        days = np.array(odds.horizons_hours) / 24
        self.marks.set_data(days, 100 * odds.closed_form)
        self.mc.set_data([], [])
        self.bars.set_data([], [])
        return self._readout(odds)

    def refine(self, leverage: float = 5, annual_vol_pct: float = 60) -> str:
        odds = _liquidation_odds(leverage, annual_vol_pct / 100, n_paths=self.refine_paths, seed=7)
        days = np.array(odds.horizons_hours) / 24
        self.mc.set_data(days, 100 * odds.monte_carlo)
        low = 100 * np.clip(odds.monte_carlo - 2 * odds.standard_error, 0, 1)
        high = 100 * np.clip(odds.monte_carlo + 2 * odds.standard_error, 0, 1)
        xs = np.column_stack((days, days, np.full_like(days, np.nan))).ravel()
        ys = np.column_stack((low, high, np.full_like(days, np.nan))).ravel()
        self.bars.set_data(xs, ys)
        return self._readout(odds)

    @staticmethod
    def _readout(odds) -> str:
        names = ("a day", "a week", "a month")
        rows = []
        for i, name in enumerate(names):
            row = [name, f"{odds.closed_form[i]:.2%}"]
            if odds.monte_carlo is not None:
                row.append(f"{odds.monte_carlo[i]:.2%} ± {odds.standard_error[i]:.2%}")
            rows.append(tuple(row))
        header = ("liquidated within", "closed form")
        if odds.monte_carlo is not None:
            header += (f"Monte Carlo, {odds.n_paths:,} paths",)
        return (f"a long at <b>{odds.leverage:g}x</b>, volatility <b>{odds.annual_vol:.0%}</b> a "
                f"year, no drift<br>" + html_table(rows, header))


plot_liquidation_odds = plot_function(LiquidationOddsPanel)
liquidation_odds_explorer = explorer_function(
    LiquidationOddsPanel, note="Predict first: the article's 3–5x at 60 % volatility, over a month.")
