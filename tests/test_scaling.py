"""The scaling rule and what luck alone produces."""
from __future__ import annotations

import math

import numpy as np
import pytest

from microfut_lib.journal import Journal, Trade
from microfut_lib.scaling import (
    ScalingRule,
    average_r_lower_bound,
    journal_record,
    luck_records,
    scaling_verdict,
    trades_needed,
)


def trade(r: float, reason: str = "manual", risk: float = 10.0) -> Trade:
    return Trade("long", 1, 100.0, 100.0 + r * risk, pnl=r * risk, risk=risk, exit_reason=reason)


def test_lower_bound_by_hand():
    r = np.array([1.0, -1.0, 2.0, 0.0])
    mean, sd = 0.5, math.sqrt(((0.5) ** 2 + 1.5 ** 2 + 1.5 ** 2 + 0.5 ** 2) / 3)
    assert average_r_lower_bound(r, 1.645) == pytest.approx(mean - 1.645 * sd / 2)


def test_trades_needed_by_hand():
    assert trades_needed(0.2) == math.ceil((1.645 / 0.2) ** 2)      # 67.65 → 68
    assert trades_needed(0.5, sd_r=1.5) == math.ceil((1.645 * 3) ** 2)


def test_a_good_record_passes_and_each_failure_is_named():
    good = [trade(2.0), trade(-1.0), trade(1.0)] * 20                  # 60 trades, +0.67R
    verdict = scaling_verdict(Journal(good, 10_000), next_rung_risk_usd=146.93)
    assert verdict.ok, str(verdict)
    few = scaling_verdict(Journal(good[:30], 10_000), 146.93)
    assert [c.name for c in few.checks if not c.passed] == ["enough trades with a stop"]
    liquidated = scaling_verdict(Journal(good + [trade(-1.0, "liquidation")], 10_000), 146.93)
    assert [c.name for c in liquidated.checks if not c.passed] == ["no liquidation"]
    too_big = scaling_verdict(Journal(good, 1_000), 146.93)
    assert "next rung within the 1–2 % rule" in [c.name for c in too_big.checks if not c.passed]
    coin_flip = [trade(1.0), trade(-1.0)] * 30
    assert not scaling_verdict(Journal(coin_flip, 10_000), 146.93).checks[1].passed


def test_drawdown_check_uses_the_journal():
    deep = [trade(-1.0)] * 12 + [trade(3.0)] * 50
    verdict = scaling_verdict(Journal(deep, 1_000), 10.0, ScalingRule(max_drawdown=0.10))
    # 12 losses of $10 from $1,000: 12 % drawdown
    assert [c.name for c in verdict.checks if not c.passed] == ["bounded drawdown"]


def test_luck_records_against_the_binomial():
    # 3 trades a month at ±1R, no fees: a month is profitable with 2 or 3 wins: P = 1/2
    res = luck_records(months=6, trades_per_month=3, fee_r=0.0, n_traders=40_000, seed=3)
    assert res.every_month_profitable == pytest.approx(0.5 ** 6, abs=0.003)
    # total over 18 trades profitable: 10 or more wins of 18
    p_total = sum(math.comb(18, k) for k in range(10, 19)) / 2 ** 18
    assert res.profitable_total == pytest.approx(p_total, abs=0.01)


def test_the_rule_rarely_passes_a_trader_without_edge():
    res = luck_records(months=6, trades_per_month=20, n_traders=20_000, seed=4)
    assert res.passes_r_test < 0.05 < res.profitable_total


@pytest.mark.parametrize("call, name", [
    (lambda: scaling_verdict([], 10.0), "journal"),
    (lambda: scaling_verdict(Journal([], 100), 0), "next_rung_risk_usd"),
    (lambda: trades_needed(0), "edge_r"),
    (lambda: trades_needed(0.2, sd_r=-1), "sd_r"),
    (lambda: average_r_lower_bound(np.array([1.0])), "r must"),
    (lambda: luck_records(months=0), "months"),
    (lambda: luck_records(win_rate=1.0), "win_rate"),
    (lambda: luck_records(fee_r=-0.1), "fee_r"),
    (lambda: luck_records(months=1, trades_per_month=1), "at least 2"),
    (lambda: journal_record(win_rate_pct=120), "win_rate_pct"),
    (lambda: journal_record(reward_r=0), "reward_r"),
    (lambda: journal_record(n_trades=0), "n_trades"),
    (lambda: journal_record(n_trades=301), "n_trades"),
    (lambda: journal_record(seed=-1), "seed"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_journal_record_is_seeded_and_stops_when_the_account_cannot_pay_a_loss():
    assert [t.net_pnl for t in journal_record(50, 1.5, 80).trades] == \
        [t.net_pnl for t in journal_record(50, 1.5, 80).trades]
    broke = journal_record(win_rate_pct=0, n_trades=200)
    # every trade loses 14.693: the record stops once the equity is below one more loss
    assert len(broke) == int(1_000 // 14.693) and broke.equity_curve()[-1] < 14.693


@pytest.mark.parametrize("n_trades", [100, 200, 37, 300])
def test_journal_record_has_exactly_the_rounded_number_of_wins(n_trades):
    for win_rate_pct in range(35, 101):     # records that run to the end (no early stop)
        trades = journal_record(win_rate_pct, 1.5, n_trades).trades
        assert len(trades) == n_trades
        expected = math.floor(win_rate_pct * n_trades / 100 + 0.5)      # halves round up
        assert sum(t.net_pnl > 0 for t in trades) == expected, win_rate_pct
    assert sum(t.net_pnl > 0 for t in journal_record(50, 1.5, 10).trades) == 5
    assert sum(t.net_pnl > 0 for t in journal_record(25, 1.5, 10).trades) == 3     # 2.5 rounds up


def test_each_percent_of_win_rate_changes_the_record_by_one_trade_at_100_trades():
    records = {p: [t.net_pnl > 0 for t in journal_record(p, 1.5, 100).trades] for p in range(20, 81)}
    for p in range(20, 80):
        changed = [i for i, (a, b) in enumerate(zip(records[p], records[p + 1])) if a != b]
        # the records differ in exactly one trade, a loss at p % that is a win at p + 1 %
        assert len(changed) == 1 and not records[p][changed[0]] and records[p + 1][changed[0]], p
    assert journal_record(50, 1.5, 100).equity_curve()[-1] != journal_record(51, 1.5, 100).equity_curve()[-1]


def test_journal_record_wins_are_spread_by_the_seed():
    a = [t.net_pnl > 0 for t in journal_record(50, 1.5, 100).trades]
    b = [t.net_pnl > 0 for t in journal_record(50, 1.5, 100, seed=7).trades]
    assert a != b and sum(a) == sum(b) == 50
    assert a != [True] * 50 + [False] * 50 and a != [False] * 50 + [True] * 50
