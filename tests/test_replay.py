"""The paper-trading replay: scripted sessions with journals computed by hand, invariants, bad input.

The expected numbers of the three scripted sessions are worked out below with plain arithmetic
(contract size × price difference, notional × rate), not with the library's functions.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib.replay import PaperSession, default_bars, replay


def hourly_bars(start: str, rows: list[tuple[float, float, float, float]]) -> mf.Bars:
    o, h, lo, c = (np.array(col, dtype=float) for col in zip(*rows))
    time = np.datetime64(start, "s") + np.arange(len(rows)) * np.timedelta64(3600, "s")
    return mf.Bars(open=o, high=h, low=lo, close=c, time=time)


# -- scripted session 1: ignoring risk ends in liquidation -------------------------------------

LIQ_BARS = hourly_bars("2024-01-01T00:00", [
    (70_000, 70_000, 70_000, 70_000),
    (70_000, 70_200, 69_500, 69_800),
    (69_800, 69_900, 68_800, 69_000),     # the low reaches the liquidation price
    (69_000, 69_500, 68_900, 69_400),
])


def test_scripted_session_ends_in_liquidation():
    result = replay(["long", "next", "next"], LIQ_BARS, contract="micro", qty=1, leverage=50,
                    stop_pct=0, fee_rate=0.0005, initial_equity=1_000)
    # by hand: Q = 0.01 BTC, margin = 700 / 50 = 14; equity = margin + Q·(P − 70,000) meets the
    # maintenance margin Q·P·0.004 at P = (Q·70,000 − 14) / (Q·(1 − 0.004)) = 686 / 0.00996
    liq = 686 / 0.00996
    assert liq == pytest.approx(68_875.502, abs=1e-3)
    (trade,) = result.journal.trades
    assert trade.exit_reason == "liquidation" and trade.exit_bar == 2
    assert trade.exit_price == pytest.approx(liq, abs=1e-6)
    assert trade.pnl == pytest.approx(-14.0, abs=1e-9)            # the whole isolated margin
    assert trade.fees == pytest.approx(0.35, abs=1e-9)            # 700 × 0.05 %, no exit fee
    assert trade.funding == 0.0 and math.isnan(trade.risk)
    assert result.state.wallet_usd == pytest.approx(1_000 - 14.35, abs=1e-9)
    assert result.state.side is None
    assert [e.kind for e in result.events] == ["open", "liquidation"]


def test_a_stop_beyond_the_liquidation_price_does_not_save_the_position():
    # the same trade with a 2 % stop (68,600): the liquidation price 68,875.50 comes first
    result = replay(["long", "next", "next"], LIQ_BARS, leverage=50, stop_pct=2)
    assert result.journal.trades[0].exit_reason == "liquidation"
    assert "beyond the liquidation price" in result.events[0].message


# -- scripted session 2: a stop hit through a gap fills at the open -----------------------------

GAP_BARS = hourly_bars("2024-01-01T06:00", [
    (70_000, 70_100, 69_900, 70_000),
    (70_000, 70_500, 69_950, 70_300),     # closes at 08:00: funding time
    (71_000, 71_200, 70_900, 71_100),     # opens above the short's stop at 70,700
])


def test_scripted_session_stop_through_a_gap_fills_at_the_open():
    result = replay(["short", "next", "next"], GAP_BARS, contract="nano", qty=3, leverage=5,
                    stop_pct=1, fee_rate=0.0005, funding_rate_per_8h=0.0001, initial_equity=500)
    (trade,) = result.journal.trades
    q = 3 * 0.001
    assert trade.exit_reason == "stop"
    assert trade.exit_price == 71_000.0                                 # the open, not 70,700
    assert trade.pnl == pytest.approx(-q * 1_000, abs=1e-9)             # −3.00 (the stop: −2.10)
    assert trade.fees == pytest.approx(q * 70_000 * 0.0005 + q * 71_000 * 0.0005, abs=1e-12)
    assert trade.funding == pytest.approx(q * 70_300 * 0.0001, abs=1e-12)   # a short receives
    assert trade.risk == pytest.approx(q * 700, abs=1e-9)
    assert trade.net_pnl == pytest.approx(-3.0 - 0.2115 + 0.02109, abs=1e-9)
    assert trade.r_multiple == pytest.approx((-3.0 - 0.2115 + 0.02109) / 2.1, abs=1e-9)
    assert result.state.wallet_usd == pytest.approx(500 + trade.net_pnl, abs=1e-9)
    assert result.state.funding_paid_usd == pytest.approx(-0.02109, abs=1e-12)


def test_a_stop_inside_the_bar_fills_at_the_stop():
    bars = hourly_bars("2024-01-01T00:00", [(70_000,) * 4, (70_000, 70_900, 69_900, 70_600)])
    result = replay(["short", "next"], bars, contract="nano", qty=1, stop_pct=1, fee_rate=0)
    assert result.journal.trades[0].exit_price == pytest.approx(70_700.0, abs=1e-9)


# -- scripted session 3: an ordinary session, two trades, settings changed between them ----------

ORDINARY_BARS = hourly_bars("2024-01-01T06:00", [
    (70_000, 70_000, 70_000, 70_000),
    (70_000, 70_600, 69_800, 70_500),     # funding at its close (08:00): the long pays
    (70_500, 71_500, 70_400, 71_400),
    (71_400, 71_600, 70_900, 71_000),
])


def test_scripted_ordinary_session():
    actions = [("qty", 2), ("leverage", 5), ("stop_pct", 2), "long", "next", "next", "close",
               ("contract", "nano"), ("qty", 5), ("leverage", 10), ("stop_pct", 0), "short",
               "next", "end"]
    result = replay(actions, ORDINARY_BARS, fee_rate=0.0005, funding_rate_per_8h=0.0001,
                    initial_equity=1_000)
    first, second = result.journal.trades
    # long 2 micro = 0.02 BTC at 70,000, closed at 71,400
    assert (first.side, first.qty, first.exit_reason) == ("long", 2.0, "manual")
    assert first.pnl == pytest.approx(0.02 * 1_400, abs=1e-9)                       # 28.00
    assert first.fees == pytest.approx(0.02 * (70_000 + 71_400) * 0.0005, abs=1e-12)   # 1.414
    assert first.funding == pytest.approx(-0.02 * 70_500 * 0.0001, abs=1e-12)         # −0.141
    assert first.risk == pytest.approx(0.02 * 1_400, abs=1e-9)                       # 2 % stop
    assert first.initial_margin == pytest.approx(1_400 / 5, abs=1e-9)
    # short 5 nano = 0.005 BTC at 71,400, still open at the end: closed at 71,000
    assert (second.side, second.qty, second.exit_reason) == ("short", 5.0, "end")
    assert second.pnl == pytest.approx(0.005 * 400, abs=1e-9)
    assert second.fees == pytest.approx(0.005 * (71_400 + 71_000) * 0.0005, abs=1e-12)
    assert math.isnan(second.risk)
    expected_nets = [28 - 1.414 - 0.141, 2.0 - 0.356]
    assert result.journal.net_pnls() == pytest.approx(expected_nets, abs=1e-9)
    assert result.state.wallet_usd == pytest.approx(1_000 + sum(expected_nets), abs=1e-9)
    assert result.state.finished and result.state.fees_paid_usd == pytest.approx(1.77, abs=1e-9)
    stats = result.journal.stats()
    assert stats["win_rate"] == 1.0 and stats["average_r"] == pytest.approx((28 - 1.555) / 28)


def test_live_readout_numbers_while_a_position_is_open():
    s = PaperSession(ORDINARY_BARS, qty=2, leverage=5, stop_pct=2, fee_rate=0.0005)
    s.long()
    s.next_bar()
    st_ = s.state()
    assert st_.unrealized_pnl_usd == pytest.approx(0.02 * 500)
    assert st_.equity_usd == pytest.approx(1_000 - 0.70 - 0.141 + 10.0)
    # maintenance 0.02 × 70,500 × 0.004 over margin 280 + 10
    assert st_.margin_ratio == pytest.approx(0.02 * 70_500 * 0.004 / 290)
    assert st_.stop_price_usd == pytest.approx(68_600)


# -- invariants on random sessions over a seeded path ---------------------------------------------

action = st.one_of(st.just("next"), st.tuples(st.just("next"), st.integers(1, 12)), st.just("long"),
                   st.just("short"), st.just("close"), st.tuples(st.just("stop_pct"), st.floats(0, 10)),
                   st.tuples(st.just("leverage"), st.sampled_from([1, 3, 10, 25, 50, 100])),
                   st.tuples(st.just("contract"), st.sampled_from(["micro", "nano"])),
                   st.tuples(st.just("qty"), st.integers(1, 5)))

BARS = default_bars(seed=5, n_bars=200)


@settings(max_examples=60, deadline=None)
@given(st.lists(action, max_size=40))
def test_money_is_conserved_and_rules_hold(actions):
    s = PaperSession(BARS, initial_equity=2_000)
    for a in actions:
        before = s.position
        stop = math.nan if before is None else before.stop_price
        n_trades = len(s.trades)
        try:
            s.apply(a)
        except ValueError:
            continue            # refused actions leave the session as it was
        if s.position is not None:
            assert s.margin_ratio() < 1.0        # alive at the close means above maintenance
        if len(s.trades) > n_trades and s.trades[-1].exit_reason == "stop":
            t = s.trades[-1]
            # a stop never fills better than its price (worse through a gap), never beyond liquidation
            assert (t.exit_price - stop) * (1 if t.side == "long" else -1) <= 1e-9
            assert (t.exit_price - before.liq_price) * (1 if t.side == "long" else -1) > 0
    s.finish()
    trades = s.trades
    assert s.wallet == pytest.approx(2_000 + sum(t.net_pnl for t in trades), abs=1e-6)
    assert s.fees_paid == pytest.approx(sum(t.fees for t in trades), abs=1e-9)
    assert -s.funding_paid == pytest.approx(sum(t.funding for t in trades), abs=1e-9)
    for t in trades:
        if t.exit_reason == "liquidation":
            assert t.pnl == pytest.approx(-t.initial_margin)


@settings(max_examples=20, deadline=None)
@given(st.lists(action, max_size=30))
def test_replay_is_a_pure_function_of_its_actions(actions):
    def journal_of():
        s = PaperSession(BARS)
        for a in actions:
            try:
                s.apply(a)
            except ValueError:
                pass
        return [tuple(t) for t in s.trades], s.wallet
    assert journal_of() == journal_of()


def test_funding_every_8_hours_of_bar_time():
    bars = default_bars(seed=1, n_bars=48)     # starts 00:00: funding at the close of bars 7, 15, ...
    s = PaperSession(bars, leverage=2, stop_pct=0, funding_rate_per_8h=0.0001)
    s.long()
    s.next_bar(47)
    funding_bars = [e.bar for e in s.events if e.kind == "funding"]
    assert funding_bars == [7, 15, 23, 31, 39, 47]
    expected = sum(-0.01 * bars.close[k] * 0.0001 for k in funding_bars)
    assert s.position.funding == pytest.approx(expected, abs=1e-12)


def test_daily_bars_pay_three_fundings_each():
    bars = mf.gbm_ohlc(5, bar_hours=24, seed=2)
    s = PaperSession(bars, leverage=2, stop_pct=0, funding_rate_per_8h=0.0001)
    s.long()
    s.next_bar(2)
    assert [e.bar for e in s.events if e.kind == "funding"] == [1, 2]
    assert s.position.funding == pytest.approx(sum(-0.01 * bars.close[k] * 3e-4 for k in (1, 2)))


def test_a_csv_of_real_prices_replays(tmp_path):
    path = tmp_path / "btc.csv"
    path.write_text("timestamp,open,high,low,close,volume\n"
                    "2024-01-01 00:00,42000,42500,41800,42300,1\n"
                    "2024-01-01 01:00,42300,42400,41000,41200,1\n")
    result = replay(["long", "next"], mf.load_ohlc_csv(path), leverage=3, stop_pct=2)
    assert result.journal.trades[0].exit_reason == "stop"
    assert result.journal.trades[0].exit_price == pytest.approx(42_300 * 0.98)


# -- refused actions ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, name", [
    ({"initial_equity": 0}, "initial_equity"), ({"leverage": 0.5}, "leverage"),
    ({"leverage": 200}, "leverage"), ({"qty": 1.5}, "qty"), ({"contract": "mega"}, "contract"),
    ({"stop_pct": -1}, "stop_pct"), ({"fee_rate": 0.5}, "fee_rate"), ({"mmr": 1.2}, "mmr"),
    ({"funding_rate_per_8h": 0.5}, "funding_rate_per_8h"), ({"start_bar": 400}, "start_bar"),
    ({"stop_pct": 0.001}, "stop_pct"), ({"bar_hours": 0}, "bar_hours"), ({"bars": [1, 2]}, "bars"),
])
def test_bad_settings_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        PaperSession(**kwargs)


@pytest.mark.parametrize("actions, message", [
    (["long", "long"], "already open"),
    (["close"], "no open position"),
    (["long", ("leverage", 10)], "close the open position"),
    ([("qty", 100), "long"], "not enough money"),
    (["long", ("stop", 80_000)], "stop_price must be below"),
    ([("next", 10_000)], "at most"),
    (["end", "next"], "finished"),
    (["jump"], "action must be one of"),
    ([("long", 2)], "takes no value"),
])
def test_refused_actions_say_why(actions, message):
    with pytest.raises(ValueError, match=message):
        replay(actions)


def test_the_books_scripted_session_ends_each_way_once():
    result = mf.replay(mf.SCRIPTED_SESSION)
    reasons = [t.exit_reason for t in result.journal.trades]
    assert reasons == ["manual", "liquidation", "stop", "end"]
    liquidated = result.journal.trades[1]
    # 1 micro at 50x: liquidation where 14.35... margin + Q(P − E) = Q·P·0.004
    q, e = 0.01, liquidated.entry_price
    assert liquidated.exit_price == pytest.approx((q * e - q * e / 50) / (q * 0.996))
    assert liquidated.pnl == pytest.approx(-q * e / 50)
    stopped = result.journal.trades[2]
    assert stopped.exit_price >= stopped.entry_price * 1.015 - 1e-9      # a short's stop, or worse
    assert result.state.wallet_usd == pytest.approx(1_000 + result.journal.net_pnls().sum())


# -- the position one could open now (the replay figure's dotted lines while flat) -------------

@pytest.mark.parametrize("side", ["long", "short"])
def test_preview_by_hand(side):
    # 2 micro = 0.02 BTC at the close 70,000, 10x, 2 % stop, mmr 0.4 %, fee 0.05 %
    s = PaperSession(ORDINARY_BARS, qty=2, leverage=10, stop_pct=2, fee_rate=0.0005)
    p = s.preview(side)
    sign = 1 if side == "long" else -1
    assert p.margin_usd == pytest.approx(0.02 * 70_000 / 10)                      # 140
    assert p.entry_fee_usd == pytest.approx(0.02 * 70_000 * 0.0005)               # 0.70
    assert p.stop_price_usd == pytest.approx(70_000 * (1 - sign * 0.02))          # 68,600 / 71,400
    assert p.risk_usd == pytest.approx(0.02 * 1_400)                              # 28
    # isolated, mark basis: entry × (1 ∓ 1/leverage) / (1 ∓ mmr)
    assert p.liquidation_price_usd == pytest.approx(70_000 * (1 - sign / 10) / (1 - sign * 0.004))
    assert p.affordable and (p.side, p.qty, p.contract, p.leverage) == (side, 2.0, "micro", 10.0)


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("settings", [dict(qty=1, leverage=5, stop_pct=2),
                                      dict(qty=3, leverage=50, stop_pct=0),
                                      dict(contract="nano", qty=10, leverage=20, stop_pct=3.5)])
def test_preview_is_the_position_that_opens_and_changes_nothing(side, settings):
    s = PaperSession(**settings)
    s.next_bar(7)
    wallet, n_events = s.wallet, len(s.events)
    p = s.preview(side)
    assert (s.position, s.wallet, len(s.events)) == (None, wallet, n_events)
    s.apply(side)
    pos = s.position
    assert (pos.side, pos.qty, pos.leverage, pos.entry_price) == (p.side, p.qty, p.leverage, p.entry_price_usd)
    assert (pos.margin, pos.liq_price, pos.entry_fee) == (p.margin_usd, p.liquidation_price_usd, p.entry_fee_usd)
    assert np.array_equal([pos.stop_price, pos.risk], [p.stop_price_usd, p.risk_usd], equal_nan=True)


def test_preview_says_when_the_wallet_cannot_pay_and_opening_is_refused():
    s = PaperSession(qty=20, leverage=1)            # 0.2 BTC at 1x: about $14,000 of margin
    p = s.preview()
    assert not p.affordable and p.margin_usd > s.wallet
    with pytest.raises(ValueError, match="not enough money"):
        s.long()
    assert s.position is None and s.wallet == s.initial_equity
    with pytest.raises(ValueError, match="side"):
        s.preview("sideways")
