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
    cum = cum_fraction * value * mmr                  # a maintenance amount below notional(EP) × mmr
    slow = reference.liquidation_price_scan(ep, qty, contract, side, margin=margin, mmr=mmr,
                                            maint_amount=cum, mm_basis=basis, max_multiple=1_000.0)
    bankrupt_somewhere = margin < value                 # a linear long / inverse short: before 0 / inf
    never = slow == 0.0 or math.isinf(slow)
    if ((not never and reference.maint_margin(slow, ep, qty, contract, mmr, cum, basis) < 0)
            or (never and cum > 0 and bankrupt_somewhere)):
        # past bankruptcy (the notional there is too small for that amount): refused, not answered
        with pytest.raises(ValueError, match="past bankruptcy"):
            mf.liquidation_price(ep, qty, contract, side, margin=margin, mmr=mmr, maint_amount=cum,
                                 mm_basis=basis)
        return
    fast = mf.liquidation_price(ep, qty, contract, side, margin=margin, mmr=mmr, maint_amount=cum,
                                mm_basis=basis)
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


# ---- tiered liquidation: the bracket of the notional at the liquidation price ---------------------
TIERED_LINEAR = mf.PRESETS["BINANCE-BTCUSDT-PERP"]
TIERED_INVERSE = mf.ContractSpec(symbol="INV-TIERED", contract_size=100.0, kind="inverse", base="BTC",
                                 maintenance_margin_rate=0.004,
                                 margin_tiers=mf.tiers._schedule_from_rows(
                                     [(5, 125, 0.004), (20, 50, 0.01), (100, 20, 0.025), (500, 5, 0.1),
                                      (2_000, 2, 0.25)], source="test schedule", as_of=""))


@st.composite
def tiered_positions(draw):
    contract = draw(st.sampled_from([TIERED_LINEAR, TIERED_INVERSE]))
    ep = draw(st.floats(1_000.0, 200_000.0))
    top = contract.margin_tiers.max_notional
    value = draw(st.floats(1e-3, 1.0)) ** 3 * top * 0.9          # notionals across all brackets
    qty = value / ep / contract.contract_size if not contract.is_inverse else value * ep / 100.0
    qty = max(qty, 1e-6)
    rate, cum = contract.margin_tiers.lookup(float(mf.notional(ep, qty, contract)))
    # margin between just above the entry maintenance margin and 1.5x the notional
    value = float(mf.notional(ep, qty, contract))
    floor = value * rate - cum
    margin = floor + draw(st.floats(0.02, 1.5)) * (value - floor)
    return contract, ep, qty, margin, draw(SIDES), draw(BASES)


@settings(max_examples=300, deadline=None)
@given(position=tiered_positions())
def test_tiered_liquidation_matches_the_scan_and_stays_before_bankruptcy(position):
    contract, ep, qty, margin, side, basis = position
    fast = mf.liquidation_price(ep, qty, contract, side, margin=margin, mm_basis=basis)
    slow = reference.liquidation_price_scan(ep, qty, contract, side, margin=margin, mmr=None,
                                            mm_basis=basis, grid_points=2_001, max_multiple=1_000.0)
    if math.isinf(slow):
        assert fast > 1_000.0 * ep
    else:
        assert fast == pytest.approx(slow, rel=1e-9, abs=1e-6)
    # equity at the liquidation price equals the maintenance margin of the bracket there: >= 0
    if 0.0 < fast < math.inf:
        at_lp = reference.equity(fast, ep, qty, contract, side, margin)
        assert at_lp >= -1e-6 * margin
        assert at_lp == pytest.approx(reference.maint_margin(fast, ep, qty, contract, None, 0.0, basis),
                                      rel=1e-7, abs=1e-9)


def test_entry_bracket_would_give_a_price_in_another_bracket():
    # 0.75 BTC at 70,000, 2x: $52,500 is bracket 2 at entry; at the liquidation price it is bracket 1
    lp = mf.liquidation_price(70_000, 0.75, TIERED_LINEAR, "long", leverage=2)
    assert lp == pytest.approx((26_250 - 52_500) / (0.75 * 0.004 - 0.75), rel=1e-12)
    assert 0.75 * lp < 50_000
    entry_bracket = mf.liquidation_price(70_000, 0.75, TIERED_LINEAR, "long", leverage=2, mmr=0.005,
                                         maint_amount=50)
    assert round(entry_bracket, 2) == 35108.88                 # the old answer, in the wrong bracket


def test_contract_without_tiers_uses_its_rate_when_mmr_is_left_out():
    micro = mf.PRESETS["BTC-MICRO"]                            # maintenance_margin_rate 0.005
    assert mf.liquidation_price(70_000, 1, micro, "long", leverage=10) == \
        mf.liquidation_price(70_000, 1, micro, "long", leverage=10, mmr=0.005)
    with pytest.raises(ValueError, match="mmr must be given"):
        mf.liquidation_price(70_000, 1, mf.PRESETS["CME-MBT"], "long", leverage=10)


@pytest.mark.parametrize("basis", ["mark", "entry"])
def test_a_maintenance_amount_past_bankruptcy_is_refused_like_maintenance_margin(basis):
    # bracket 3's amount (1,300) on a $7,000 position: notional × mmr − cum < 0
    btcusdt = TIERED_LINEAR
    with pytest.raises(ValueError, match="maint_amount"):
        mf.maintenance_margin(70_000, 0.1, btcusdt, 0.01, 1_300)
    with pytest.raises(ValueError, match="past bankruptcy"):
        mf.liquidation_price(70_000, 0.1, btcusdt, "long", leverage=10, mmr=0.01, maint_amount=1_300,
                             mm_basis=basis)


@given(capital=st.floats(50.0, 1e6), fraction=st.floats(0.001, 0.05), ep=prices,
       stop_distance=st.floats(0.001, 0.5), contract=CONTRACTS, side=SIDES,
       fee=st.floats(0.0, 0.001), slip=st.floats(0.0, 0.01))
def test_position_size_with_costs_is_the_largest_that_fits(capital, fraction, ep, stop_distance,
                                                           contract, side, fee, slip):
    stop = ep * (1 - stop_distance) if side == "long" else ep * (1 + stop_distance)
    costs = dict(fee_rate=fee, slippage=slip)
    qty = mf.position_size(capital, fraction, ep, stop, contract, **costs)
    budget = capital * fraction
    assert qty <= mf.position_size(capital, fraction, ep, stop, contract)   # costs never add size
    assert mf.risk_at_stop(ep, stop, qty, contract, **costs) <= budget * (1 + 1e-9)
    assert mf.risk_at_stop(ep, stop, qty + contract.qty_step, contract, **costs) > budget * (1 - 1e-9)
