"""Panels of lessons 04 and 05: what they draw is what the math modules compute."""
import numpy as np
import pytest

import microfut_lib as mf
from microfut_lib.plots_practice import FeeSchedulePanel, LiquidationOddsPanel, MarginModesPanel
from microfut_lib.plots_risk import PriceLadderPanel, RiskOfRuinPanel, StopFillsPanel

MICRO = mf.PRESETS["BTC-MICRO"]


def test_price_ladder_lines_sit_at_the_ladders_moves():
    panel = PriceLadderPanel()
    readout = panel.draw(leverage=50, stop_pct=3)
    ladder = mf.price_ladder(70_000, 1, MICRO, "long", 50, 67_900, mmr=0.004, fee_rate=0.0005)
    assert panel.lines["liquidation"].get_ydata()[0] == pytest.approx(-100 * ladder.distance(ladder.liquidation_price))
    assert panel.lines["bankruptcy"].get_ydata()[0] == pytest.approx(-2.0)
    assert panel.lines["stop"].get_linestyle() == ":" and "WARNING" in readout
    readout = panel.draw(leverage=10, stop_pct=3)
    assert panel.lines["stop"].get_linestyle() == "-" and "$21.69" in readout


@pytest.mark.parametrize("leverage", [5, 100])
def test_price_ladder_stays_inside_its_fixed_axis(leverage):
    panel = PriceLadderPanel()
    panel.draw(leverage=leverage, stop_pct=10)
    low, high = panel.ax.get_ylim()
    for line in panel.lines.values():
        assert low <= line.get_ydata()[0] <= high


def test_stop_fill_bars_are_the_simulations_shares():
    panel = StopFillsPanel(n_paths=300, refine_paths=600)
    readout = panel.refine(gap_probability_pct=5, stop_pct=2)
    stats = mf.simulate_stop_fills(600, stop_pct=2, gap_probability=0.05, seed=4)
    heights = np.array([b.get_height() for b in panel.bars])
    heights[heights < 1e-2] = 0
    counts, _ = np.histogram(100 * stats.market_slippage, bins=(0, 0.1, 0.25, 0.5, 1, 2, 5, np.inf))
    assert np.allclose(heights, 100 * counts / stats.triggered)
    assert f"{stats.limit_unfilled_share:.1%}" in readout and "refined" in readout
    assert "quick estimate" in panel.draw(gap_probability_pct=5, stop_pct=2)


def test_ruin_readout_is_the_libraries_answer():
    panel = RiskOfRuinPanel(n_paths=500, refine_paths=2_000)
    readout = panel.refine(risk_pct=10, win_rate_pct=45, reward_risk=2)
    ruin = mf.risk_of_ruin(0.10, 0.45, 2.0, n_trades=200, n_paths=2_000, seed=11)
    assert f"{ruin.probability:.1%}" in readout and "+0.35 R" in readout
    panel.draw(risk_pct=10, win_rate_pct=45, reward_risk=2)
    paths = np.array([line.get_ydata() for line in panel.lines])
    assert paths.shape == (15, 201) and np.all(paths[:, 0] == 1.0)


def test_fee_points_are_the_round_trip_shares():
    panel = FeeSchedulePanel()
    panel.draw(leverage=20, fee_per_contract_usd=2.5, taker_fee_bp=5)
    ys = panel.points.get_ydata()
    assert ys[0] == pytest.approx(2.0)                                     # 2 × 0.05 % × 20
    assert ys[2] == pytest.approx(100 * 2 * 2.5 * 20 / 7_000)              # CME micro
    assert ys[3] == pytest.approx(10 * ys[2])                              # 0.01 BTC: ten times
    before = panel.fixed[1].get_ydata().copy()
    panel.draw(leverage=20, fee_per_contract_usd=5.0, taker_fee_bp=5)
    assert np.allclose(panel.fixed[1].get_ydata(), 2 * before)


def test_margin_mode_dots_are_the_balances():
    panel = MarginModesPanel()
    panel.draw(price_move_pct=-15, contracts=10)
    assert panel.dots.get_ydata() == pytest.approx([300, 0])
    panel.draw(price_move_pct=-5, contracts=3)
    assert panel.dots.get_ydata() == pytest.approx([1_000 - 0.03 * 3_500] * 2)


def test_liquidation_odds_draw_is_the_closed_form_and_refine_adds_the_monte_carlo():
    panel = LiquidationOddsPanel(refine_paths=1_000)
    panel.draw(leverage=10, annual_vol_pct=60)
    odds = mf.liquidation_odds(10, 0.6)
    assert np.allclose(panel.marks.get_ydata(), 100 * odds.closed_form)
    assert len(panel.mc.get_xdata()) == 0
    readout = panel.refine(leverage=10, annual_vol_pct=60)
    assert len(panel.mc.get_xdata()) == 3 and "Monte Carlo, 1,000 paths" in readout
