"""Expectancy and the break-even win rate; liquidation odds by horizon (closed form and Monte Carlo)."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microfut_lib import expectancy, liquidation_probability
from microfut_lib.edge import breakeven_win_rate, expectancy_in_r, expectancy_per_trade
from microfut_lib.liquidation_horizons import liquidation_odds


def test_seventy_percent_winners_can_lose_money():
    assert expectancy_per_trade(0.7, 10, 30) == pytest.approx(0.7 * 10 - 0.3 * 30)     # −2
    assert expectancy_in_r(0.7, 1 / 3) == pytest.approx(0.7 / 3 - 0.3)
    assert breakeven_win_rate(1 / 3) == pytest.approx(0.75)
    # the journal's expectancy on 10 such trades agrees
    trades = [10.0] * 7 + [-30.0] * 3
    assert expectancy(trades) == pytest.approx(expectancy_per_trade(0.7, 10, 30))


@given(p=st.floats(0, 1), r=st.floats(0.05, 10), c=st.floats(0, 0.5))
def test_expectancy_is_zero_at_the_breakeven_rate_and_rises_with_p(p, r, c):
    be = breakeven_win_rate(r, cost_r=c)
    if be <= 1:
        assert expectancy_in_r(be, r, cost_r=c) == pytest.approx(0, abs=1e-12)
    assert np.sign(round(expectancy_in_r(p, r, cost_r=c), 12)) == np.sign(round(p - be, 12)) or abs(p - be) < 1e-9


def test_liquidation_odds_closed_form_is_the_library_call():
    odds = liquidation_odds(5, 0.6)
    expected = [liquidation_probability(5, 0.6, h, mmr=0.005, monitoring_hours=1) for h in (24, 168, 720)]
    assert np.allclose(odds.closed_form, expected)
    assert odds.monte_carlo is None and odds.standard_error is None


def test_liquidation_odds_monte_carlo_agrees_and_grows_with_horizon_and_leverage():
    odds = liquidation_odds(10, 0.6, n_paths=4_000, seed=2)
    assert np.all(np.diff(odds.monte_carlo) >= 0)
    assert np.all(np.abs(odds.monte_carlo - odds.closed_form) <= 4 * odds.standard_error + 0.005)
    low = liquidation_odds(3, 0.6).closed_form
    high = liquidation_odds(20, 0.6).closed_form
    assert np.all(high >= low) and high[-1] > 0.7 and low[-1] < 0.05


@pytest.mark.parametrize("call, words", [
    (lambda: expectancy_per_trade(1.2, 10, 30), ["win_rate", "<= 1"]),
    (lambda: expectancy_per_trade(0.5, 10, -30), ["average_loss", ">= 0"]),
    (lambda: expectancy_in_r(0.5, 0), ["reward_risk", "> 0"]),
    (lambda: breakeven_win_rate(2, cost_r=-1), ["cost_r", ">= 0"]),
    (lambda: liquidation_odds(0.5, 0.6), ["leverage", ">= 1"]),
    (lambda: liquidation_odds(10, 0), ["annual_vol", "> 0"]),
    (lambda: liquidation_odds(10, 0.6, n_paths=-1), ["n_paths"]),
])
def test_bad_input_names_the_argument(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)


def test_equity_paths_match_the_risk_of_ruin_simulation():
    from microfut_lib import risk_of_ruin
    from microfut_lib.edge import equity_paths
    paths = equity_paths(0.10, 0.45, 2.0, n_trades=200, n_paths=20_000, seed=3)
    share = float((paths.min(axis=1) <= 0.5 + 1e-12).mean())
    ruin = risk_of_ruin(0.10, 0.45, 2.0, n_trades=200, n_paths=20_000, seed=4)
    assert abs(share - ruin.probability) < 4 * (ruin.standard_error * 2 ** 0.5) + 1e-3
    # each step is exactly a win (×1.2) or a loss (×0.9)
    ratios = np.unique(np.round(paths[:, 1:] / paths[:, :-1], 12))
    assert ratios.tolist() == [0.9, 1.2]
