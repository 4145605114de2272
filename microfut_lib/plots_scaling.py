"""Figures of lesson 06 (scaling up): the ladder, the same loss at each rung, a journal's record.

Each figure is a panel (``microfut_lib.panel.Panel``) (controls as data, fixed parts drawn once,
``draw(**values)`` moves the rest and returns the readout's HTML), with its ``plot_*`` function
(the static figure, captioned with the values and the key numbers) and its ``*_explorer()``, one
line each. Every number comes from :mod:`microfut_lib.ladder`, :mod:`microfut_lib.journal` and
:mod:`microfut_lib.scaling`.

Examples
--------
>>> fig = plot_ladder(stop_pct=2, account_usd=5_000)
>>> fig.caption.splitlines()[0]
'account $5,000, stop 2.0 % below $70,000, fees 0.05 % each way: largest rung within 2 %: 0.01 BTC'
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .controls import ACCOUNT_USD, STOP_PCT, Control
from .journal import Journal
from .ladder import (
    LADDER_BTC,
    contracts_within_risk,
    ladder_plan,
    position_risk,
    rung_for_account,
    uncovered_accounts,
)
from .panel import COLORS, Panel, explorer_function, html_table, plot_function, usd
from .scaling import JOURNAL_START_USD, ScalingRule, journal_record, scaling_verdict

__all__ = ["LadderPanel", "SameLossPanel", "JournalPanel", "plot_ladder", "plot_same_loss",
           "plot_journal", "ladder_explorer", "same_loss_explorer", "journal_explorer"]

REFERENCE_PRICE_USD = 70_000.0
_RUNG_COLORS = (COLORS["micro"], COLORS["budget"], COLORS["standard"])
_FEE = 0.0005
_table, _usd = html_table, usd


# ----------------------------------------------------------------------------------------------
# The ladder: risk as % of the account, one contract of each rung, against the account

class LadderPanel(Panel):
    """Risk (loss at the stop + fees) as % of the account against the account, log scale.

    One curve per rung of the article's ladder (one position of 0.01, 0.1 or 1 BTC); the shaded
    band is the 1–2 % rule; the dark staircase is the most micro contracts (0.01 BTC each) that
    keep the risk at most 2 %. The vertical line is the account.
    """

    controls = (STOP_PCT.replace(step=0.5),
                ACCOUNT_USD.replace(default=5_000, low=500, high=100_000, step=500))
    figure_size = (6.4, 3.6)

    def __init__(self, *, entry_price: float = REFERENCE_PRICE_USD) -> None:
        super().__init__()
        self.entry = float(entry_price)
        account = self.control("account_usd")
        low, high = account.low * 0.6, account.high * 1.5
        self.accounts = np.geomspace(low, high, 240)
        fig = self.figure
        ax = self.ax = fig.add_axes((0.11, 0.14, 0.6, 0.8))
        ax.set_xscale("log")
        ax.set_xlim(low, high)
        ax.set_ylim(0.0, 4.0)
        ax.set_xlabel("account (USD, log scale)")
        ax.set_ylabel("risk of the trade (% of the account)")
        ax.axhspan(1.0, 2.0, color=COLORS["nano"], alpha=0.15, lw=0)
        ax.grid(alpha=0.25)
        self.rungs = [ax.plot([], [], color=c, lw=1.8, label=f"one {q:g} BTC position")[0]
                      for q, c in zip(LADDER_BTC, _RUNG_COLORS)]
        self.stairs = ax.plot([], [], color="black", lw=1.2, drawstyle="steps-post",
                              label="most 0.01 BTC\ncontracts within 2 %")[0]
        self.marker = ax.axvline(low, color=COLORS["neutral"], ls="--", lw=1.2, label="your account")
        handles = [*self.rungs, self.stairs, self.marker]
        fig.legend(handles, [h.get_label() for h in handles], loc="center left",
                   bbox_to_anchor=(0.72, 0.55), frameon=False, fontsize=8)
        fig.text(0.73, 0.2, "shaded: the 1–2 % rule", fontsize=8, color="#2a7")
        self.animated = [*self.rungs, self.stairs, self.marker]

    def numbers(self, stop_pct: float, account_usd: float) -> dict[str, Any]:
        """The readout's numbers (also used for the static figure's title)."""
        plan = ladder_plan(self.entry, stop_pct, fee_rate=_FEE)
        rung = rung_for_account(account_usd, plan)
        micro = float(contracts_within_risk(account_usd, 0.02, self.entry, stop_pct, fee_rate=_FEE))
        per_micro = float(position_risk(self.entry, stop_pct, 0.01, fee_rate=_FEE))
        return {"plan": plan, "rung": rung, "micro": micro, "micro_risk_pct": 100 * micro * per_micro / account_usd,
                "gaps": uncovered_accounts(plan)}

    def draw(self, stop_pct: float, account_usd: float) -> str:
        n = self.numbers(stop_pct, account_usd)
        for line, rung in zip(self.rungs, n["plan"]):
            line.set_data(self.accounts, 100.0 * rung.risk_usd / self.accounts)
        per_micro = n["plan"][0].risk_usd
        qty = np.asarray(contracts_within_risk(self.accounts, 0.02, self.entry, stop_pct, fee_rate=_FEE))
        pct = np.where(qty > 0, 100.0 * qty * per_micro / self.accounts, np.nan)
        self.stairs.set_data(self.accounts, pct)
        self.marker.set_xdata([account_usd, account_usd])
        rows = [(f"{r.position_btc:g} BTC", _usd(r.risk_usd), f"{100 * r.risk_usd / account_usd:.2f} %",
                 f"{_usd(r.account_min_usd, 0)} – {_usd(r.account_max_usd, 0)}") for r in n["plan"]]
        rung = n["rung"]
        fits = ("no rung fits within 2 %" if rung is None
                else f"largest rung within 2 %: {rung.position_btc:g} BTC")
        gaps = "; ".join(f"{_usd(a, 0)}–{_usd(b, 0)}" for a, b in n["gaps"])
        return (f"account <b>{_usd(account_usd, 0)}</b>, stop <b>{stop_pct:.1f} %</b> below "
                f"{_usd(self.entry, 0)}, fees 0.05 % each way: {fits}<br>"
                + _table(rows, ("rung", "risk", "of account", "1–2 % for accounts"))
                + f"<br>0.01 BTC steps: <b>{n['micro']:g}</b> micro contract(s), "
                  f"{n['micro_risk_pct']:.2f} % of the account"
                + (f"<br>no rung within 1–2 % for accounts {gaps}" if gaps else ""))


plot_ladder = plot_function(LadderPanel)
ladder_explorer = explorer_function(
    LadderPanel, note="Predict first: at which account does one 0.1 BTC position fit 2 %? Then slide.")


# ----------------------------------------------------------------------------------------------
# The same percentage loss in dollars at each rung

class SameLossPanel(Panel):
    """Dollars lost by the same percentage of the account at each rung (log scale).

    Each rung's account is the one at which that rung risks ``risk_pct`` of it (stop 2 % below
    $70,000, fees included). A loss of ``loss_pct`` of the account is ten times the dollars one
    rung up, and the same number of R (``loss_pct / risk_pct``) at every rung.
    """

    controls = (Control("loss_pct", 5.0, 0.5, 20.0, 0.5, "loss", "% of the account"),
                Control("risk_pct", 1.0, 0.5, 2.0, 0.25, "risk per trade", "%"))
    figure_size = (6.4, 3.3)

    def __init__(self, *, stop_pct: float = 2.0) -> None:
        super().__init__()
        self.stop_pct = float(stop_pct)
        fig = self.figure
        ax = self.ax = fig.add_axes((0.13, 0.12, 0.6, 0.83))
        ax.set_yscale("log")
        ax.set_ylim(1.0, 100_000.0)
        x = np.arange(len(LADDER_BTC))
        ax.set_xticks(x, [f"{q:g} BTC rung" for q in LADDER_BTC])
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.set_ylabel("dollars lost (log scale)")
        ax.grid(axis="y", alpha=0.3)
        self.bars = list(ax.bar(x, [1.0] * len(x), width=0.55, color=_RUNG_COLORS))
        fig.text(0.75, 0.55, "same % of the account,\nsame number of R,\nten times the dollars\n"
                             "one rung up", fontsize=8)
        self.animated = list(self.bars)

    def numbers(self, loss_pct: float, risk_pct: float) -> list[tuple[float, float, float]]:
        """(account, dollars lost, R lost) for each rung."""
        plan = ladder_plan(REFERENCE_PRICE_USD, self.stop_pct, fee_rate=_FEE,
                           risk_low=risk_pct / 100.0, risk_high=risk_pct / 100.0)
        return [(r.account_max_usd, r.account_max_usd * loss_pct / 100.0, loss_pct / risk_pct) for r in plan]

    def draw(self, loss_pct: float, risk_pct: float) -> str:
        rows = []
        for bar, (account, lost, r_lost), q in zip(self.bars, self.numbers(loss_pct, risk_pct), LADDER_BTC):
            bar.set_height(lost)
            rows.append((f"{q:g} BTC", _usd(account, 0), _usd(lost), f"{r_lost:.1f} R"))
        return (f"a loss of <b>{loss_pct:.1f} %</b> of the account; each rung's account is where it "
                f"risks {risk_pct:.1f} % (stop {self.stop_pct:g} %, fees included)<br>"
                + _table(rows, ("rung", "account", "loss", "in R")))


plot_same_loss = plot_function(SameLossPanel)
same_loss_explorer = explorer_function(
    SameLossPanel, note="Predict first: is a 5 % loss more R on the 1 BTC rung? Then slide.")


# ----------------------------------------------------------------------------------------------
# A trading record: equity curve, statistics and the scaling rule

class JournalPanel(Panel):
    """The record's equity curve against the number of trades, with the rule's verdict in the readout."""

    controls = (Control("win_rate_pct", 50, 20, 80, 1, "win rate", "%", integer=True),
                Control("reward_r", 1.5, 0.5, 3.0, 0.1, "win size", "R"),
                Control("n_trades", 100, 10, 200, 5, "trades", integer=True))
    figure_size = (6.4, 3.3)

    def __init__(self) -> None:
        super().__init__()
        fig = self.figure
        ax = self.ax = fig.add_axes((0.12, 0.13, 0.84, 0.82))
        ax.set_xlim(0, self.control("n_trades").high)
        ax.set_ylim(0, 3_000)
        ax.set_xlabel("trades")
        ax.set_ylabel("account (USD)")
        ax.axhline(JOURNAL_START_USD, color=COLORS["neutral"], lw=0.8, ls=":")
        next_rung = float(position_risk(REFERENCE_PRICE_USD, 2.0, 0.02, fee_rate=_FEE))
        self.next_rung_risk = next_rung
        ax.axhline(next_rung / 0.02, color=COLORS["budget"], lw=1.0, ls="--")
        ax.text(2, next_rung / 0.02 + 40, "2 micro contracts fit 2 % above this line", fontsize=8,
                color=COLORS["budget"])
        ax.grid(alpha=0.25)
        self.curve = ax.plot([], [], color=COLORS["long"], lw=1.6)[0]
        self.animated = [self.curve]

    def numbers(self, win_rate_pct: float, reward_r: float, n_trades: int) -> tuple[Journal, Any]:
        """The record and the scaling rule's verdict on it."""
        journal = journal_record(win_rate_pct, reward_r, n_trades)
        return journal, scaling_verdict(journal, self.next_rung_risk, ScalingRule())

    def draw(self, win_rate_pct: float, reward_r: float, n_trades: int) -> str:
        journal, verdict = self.numbers(win_rate_pct, reward_r, n_trades)
        eq = journal.equity_curve()
        self.curve.set_data(np.arange(eq.size), eq)
        s = journal.stats()
        checks = "".join(f"<br>{'✔' if c.passed else '✘'} {c.name}: {c.detail}" for c in verdict.checks)
        head = "next rung justified" if verdict.ok else "not yet: stay on this rung"
        return (f"{s['n_trades']} trades, win rate <b>{s['win_rate']:.0%}</b>, expectancy "
                f"<b>{_usd(s['expectancy'])}</b> a trade, average <b>{s['average_r']:+.2f} R</b>, "
                f"max drawdown <b>{journal.max_drawdown:.1%}</b>, final {_usd(s['final_equity'])}<br>"
                f"rule: <b>{head}</b>{checks}")


plot_journal = plot_function(JournalPanel)
journal_explorer = explorer_function(
    JournalPanel, note="Predict first: how many trades before a 55 % win rate at 1.5 R passes the rule?")
