"""The crossover over many seeded paths: determinism, the fee comparison, and single backtests."""
from __future__ import annotations

import numpy as np
import pytest

import microfut_lib as mf
from microfut_lib.many_paths import MAX_TOTAL_BARS, sma_cross_many_paths

SMALL = dict(n_paths=12, n_bars=24 * 30, seed=5)


def test_same_seed_same_results_other_seed_other_results():
    a, b = sma_cross_many_paths(**SMALL), sma_cross_many_paths(**SMALL)
    for name in ("strategy_return", "strategy_return_no_fees", "buy_and_hold_return", "liquidated",
                 "n_trades"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    c = sma_cross_many_paths(**{**SMALL, "seed": 6})
    np.testing.assert_array_equal(c.seeds, a.seeds + 1)
    # path k of seed 6 is path k + 1 of seed 5
    np.testing.assert_array_equal(c.strategy_return[:-1], a.strategy_return[1:])


def test_fees_never_help():
    r = sma_cross_many_paths(**SMALL)
    traded = r.n_trades > 0
    assert traded.any()
    assert np.all(r.strategy_return[traded] < r.strategy_return_no_fees[traded])
    assert np.all(r.strategy_return <= r.strategy_return_no_fees)
    s = r.summary()
    assert s["median_fee_cost"] > 0 and s["n_paths"] == 12
    assert s["share_profitable"] <= s["share_profitable_no_fees"]


def test_zero_fee_run_equals_its_no_fee_figure():
    r = sma_cross_many_paths(**SMALL, taker_fee=0.0)
    np.testing.assert_array_equal(r.strategy_return, r.strategy_return_no_fees)
    assert r.summary()["median_fee_cost"] == 0.0


@pytest.mark.parametrize("leverage", [5.0, 60.0])
def test_each_path_is_a_single_backtest(leverage):
    r = sma_cross_many_paths(n_paths=8, n_bars=24 * 60, seed=40, leverage=leverage, annual_vol=1.2)
    micro = mf.PRESETS["BTC-MICRO"]
    for k in (0, 7):
        bars = mf.gbm_ohlc(24 * 60, annual_vol=1.2, seed=40 + k)
        one = mf.backtest(bars, mf.sma_cross_signals(bars.close, 12, 48), micro, initial_equity=1_000,
                          leverage=leverage, sizing="fraction", size=0.2, taker_fee=0.0005,
                          funding_rate=0.0001, mmr=0.004)
        fees = sum(t.fees for t in one.trades) + (one.open_position or {}).get("fees", 0.0)
        assert r.strategy_return[k] == pytest.approx(one.equity[-1] / 1_000 - 1, rel=1e-12)
        assert r.strategy_return_no_fees[k] == pytest.approx((one.equity[-1] + fees) / 1_000 - 1,
                                                             rel=1e-12)
        assert r.buy_and_hold_return[k] == pytest.approx(bars.close[-1] / bars.open[0] - 1, rel=1e-12)
        assert r.liquidated[k] == any(t.exit_reason == "liquidation" for t in one.trades)
        assert r.n_trades[k] == len(one.trades)
    if leverage == 60.0:
        assert r.liquidated.any()              # the flag is exercised, not always False


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_paths=0), "n_paths"), (dict(n_paths=2.5), "n_paths"), (dict(n_bars=1), "n_bars"),
    (dict(n_paths=10_000, n_bars=10_000), f"{MAX_TOTAL_BARS:,}"), (dict(seed=-1), "seed"),
    (dict(n_paths=1, leverage=500), "leverage"), (dict(n_paths=1, contract="BTC"), "contract"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sma_cross_many_paths(**kwargs)
