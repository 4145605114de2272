"""The article's claims of sections 4 and 5, and every number lessons 04 and 05 state in prose.

Each claim the lessons correct is computed here (not on the page), so a change in the library
that would make a sentence of the lessons false fails a test.
"""
import numpy as np
import pytest

import microfut_lib as mf

MICRO, NANO, STANDARD = (mf.PRESETS[k] for k in ("BTC-MICRO", "BTC-NANO", "BTC-STANDARD"))
BTCUSDT, MBT, CME_BTC = (mf.PRESETS[k] for k in ("BINANCE-BTCUSDT-PERP", "CME-MBT", "CME-BTC"))


# -- 4.1 "Calculate the exact price level ... based on your contract size and leverage"
def test_stop_depends_on_position_size_not_leverage():
    assert mf.risk_budget(1_000, 0.02) == 20
    assert mf.stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=20) == 68_000
    assert round(mf.stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=20, fee_rate=0.0005), 2) == 68_069.03
    assert mf.stop_price_for_risk(70_000, 10, NANO, "long", max_loss=20) == 68_000
    # the same stop at any leverage: the loss at 68,000 is $20 whatever the margin
    for leverage in (2, 20):
        ladder = mf.price_ladder(70_000, 1, MICRO, "long", leverage, 68_000, mmr=0.004)
        assert ladder.stop_loss == pytest.approx(20)


def test_three_percent_stop_is_beyond_liquidation_from_30x():
    flags = {lev: mf.price_ladder(70_000, 1, MICRO, "long", lev, 67_900, mmr=0.004).stop_beyond_liquidation
             for lev in (10, 29, 30, 50)}
    assert flags == {10: False, 29: False, 30: True, 50: True}
    assert round(mf.price_ladder(70_000, 1, MICRO, "long", 50, 67_900, mmr=0.004).liquidation_price, 2) == 68_875.50


# -- 4.1 "automatically closes your position ... capping your potential loss"
def test_stops_fill_worse_than_the_stop_through_gaps():
    r = mf.simulate_stop_fills(4_000, stop_pct=2, gap_probability=0.02, seed=4)
    assert r.market_slippage_mean == pytest.approx(0.00123, abs=1e-4)
    assert r.market_slippage_worst > 0.02            # worse than the whole 2 % stop distance again
    assert 0.0 < r.limit_unfilled_share < 0.02
    panel = mf.simulate_stop_fills(2_000, stop_pct=2, gap_probability=0.02, seed=4)
    assert 0.005 < panel.limit_unfilled_share < 0.015 and 0.001 < panel.market_slippage_mean < 0.0015


# -- 4.2 "$1,000 -> $10 to $20"; "a 0.01 contract ... even at high leverage"; "a 1.0 contract would violate"
def test_sizing_with_fees_and_the_two_contracts():
    assert [mf.position_size(1_000, 0.01, 70_000, 68_600, c, fee_rate=0.0005)
            for c in (STANDARD, MICRO, NANO)] == [0, 0, 6]
    assert [mf.position_size(1_000, 0.02, 70_000, 68_600, c, fee_rate=0.0005)
            for c in (STANDARD, MICRO, NANO)] == [0, 1, 13]
    assert round(mf.loss_at_stop(70_000, 68_600, 1, MICRO, "long", fee_rate=0.0005), 2) == 14.69
    assert round(mf.loss_at_stop(70_000, 68_600, 1, STANDARD, "long", fee_rate=0.0005), 2) == 1_469.30
    # the widest stop one micro contract can take within $20 (fees included): about 2.8 %
    widest = mf.stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=20, fee_rate=0.0005)
    assert 0.0275 < 1 - widest / 70_000 < 0.0277
    # "even at high leverage": from about 42x a 2 % stop sits beyond liquidation
    beyond = [lev for lev in range(2, 126)
              if mf.price_ladder(70_000, 1, MICRO, "long", lev, 68_600, mmr=0.004).stop_beyond_liquidation]
    assert beyond[0] == 42
    # the 1.0 contract: a $1,000 account reaches its margin only from 70x, where liquidation is 1.03 % away
    lp = mf.liquidation_price(70_000, 1, STANDARD, "long", leverage=70, mmr=0.004)
    assert round(1 - lp / 70_000, 4) == 0.0103


def test_risk_of_ruin_numbers_of_the_lesson():
    ruin = {f: mf.risk_of_ruin(f, 0.45, 2.0, n_trades=200, n_paths=20_000, seed=11) for f in (0.02, 0.05, 0.10)}
    assert ruin[0.02].probability == 0.0 and ruin[0.02].bound < 2e-5
    assert round(ruin[0.10].probability, 3) == 0.158
    assert round(1 - 0.98 ** 5, 3) == 0.096 and round(1 - 0.9 ** 5, 2) == 0.41
    assert mf.expectancy_in_r(0.45, 2.0) == pytest.approx(0.35)
    assert mf.expectancy_in_r(0.35, 2.0) == pytest.approx(0.05)


# -- 4.3 "In micro-trading, liquidation prices are often closer to your entry point"
def test_micro_is_not_liquidated_closer():
    small = mf.tiered_liquidation_price(70_000, 0.01, BTCUSDT, "long", leverage=10)
    large = mf.tiered_liquidation_price(70_000, 1.0, BTCUSDT, "long", leverage=10)
    assert (round(small, 2), round(large, 2)) == (63_253.01, 63_266.33)
    assert large > small
    # "reduce your position size": same leverage, same price; "increase your margin": moves it away
    assert mf.tiered_liquidation_price(70_000, 0.005, BTCUSDT, "long", leverage=10) == pytest.approx(small)
    assert mf.tiered_liquidation_price(70_000, 0.01, BTCUSDT, "long", margin=100) < small


# -- 5.1 "low funding rates, competitive trading fees"; CME micro fixed fees
def test_costs_of_the_lesson():
    assert mf.round_trip_cost_of_margin(70_000, MICRO, 10, fee_rate=0.0005) == pytest.approx(0.01)
    assert round(mf.round_trip_cost_of_margin(70_000, MBT, 10, fee_per_contract=2.5), 5) == 0.00714
    assert round(mf.round_trip_cost_of_margin(70_000, CME_BTC, 10, fee_per_contract=2.5), 6) == 0.000143
    assert mf.funding_cost_of_margin(10, 0.0001, 24 * 7) == pytest.approx(0.021)
    assert mf.holding_cost_of_margin(10, 24 * 7) == pytest.approx(0.031)
    assert 40 * mf.round_trip_cost_of_margin(70_000, MICRO, 10, fee_rate=0.0005) == pytest.approx(0.40)
    assert mf.annualized_basis(71_050, 70_000, 60) == pytest.approx(0.09125)
    assert round(mf.equivalent_funding_rate(mf.annualized_basis(71_050, 70_000, 60)), 6) == 0.000083
    assert round(mf.roll_cost(70_500, 71_300, 3, MBT, fee_rate=0.0005), 2) == 261.27


# -- 5.2 "Do not use your entire spot holdings as margin collateral"
def test_cross_margin_on_the_same_losing_trade():
    def left(price, mode):
        return mf.balance_after_move(70_000, price, 10, MICRO, "long", 10, 1_000, mode=mode, mmr=0.004)
    assert (left(61_600, "isolated"), round(left(61_600, "cross"), 2)) == (300, 160)
    assert (left(59_500, "isolated"), left(59_500, "cross")) == (300, 0)


# -- 5.3 "Begin with 3x to 5x ... without the immediate threat of liquidation from minor market noise"
def test_low_leverage_in_numbers():
    month = {lev: float(mf.liquidation_odds(lev, 0.6).closed_form[-1]) for lev in (3, 5, 10, 20)}
    assert round(month[3], 3) == 0.023 and round(month[5], 2) == 0.22
    assert round(month[10], 2) == 0.57 and round(month[20], 2) == 0.79
    day_week = mf.liquidation_odds(5, 0.6).closed_form[:2]
    assert day_week[0] < 1e-4 and round(day_week[1], 4) == 0.0085


# -- 5.4 the advert's "Winrate: 70.59 %"
def test_a_win_rate_is_not_an_edge():
    assert mf.expectancy_per_trade(0.70, 10, 30) == pytest.approx(-2.0)
    assert mf.expectancy_per_trade(0.40, 20, 10) == pytest.approx(2.0)
    assert mf.breakeven_win_rate(1 / 3) == pytest.approx(0.75)
    assert 0.7059 < mf.breakeven_win_rate(1 / 3)


def test_numbers_of_the_low_leverage_concept_question():
    barrier = mf.liquidation_barrier(5, mmr=0.005)
    assert round(1 - barrier, 3) == 0.196
    assert round(0.6 * (30 / 365) ** 0.5, 3) == 0.172           # a month's typical move, 17 %
    odds = mf.liquidation_odds(5, 0.6, n_paths=20_000, seed=7)
    assert round(odds.closed_form[-1], 4) == 0.2197
    assert f"{odds.monte_carlo[-1]:.2%} ± {odds.standard_error[-1]:.2%}" == "22.55% ± 0.30%"
    for lev in (3, 5, 10, 20):                  # "within about half a percentage point"
        odds = mf.liquidation_odds(lev, 0.6, n_paths=20_000, seed=7)
        assert np.all(np.abs(odds.monte_carlo - odds.closed_form) < 0.006)
