"""The source article's section 6 and conclusion, and the numbers lessons 06 and 07 show for them.

"Micro-Futures: Starting Small in High-Leverage Markets", section 6 (scaling up) and conclusion.
Each claim is checked here, off the page, with the figure the lesson prints; the hand values are
worked out independently of the library (contract size × price distance, notional × rate).
"""
from __future__ import annotations

import pytest

import microfut_lib as mf

MICRO, NANO, STANDARD = (mf.PRESETS[k] for k in ("BTC-MICRO", "BTC-NANO", "BTC-STANDARD"))


def test_6_1_ladder_rungs_and_the_1_to_2_percent_rule():
    # "from 0.01 BTC contracts to 1.0 BTC contracts ... intermediate sizes (e.g., 0.1 BTC) ...
    # adhering to your 1-2% capital risk rule": risk = Q × 1,400 + 0.0005 × Q × 138,600
    plan = mf.ladder_plan(70_000, 2)
    for rung, q in zip(plan, (0.01, 0.1, 1.0)):
        risk = q * 1_400 + 0.0005 * q * 138_600
        assert rung.risk_usd == pytest.approx(risk)
        assert (rung.account_min_usd, rung.account_max_usd) == pytest.approx((risk / 0.02, risk / 0.01))
    # a tenfold rung against a twofold band: gaps where no rung keeps 1-2 %
    gaps = mf.uncovered_accounts(plan)
    assert [round(a, 2) for gap in gaps for a in gap] == [1_469.3, 7_346.5, 14_693.0, 73_465.0]
    # whole micro contracts close the gap: risk within 1-2 % from $735 up
    for account in (735, 1_000, 2_500, 5_000, 7_346.5, 15_000, 50_000):
        n = mf.contracts_within_risk(account, 0.02, 70_000, 2)
        assert 0.01 <= n * 14.693 / account <= 0.02


def test_6_2_pnl_scales_linearly_with_size_on_the_same_signals():
    bars = mf.gbm_ohlc(24 * 90, annual_vol=0.6, seed=7)
    signals = mf.sma_cross_signals(bars.close, 12, 48)
    net = {n: sum(t.net_pnl for t in mf.backtest(bars, signals, MICRO, initial_equity=100_000,
                                                    leverage=5, sizing="fixed", size=n,
                                                    taker_fee=0.0005).trades)
           for n in (1, 10, 100)}
    assert net[10] == pytest.approx(10 * net[1], rel=1e-12)
    assert net[100] == pytest.approx(100 * net[1], rel=1e-12)
    assert net[1] == pytest.approx(6.157, abs=5e-4)


def test_6_2_margin_brackets_do_not_scale():
    # 1 BTC at $70,000 is bracket 2 (0.5 %, cum 50): equity 3,500 + (P − 70,000) = 0.005 P − 50
    one_btc = mf.liquidation_price(70_000, 100, MICRO, "long", leverage=20, mmr=0.005, maint_amount=50)
    assert one_btc == pytest.approx((70_000 - 3_500 - 50) / (1 - 0.005))
    one_micro = mf.liquidation_price(70_000, 1, MICRO, "long", leverage=20, mmr=0.004)
    assert one_btc - one_micro == pytest.approx(16.85, abs=0.01)
    ten_btc = mf.liquidation_price(70_000, 1_000, MICRO, "long", leverage=20, mmr=0.01, maint_amount=1_300)
    assert ten_btc - one_micro == pytest.approx(273.33, abs=0.01)


def test_6_3_same_percentage_is_ten_times_the_dollars_one_rung_up():
    # "a $50 loss on a micro-trade ... a $500 loss on a scaled-up trade ... the same percentage"
    losses = mf.loss_at_rungs(5, mf.ladder_plan())
    assert losses[1] / losses[0] == pytest.approx(10) and losses[2] / losses[1] == pytest.approx(10)
    assert list(losses) == pytest.approx([73.465, 734.65, 7_346.5])


def test_6_3_journal_statistics_of_the_lesson_record():
    journal = mf.journal_record(50, 1.5, 100)
    stats = journal.stats()
    wins = round(stats["win_rate"] * 100)
    # a win: 0.01 × 2,100 − 0.0005 × 0.01 × (70,000 + 72,100); a loss: −14 − 0.0005 × 0.01 × 138,600
    win, loss = 21 - 0.7105, -14 - 0.693
    assert stats["final_equity"] == pytest.approx(1_000 + wins * win + (100 - wins) * loss)
    assert stats["average_r"] == pytest.approx((wins * win + (100 - wins) * loss) / 100 / 14)
    assert wins == 50 and journal.max_drawdown == pytest.approx(0.0790, abs=1e-4)


def test_6_intro_six_months_of_profitability_is_passed_by_luck():
    # "consistent success (e.g., six months of profitability)": traders with no edge
    luck = mf.luck_records(months=6, trades_per_month=20, fee_r=0.05, n_traders=20_000, seed=1)
    assert 0.2 < luck.profitable_total < 0.35
    assert luck.every_month_profitable < 0.02 and luck.passes_r_test < 0.05
    assert mf.trades_needed(0.2) == 68


def test_6_rule_verdicts_the_lesson_prints():
    next_rung = mf.position_risk(70_000, 2, 0.02)
    assert next_rung == pytest.approx(28 + 0.0005 * 0.02 * 138_600)
    assert not mf.scaling_verdict(mf.journal_record(50, 1.5, 100), next_rung).ok
    assert mf.scaling_verdict(mf.journal_record(55, 1.5, 200), next_rung).ok


def test_conclusion_low_risk_is_low_cost_not_a_farther_liquidation():
    # the same 20x liquidation distance for every size: 1 − (1 − 1/20) / (1 − 0.004)
    distance = 1 - (1 - 1 / 20) / (1 - 0.004)
    for contract in (STANDARD, MICRO, NANO):
        lp = mf.liquidation_price(70_000, 1, contract, "long", leverage=20, mmr=0.004)
        assert 1 - lp / 70_000 == pytest.approx(distance)
    assert distance == pytest.approx(0.0462, abs=1e-4)
    margins = [mf.initial_margin(70_000, 1, c, 20) for c in (STANDARD, MICRO, NANO)]
    assert margins == pytest.approx([3_500, 35, 3.5])


def test_7_ticket_and_scripted_session_figures():
    t = mf.trade_ticket()
    assert t.trade.net_pnl == pytest.approx(0.006 * 2_800 - 0.21 - 0.006 * 72_800 * 0.0005 - 0.126)
    # past about 42x the liquidation price passes a 2 % stop: (1 − 1/L) / 0.996 = 0.98
    crossover = 1 / (1 - 0.98 * 0.996)
    assert crossover == pytest.approx(41.8, abs=0.05)
    assert mf.trade_ticket(leverage=41).stop_before_liquidation
    assert not mf.trade_ticket(leverage=42).stop_before_liquidation
    result = mf.replay(mf.SCRIPTED_SESSION)
    assert result.state.equity_usd == pytest.approx(991.93, abs=0.005)
    assert result.session.fees_paid + result.session.funding_paid == pytest.approx(6.65, abs=0.005)
