"""Invariants of the core formulas, checked with hypothesis, and the closed forms against the slow scan."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib import reference

LINEAR = mf.ContractSpec(symbol="LIN", contract_size=0.01, kind="linear")
INVERSE = mf.ContractSpec(symbol="INV", contract_size=100.0, kind="inverse")
CONTRACTS = st.sampled_from([LINEAR, INVERSE])
SIDES = st.sampled_from(["long", "short"])
BASES = st.sampled_from(["mark", "entry"])
prices = st.floats(100.0, 200_000.0)
qtys = st.floats(0.5, 1_000.0)


@st.composite
def leverage_and_mmr(draw, min_leverage=1.5):
    leverage = draw(st.floats(min_leverage, 125.0))
    mmr = draw(st.floats(0.0005, 0.9)) / leverage      # always below the initial margin rate 1/L
    return leverage, mmr


@given(ep=prices, qty=qtys, contract=CONTRACTS, side=SIDES, basis=BASES, lm=leverage_and_mmr())
def test_bankruptcy_beyond_liquidation_beyond_entry(ep, qty, contract, side, basis, lm):
    leverage, mmr = lm
    lp = mf.liquidation_price(ep, qty, contract, side, leverage=leverage, mmr=mmr, mm_basis=basis)
    bp = mf.bankruptcy_price(ep, contract, side, leverage)
    if side == "long":
        assert bp < lp < ep
    else:
        assert ep < lp < bp


@given(ep=prices, qty=qtys, contract=CONTRACTS, side=SIDES, leverage=st.floats(1.5, 125.0))
def test_pnl_at_bankruptcy_is_minus_the_margin(ep, qty, contract, side, leverage):
    bp = mf.bankruptcy_price(ep, contract, side, leverage)
    loss = mf.pnl(ep, bp, qty, contract, side)
    assert loss == pytest.approx(-mf.initial_margin(ep, qty, contract, leverage), rel=1e-9)


@given(ep=prices, q1=qtys, q2=qtys, size1=st.floats(0.001, 5.0), size2=st.floats(0.001, 5.0),
       kind=st.sampled_from(["linear", "inverse"]), side=SIDES, basis=BASES, lm=leverage_and_mmr())
def test_liquidation_at_fixed_leverage_ignores_qty_and_contract_size(ep, q1, q2, size1, size2, kind,
                                                                     side, basis, lm):
    # The article says liquidation is closer for micro contracts: at a fixed leverage it is not.
    leverage, mmr = lm
    a = mf.ContractSpec(symbol="A", contract_size=size1, kind=kind)
    b = mf.ContractSpec(symbol="B", contract_size=size2, kind=kind)
    lp_a = mf.liquidation_price(ep, q1, a, side, leverage=leverage, mmr=mmr, mm_basis=basis)
    lp_b = mf.liquidation_price(ep, q2, b, side, leverage=leverage, mmr=mmr, mm_basis=basis)
    assert lp_a == pytest.approx(lp_b, rel=1e-9)


@given(ep=prices, roe=st.floats(-0.95, 3.0), contract=CONTRACTS, side=SIDES,
       leverage=st.floats(1.0, 50.0))
def test_target_price_and_roe_invert_each_other(ep, roe, contract, side, leverage):
    try:
        exit_price = mf.target_price(ep, roe, leverage, contract, side)
    except ValueError:
        return                                           # no positive price gives that return
    assert mf.roe(ep, exit_price, leverage, contract, side) == pytest.approx(roe, rel=1e-9, abs=1e-9)


@given(ep=st.lists(prices, min_size=1, max_size=20), contract=CONTRACTS, side=SIDES,
       basis=BASES, lm=leverage_and_mmr())
def test_scalar_and_array_calls_agree(ep, contract, side, basis, lm):
    leverage, mmr = lm
    arr = mf.liquidation_price(np.array(ep), 3.0, contract, side, leverage=leverage, mmr=mmr,
                               mm_basis=basis)
    assert isinstance(arr, np.ndarray) and arr.shape == (len(ep),)
    for i, price in enumerate(ep):
        one = mf.liquidation_price(price, 3.0, contract, side, leverage=leverage, mmr=mmr, mm_basis=basis)
        assert isinstance(one, float)
        assert one == arr[i]
    assert np.array_equal(mf.pnl(np.array(ep), 1.1 * np.array(ep), 2.0, contract, side),
                          [mf.pnl(p, 1.1 * p, 2.0, contract, side) for p in ep])


@given(capital=st.floats(50.0, 1e6), fraction=st.floats(0.001, 0.05), ep=prices,
       stop_distance=st.floats(0.001, 0.5), contract=CONTRACTS, side=SIDES)
def test_position_size_is_the_largest_that_fits_the_budget(capital, fraction, ep, stop_distance,
                                                           contract, side):
    stop = ep * (1 - stop_distance) if side == "long" else ep * (1 + stop_distance)
    qty = mf.position_size(capital, fraction, ep, stop, contract)
    budget = capital * fraction
    assert qty == math.floor(qty)
    assert mf.risk_at_stop(ep, stop, qty, contract) <= budget * (1 + 1e-9)
    assert mf.risk_at_stop(ep, stop, qty + contract.qty_step, contract) > budget * (1 - 1e-9)


# ---- the closed forms against the brute-force scan ---------------------------------------------
@settings(max_examples=60, deadline=None)
@given(ep=prices, qty=qtys, contract=CONTRACTS, side=SIDES, basis=BASES, lm=leverage_and_mmr(1.2),
       cum_fraction=st.floats(0.0, 0.5))
def test_liquidation_closed_form_matches_scan(ep, qty, contract, side, basis, lm, cum_fraction):
    leverage, mmr = lm
    value = mf.notional(ep, qty, contract)
    margin = value / leverage
    cum = cum_fraction * value * mmr                  # a maintenance amount below notional × mmr
    fast = mf.liquidation_price(ep, qty, contract, side, margin=margin, mmr=mmr, maint_amount=cum,
                                mm_basis=basis)
    slow = reference.liquidation_price_scan(ep, qty, contract, side, margin=margin, mmr=mmr,
                                            maint_amount=cum, mm_basis=basis, max_multiple=1_000.0)
    if math.isinf(slow):
        assert fast > 1_000.0 * ep                    # beyond the scanned range, or never
    else:
        assert fast == pytest.approx(slow, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("contract", [LINEAR, INVERSE], ids=["linear", "inverse"])
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("basis", ["mark", "entry"])
@pytest.mark.parametrize("leverage, mmr", [(2, 0.01), (10, 0.004), (20, 0.005), (100, 0.005), (125, 0.004)])
def test_liquidation_grid_of_cases_matches_scan(contract, side, basis, leverage, mmr):
    ep, qty = 70_000.0, 3.0
    fast = mf.liquidation_price(ep, qty, contract, side, leverage=leverage, mmr=mmr, mm_basis=basis)
    margin = mf.initial_margin(ep, qty, contract, leverage)
    slow = reference.liquidation_price_scan(ep, qty, contract, side, margin=margin, mmr=mmr, mm_basis=basis)
    assert fast == pytest.approx(slow, rel=1e-10)


@pytest.mark.parametrize("contract", [LINEAR, INVERSE], ids=["linear", "inverse"])
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("leverage", [1.5, 3, 10, 50, 125])
def test_bankruptcy_closed_form_matches_scan(contract, side, leverage):
    fast = mf.bankruptcy_price(70_000.0, contract, side, leverage)
    slow = reference.bankruptcy_price_scan(70_000.0, contract, side, leverage)
    assert fast == pytest.approx(slow, rel=1e-10)


def test_tiered_maintenance_margin_is_continuous_at_every_boundary():
    tiers = mf.BINANCE_BTCUSDT_TIERS
    for tier in tiers.tiers[:-1]:
        edge = tier.notional_cap
        below = edge * (1 - 1e-12)
        above = edge * (1 + 1e-12)
        mm_below = below * tier.maintenance_margin_rate - tier.maintenance_amount
        rate, amount = tiers.lookup(above)
        assert above * rate - amount == pytest.approx(mm_below, abs=0.01)
