"""The one-page trade ticket: every number by hand for the default ticket, and its outcomes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib.ticket import trade_ticket


def test_default_ticket_by_hand():
    t = trade_ticket()     # $1,000, 1 %, long nano at 70,000, 2 % stop, 5x, 24 h, exit 72,800
    # size: per contract 0.001 × 1,400 + 0.0005 × 0.001 × (70,000 + 68,600) = 1.4693 → floor(10 / 1.4693) = 6
    assert t.qty == 6
    q = 0.006
    assert t.notional_usd == pytest.approx(q * 70_000)                  # 420
    assert t.initial_margin_usd == pytest.approx(420 / 5)               # 84
    assert t.maintenance_margin_usd == pytest.approx(420 * 0.004)      # 1.68
    # equity 84 + q(P − 70,000) = q·P·0.004  ⇒  P = (q·70,000 − 84) / (q·0.996)
    assert t.liquidation_price_usd == pytest.approx((420 - 84) / (q * 0.996))
    assert t.bankruptcy_price_usd == pytest.approx(56_000)
    assert t.stop_price_usd == pytest.approx(68_600) and t.stop_before_liquidation
    assert t.loss_at_stop_usd == pytest.approx(8.4)
    assert t.entry_fee_usd == pytest.approx(0.21) and t.exit_fee_at_stop_usd == pytest.approx(0.2058)
    assert t.n_funding == 3 and t.funding_usd == pytest.approx(-3 * 420 * 0.0001)
    assert t.trade.pnl == pytest.approx(q * 2_800)                      # 16.80
    assert t.trade.fees == pytest.approx(0.21 + q * 72_800 * 0.0005)
    assert t.trade.net_pnl == pytest.approx(16.8 - 0.21 - 0.2184 - 0.126)
    assert t.trade.r_multiple == pytest.approx(t.trade.net_pnl / 8.4)
    assert t.outcome == "planned exit"
    assert "net PnL" in str(t) and "<table" in t._repr_html_()


def test_an_exit_beyond_the_stop_is_the_stop():
    t = trade_ticket(exit_price_usd=60_000)
    assert t.outcome == "stopped" and t.exit_price_usd == pytest.approx(68_600)
    assert t.trade.pnl == pytest.approx(-8.4)


def test_a_stop_beyond_liquidation_loses_the_margin():
    # 50x: liquidation about 1.6 % below; the 2 % stop is beyond it
    t = trade_ticket(leverage=50, exit_price_usd=60_000)
    assert not t.stop_before_liquidation and t.outcome == "liquidated"
    assert t.trade.pnl == pytest.approx(-t.initial_margin_usd)
    assert t.trade.exit_reason == "liquidation"
    assert "beyond liquidation" in str(t)


def test_short_ticket_mirrors():
    t = trade_ticket(side="short", exit_price_usd=67_200)
    assert t.stop_price_usd == pytest.approx(71_400)
    assert t.trade.pnl == pytest.approx(t.qty * 0.001 * 2_800)
    assert t.funding_usd > 0                                            # a short receives


@settings(max_examples=60, deadline=None)
@given(st.floats(300, 50_000), st.floats(0.005, 0.02), st.floats(0.5, 10), st.sampled_from([2, 5, 10, 20]))
def test_ticket_risk_stays_within_the_budget(account, fraction, stop_pct, leverage):
    try:
        t = trade_ticket(account, risk_fraction=fraction, stop_pct=stop_pct, leverage=leverage,
                         contract=mf.PRESETS["BTC-MICRO"])
    except ValueError as err:
        assert "no position fits" in str(err)
        return
    assert t.risk_usd <= account * fraction * (1 + 1e-9)
    assert t.initial_margin_usd + t.entry_fee_usd <= account * (1 + 1e-9)


@pytest.mark.parametrize("kwargs, name", [
    ({"account_usd": 0}, "account_usd"), ({"entry_price_usd": -1}, "entry_price_usd"),
    ({"side": "up"}, "side"), ({"stop_pct": 0}, "stop_pct"), ({"holding_hours": -1}, "holding_hours"),
    ({"exit_price_usd": 0}, "exit_price_usd"), ({"leverage": 500}, "leverage"),
    ({"risk_fraction": 3}, "risk_fraction"), ({"account_usd": 5}, "no position fits"),
])
def test_bad_input_names_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        trade_ticket(**kwargs)
