"""Seeded price paths: reproducible, valid OHLC, and the statistics they are built to have."""
from __future__ import annotations

import math

import numpy as np
import pytest

from microfut_lib.simulate import block_bootstrap, gbm_ohlc, student_t_ohlc


def valid_ohlc(bars):
    assert np.all(bars.high >= np.maximum(bars.open, bars.close))
    assert np.all(bars.low <= np.minimum(bars.open, bars.close))
    np.testing.assert_allclose(bars.open[1:], bars.close[:-1], rtol=1e-12)


@pytest.mark.parametrize("make", [gbm_ohlc, student_t_ohlc])
def test_seeded_and_valid(make):
    a, b, c = make(500, seed=3), make(500, seed=3), make(500, seed=4)
    np.testing.assert_array_equal(a.close, b.close)
    assert not np.array_equal(a.close, c.close)
    valid_ohlc(a)
    assert a.open[0] == 70_000.0
    assert a.time[1] - a.time[0] == np.timedelta64(3600, "s")


def test_gbm_moments_match_the_formula():
    # daily bars, one step per bar: log-returns are i.i.d. N((μ − σ²/2)dt, σ²dt), dt = 24/8760
    mu, sigma, n = 0.3, 0.5, 200_000
    bars = gbm_ohlc(n, annual_drift=mu, annual_vol=sigma, bar_hours=24, steps_per_bar=1, seed=10)
    dt = 24 / 8760
    logret = np.log(bars.close[1:] / bars.close[:-1])
    se_mean = sigma * math.sqrt(dt / n)
    assert abs(logret.mean() - (mu - sigma**2 / 2) * dt) < 4 * se_mean
    se_std = sigma * math.sqrt(dt) / math.sqrt(2 * n)
    assert abs(logret.std() - sigma * math.sqrt(dt)) < 4 * se_std
    # E[S(t+dt)/S(t)] = exp(μ dt): the drift is the price's growth rate
    gross = np.exp(logret)
    assert abs(gross.mean() - math.exp(mu * dt)) < 4 * gross.std() / math.sqrt(n)


def test_high_low_come_from_the_sub_steps():
    one = gbm_ohlc(2000, steps_per_bar=1, seed=5)
    many = gbm_ohlc(2000, steps_per_bar=32, seed=5)
    np.testing.assert_array_equal(one.high, np.maximum(one.open, one.close))
    assert np.mean(many.high > np.maximum(many.open, many.close)) > 0.5


def test_student_t_same_variance_fatter_tails():
    n, sigma = 200_000, 0.6
    normal = gbm_ohlc(n, annual_vol=sigma, steps_per_bar=1, seed=1)
    fat = student_t_ohlc(n, dof=5, annual_vol=sigma, steps_per_bar=1, seed=1)
    r_n = np.diff(np.log(normal.close))
    r_t = np.diff(np.log(fat.close))
    target = sigma * math.sqrt(1 / 8760)
    assert abs(r_t.std() / target - 1) < 0.02

    def kurtosis(x):
        z = (x - x.mean()) / x.std()
        return float(np.mean(z**4))
    assert abs(kurtosis(r_n) - 3) < 0.1
    assert kurtosis(r_t) > 5          # Student-t with ν = 5: 3 + 6/(ν − 4) = 9 in theory


def test_block_bootstrap_copies_whole_blocks():
    history = gbm_ohlc(300, seed=2)
    new = block_bootstrap(history, 240, block_size=24, seed=9)
    valid_ohlc(new)
    assert len(new) == 240 and new.open[0] == history.close[-1]
    hist_ret = history.close[1:] / history.close[:-1]
    new_ret = new.close[1:] / new.close[:-1]
    # inside each block of 24, consecutive close-to-close ratios come from consecutive history bars
    for block in range(10):
        seg = new_ret[block * 24: block * 24 + 23]
        idx = np.flatnonzero(np.isclose(hist_ret, seg[0], rtol=1e-12))
        assert any(np.allclose(hist_ret[i:i + 23], seg, rtol=1e-10) for i in idx)
    again = block_bootstrap(history, 240, block_size=24, seed=9)
    np.testing.assert_array_equal(new.close, again.close)


def test_block_bootstrap_from_plain_prices():
    prices = np.array([100.0, 101.0, 99.0, 102.0, 103.0])
    new = block_bootstrap(prices, 8, block_size=2, seed=0, start_price=50.0)
    ratios = set(np.round(prices[1:] / prices[:-1], 12))
    assert set(np.round(new.close / np.concatenate(([50.0], new.close[:-1])), 12)) <= ratios


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_bars=0), "n_bars"),
    (dict(n_bars=10, annual_vol=-0.1), "annual_vol"),
    (dict(n_bars=10, start_price=0), "start_price"),
    (dict(n_bars=10, bar_hours=0), "bar_hours"),
    (dict(n_bars=10, steps_per_bar=0), "steps_per_bar"),
    (dict(n_bars=10, start="not a date"), "start"),
])
def test_bad_input(kwargs, message):
    n = kwargs.pop("n_bars")
    with pytest.raises(ValueError, match=message):
        gbm_ohlc(n, **kwargs)


def test_bad_bootstrap_and_dof():
    with pytest.raises(ValueError, match="dof"):
        student_t_ohlc(10, dof=2)
    with pytest.raises(ValueError, match="block_size"):
        block_bootstrap(gbm_ohlc(10, seed=1), 5, block_size=20)
    with pytest.raises(ValueError, match="at least 2 prices"):
        block_bootstrap([100.0], 5, block_size=1)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n_bars=10**10), "n_bars.*MAX_BARS"),
    (dict(n_bars=10, bar_hours=1e300), "bar_hours.*one year"),
    (dict(n_bars=1_000_000, steps_per_bar=1_000), "MAX_SUBSTEPS"),
    (dict(n_bars=10, annual_vol=5e-324), "annual_vol.*0.0001"),
    (dict(n_bars=10, annual_vol="0.6"), "annual_vol.*text"),
    (dict(n_bars=True), "n_bars"),
    (dict(n_bars=10, seed=1.5), "seed"),
    (dict(n_bars=10, start=20240101), "start"),
    (dict(n_bars=5_000_000, bar_hours=8760, annual_drift=10), "range of floating-point"),
])
def test_bounded_work_and_strict_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gbm_ohlc(**kwargs)


def test_paths_are_built_in_chunks_with_the_same_bars(monkeypatch):
    import microfut_lib.simulate as simulate
    whole = gbm_ohlc(3_000, seed=8), student_t_ohlc(3_000, seed=8, steps_per_bar=5)
    monkeypatch.setattr(simulate, "CHUNK_STEPS", 37)              # many small chunks
    chunked = gbm_ohlc(3_000, seed=8), student_t_ohlc(3_000, seed=8, steps_per_bar=5)
    for a, b in zip(whole, chunked):
        for name in ("open", "high", "low", "close"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_block_bootstrap_refuses_text_in_history():
    with pytest.raises(ValueError, match="history.*text"):
        block_bootstrap(["70000", "70100", "70200"], 10, block_size=2)
