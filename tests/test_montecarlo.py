"""Monte Carlo risk: first passage against the closed form, closed form against textbook cases."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib.montecarlo import (
    BGK_BETA,
    barrier_hit_probability,
    first_passage_liquidation,
    liquidation_barrier,
    liquidation_probability,
    risk_of_ruin,
)


def phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


def test_reflection_principle_without_drift():
    # μ = σ²/2 makes the log-price driftless: P(min ≤ b) = 2·Φ(b / (σ√T)) (reflection principle)
    for b, sigma, t in [(-0.1, 0.6, 0.25), (-0.3, 0.8, 1.0), (0.2, 0.5, 0.5)]:
        expected = 2 * phi(-abs(b) / (sigma * math.sqrt(t)))
        got = barrier_hit_probability(math.exp(b), sigma, t, annual_drift=sigma**2 / 2)
        assert got == pytest.approx(expected, rel=1e-12)


def test_closed_form_with_drift_by_hand():
    # down barrier b = −0.2, σ = 0.5, T = 1, μ = 0 → ν = −0.125:
    # Φ((−0.2 + 0.125)/0.5) + exp(2·(−0.125)(−0.2)/0.25)·Φ((−0.2 − 0.125)/0.5)
    expected = phi(-0.15) + math.exp(0.2) * phi(-0.65)
    assert barrier_hit_probability(math.exp(-0.2), 0.5, 1.0) == pytest.approx(expected, rel=1e-12)
    # up barrier +0.2 with ν = −0.125 (drifting away): Φ((−0.125 − 0.2)/0.5) + e^(−0.2)·Φ((−0.2 + 0.125)/0.5)
    expected_up = phi(-0.65) + math.exp(-0.2) * phi(-0.15)
    assert barrier_hit_probability(math.exp(0.2), 0.5, 1.0) == pytest.approx(expected_up, rel=1e-12)
    # the discrete-monitoring correction moves the barrier by 0.5826·σ·√Δt away from the start
    dt = 1 / 8760
    moved = barrier_hit_probability(math.exp(-0.2 - BGK_BETA * 0.5 * math.sqrt(dt)), 0.5, 1.0)
    assert barrier_hit_probability(math.exp(-0.2), 0.5, 1.0, monitoring_years=dt) == pytest.approx(moved)
    assert BGK_BETA == pytest.approx(1.4603545088095868 / math.sqrt(2 * math.pi), rel=1e-12)   # −ζ(1/2)


def test_edge_barriers():
    assert barrier_hit_probability(0.0, 0.6, 1.0) == 0.0            # a 1x long: no liquidation
    assert barrier_hit_probability(math.inf, 0.6, 1.0) == 0.0
    assert barrier_hit_probability(1.0, 0.6, 1.0) == 1.0
    assert liquidation_probability(1, 0.6, 8760) == 0.0


def test_barrier_from_the_core_formula():
    # long at 10x, mmr 0.5 %: LP/EP = (1/10 − 1)/(0.005 − 1) = 0.9045226
    assert liquidation_barrier(10) == pytest.approx(0.9 / 0.995, rel=1e-12)
    # short: (1/10 + 1)/(0.005 + 1)
    assert liquidation_barrier(10, side="short") == pytest.approx(1.1 / 1.005, rel=1e-12)
    # the same ratio at any entry price and quantity (to rounding)
    assert liquidation_barrier(10) == pytest.approx(mf.liquidation_price(
        70_000, 3, mf.PRESETS["BTC-MICRO"], "long", leverage=10, mmr=0.005) / 70_000, rel=1e-14)


@pytest.mark.parametrize("side", ["long", "short"])
def test_first_passage_matches_closed_form_within_mc_error(side):
    n = 20_000
    r = first_passage_liquidation(10, 0.6, 24 * 30, side=side, n_paths=n, seed=7, progress=False)
    exact = liquidation_probability(10, 0.6, 24 * 30, side=side, monitoring_hours=1)
    assert abs(r.probability - exact) < 4 * r.standard_error
    # hourly checks miss touches between the hours: fewer hits than continuous monitoring
    continuous = liquidation_probability(10, 0.6, 24 * 30, side=side)
    assert r.probability < continuous
    # the whole survival curve, not just its end: after 1, 7 and 30 days
    surv = r.survival_curve()
    for hours in (24, 24 * 7, 24 * 30):
        p = liquidation_probability(10, 0.6, hours, side=side, monitoring_hours=1)
        se = math.sqrt(p * (1 - p) / n)
        assert abs((1 - surv[hours]) - p) < 4 * se + 1e-12
    assert np.all(np.diff(surv) <= 0) and surv[0] == 1.0


def test_first_passage_float64_drift_and_progress():
    r = first_passage_liquidation(5, 0.8, 24 * 60, annual_drift=0.5, n_paths=10_000, seed=3,
                                  dtype=np.float64, step_hours=4, progress=True)
    exact = liquidation_probability(5, 0.8, 24 * 60, annual_drift=0.5, monitoring_hours=4)
    assert abs(r.probability - exact) < 4 * r.standard_error
    assert r.n_steps == 360 and r.draws < r.n_paths * r.n_steps      # liquidated paths stop drawing


def test_first_passage_memory_is_bounded():
    r = first_passage_liquidation(3, 0.6, 24 * 10, n_paths=5_000, seed=1, block_elements=20_000,
                                  progress=False)
    exact = liquidation_probability(3, 0.6, 24 * 10, monitoring_hours=1)
    assert abs(r.probability - exact) < 4 * max(r.standard_error, 1e-4)
    assert first_passage_liquidation(1, 0.6, 100, progress=False).probability == 0.0


def test_gamblers_ruin_exact():
    # with (1 + fR)(1 − f) = 1 a win and a loss are equal steps in log-equity; losing
    # 1 − 0.9^5 of the account = 5 net losses: P = (q/p)^5 (gambler's ruin, infinite target)
    f, p, k = 0.1, 0.55, 5
    reward = 1 / (1 - f)
    exact = (0.45 / 0.55) ** k
    r = risk_of_ruin(f, p, reward, ruin_drawdown=1 - 0.9**k, n_trades=3_000, n_paths=20_000, seed=11)
    assert r.bound == pytest.approx(exact, rel=1e-9)               # Lundberg is exact here
    assert abs(r.probability - exact) < 4 * r.standard_error


def test_ruin_bound_and_certain_ruin():
    r = risk_of_ruin(0.05, 0.5, 1.5, ruin_drawdown=0.3, n_trades=2_000, n_paths=5_000, seed=2)
    assert r.probability <= r.bound + 3 * r.standard_error
    assert r.growth_per_trade == pytest.approx(0.5 * math.log(1.075) + 0.5 * math.log(0.95))
    losing = risk_of_ruin(0.05, 0.3, 1.0, n_trades=500, n_paths=2_000, seed=2)   # negative growth
    assert losing.bound == 1.0 and losing.probability > 0.9


@settings(max_examples=50, deadline=None)
@given(lev=st.floats(1.5, 100), vol=st.floats(0.05, 2.0), hours=st.floats(1, 24 * 365))
def test_closed_form_is_a_probability_and_monotone(lev, vol, hours):
    p = liquidation_probability(lev, vol, hours)
    assert 0.0 <= p <= 1.0
    assert liquidation_probability(min(lev * 1.5, 125), vol, hours) >= p - 1e-12   # more leverage
    assert liquidation_probability(lev, vol * 1.5, hours) >= p - 1e-9 or vol * 1.5 > 2   # more vol
    assert liquidation_probability(lev, vol, hours * 2) >= p - 1e-12                 # longer


@pytest.mark.parametrize("call, message", [
    (lambda: liquidation_probability(10, 0.6, 0), "horizon"),
    (lambda: first_passage_liquidation(10, 0.6, 0), "horizon"),
    (lambda: first_passage_liquidation(10, -0.6, 100), "annual_vol"),
    (lambda: first_passage_liquidation(10, 0.6, 100, n_paths=0), "n_paths"),
    (lambda: first_passage_liquidation(10, 0.6, 100, side="flat"), "side"),
    (lambda: first_passage_liquidation(300, 0.6, 100), "leverage"),
    (lambda: first_passage_liquidation(10, 0.6, 100, dtype=int), "dtype"),
    (lambda: barrier_hit_probability(-1, 0.6, 1), "barrier"),
    (lambda: barrier_hit_probability(0.9, 0.0, 1), "annual_vol"),
    (lambda: risk_of_ruin(1.0, 0.5, 2), "risk_fraction"),
    (lambda: risk_of_ruin(0.01, 1.5, 2), "win_rate"),
    (lambda: risk_of_ruin(0.01, 0.5, 0), "reward_risk"),
    (lambda: risk_of_ruin(0.01, 0.5, 2, ruin_drawdown=1.0), "ruin_drawdown"),
    # bounded work: a typo gets a ValueError up front that states the limit and how to ask for more
    (lambda: first_passage_liquidation(10, 0.6, 100, step_hours=1e-9), "MAX_STEPS"),
    (lambda: first_passage_liquidation(10, 0.6, 8760, n_paths=10**9), "n_paths.*MAX_PATHS"),
    (lambda: first_passage_liquidation(10, 0.6, 8760, n_paths=1_000_000), "MAX_DRAWS"),
    (lambda: first_passage_liquidation(10, 5e-324, 100), "annual_vol.*>= 0.0001"),
    (lambda: first_passage_liquidation(10, 0.6, 100, seed="x"), "seed"),
    (lambda: first_passage_liquidation(True, 0.6, 100), "leverage.*boolean"),
    (lambda: first_passage_liquidation(10, "0.6", 100), "annual_vol.*text"),
    (lambda: barrier_hit_probability(0.9, 5e-324, 1), "annual_vol"),
    (lambda: barrier_hit_probability([0.9, 0.8], [0.5, 0.6, 0.7], 1), "barrier.*annual_vol"),
    (lambda: liquidation_probability(10, 0.6, 100, monitoring_hours=-1), "monitoring_hours"),
    (lambda: risk_of_ruin(0.01, 0.5, 2, n_trades=10**7), "n_trades.*MAX_STEPS"),
    (lambda: risk_of_ruin(0.01, 0.5, 2, n_trades=100_000, n_paths=100_000), "MAX_DRAWS"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_grid_of_first_passage_estimates():
    from microfut_lib.montecarlo import liquidation_probability_mc
    lev = np.array([[3.0], [10.0], [25.0]])
    vol = np.array([0.4, 0.8])
    n = 4_000
    grid = liquidation_probability_mc(lev, vol, 24 * 14, n_paths=n, seed=5, progress=False)
    exact = liquidation_probability(lev, vol, 24 * 14, monitoring_hours=1)
    se = np.sqrt(np.maximum(exact * (1 - exact), 1e-4) / n)
    assert grid.shape == (3, 2) and np.all(np.abs(grid - exact) < 4 * se)
    again = liquidation_probability_mc(lev, vol, 24 * 14, n_paths=n, seed=5, progress=False)
    np.testing.assert_array_equal(grid, again)


def test_the_horizon_is_simulated_exactly_with_a_shorter_last_step():
    # 24 hours in steps of 100 hours: one step of 24 hours, not 100 (the same draws, scaled)
    short = first_passage_liquidation(10, 0.6, 24, step_hours=100, n_paths=20_000, seed=3,
                                      progress=False)
    exact = first_passage_liquidation(10, 0.6, 24, step_hours=24, n_paths=20_000, seed=3,
                                      progress=False)
    assert short.n_steps == 1
    np.testing.assert_array_equal(short.hit_step, exact.hit_step)
    whole = first_passage_liquidation(10, 0.6, 100, step_hours=100, n_paths=20_000, seed=3,
                                      progress=False)
    assert whole.probability > 10 * short.probability          # the old answer simulated 100 h
    # 100 hours in 7-hour steps: 14 whole steps and one of 2 hours; against the closed form
    r = first_passage_liquidation(10, 0.6, 100, step_hours=7, n_paths=20_000, seed=4, progress=False,
                                  dtype=np.float64)
    assert r.n_steps == 15
    closed = liquidation_probability(10, 0.6, 100, monitoring_hours=7)
    assert abs(r.probability - closed) < 4 * math.sqrt(closed * (1 - closed) / 20_000) + 0.01


@pytest.mark.parametrize("side", ["long", "short"])
def test_same_seed_same_answer_whatever_block_elements(side):
    runs = [first_passage_liquidation(3, 0.6, 24 * 30, side=side, n_paths=9_000, seed=5,
                                      block_elements=b, progress=False)
            for b in (1_024, 20_000, 2_000_000, 50_000_000)]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.hit_step, runs[0].hit_step)
        assert r.probability == runs[0].probability and r.draws == runs[0].draws
