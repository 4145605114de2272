"""When does a trading record justify the next rung? A stated rule, and what luck alone produces.

The course's source article ("Micro-Futures: Starting Small in High-Leverage Markets", section 6)
suggests scaling up after "consistent success (e.g., six months of profitability)". Months are not
evidence; trades are. The rule used in this course (:class:`ScalingRule`) asks of the journal:

1. **enough trades**: at least ``min_trades`` closed trades, each with a stop (so 1R is defined);
2. **an edge beyond luck**: the lower end of a one-sided confidence interval for the average
   R-multiple is above zero, ``mean(R) − z·sd(R)/√n > 0`` (z = 1.645: 95 %; the normal
   approximation of the mean, Student's t makes little difference from 30 trades on);
3. **bounded drawdown**: the journal's maximum drawdown is at most ``max_drawdown``;
4. **no liquidation**: a record with one is a record of a risk that was not managed;
5. **the next rung fits the 1–2 % rule**: its risk at the stop, fees included
   (:func:`~microfut_lib.ladder.position_risk`), is at most ``risk_high`` of the current equity.

:func:`luck_records` simulates traders with no edge (their average R before fees is zero) to
show how often a calendar-based rule ("profitable over six months") and this rule pass them.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validate import scalar, whole_number
from .contracts import PRESETS
from .journal import Journal, Trade

__all__ = ["ScalingRule", "Check", "Verdict", "scaling_verdict", "average_r_lower_bound",
           "trades_needed", "luck_records", "journal_record", "JOURNAL_START_USD"]


class ScalingRule(NamedTuple):
    """The thresholds of the rule (see the module notes)."""

    min_trades: int = 50
    z: float = 1.645
    max_drawdown: float = 0.10
    risk_high: float = 0.02


class Check(NamedTuple):
    """One condition of the rule: its name, whether it passed, and the numbers behind it."""

    name: str
    passed: bool
    detail: str


class Verdict(NamedTuple):
    """The rule's answer: ``ok`` when every check passed."""

    ok: bool
    checks: list[Check]

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{'✔' if c.passed else '✘'}</td><td>{c.name}</td><td>{c.detail}</td></tr>"
                       for c in self.checks)
        head = "Next rung justified" if self.ok else "Not yet: stay on this rung"
        return f"<p><b>{head}</b></p><table>{rows}</table>"

    def __str__(self) -> str:
        head = "next rung justified" if self.ok else "not yet: stay on this rung"
        return head + "".join(f"\n  [{'x' if c.passed else ' '}] {c.name}: {c.detail}" for c in self.checks)


def average_r_lower_bound(r: np.ndarray, z: float = 1.645) -> float:
    """``mean(R) − z·sd(R)/√n`` with the sample standard deviation (n ≥ 2).

    Examples
    --------
    >>> round(average_r_lower_bound(np.array([2.0, -1.0, 2.0, -1.0])), 4)   # 0.5 − 1.645·√3/2
    -0.9246
    """
    r = np.asarray(r, dtype=float)
    if r.ndim != 1 or r.size < 2 or not np.all(np.isfinite(r)):
        raise ValueError("r must hold at least 2 finite R-multiples")
    z = scalar("z", z, gt=0.0, le=5.0)
    return float(r.mean() - z * r.std(ddof=1) / math.sqrt(r.size))


def trades_needed(edge_r: float, sd_r: float = 1.0, z: float = 1.645) -> int:
    """Trades before an edge of ``edge_r`` (mean R) clears its noise: ``ceil((z·sd_r / edge_r)²)``.

    Examples
    --------
    A real edge of +0.2R per trade with a spread of 1R takes 68 trades to show:

    >>> trades_needed(0.2)
    68
    """
    edge = scalar("edge_r", edge_r, gt=0.0, le=10.0, note="(average R per trade)")
    sd = scalar("sd_r", sd_r, gt=0.0, le=100.0)
    z = scalar("z", z, gt=0.0, le=5.0)
    return int(math.ceil((z * sd / edge) ** 2 - 1e-9))


def scaling_verdict(journal: Journal, next_rung_risk_usd: float, rule: ScalingRule = ScalingRule()) -> Verdict:
    """Apply :class:`ScalingRule` to ``journal`` (see the module notes for each check).

    Examples
    --------
    >>> from microfut_lib.journal import Trade
    >>> trades = [Trade("long", 1, 100.0, 102.0, pnl=2.0, risk=1.0)] * 60
    >>> scaling_verdict(Journal(trades, 100.0), next_rung_risk_usd=2.0).ok
    True
    """
    if not isinstance(journal, Journal):
        raise ValueError(f"journal must be a Journal; got {type(journal).__name__}")
    next_risk = scalar("next_rung_risk_usd", next_rung_risk_usd, gt=0.0)
    trades = journal.trades
    with_stop = [t for t in trades if t.risk > 0]
    n = len(with_stop)
    checks = [Check("enough trades with a stop", n >= rule.min_trades and n == len(trades),
                    f"{n} of {len(trades)} trades (needs {rule.min_trades}, all with a stop)")]
    if n >= 2:
        r = np.array([t.r_multiple for t in with_stop])
        low = average_r_lower_bound(r, rule.z)
        checks.append(Check("edge beyond luck", low > 0,
                            f"average R {r.mean():+.2f}, lower bound {low:+.2f} (must be > 0)".replace("-", "−")))
    else:
        checks.append(Check("edge beyond luck", False, "fewer than 2 trades with a stop"))
    equity = journal.equity_curve()
    dd = journal.max_drawdown
    checks.append(Check("bounded drawdown", dd <= rule.max_drawdown,
                        f"max drawdown {dd:.1%} (at most {rule.max_drawdown:.0%})"))
    n_liq = sum(t.exit_reason == "liquidation" for t in trades)
    checks.append(Check("no liquidation", n_liq == 0, f"{n_liq} liquidation(s)"))
    budget = float(equity[-1]) * rule.risk_high
    checks.append(Check("next rung within the 1–2 % rule", next_risk <= budget,
                        f"${next_risk:,.2f} {'<=' if next_risk <= budget else '>'} "
                        f"{rule.risk_high:.0%} of ${equity[-1]:,.2f} (${budget:,.2f})"))
    return Verdict(all(c.passed for c in checks), checks)


class LuckResult(NamedTuple):
    """Shares of zero-edge traders passing each test (fractions of ``n_traders``)."""

    profitable_total: float
    every_month_profitable: float
    passes_r_test: float


def luck_records(*, months: int = 6, trades_per_month: int = 20, win_rate: float | None = None,
                 reward_r: float = 1.0, fee_r: float = 0.05, n_traders: int = 20_000,
                 seed: int = 0, z: float = 1.645) -> LuckResult:
    """Simulate traders whose average R before fees is zero and count how many look skilled.

    Each trade wins ``reward_r`` R with probability ``win_rate`` or loses 1R, and pays ``fee_r`` R
    of fees. By default ``win_rate = 1 / (1 + reward_r)``, which makes the average R before fees
    zero (``win_rate·reward_r − (1 − win_rate) = 0``): no edge at all. Returns the share profitable over the whole period, the share
    profitable in every month, and the share passing the rule's R test (lower bound > 0).

    Examples
    --------
    >>> res = luck_records(seed=1)
    >>> 0.2 < res.profitable_total < 0.45 and res.passes_r_test < 0.05
    True
    """
    months = whole_number("months", months, 1, unit="months")
    per_month = whole_number("trades_per_month", trades_per_month, 1, unit="trades")
    reward = scalar("reward_r", reward_r, gt=0.0, le=100.0)
    p = 1.0 / (1.0 + reward) if win_rate is None else scalar("win_rate", win_rate, gt=0.0, lt=1.0)
    fee = scalar("fee_r", fee_r, ge=0.0, le=1.0)
    n = whole_number("n_traders", n_traders, 1, unit="traders")
    rng = np.random.default_rng(whole_number("seed", seed, 0))
    wins = rng.random((n, months, per_month), dtype=np.float64) < p
    r = np.where(wins, reward, -1.0) - fee
    monthly = r.sum(axis=2)
    flat = r.reshape(n, -1)
    k = flat.shape[1]
    if k < 2:
        raise ValueError("months × trades_per_month must be at least 2 trades")
    low = flat.mean(axis=1) - scalar("z", z, gt=0.0, le=5.0) * flat.std(axis=1, ddof=1) / math.sqrt(k)
    return LuckResult(float(np.mean(monthly.sum(axis=1) > 0)), float(np.mean(np.all(monthly > 0, axis=1))),
                      float(np.mean(low > 0)))


JOURNAL_START_USD = 1_000.0
_MAX_RECORD = 300


def journal_record(win_rate_pct: float = 50.0, reward_r: float = 1.5, n_trades: int = 100, *,
                   seed: int = 6, fee_rate: float = 0.0005) -> Journal:
    """A seeded record of one-micro-contract trades from $1,000 (2 % stop at $70,000).

    Exactly ``k = round(win_rate_pct · n_trades / 100)`` of the ``n_trades`` are wins (halves
    round up), placed by a seeded permutation: trade ``i`` wins when its seeded uniform draw is
    among the ``k`` smallest of the first ``n_trades`` draws. A win exits ``reward_r`` stop
    distances above the entry; a loss is stopped at $68,600. Every trade is
    :meth:`Trade.from_prices <microfut_lib.journal.Trade.from_prices>` with taker fees on both
    fills. The same draws serve every setting, so one more percent of win rate turns the next
    loss in the permutation into a win and leaves every other trade as it was (at 100 trades each
    1 % step is one trade). The record stops early when the account cannot pay one more loss.

    Examples
    --------
    >>> j = journal_record(50, 1.5, 100)
    >>> len(j), round(j.trades[0].risk, 2), sum(t.net_pnl > 0 for t in j.trades)
    (100, 14.0, 50)
    >>> sum(t.net_pnl > 0 for t in journal_record(51, 1.5, 100).trades)
    51
    """
    n = whole_number("n_trades", n_trades, 1, unit="trades")
    if n > _MAX_RECORD:
        raise ValueError(f"n_trades must be at most {_MAX_RECORD}; got {n}")
    p = scalar("win_rate_pct", win_rate_pct, ge=0.0, le=100.0, note="(percent)")
    reward = scalar("reward_r", reward_r, gt=0.0, le=20.0, note="(a win in units of the stop distance)")
    draws = np.random.default_rng(whole_number("seed", seed, 0)).random(_MAX_RECORD)[:n]
    n_wins = math.floor(p * n / 100.0 + 0.5)
    wins = np.zeros(n, dtype=bool)
    wins[np.argsort(draws, kind="stable")[:n_wins]] = True
    micro, entry = PRESETS["BTC-MICRO"], 70_000.0
    stop = entry * 0.98
    win = Trade.from_prices("long", 1, entry, entry + reward * (entry - stop), micro, fee_rate=fee_rate,
                            stop_price=stop)
    loss = Trade.from_prices("long", 1, entry, stop, micro, fee_rate=fee_rate, stop_price=stop)
    loss = loss._replace(exit_reason="stop")
    trades, equity = [], JOURNAL_START_USD
    for is_win in wins.tolist():
        if equity < -loss.net_pnl:
            break
        trade = win if is_win else loss
        trades.append(trade)
        equity += trade.net_pnl
    return Journal(trades, JOURNAL_START_USD)
