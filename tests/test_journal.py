"""Trade journal: worked examples by hand, invariants, bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib.journal import (
    Journal,
    Table,
    Trade,
    equity_curve,
    expectancy,
    max_drawdown,
    r_multiples,
    trade_table,
    win_rate,
)


def test_statistics_by_hand():
    pnls = [50.0, -20.0, -20.0, 10.0, 0.0]
    assert win_rate(pnls) == 2 / 5                       # break-even is not a win
    # Tharp: 0.4 × average win 30 − 0.6 × average loss 13.33 = 12 − 8 = 4 = mean
    assert expectancy(pnls) == pytest.approx(0.4 * 30 - 0.6 * (40 / 3))
    np.testing.assert_allclose(equity_curve(pnls, 1000), [1000, 1050, 1030, 1010, 1020, 1020])
    # peak 1050 → trough 1010: 40 / 1050
    assert max_drawdown(equity_curve(pnls, 1000)) == pytest.approx(40 / 1050)
    np.testing.assert_allclose(r_multiples([30.0, -10.0, 5.0], [10.0, 10.0, 20.0]), [3.0, -1.0, 0.25])
    assert max_drawdown([1.0, 2.0, 3.0]) == 0.0


def test_trade_from_prices_linear_by_hand():
    # 2 micro contracts (0.02 BTC) long 70,000 → 73,500: 0.02 × 3,500 = $70;
    # fees 0.05 % of $1,400 and of $1,470 = $0.70 + $0.735; stop 68,600: 0.02 × 1,400 = $28 at risk
    t = Trade.from_prices("long", 2, 70_000, 73_500, mf.PRESETS["BTC-MICRO"], fee_rate=0.0005,
                          stop_price=68_600, funding=-0.5)
    assert t.pnl == pytest.approx(70.0)
    assert t.fees == pytest.approx(1.435)
    assert t.risk == pytest.approx(28.0)
    assert t.net_pnl == pytest.approx(70 - 1.435 - 0.5)
    assert t.r_multiple == pytest.approx((70 - 1.435 - 0.5) / 28)


def test_trade_from_prices_inverse_short_by_hand():
    # 10 COIN-M contracts = $1,000 face, short 50,000 → 40,000: 1000 × (1/40000 − 1/50000)... sign:
    # short PnL = −1 × 1000 × (1/50000 − 1/40000) = +0.005 BTC
    t = Trade.from_prices("short", 10, 50_000, 40_000, mf.PRESETS["BINANCE-BTCUSD-PERP"],
                          stop_price=55_000)
    assert t.pnl == pytest.approx(0.005, rel=1e-12)
    assert t.risk == pytest.approx(1000 * (1 / 50_000 - 1 / 55_000), rel=1e-12)


def test_journal_stats_and_table():
    micro = mf.PRESETS["BTC-MICRO"]
    trades = [Trade.from_prices("long", 1, 70_000, 72_100, micro, stop_price=69_300),   # +21, 3R
              Trade.from_prices("short", 1, 72_000, 72_700, micro, stop_price=72_700),  # −7, −1R
              Trade.from_prices("long", 1, 71_000, 71_700, micro, stop_price=70_300)]   # +7, 1R
    j = Journal(trades, 1_000)
    assert j.win_rate == pytest.approx(2 / 3)
    assert j.expectancy == pytest.approx(7.0)
    assert j.average_r == pytest.approx(1.0)
    assert j.max_drawdown == pytest.approx(7 / 1021)
    stats = j.stats()
    assert stats["final_equity"] == pytest.approx(1021) and stats["n_trades"] == 3
    table = j.table()
    assert isinstance(table, Table) and len(table) == 3
    np.testing.assert_allclose(table["net_pnl"], [21, -7, 7])
    assert "<table>" in table._repr_html_() and "short" in repr(table)
    assert Journal([], 100).stats()["win_rate"] is None
    assert len(trade_table([])) == 0


@pytest.mark.parametrize("call, message", [
    (lambda: win_rate([]), "non-empty"),
    (lambda: expectancy([np.nan]), "finite"),
    (lambda: r_multiples([1.0], [0.0]), "risks"),
    (lambda: equity_curve([1.0], 0), "initial_equity"),
    (lambda: max_drawdown([0.0, 1.0]), "starting above 0"),
    (lambda: Trade("flat", 1, 100, 100, 0.0), "side"),
    (lambda: Trade("long", 0, 100, 100, 0.0), "qty"),
    (lambda: Trade("long", 1, 100, 100, 0.0, fees=-1), "fees"),
    (lambda: Trade("long", 1, 100, 100, 0.0, risk=0.0), "risk"),
    (lambda: Trade("long", 1, 100, 100, math.nan), "pnl"),
    (lambda: Trade("long", 1, 100, 100, 0.0, exit_reason="bored"), "exit_reason"),
    (lambda: Trade.from_prices("long", 1, 100, 110, mf.PRESETS["BTC-MICRO"], stop_price=105), "stop_price"),
    (lambda: Journal([1], 100), "Trade records"),
    (lambda: Journal([], 100).average_r, "R is undefined"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=40))
def test_invariants(pnls):
    eq = equity_curve(pnls, 10_000)
    assert eq[-1] == pytest.approx(10_000 + sum(pnls), abs=1e-6)
    dd = max_drawdown(eq)
    assert 0.0 <= dd < 1.0
    # the drawdown is reached somewhere: some later point sits (1 − dd) below an earlier peak
    peak = np.maximum.accumulate(eq)
    assert np.min(eq / peak) == pytest.approx(1 - dd)
    assert win_rate(pnls) * len(pnls) == pytest.approx(sum(p > 0 for p in pnls))


def test_exit_reason_enum_or_value():
    t = Trade("long", 1, 100.0, 90.0, -10.0, exit_reason="stop")
    assert t.exit_reason is mf.ExitReason.STOP and t.exit_reason == "stop" and f"{t.exit_reason}" == "stop"
    assert Trade("long", 1, 100.0, 90.0, -10.0, exit_reason=mf.ExitReason.STOP) == t
    assert Trade("long", 1, 100.0, 90.0, -10.0).exit_reason is mf.ExitReason.MANUAL
    assert list(trade_table([t])["exit_reason"]) == ["stop"]


def test_stats_when_the_balance_goes_below_zero():
    # cross margin or a gap can lose more than the balance: 100 → 160 → −40 → −30
    trades = [Trade("long", 1, 100.0, 160.0, 60.0), Trade("short", 1, 100.0, 300.0, -200.0),
              Trade("long", 1, 100.0, 110.0, 10.0, risk=20.0)]
    stats = Journal(trades, 100).stats()
    assert stats["final_equity"] == pytest.approx(-30.0) and stats["total_return"] == pytest.approx(-1.3)
    assert stats["max_drawdown_closed"] == 1.0          # a balance at or below zero: all of the peak
    assert stats["win_rate"] == pytest.approx(2 / 3) and stats["expectancy"] == pytest.approx(-130 / 3)
    assert stats["average_r"] == pytest.approx(0.5)     # only the trade with a stop has an R
    assert Journal(trades, 100).max_drawdown == 1.0
    assert Journal(trades[:1], 100).stats()["average_r"] is None


def test_closed_drawdown_by_a_plain_loop():
    pnls = [50.0, -20.0, -20.0, 10.0, 0.0, -45.0, 5.0]
    stats = Journal([Trade("long", 1, 100.0, 100.0, p) for p in pnls], 1000).stats()
    balance, peak, worst = 1000.0, 1000.0, 0.0
    for p in pnls:
        balance += p
        peak = max(peak, balance)
        worst = max(worst, 1 - balance / peak)
    assert stats["max_drawdown_closed"] == pytest.approx(worst, rel=1e-12)   # 1050 → 975
    assert worst == pytest.approx(75 / 1050)
