"""Stop-market vs stop-limit fills on bars: gaps, slippage, and a limit that does not fill."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microfut_lib import Bars
from microfut_lib.fills import gapped_ohlc, simulate_stop_fills, stop_fill

# bar 0 trades 99–101; bar 1 opens at 95 (a gap through a stop at 97) and trades 94–97; bar 2 95–99
GAP = Bars(open=[100, 95, 96], high=[101, 97, 99], low=[99, 94, 95], close=[99, 96, 98])
# bar 1 opens at 99 and trades down to 96 within the bar: the bar's low passes the stop
INTRABAR = Bars(open=[100, 99, 97], high=[101, 100, 98], low=[99, 96, 96.5], close=[99, 97, 98])


def test_gap_fills_at_the_open_not_the_stop():
    f = stop_fill(GAP, 97, "long", slippage=0.001)
    assert (f.triggered, f.filled, f.gap, f.trigger_bar, f.fill_bar) == (True, True, True, 1, 1)
    assert f.fill_price == pytest.approx(95 * 0.999)
    assert f.slippage_vs_stop == pytest.approx((97 - 94.905) / 97)


def test_intrabar_trigger_fills_at_the_stop_minus_slippage():
    f = stop_fill(INTRABAR, 97, "long", slippage=0.002)
    assert not f.gap and f.fill_bar == 1
    assert f.fill_price == pytest.approx(97 * 0.998)
    assert f.slippage_vs_stop == pytest.approx(0.002)


def test_stop_limit_rests_then_fills_or_never_fills():
    rests = stop_fill(GAP, 97, "long", order="limit", limit_price=96.5)
    assert rests.filled and rests.fill_bar == 1 and rests.fill_price == 96.5
    # a limit at 97 on the gap: bar 1 reaches 97 (its high), so it fills there, no worse than the stop
    at_stop = stop_fill(GAP, 97, "long", order="limit", limit_price=97)
    assert at_stop.fill_price == 97 and at_stop.slippage_vs_stop == 0
    # a crash through the stop that never comes back to the limit: the stop-limit stays unfilled
    crash = Bars(open=[100, 90, 89], high=[101, 91, 90], low=[99, 88, 87], close=[99, 89, 88])
    never = stop_fill(crash, 97, "long", order="limit", limit_price=96)
    assert never.triggered and not never.filled and never.fill_price is None and never.fill_bar == -1
    market = stop_fill(crash, 97, "long")
    assert market.fill_price == 90.0 and market.slippage_vs_stop == pytest.approx(7 / 97)


def test_intrabar_limit_within_the_slippage_waits_for_a_later_bar():
    f = stop_fill(INTRABAR, 97, "long", order="limit", limit_price=96.99, slippage=0.002)
    assert f.fill_bar == 2 and f.fill_price == 96.99      # not in bar 1: order within a bar is unknown


def test_short_is_the_mirror_image():
    up = Bars(open=[100, 104, 103], high=[101, 106, 104], low=[99, 103, 101], close=[101, 103, 102])
    f = stop_fill(up, 103, "short", slippage=0.001)
    assert f.gap and f.fill_price == pytest.approx(104 * 1.001)
    lim = stop_fill(up, 103, "short", order="limit", limit_price=103.5)
    assert lim.fill_bar == 1 and lim.fill_price == 103.5


def test_not_triggered():
    f = stop_fill(GAP, 90, "long")
    assert (f.triggered, f.filled, f.fill_price, f.slippage_vs_stop) == (False, False, None, None)


@given(seed=st.integers(0, 10_000), stop_pct=st.floats(0.2, 5), limit_pct=st.floats(0, 2),
       slip=st.floats(0, 0.003), side=st.sampled_from(["long", "short"]))
def test_market_never_better_than_stop_and_limit_never_worse_than_limit(seed, stop_pct, limit_pct,
                                                                        slip, side):
    bars = gapped_ohlc(48, gap_probability=0.1, gap_vol=0.02, seed=seed)
    s = 1 if side == "long" else -1
    stop = 70_000 * (1 - s * stop_pct / 100)
    limit = stop * (1 - s * limit_pct / 100)
    m = stop_fill(bars, stop, side, slippage=slip)
    lim = stop_fill(bars, stop, side, order="limit", limit_price=limit, slippage=slip)
    assert m.triggered == lim.triggered
    if m.filled:
        assert s * (m.fill_price - stop) <= 1e-9
        assert m.slippage_vs_stop >= slip - 1e-12
    if lim.filled:
        assert s * (lim.fill_price - limit) >= -1e-9
        assert lim.fill_bar >= lim.trigger_bar


def test_gapped_paths_are_seeded_and_gap_where_asked():
    a = gapped_ohlc(200, gap_probability=0.2, gap_vol=0.03, seed=4)
    b = gapped_ohlc(200, gap_probability=0.2, gap_vol=0.03, seed=4)
    assert np.array_equal(a.close, b.close)
    jumps = a.open[1:] / a.close[:-1] - 1
    assert 20 < np.count_nonzero(np.abs(jumps) > 1e-12) < 60       # ≈ 40 expected
    plain = gapped_ohlc(200, seed=4)
    assert np.allclose(plain.open[1:], plain.close[:-1], rtol=1e-12)


def test_simulation_without_gaps_or_slippage_fills_every_market_stop_at_the_stop():
    r = simulate_stop_fills(400, gap_probability=0.0, slippage=0.0, seed=3)
    assert r.triggered > 50 and r.gap_share == 0.0
    assert r.market_slippage_worst == pytest.approx(0.0, abs=1e-12)
    assert r.limit_unfilled_share == 0.0


def test_more_gaps_mean_worse_fills_and_more_unfilled_limits():
    calm = simulate_stop_fills(3_000, gap_probability=0.01, gap_vol=0.02, seed=5)
    rough = simulate_stop_fills(3_000, gap_probability=0.10, gap_vol=0.02, seed=5)
    assert rough.gap_share > calm.gap_share
    assert rough.market_slippage_mean > calm.market_slippage_mean
    assert rough.limit_unfilled_share + rough.limit_late_share > calm.limit_unfilled_share + calm.limit_late_share
    again = simulate_stop_fills(3_000, gap_probability=0.10, gap_vol=0.02, seed=5)
    assert again.market_slippage_mean == rough.market_slippage_mean


@pytest.mark.parametrize("call, words", [
    (lambda: stop_fill(GAP, 97, "long", order="stop"), ["order", "'market'", "'limit'"]),
    (lambda: stop_fill(GAP, 97, "long", order="limit"), ["limit_price", "required"]),
    (lambda: stop_fill(GAP, 97, "long", order="limit", limit_price=98), ["limit_price", "below"]),
    (lambda: stop_fill(GAP, 103, "short", order="limit", limit_price=102), ["limit_price", "above"]),
    (lambda: stop_fill(GAP, -1, "long"), ["stop_price", "> 0"]),
    (lambda: stop_fill(GAP, 97, "long", slippage=0.7), ["slippage", "< 0.5"]),
    (lambda: stop_fill([1, 2, 3], 97, "long"), ["bars"]),
    (lambda: gapped_ohlc(10, gap_probability=1.5), ["gap_probability", "<= 1"]),
    (lambda: gapped_ohlc(0), ["n_bars", ">= 1"]),
    (lambda: simulate_stop_fills(10, stop_pct=0), ["stop_pct", "> 0"]),
    (lambda: simulate_stop_fills(0), ["n_paths"]),
])
def test_bad_input_names_the_argument(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)


def _reference_fill(o, h, lo, stop, side, order, limit, slip):
    """Bar by bar, the rules of the module notes written out plainly (a long; a short mirrored)."""
    s = 1 if side == "long" else -1
    for i in range(len(o)):
        adverse = lo[i] if s > 0 else h[i]
        if s * (adverse - stop) > 0:
            continue                                   # the stop is not reached in this bar
        gap = s * (o[i] - stop) <= 0
        first = o[i] if gap else stop                  # the first trade at or through the stop
        market = first * (1 - s * slip)
        if order == "market":
            return i, market
        if s * (market - limit) >= 0:
            return i, market
        for j in range(i if gap else i + 1, len(o)):   # rests at the limit
            favourable = h[j] if s > 0 else lo[j]
            if s * (favourable - limit) >= 0:
                return j, limit
        return -1, None
    return -1, None


@given(seed=st.integers(0, 100_000), stop_pct=st.floats(0.3, 4), limit_pct=st.floats(0, 1.5),
       slip=st.floats(0, 0.004), side=st.sampled_from(["long", "short"]),
       order=st.sampled_from(["market", "limit"]))
def test_vectorized_fills_match_the_bar_by_bar_reference(seed, stop_pct, limit_pct, slip, side, order):
    bars = gapped_ohlc(60, gap_probability=0.15, gap_vol=0.02, seed=seed)
    s = 1 if side == "long" else -1
    stop = 70_000 * (1 - s * stop_pct / 100)
    limit = stop * (1 - s * limit_pct / 100)
    got = stop_fill(bars, stop, side, order=order, limit_price=limit if order == "limit" else None,
                    slippage=slip)
    bar, price = _reference_fill(bars.open, bars.high, bars.low, stop, side, order, limit, slip)
    assert got.fill_bar == bar
    assert (got.fill_price is None) == (price is None)
    if price is not None:
        assert got.fill_price == pytest.approx(price, rel=1e-12)
