"""Figures and sliders of lesson 04 (risk management): one panel per figure, then one line each.

- :class:`PriceLadderPanel`: entry, stop, liquidation and bankruptcy of one micro long, with the
  warning when the stop lies beyond the liquidation price (:func:`~microfut_lib.price_ladder`);
- :class:`StopFillsPanel`: how much worse than the stop a stop-market order fills, and how often
  a stop-limit does not fill, on seeded paths with gaps (:func:`~microfut_lib.simulate_stop_fills`);
- :class:`RiskOfRuinPanel`: sample equity paths and the chance of halving the account within 200
  trades (:func:`~microfut_lib.risk_of_ruin`).

The two Monte Carlo panels answer first from a small sample (its standard error shown) and refine
with a larger one (``refine``). Every number comes from the math and simulation modules.

Examples
--------
>>> fig = plot_price_ladder(leverage=50, stop_pct=3)
>>> "WARNING" in fig.caption
True
"""
from __future__ import annotations

import numpy as np

from .contracts import PRESETS
from .controls import LEVERAGE, STOP_PCT, Control
from .edge import equity_paths as _equity_paths
from .edge import expectancy_in_r as _expectancy_in_r
from .fills import simulate_stop_fills as _simulate_stop_fills
from .montecarlo import risk_of_ruin as _risk_of_ruin
from .panel import COLORS, Panel, explorer_function, html_table, plot_function, usd
from .stops import price_ladder as _price_ladder

__all__ = ["PriceLadderPanel", "StopFillsPanel", "RiskOfRuinPanel", "plot_price_ladder",
           "price_ladder_explorer", "plot_stop_fills", "stop_fills_explorer", "plot_risk_of_ruin",
           "risk_of_ruin_explorer"]

_ENTRY_USD = 70_000.0
_MMR = 0.004          # Binance BTCUSDT first bracket, as lessons 01-03 use
_TAKER = 0.0005       # 0.05 % taker fee on the entry and at the stop

#: Chance that an hourly bar opens away from the previous close, in percent.
GAP_PROBABILITY_PCT = Control("gap_probability_pct", 2.0, 0.0, 20.0, 0.5, "gap chance per bar", "%")
#: Share of the account risked per trade, in percent.
RISK_PCT = Control("risk_pct", 2.0, 0.5, 10.0, 0.5, "risk per trade", "%")
#: Share of winning trades, in percent.
WIN_RATE_PCT = Control("win_rate_pct", 45, 20, 80, 1, "win rate", "%", integer=True)
#: Average win over average loss.
REWARD_RISK = Control("reward_risk", 2.0, 0.5, 4.0, 0.1, "reward-to-risk", "R")


# ----------------------------------------------------------------------------------------------
# The price ladder (4.1)

class PriceLadderPanel(Panel):
    """Entry, stop, liquidation and bankruptcy of one micro long from $70,000 (mmr 0.4 %).

    Each rung is a horizontal line at its move from the entry; the pale band is the loss the stop
    plans (fees of 0.05 % each way included in the readout), the red band the stretch between the
    liquidation and the bankruptcy price, which the exchange keeps. A stop drawn below the
    liquidation line is never reached: the readout warns.
    """

    controls = (LEVERAGE.replace(default=10, low=5, high=100), STOP_PCT.replace(default=3.0))
    figure_size = (6.4, 3.4)

    def __init__(self) -> None:
        super().__init__()
        self.contract = PRESETS["BTC-MICRO"]
        ax = self.ax = self.figure.add_axes((0.12, 0.1, 0.5, 0.82))
        ax.set_xlim(0, 1)
        ax.set_xticks([])
        ax.set_ylabel("price move from entry (%)")
        ax.grid(axis="y", alpha=0.3)
        ax.set_ylim(-21, 0.5)        # fixed: a 5x long is liquidated 19.7 % below, bankrupt at 20 %
        right = ax.secondary_yaxis("right", functions=(lambda m: _ENTRY_USD * (1 + m / 100),
                                                       lambda p: 100 * (p / _ENTRY_USD - 1)))
        right.set_ylabel("price (USD)")
        self.planned = ax.axhspan(-1, 0, color=COLORS["budget"], alpha=0.25, lw=0,
                                  label="planned loss (entry to stop)")
        self.kept = ax.axhspan(-2, -1, color=COLORS["loss"], alpha=0.25, lw=0,
                               label="kept by the exchange")
        self.lines = {}
        for name, color, style in (("entry", "black", "-"), ("stop", COLORS["budget"], "-"),
                                   ("liquidation", COLORS["loss"], "-"),
                                   ("bankruptcy", COLORS["neutral"], "--")):
            (self.lines[name],) = ax.plot([0.05, 0.95], [0, 0], color=color, ls=style, lw=2.5,
                                          label=name)
        self.figure.legend(*ax.get_legend_handles_labels(), loc="center left",
                           bbox_to_anchor=(0.74, 0.5), frameon=False, fontsize=8)
        self.animated = [self.planned, self.kept, *self.lines.values()]

    def draw(self, leverage: float = 10, stop_pct: float = 3.0) -> str:
        stop = _ENTRY_USD * (1 - stop_pct / 100)
        ladder = _price_ladder(_ENTRY_USD, 1, self.contract, "long", leverage, stop, mmr=_MMR,
                               fee_rate=_TAKER)
        moves = {"entry": 0.0, "stop": -100 * ladder.distance(ladder.stop_price),
                 "liquidation": -100 * ladder.distance(ladder.liquidation_price),
                 "bankruptcy": -100 * ladder.distance(ladder.bankruptcy_price)}
        for name, line in self.lines.items():
            line.set_ydata([moves[name], moves[name]])
        self.lines["stop"].set_linestyle(":" if ladder.stop_beyond_liquidation else "-")
        self.planned.set_y(moves["stop"])
        self.planned.set_height(-moves["stop"])
        self.kept.set_y(moves["bankruptcy"])
        self.kept.set_height(moves["liquidation"] - moves["bankruptcy"])
        rows = [(name, usd(price), f"{-100 * ladder.distance(price) + 0.0:+.2f} %".replace("-", "−"))
                for name, price in (("entry", ladder.entry_price), ("stop", ladder.stop_price),
                                    ("liquidation", ladder.liquidation_price),
                                    ("bankruptcy", ladder.bankruptcy_price))]
        head = (f"one micro long at <b>{leverage:g}x</b>, stop <b>{stop_pct:.1f} %</b> below; "
                f"margin {usd(ladder.margin)}<br>")
        if ladder.stop_beyond_liquidation:
            verdict = (f"<b style='color:{COLORS['loss']}'>WARNING: the stop lies beyond the "
                       f"liquidation price; the position is liquidated first and loses its margin, "
                       f"{usd(ladder.margin)}</b>")
        else:
            verdict = (f"the stop comes first: it loses <b>{usd(ladder.stop_loss)}</b> with fees, "
                       f"{ladder.stop_loss / ladder.margin:.0%} of the margin")
        return head + html_table(rows, ("rung", "price", "move")) + verdict


plot_price_ladder = plot_function(PriceLadderPanel)
price_ladder_explorer = explorer_function(
    PriceLadderPanel, note="Predict first: from what leverage does a 3 % stop come too late?")


# ----------------------------------------------------------------------------------------------
# What a stop gets (4.2)

_BINS_PCT = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, np.inf)
_BIN_LABELS = ("<0.1", "0.1–\n0.25", "0.25–\n0.5", "0.5–1", "1–2", "2–5", "≥5")
_FILL_SEED = 4  # the same seeded paths at every slider position (common random numbers)


class StopFillsPanel(Panel):
    """How much worse than its stop a stop-market order fills, over seeded 3-day hourly paths.

    A long from $70,000 at 60 % annual volatility; each hourly bar may open away from the previous
    close (a gap) with the chosen chance, the gap's size normal with a 2 % standard deviation.
    The bars are the share of triggered stops by how much worse than the stop they filled (0.05 %
    slippage always); the readout adds the stop-limit (limit 0.5 % beyond the stop) that never
    filled.

    Other Parameters
    ----------------
    n_paths, refine_paths : int
        Paths of the fast answer and of the refined one.
    """

    controls = (GAP_PROBABILITY_PCT, STOP_PCT)
    figure_size = (6.4, 3.2)

    def __init__(self, *, n_paths: int = 200, refine_paths: int = 2_000) -> None:
        super().__init__()
        self.n_paths, self.refine_paths = int(n_paths), int(refine_paths)
        ax = self.ax = self.figure.add_axes((0.12, 0.2, 0.84, 0.72))
        x = np.arange(len(_BIN_LABELS))
        ax.set_xticks(x, _BIN_LABELS, fontsize=8)
        ax.set_xlabel("fill worse than the stop (% of the stop price)")
        ax.set_ylabel("share of triggered stops\n(%, log scale)")
        ax.set_yscale("log")
        ax.set_ylim(0.01, 100)
        ax.grid(axis="y", alpha=0.3, which="both")
        ax.set_axisbelow(True)
        self.bars = list(ax.bar(x, [0.0] * len(x), width=0.7, color=COLORS["loss"]))
        self.animated = list(self.bars)

    def _answer(self, gap_probability_pct: float, stop_pct: float, n_paths: int, note: str) -> str:
        stats = _simulate_stop_fills(n_paths, stop_pct=stop_pct, gap_probability=gap_probability_pct / 100,
                                     seed=_FILL_SEED)
        if stats.triggered == 0:
            raise ValueError("no stop triggered on these paths: move the stop closer")
        counts, _ = np.histogram(100 * stats.market_slippage, bins=_BINS_PCT)
        for bar, count in zip(self.bars, counts):
            bar.set_height(max(100 * count / stats.triggered, 1e-3))  # 0: below the axis
        se = np.sqrt(stats.market_slippage.var() / stats.triggered)
        unfilled = stats.limit_unfilled_share
        unfilled_se = np.sqrt(unfilled * (1 - unfilled) / stats.triggered)
        return (f"stop <b>{stop_pct:.1f} %</b> below, gap chance <b>{gap_probability_pct:.1f} %</b> "
                f"per hour: {stats.triggered:,} of {n_paths:,} stops triggered in 3 days, "
                f"{stats.gap_share:.1%} through a gap ({note})<br>"
                f"stop-market fills worse than the stop by <b>{100 * stats.market_slippage_mean:.3f} "
                f"%</b> on average (± {100 * se:.3f}), {100 * stats.market_slippage_p95:.2f} % at "
                f"the 95th percentile, {100 * stats.market_slippage_worst:.2f} % at worst<br>"
                f"stop-limit 0.5 % beyond: <b>{unfilled:.1%}</b> (± {unfilled_se:.1%}) never filled")

    def draw(self, gap_probability_pct: float = 2.0, stop_pct: float = 2.0) -> str:
        return self._answer(gap_probability_pct, stop_pct, self.n_paths, "quick estimate")

    def refine(self, gap_probability_pct: float = 2.0, stop_pct: float = 2.0) -> str:
        return self._answer(gap_probability_pct, stop_pct, self.refine_paths, "refined")


plot_stop_fills = plot_function(StopFillsPanel)
stop_fills_explorer = explorer_function(
    StopFillsPanel, note="Predict first: what happens to the worst fill when gaps become common?")


# ----------------------------------------------------------------------------------------------
# Risk of ruin (4.4)

_RUIN_TRADES = 200
_RUIN_SEED = 11


class RiskOfRuinPanel(Panel):
    """Fifteen seeded accounts trading 200 times at a fixed risk per trade (log scale).

    Each trade risks a share of the current equity and wins ``reward_risk`` times that share with
    the chosen win rate. The dashed line is half the starting account; the readout gives the share
    of accounts that touch it within 200 trades, first from 500 simulated accounts (with its
    standard error) and then refined with 20,000.

    Other Parameters
    ----------------
    n_paths, refine_paths : int
        Accounts of the fast answer and of the refined one.
    """

    controls = (RISK_PCT, WIN_RATE_PCT, REWARD_RISK)
    figure_size = (6.4, 3.4)

    def __init__(self, *, n_paths: int = 500, refine_paths: int = 20_000) -> None:
        super().__init__()
        self.n_paths, self.refine_paths = int(n_paths), int(refine_paths)
        ax = self.ax = self.figure.add_axes((0.12, 0.14, 0.84, 0.78))
        ax.set_yscale("log")
        ax.set_xlim(0, _RUIN_TRADES)
        ax.set_ylim(0.05, 100)
        ax.set_xlabel("trade")
        ax.set_ylabel("equity / start (log scale)")
        ax.grid(alpha=0.3, which="both")
        ax.axhline(0.5, color=COLORS["loss"], ls="--", lw=1.5)
        ax.axhline(1.0, color="black", lw=0.8)
        x = np.arange(_RUIN_TRADES + 1)
        self.lines = [ax.plot(x, np.ones_like(x, dtype=float), lw=0.8, alpha=0.6,
                              color=COLORS["long"])[0] for _ in range(15)]
        self.animated = list(self.lines)

    def _answer(self, risk_pct: float, win_rate_pct: float, reward_risk: float, n_paths: int,
                note: str) -> str:
        f, p = risk_pct / 100, win_rate_pct / 100
        ruin = _risk_of_ruin(f, p, reward_risk, n_trades=_RUIN_TRADES, n_paths=n_paths,
                             seed=_RUIN_SEED)
        edge = float(_expectancy_in_r(p, reward_risk))
        bound = ("ruin is certain in the long run" if ruin.bound >= 1
                 else f"ever: at most {100 * ruin.bound:.2g} %")
        return (f"risk <b>{risk_pct:.1f} %</b> a trade, win rate <b>{win_rate_pct:g} %</b>, "
                f"reward-to-risk <b>{reward_risk:.1f}</b>: expectancy {edge:+.2f} R a trade<br>"
                f"halved within {_RUIN_TRADES} trades: <b>{ruin.probability:.1%}</b> "
                f"(± {ruin.standard_error:.1%}, {n_paths:,} accounts, {note}); {bound}")

    def draw(self, risk_pct: float = 2.0, win_rate_pct: float = 45, reward_risk: float = 2.0) -> str:
        paths = _equity_paths(risk_pct / 100, win_rate_pct / 100, reward_risk,
                              n_trades=_RUIN_TRADES, n_paths=len(self.lines), seed=_RUIN_SEED)
        for line, path in zip(self.lines, np.clip(paths, 0.05, 100)):
            line.set_ydata(path)
        return self._answer(risk_pct, win_rate_pct, reward_risk, self.n_paths, "quick estimate")

    def refine(self, risk_pct: float = 2.0, win_rate_pct: float = 45, reward_risk: float = 2.0) -> str:
        return self._answer(risk_pct, win_rate_pct, reward_risk, self.refine_paths, "refined")


plot_risk_of_ruin = plot_function(RiskOfRuinPanel)
risk_of_ruin_explorer = explorer_function(
    RiskOfRuinPanel, note="Predict first: at a 45 % win rate and 2:1, what does 10 % risk do?")
