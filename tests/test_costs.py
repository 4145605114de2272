"""Fees per round trip (percent vs per contract), funding and dated futures as costs of the margin."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microfut_lib import PRESETS
from microfut_lib.costs import (
    ILLUSTRATIVE_FEE_PER_CONTRACT_USD,
    fee_share_of_notional,
    funding_cost_of_margin,
    holding_cost_of_margin,
    round_trip_cost,
    round_trip_cost_of_margin,
)
from microfut_lib.dated import annualized_basis, basis, equivalent_funding_rate, fair_futures_price, roll_cost

MICRO, NANO, MBT, CME_BTC = (PRESETS[k] for k in ("BTC-MICRO", "BTC-NANO", "CME-MBT", "CME-BTC"))


def test_percent_fee_is_two_rate_times_leverage_of_the_margin_on_any_size():
    for contract in (MICRO, NANO, MBT, CME_BTC):
        assert round_trip_cost_of_margin(70_000, contract, 20, fee_rate=0.0005) == pytest.approx(0.02)


def test_fixed_fee_weighs_more_on_a_small_contract():
    # $2.50 per side: MBT notional $7,000 → 2 × 2.5 × 10 / 7,000; 5 BTC → 2 × 2.5 × 10 / 350,000
    assert round_trip_cost_of_margin(70_000, MBT, 10, fee_per_contract=2.5) == pytest.approx(50 / 7_000)
    assert round_trip_cost_of_margin(70_000, CME_BTC, 10, fee_per_contract=2.5) == pytest.approx(50 / 350_000)
    assert fee_share_of_notional(70_000, MBT, 2.5) == pytest.approx(2.5 / 7_000)
    assert ILLUSTRATIVE_FEE_PER_CONTRACT_USD == 2.5
    assert round_trip_cost(70_000, 4, MBT, fee_per_contract=2.5) == 20.0
    assert round_trip_cost(70_000, 4, MICRO, fee_rate=0.0005) == pytest.approx(4 * 700 * 0.0005 * 2)


@given(lev=st.floats(1, 125), fee=st.floats(0, 20), price=st.floats(1_000, 200_000))
def test_fixed_fee_share_is_size_ratio_times(lev, fee, price):
    small = round_trip_cost_of_margin(price, MBT, lev, fee_per_contract=fee)
    large = round_trip_cost_of_margin(price, CME_BTC, lev, fee_per_contract=fee)
    assert small == pytest.approx(50 * large, rel=1e-9, abs=1e-15)


def test_funding_counts_only_settlements_held_through():
    assert funding_cost_of_margin(10, 0.0001, 7.9) == 0
    assert funding_cost_of_margin(10, 0.0001, 8) == pytest.approx(0.001)
    assert funding_cost_of_margin(10, 0.0001, 24 * 365) == pytest.approx(1.095)   # 110 % a year at 10x
    assert funding_cost_of_margin(5, -0.0001, 24) == pytest.approx(-0.0015)       # a long is paid
    assert holding_cost_of_margin(10, 24 * 7) == pytest.approx(0.01 + 21 * 0.0001 * 10)


def test_dated_basis_and_roll():
    money, share = basis(71_050, 70_000)
    assert money == pytest.approx(1_050) and share == pytest.approx(0.015)
    assert annualized_basis(71_050, 70_000, 60) == pytest.approx(0.015 * 365 / 60)
    assert fair_futures_price(70_000, 0.015 * 365 / 60, 60) == pytest.approx(71_050)
    assert equivalent_funding_rate(0.1095) == pytest.approx(0.0001)
    assert roll_cost(70_500, 71_300, 3, MBT, fee_rate=0.0005) == pytest.approx(240 + 0.0005 * 0.3 * 141_800)
    assert roll_cost(70_500, 71_300, 3, MBT, side="short") == pytest.approx(-240)


@given(spot=st.floats(1_000, 200_000), carry=st.floats(-0.5, 1.0), days=st.floats(1, 365))
def test_fair_price_and_annualized_basis_invert(spot, carry, days):
    f = fair_futures_price(spot, carry, days)
    assert annualized_basis(f, spot, days) == pytest.approx(carry, abs=1e-9)


@pytest.mark.parametrize("call, words", [
    (lambda: round_trip_cost_of_margin(70_000, MBT, 10), ["exactly one of fee_rate"]),
    (lambda: round_trip_cost_of_margin(70_000, MBT, 10, fee_rate=0.001, fee_per_contract=1), ["exactly one"]),
    (lambda: round_trip_cost_of_margin(70_000, MICRO, 10, fee_rate=0.5), ["fee_rate", "<= 0.1"]),
    (lambda: round_trip_cost_of_margin(70_000, MICRO, 0.5, fee_rate=0.001), ["leverage", ">= 1"]),
    (lambda: fee_share_of_notional(70_000, MBT, -1), ["fee_per_contract", ">= 0"]),
    (lambda: funding_cost_of_margin(10, 0.0001, -1), ["hours", ">= 0"]),
    (lambda: funding_cost_of_margin(10, 0.2, 8), ["rate", "<= 0.05"]),
    (lambda: annualized_basis(71_000, 70_000, 0), ["days_to_expiry", "> 0"]),
    (lambda: basis(-1, 70_000), ["futures_price", "> 0"]),
    (lambda: roll_cost(70_000, 71_000, 1, PRESETS["BINANCE-BTCUSD-PERP"]), ["linear"]),
    (lambda: roll_cost(70_000, 71_000, 1, MBT, side="flat"), ["side"]),
])
def test_bad_input_names_the_argument(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)
