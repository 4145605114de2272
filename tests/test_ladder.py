"""The scaling ladder: worked examples by hand, invariants, bad input."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib.ladder import (
    contracts_within_risk,
    ladder_plan,
    loss_at_rungs,
    position_risk,
    rung_for_account,
    uncovered_accounts,
)


def test_worked_example_one_micro_contract_two_percent_stop():
    # 0.01 BTC × $1,400 = $14.00; fees 0.0005 × 0.01 × (70,000 + 68,600) = $0.693
    assert position_risk(70_000, 2, 0.01) == pytest.approx(14.693, abs=1e-9)
    assert position_risk(70_000, 2, 0.01, fee_rate=0) == pytest.approx(14.0, abs=1e-9)
    # a short's stop is above: fees on 70,000 and 71,400
    assert position_risk(70_000, 2, 0.01, side="short") == pytest.approx(14 + 0.0005 * 0.01 * 141_400)


def test_ladder_accounts_for_the_articles_three_sizes():
    plan = ladder_plan(70_000, 2, risk_low=0.01, risk_high=0.02)
    risks = [14.693, 146.93, 1469.3]
    assert [r.risk_usd for r in plan] == pytest.approx(risks)
    assert [r.account_min_usd for r in plan] == pytest.approx([x / 0.02 for x in risks])
    assert [r.account_max_usd for r in plan] == pytest.approx([x / 0.01 for x in risks])
    assert [r.notional_usd for r in plan] == pytest.approx([700, 7_000, 70_000])
    # the 1–2 % band is 2× wide, the rungs 10× apart: accounts with no rung in the band
    gaps = [x for gap in uncovered_accounts(plan) for x in gap]
    assert gaps == pytest.approx([1_469.3, 7_346.5, 14_693, 73_465])


def test_intermediate_sizes_close_the_gaps():
    # every 0.01 BTC step from 0.01 to 1 BTC: consecutive rungs overlap (ratio ≤ 2), no gap
    plan = ladder_plan(70_000, 2, position_btc=[k / 100 for k in range(1, 101)])
    assert uncovered_accounts(plan) == []


def test_contracts_within_risk_matches_a_slow_search():
    for account in (500, 1_000, 2_500, 7_000, 50_000):
        for fraction in (0.01, 0.02):
            qty = contracts_within_risk(account, fraction, 70_000, 2)
            # the slowest obvious way: count up while the next contract still fits
            n = 0
            while (n + 1) * 0.01 * 1_400 + 0.0005 * (n + 1) * 0.01 * 138_600 <= account * fraction:
                n += 1
            assert qty == n


def test_rung_for_account_and_same_percentage_in_dollars():
    plan = ladder_plan()
    assert rung_for_account(734, plan) is None
    assert rung_for_account(735, plan).position_btc == 0.01
    assert rung_for_account(73_465, plan).position_btc == 1.0
    assert loss_at_rungs(2.5, plan) == pytest.approx([0.025 * r.account_max_usd for r in plan])


@settings(max_examples=80, deadline=None)
@given(st.floats(1_000, 200_000), st.floats(0.1, 20), st.floats(0.0001, 10), st.floats(0, 0.002))
def test_risk_is_linear_in_size_and_at_least_the_stop_loss(entry, stop_pct, size, fee):
    one = position_risk(entry, stop_pct, size, fee_rate=fee)
    assert position_risk(entry, stop_pct, 10 * size, fee_rate=fee) == pytest.approx(10 * one, rel=1e-12)
    assert one >= size * entry * stop_pct / 100 * (1 - 1e-12)


@settings(max_examples=80, deadline=None)
@given(st.floats(100, 1e6), st.floats(0.005, 0.05), st.floats(0.2, 10))
def test_sized_position_fits_and_one_more_does_not(account, fraction, stop_pct):
    qty = contracts_within_risk(account, fraction, 70_000, stop_pct)
    per = position_risk(70_000, stop_pct, 0.01)
    assert qty * per <= account * fraction * (1 + 1e-9)
    assert (qty + 1) * per > account * fraction


@pytest.mark.parametrize("call, name", [
    (lambda: position_risk(0, 2, 0.01), "entry_price_usd"),
    (lambda: position_risk(70_000, 0, 0.01), "stop_pct"),
    (lambda: position_risk(70_000, 2, -1), "position_btc"),
    (lambda: position_risk(70_000, 2, 0.01, fee_rate=0.5), "fee_rate"),
    (lambda: position_risk(70_000, 2, 0.01, side="up"), "side"),
    (lambda: ladder_plan(risk_low=0.03, risk_high=0.02), "risk_low"),
    (lambda: ladder_plan(position_btc=[1.0, 0.1]), "position_btc"),
    (lambda: contracts_within_risk(0, 0.01, 70_000, 2), "account_usd"),
    (lambda: contracts_within_risk(1_000, 2, 70_000, 2), "risk_fraction"),
    (lambda: contracts_within_risk(1_000, 0.01, 70_000, 2, mf.PRESETS["BINANCE-BTCUSD-PERP"]), "contract"),
    (lambda: rung_for_account(-1, ladder_plan()), "account_usd"),
    (lambda: rung_for_account(1_000, []), "plan"),
    (lambda: loss_at_rungs(0, ladder_plan()), "loss_pct"),
    (lambda: uncovered_accounts([1, 2]), "plan"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_no_nan_anywhere_in_a_plan():
    for rung in ladder_plan(30_000, 0.5, fee_rate=0):
        assert all(math.isfinite(v) for v in rung)
