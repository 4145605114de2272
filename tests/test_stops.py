"""Stops: stop price from a loss budget (fees included), sizing with costs, the price ladder."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microfut_lib import PRESETS, ContractSpec, liquidation_price, position_size
from microfut_lib.stops import loss_at_stop, maintenance_rate_for, price_ladder, stop_price_for_risk

MICRO, NANO, STANDARD = PRESETS["BTC-MICRO"], PRESETS["BTC-NANO"], PRESETS["BTC-STANDARD"]
INVERSE = PRESETS["BINANCE-BTCUSD-PERP"]
BTCUSDT = PRESETS["BINANCE-BTCUSDT-PERP"]


def test_article_two_percent_of_a_thousand_on_one_micro():
    # $20 on 0.01 BTC is $2,000 of price: 70,000 − 2,000
    assert stop_price_for_risk(70_000, 1, MICRO, "long", capital=1_000, risk_fraction=0.02) == 68_000
    assert stop_price_for_risk(70_000, 1, MICRO, "short", max_loss=20) == 72_000


def test_fees_pull_the_stop_closer_worked_example():
    # long: 0.01·(70,000 − S) + 0.0005·0.01·(70,000 + S) = 20  →  700.35 − 0.009995·S = 20
    expected = (700.35 - 20) / 0.009995
    got = stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=20, fee_rate=0.0005)
    assert got == pytest.approx(expected, abs=1e-6)
    assert round(got, 2) == 68_069.03
    # short: 0.01·(S − 70,000) + 0.0005·0.01·(70,000 + S) = 20  →  0.010005·S = 20 + 699.65
    short = stop_price_for_risk(70_000, 1, MICRO, "short", max_loss=20, fee_rate=0.0005)
    assert short == pytest.approx(719.65 / 0.010005, abs=1e-6)


def test_leverage_is_not_an_input_and_size_is():
    # the article: "based on your contract size and leverage" -- size moves the stop, leverage cannot
    one_micro = stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=20)
    ten_nano = stop_price_for_risk(70_000, 10, NANO, "long", max_loss=20)
    one_nano = stop_price_for_risk(70_000, 1, NANO, "long", max_loss=20)
    assert one_micro == ten_nano == 68_000
    assert one_nano == 50_000


def test_inverse_stop_loses_the_budget_in_coin():
    budget = 0.0002  # BTC
    stop = stop_price_for_risk(70_000, 10, INVERSE, "long", max_loss=budget, fee_rate=0.0005)
    assert loss_at_stop(70_000, stop, 10, INVERSE, "long", fee_rate=0.0005) == pytest.approx(budget, rel=1e-12)
    stop = stop_price_for_risk(70_000, 10, INVERSE, "short", max_loss=budget, fee_rate=0.0005)
    assert loss_at_stop(70_000, stop, 10, INVERSE, "short", fee_rate=0.0005) == pytest.approx(budget, rel=1e-12)


@given(ep=st.floats(1_000, 200_000), qty=st.integers(1, 500), risk=st.floats(0.001, 0.05),
       fee=st.floats(0, 0.001), side=st.sampled_from(["long", "short"]),
       contract=st.sampled_from([MICRO, NANO, STANDARD]))
def test_loss_at_the_computed_stop_is_the_budget(ep, qty, risk, fee, side, contract):
    budget = 10_000 * risk
    fees_alone = 2 * fee * qty * contract.contract_size * ep
    too_big = side == "long" and budget >= qty * contract.contract_size * ep * (1 + fee) * 0.999
    if budget <= fees_alone * 1.001 or too_big:
        return
    stop = stop_price_for_risk(ep, qty, contract, side, capital=10_000, risk_fraction=risk, fee_rate=fee)
    assert loss_at_stop(ep, stop, qty, contract, side, fee_rate=fee) == pytest.approx(budget, rel=1e-9)
    assert (stop < ep) if side == "long" else (stop > ep)


def test_sizing_with_fees_matches_lesson_03_correction():
    # 7 nano at $1.40 each = $9.80, but fees 7 × 0.0005 × 0.001 × (70,000 + 68,600) = $0.4851 → $10.29
    assert round(loss_at_stop(70_000, 68_600, 7, NANO, "long", fee_rate=0.0005), 2) == 10.29
    assert position_size(1_000, 0.01, 70_000, 68_600, NANO) == 7
    assert position_size(1_000, 0.01, 70_000, 68_600, NANO, fee_rate=0.0005) == 6
    assert position_size(1_000, 0.01, 70_000, 68_600, MICRO, fee_rate=0.0005) == 0
    assert position_size(1_000, 0.02, 70_000, 68_600, MICRO, fee_rate=0.0005) == 1   # $14.69 ≤ $20
    assert position_size(1_000, 0.02, 70_000, 68_600, STANDARD) == 0                 # $1,400 > $20


@given(risk=st.floats(0.005, 0.05), stop_pct=st.floats(0.5, 10), fee=st.floats(0, 0.001),
       slip=st.floats(0, 0.005))
def test_sized_position_fits_and_one_more_does_not(risk, stop_pct, fee, slip):
    stop = 70_000 * (1 - stop_pct / 100)
    q = position_size(5_000, risk, 70_000, stop, NANO, fee_rate=fee, slippage=slip)
    exit_price = stop * (1 - slip)
    budget = 5_000 * risk
    assert loss_at_stop(70_000, exit_price, q, NANO, "long", fee_rate=fee) <= budget + 1e-9
    assert loss_at_stop(70_000, exit_price, q + 1, NANO, "long", fee_rate=fee) > budget - 1e-9


def test_ladder_prices_and_warning():
    ladder = price_ladder(70_000, 1, MICRO, "long", 10, 67_900, mmr=0.004)
    assert ladder.liquidation_price == pytest.approx(63_253.012, abs=1e-3)   # (70 − 700)/(0.00004 − 0.01)
    assert ladder.bankruptcy_price == 63_000
    assert ladder.margin == 70 and ladder.stop_loss == pytest.approx(21.0)
    assert not ladder.stop_beyond_liquidation and ladder.warning == ""
    high = price_ladder(70_000, 1, MICRO, "long", 50, 67_900, mmr=0.004)
    assert high.stop_beyond_liquidation
    assert "beyond the liquidation price" in high.warning and "14.00" in high.warning
    short = price_ladder(70_000, 1, MICRO, "short", 50, 72_100, mmr=0.004)
    assert short.stop_beyond_liquidation and short.liquidation_price < 72_100
    assert short.distance(72_100) == pytest.approx(0.03)


@given(lev=st.floats(1.5, 125), stop_pct=st.floats(0.1, 30), side=st.sampled_from(["long", "short"]))
def test_ladder_flag_agrees_with_the_order_of_prices(lev, stop_pct, side):
    s = 1 if side == "long" else -1
    stop = 70_000 * (1 - s * stop_pct / 100)
    ladder = price_ladder(70_000, 1, MICRO, side, lev, stop, mmr=0.004)
    lp = liquidation_price(70_000, 1, MICRO, side, leverage=lev, mmr=0.004)
    assert ladder.stop_beyond_liquidation == (s * (stop - lp) <= 0)
    assert s * (ladder.bankruptcy_price - ladder.liquidation_price) < 0


def test_ladder_uses_the_bracket_of_the_position():
    assert maintenance_rate_for(70_000, 1, BTCUSDT) == (0.005, 50.0)
    small = price_ladder(70_000, 0.01, BTCUSDT, "long", 10, 66_000)
    large = price_ladder(70_000, 1, BTCUSDT, "long", 10, 66_000)
    assert small.mmr == 0.004 and large.mmr == 0.005
    assert large.liquidation_price == pytest.approx((7_000 + 50 - 70_000) / (0.005 - 1))
    assert large.liquidation_price > small.liquidation_price


@pytest.mark.parametrize("call, words", [
    (lambda: stop_price_for_risk(70_000, 1, MICRO, "long"), ["max_loss", "capital"]),
    (lambda: stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=20, capital=1_000), ["not both"]),
    (lambda: stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=-1), ["max_loss", "> 0"]),
    (lambda: stop_price_for_risk(70_000, 1, MICRO, "long", capital=1_000, risk_fraction=2), ["risk_fraction", "<= 1"]),
    (lambda: stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=0.5, fee_rate=0.0005), ["round-trip fees"]),
    (lambda: stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=800), ["too large"]),
    (lambda: stop_price_for_risk(70_000, 1, MICRO, "long", max_loss=20, fee_rate=0.2), ["fee_rate", "< 0.1"]),
    (lambda: stop_price_for_risk(70_000, 0, MICRO, "long", max_loss=20), ["qty", "> 0"]),
    (lambda: position_size(1_000, 0.01, 70_000, 70_000, NANO), ["stop_price", "differ"]),
    (lambda: position_size(1_000, 0.01, 70_000, 69_000, NANO, slippage=-0.1), ["slippage", ">= 0"]),
    (lambda: price_ladder(70_000, 1, MICRO, "long", 10, 71_000, mmr=0.004), ["stop_price", "below"]),
    (lambda: price_ladder(70_000, 1, MICRO, "short", 10, 69_000, mmr=0.004), ["stop_price", "above"]),
    (lambda: price_ladder(70_000, 1, MICRO, "long", 200, 69_000), ["leverage", "<= 125"]),
    (lambda: maintenance_rate_for(70_000, 1, PRESETS["CME-MBT"]), ["maintenance_margin_rate", "mmr="]),
    (lambda: loss_at_stop(70_000, 69_000, 1, MICRO, "sideways"), ["side"]),
])
def test_bad_input_names_the_argument(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)


def test_custom_contract_without_tiers_uses_its_flat_rate():
    spec = ContractSpec(symbol="X", contract_size=0.01, maintenance_margin_rate=0.004)
    assert maintenance_rate_for(70_000, 3, spec) == (0.004, 0.0)
    assert np.isclose(price_ladder(70_000, 3, spec, "long", 10, 69_000).liquidation_price, 63_253.012, atol=1e-3)
