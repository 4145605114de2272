"""The backtester on hand-built bars: every convention of the module docstring, worked by hand."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib.backtest import UNITS, backtest
from microfut_lib.data import Bars
from microfut_lib.signals import sma, sma_cross_signals
from microfut_lib.simulate import gbm_ohlc

NAN = math.nan
MICRO = mf.PRESETS["BTC-MICRO"]
NANO = mf.PRESETS["BTC-NANO"]


def make_bars(rows):
    o, h, lo, c = (np.array(col, dtype=float) for col in zip(*rows))
    return Bars(open=o, high=h, low=lo, close=c)


# ---------------------------------------------------------------- signals
def test_sma_against_a_plain_loop():
    x = np.random.default_rng(0).uniform(50, 150, 300)
    got = sma(x, 7)
    assert np.isnan(got[:6]).all()
    for i in range(6, 300):
        assert got[i] == pytest.approx(sum(x[i - 6:i + 1]) / 7, rel=1e-13)


def test_crossover_is_strict_and_waits_for_both_averages():
    x = np.random.default_rng(1).normal(0, 1, 400).cumsum() + 100
    fast, slow = sma(x, 5), sma(x, 20)
    sig = sma_cross_signals(x, 5, 20)
    for i in range(1, 400):
        up = fast[i - 1] < slow[i - 1] and fast[i] > slow[i]
        down = fast[i - 1] > slow[i - 1] and fast[i] < slow[i]
        assert (sig[i] == 1.0) == up and (sig[i] == -1.0) == down
        assert np.isnan(sig[i]) == (not up and not down)
    # a touch is not a cross: prices 3, 2, 2, 3 give fast (1 bar) 2, 2, 3 against slow (2 bars)
    # 2.5, 2, 2.5: below, equal, above; backtesting.py's strict crossover fires neither time
    touch = sma_cross_signals([3.0, 2.0, 2.0, 3.0], 1, 2)
    assert np.isnan(touch).all()
    assert sma_cross_signals([3.0, 2.0, 2.5, 3.0], 1, 2)[2] == 1.0     # 2 < 2.5, then 2.5 > 2.25
    long_only = sma_cross_signals(x, 5, 20, allow_short=False)
    assert set(np.unique(long_only[~np.isnan(long_only)])) <= {0.0, 1.0}


@pytest.mark.parametrize("fast, slow, message", [(5, 500, "longer than the data"), (20, 5, "shorter"),
                                                  (0, 5, "fast"), (2.5, 5, "fast")])
def test_bad_windows(fast, slow, message):
    with pytest.raises(ValueError, match=message):
        sma_cross_signals(np.linspace(100, 110, 100), fast, slow)


# ---------------------------------------------------------------- fills, sizing, fees, equity
ROWS_A = [(100, 101, 99, 100), (100, 102, 99, 101), (102, 104, 101, 103), (103, 106, 102, 105),
          (105, 107, 104, 106), (107, 108, 105, 106), (106, 106, 100, 101), (100, 101, 99, 100)]
SIG_A = [NAN, 1, NAN, NAN, -1, NAN, 0, NAN]


def test_all_in_long_then_short_by_hand():
    r = backtest(make_bars(ROWS_A), SIG_A, UNITS, initial_equity=1000, taker_fee=0.001)
    long_, short = r.trades
    # long: signal at bar 1's close, filled at bar 2's open 102; 1000 / (102 × 1.001) = 9.79 → 9
    assert (long_.side, long_.entry_bar, long_.entry_price, long_.qty) == ("long", 2, 102.0, 9.0)
    assert (long_.exit_bar, long_.exit_price, long_.exit_reason) == (5, 107.0, "signal")
    assert long_.pnl == pytest.approx(45.0) and long_.fees == pytest.approx(0.918 + 0.963)
    # short at 107 with 1043.119: 1043.119 / 107.107 = 9.74 → 9; closed (signal 0) at bar 7's open 100
    assert (short.side, short.entry_bar, short.qty, short.exit_bar, short.exit_price) == ("short", 5, 9.0, 7, 100.0)
    assert short.pnl == pytest.approx(63.0) and short.fees == pytest.approx(0.963 + 0.9)
    expected = [1000, 1000, 1008.082, 1026.082, 1035.082, 1051.156, 1096.156, 1104.256]
    np.testing.assert_allclose(r.equity, expected, rtol=1e-12)
    assert r.stats["final_equity"] == pytest.approx(1104.256)
    assert r.stats["n_trades"] == 2 and r.stats["win_rate"] == 1.0 and r.open_position is None
    assert r.stats["fees_paid"] == pytest.approx(0.918 + 0.963 * 2 + 0.9)


def test_maker_fee_for_limit_orders_and_contract_defaults():
    r = backtest(make_bars(ROWS_A), SIG_A, UNITS, initial_equity=1000, maker_fee=0.0002,
                 taker_fee=0.001, order_type="limit")
    assert r.trades[0].fees == pytest.approx(9 * (102 + 107) * 0.0002)
    perp = mf.PRESETS["BINANCE-BTCUSDT-PERP"]      # publishes maker 0.02 % / taker 0.05 %
    r = backtest(make_bars(ROWS_A), SIG_A, perp, initial_equity=1000, sizing="fixed", size=0.5)
    assert r.trades[0].fees == pytest.approx(0.5 * (102 + 107) * 0.0005)


def test_open_position_at_the_end_is_not_a_trade():
    sig = SIG_A[:6] + [NAN, NAN]
    r = backtest(make_bars(ROWS_A), sig, UNITS, initial_equity=1000)
    assert len(r.trades) == 1 and r.open_position["side"] == "short"
    q = r.open_position["qty"]
    closed = r.trades[0].net_pnl
    assert r.equity[-1] == pytest.approx(1000 + closed + q * (107 - 100))
    ended = backtest(make_bars(ROWS_A), sig, UNITS, initial_equity=1000, close_at_end=True, taker_fee=0.001)
    last = ended.trades[-1]
    assert (last.exit_reason, last.exit_bar, last.exit_price) == ("end", 7, 100.0)
    assert ended.open_position is None
    assert ended.equity[-1] == pytest.approx(1000 + sum(t.net_pnl for t in ended.trades))


def test_fraction_sizing_includes_margin_and_fee():
    rows = [(70_000, 70_000, 70_000, 70_000)] * 4
    r = backtest(make_bars(rows), [1, NAN, NAN, NAN], MICRO, initial_equity=1000, leverage=10,
                 sizing="fraction", size=0.5, taker_fee=0.0005, close_at_end=True)
    # 500 / (70 margin + 0.35 fee) = 7.1 → 7 contracts
    assert r.trades[0].qty == 7.0
    assert r.trades[0].initial_margin == pytest.approx(490.0)


# ---------------------------------------------------------------- liquidation
def liq_long_10x():
    return 70_000 * (1 / 10 - 1) / (0.005 - 1)        # LP = EP(1/L − 1)/(mmr − 1) = 63,316.58


def liq_as_backtested():
    # the backtester's convention: entry × the liquidation price of a unit entry (module notes)
    return 70_000 * mf.liquidation_price(1.0, 1.0, MICRO, "long", leverage=10, mmr=0.005)


@pytest.mark.parametrize("low, liquidated", [(63_400, False), (liq_long_10x() + 0.01, False),
                                             (liq_as_backtested(), True), (63_300, True)])
def test_long_liquidated_when_the_low_reaches_the_price(low, liquidated):
    rows = [(70_000, 70_000, 70_000, 70_000), (70_000, 70_500, 69_000, 69_500),
            (69_500, 69_800, low, 66_000), (66_000, 67_000, 65_000, 66_500)]
    r = backtest(make_bars(rows), [1, NAN, NAN, NAN], MICRO, initial_equity=1000, leverage=10,
                 sizing="fixed", size=3, mmr=0.005)
    if liquidated:
        t = r.trades[0]
        assert (t.exit_reason, t.exit_bar) == ("liquidation", 2)
        assert t.exit_price == pytest.approx(liq_long_10x(), rel=1e-12)
        assert t.exit_price == pytest.approx(mf.liquidation_price(70_000, 3, MICRO, "long", leverage=10, mmr=0.005))
        assert t.pnl == pytest.approx(-3 * 0.01 * 70_000 / 10)          # the whole $210 margin
        assert r.equity[-1] == pytest.approx(1000 - 210) and r.stats["n_liquidations"] == 1
    else:
        assert r.trades == [] and r.open_position["qty"] == 3


def test_short_liquidated_on_the_high():
    lp = 70_000 * (1 / 20 + 1) / (0.005 + 1)           # 73,134.33 at 20x
    rows = [(70_000,) * 4, (70_000, 73_100, 69_900, 72_000), (72_000, 73_200, 71_000, 71_500),
            (71_500,) * 4]
    r = backtest(make_bars(rows), [-1, NAN, NAN, NAN], MICRO, initial_equity=1000, leverage=20,
                 sizing="fixed", size=2, mmr=0.005)
    t = r.trades[0]
    assert (t.side, t.exit_reason, t.exit_bar) == ("short", "liquidation", 2)
    assert t.exit_price == pytest.approx(lp, rel=1e-12) and t.pnl == pytest.approx(-2 * 700 / 20)


def test_gap_through_the_liquidation_price_at_a_signal_exit():
    rows = [(70_000,) * 4, (70_000, 70_100, 65_000, 65_500), (60_000, 61_000, 59_000, 60_500)]
    r = backtest(make_bars(rows), [1, -1, NAN], MICRO, initial_equity=1000, leverage=10,
                 sizing="fixed", size=1, mmr=0.005)
    first = r.trades[0]
    assert first.exit_reason == "liquidation" and first.exit_bar == 2 and first.pnl == pytest.approx(-70.0)
    assert r.open_position["side"] == "short"            # the reversal still happens at that open


# ---------------------------------------------------------------- stops and risk sizing
def test_risk_sizing_and_stop_fill():
    rows = [(70_000,) * 4, (70_000, 70_500, 69_000, 69_200), (69_200, 69_300, 68_500, 68_700),
            (68_700,) * 4]
    r = backtest(make_bars(rows), [1, NAN, NAN, NAN], NANO, initial_equity=1000, leverage=10,
                 sizing="risk", size=0.01, stop_loss=0.02)
    t = r.trades[0]
    # $10 budget / $1.40 per nano contract at a 2 % stop = 7.1 → 7 (the article's micro argument)
    assert t.qty == 7 == mf.position_size(1000, 0.01, 70_000, 68_600, NANO)
    assert (t.exit_reason, t.exit_bar, t.exit_price) == ("stop", 2, 68_600.0)
    assert t.pnl == pytest.approx(-9.8) and t.risk == pytest.approx(9.8) and t.r_multiple == pytest.approx(-1.0)
    assert r.stats["average_r"] == pytest.approx(-1.0) and r.stats["n_stops"] == 1
    # a gap below the stop fills at the open, worse than the stop
    gap = rows[:2] + [(68_000, 68_200, 67_500, 67_800), (67_800,) * 4]
    t = backtest(make_bars(gap), [1, NAN, NAN, NAN], NANO, initial_equity=1000, leverage=10,
                 sizing="risk", size=0.01, stop_loss=0.02).trades[0]
    assert (t.exit_reason, t.exit_price) == ("stop", 68_000.0)


def test_stop_beyond_the_liquidation_price_never_fires():
    rows = [(70_000,) * 4, (70_000, 70_100, 62_000, 62_500), (62_500,) * 4]
    t = backtest(make_bars(rows), [1, NAN, NAN], MICRO, initial_equity=1000, leverage=10, sizing="fixed",
                 size=1, stop_loss=0.2).trades[0]
    assert t.exit_reason == "liquidation"


def test_entry_skipped_when_unaffordable_then_taken_later():
    rows = [(70_000,) * 4, (70_000,) * 4, (40_000,) * 4, (40_000,) * 4, (41_000,) * 4]
    r = backtest(make_bars(rows), [1, NAN, 1, NAN, NAN], MICRO, initial_equity=50, leverage=10,
                 sizing="fixed", size=1)
    # $70 of margin at 70,000 > $50: skipped; $40 at 40,000 fits: the repeated signal enters
    assert r.stats["skipped_entries"] == 1
    assert r.open_position["entry_bar"] == 3 and r.open_position["entry_price"] == 40_000


# ---------------------------------------------------------------- funding
def test_funding_every_n_bars_by_hand():
    closes = [70_000, 70_100, 70_200, 70_300, 70_400, 70_500, 70_600]
    rows = [(c, c, c, c) for c in closes]
    r = backtest(make_bars(rows), [1, NAN, NAN, NAN, -1, NAN, NAN], MICRO, initial_equity=1000,
                 leverage=5, sizing="fixed", size=2, funding_rate=0.0001, funding_every=2)
    t = r.trades[0]
    # held at the closes of bars 1..4; funding at the closes of bars 1 and 3 (every 2nd bar);
    # a long pays 0.02 BTC × close × 0.01 %
    expected = -(0.02 * 70_100 * 0.0001 + 0.02 * 70_300 * 0.0001)
    assert t.funding == pytest.approx(expected, rel=1e-12)
    short_funding = r.open_position["funding"]           # short from bar 5: close of bar 5 → receives
    assert short_funding == pytest.approx(0.02 * 70_500 * 0.0001, rel=1e-12)
    assert r.equity[-1] == pytest.approx(1000 + t.net_pnl + short_funding + 2 * 0.01 * (70_500 - 70_600))
    rates = np.full(7, -0.0002)
    r2 = backtest(make_bars(rows), [1, NAN, NAN, NAN, -1, NAN, NAN], MICRO, initial_equity=1000,
                  leverage=5, sizing="fixed", size=2, funding_rate=rates, funding_every=2)
    assert r2.trades[0].funding == pytest.approx(-2 * expected, rel=1e-12)


# ---------------------------------------------------------------- inverse contracts
def test_inverse_contract_money_in_coin():
    coinm = mf.PRESETS["BINANCE-BTCUSD-PERP"]
    bars = gbm_ohlc(600, annual_vol=0.5, seed=21)
    sig = sma_cross_signals(bars.close, 10, 40)
    r = backtest(bars, sig, coinm, initial_equity=0.1, leverage=3, sizing="fraction", size=0.5)
    assert r.trades
    for t in r.trades:
        if t.exit_reason != "liquidation":
            assert t.pnl == pytest.approx(mf.pnl(t.entry_price, t.exit_price, t.qty, coinm, t.side), rel=1e-12)
        assert t.fees == pytest.approx(mf.trading_fee(t.entry_price, t.qty, coinm, 0.0005)
                                       + mf.trading_fee(t.exit_price, t.qty, coinm, 0.0005), rel=1e-12)


# ---------------------------------------------------------------- invariants
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), leverage=st.sampled_from([1, 3, 10, 25, 50]),
       fraction=st.floats(0.05, 1.0), stop=st.sampled_from([None, 0.01, 0.05]),
       fee=st.sampled_from([0.0, 0.0005]), funding=st.sampled_from([0.0, 0.0001, -0.0003]))
def test_accounting_identities(seed, leverage, fraction, stop, fee, funding):
    rng = np.random.default_rng(seed)
    bars = gbm_ohlc(400, annual_vol=0.9, seed=seed)
    sig = np.where(rng.random(400) < 0.05, rng.choice([-1.0, 0.0, 1.0], 400), np.nan)
    r = backtest(bars, sig, MICRO, initial_equity=1000, leverage=leverage, sizing="fraction",
                 size=fraction, stop_loss=stop, taker_fee=fee, funding_rate=funding, funding_every=8)
    closed = sum(t.net_pnl for t in r.trades)
    open_part = 0.0
    if r.open_position:
        p = r.open_position
        open_part = p["unrealized_pnl"] - p["fees"] + p["funding"]
    assert r.equity[-1] == pytest.approx(1000 + closed + open_part, rel=1e-9, abs=1e-9)
    for t in r.trades:
        assert sig[t.entry_bar - 1] == (1.0 if t.side == "long" else -1.0)   # filled the bar after
        assert t.exit_bar >= t.entry_bar
        # isolated: lose at most the margin (funding included: it is paid from the margin)
        assert t.pnl + t.funding >= -t.initial_margin * (1 + 1e-12)
        if t.exit_reason == "liquidation":
            assert t.pnl + t.funding == pytest.approx(-t.initial_margin)
        if funding:
            continue                        # funding moves the liquidation price: see below
        side = 1 if t.side == "long" else -1
        extreme = bars.low if side > 0 else bars.high
        lp = mf.liquidation_price(t.entry_price, t.qty, MICRO, t.side, leverage=leverage, mmr=0.005)
        # no bar before the exit reached the liquidation price
        held = extreme[t.entry_bar:t.exit_bar]
        assert np.all(held > lp) if side > 0 else np.all(held < lp)
    assert r.stats["n_trades"] == len(r.trades)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, message", [
    (dict(signals=[1, NAN]), "one value per bar"),
    (dict(signals=[2] + [NAN] * 7), r"\+1 \(long\)"),
    (dict(leverage=200), "leverage"),
    (dict(taker_fee=-0.001), "taker_fee"),
    (dict(sizing="fixed"), "needs size"),
    (dict(sizing="risk", size=0.01), "stop_loss"),
    (dict(sizing="all_in", size=0.5), "takes no size"),
    (dict(sizing="kelly"), "sizing"),
    (dict(sizing="fraction", size=1.5), "size"),
    (dict(initial_equity=0), "initial_equity"),
    (dict(funding_every=0), "funding_every"),
    (dict(funding_rate=[0.0001, 0.0001]), "one per bar"),
    (dict(funding_rate=0.5), "funding_rate"),
    (dict(leverage=10, mmr=0.2), "mmr"),
    (dict(stop_loss=0), "stop_loss"),
    (dict(order_type="iceberg"), "order_type"),
    (dict(signals=["1"] + [NAN] * 7), "signals must be numbers"),
    (dict(signals=[True] + [False] * 7), "signals must be numbers"),
    (dict(signals=[1, None] + [NAN] * 6), "signals must be numbers"),
    (dict(close_at_end="yes"), "close_at_end"),
])
def test_bad_input(kwargs, message):
    args = dict(signals=SIG_A)
    args.update(kwargs)
    signals = args.pop("signals")
    with pytest.raises(ValueError, match=message):
        backtest(make_bars(ROWS_A), signals, MICRO, **args)


def test_bad_bars():
    with pytest.raises(ValueError, match="NaN"):
        backtest({"open": [1, NAN], "high": [1, 1], "low": [1, 1], "close": [1, 1]}, [NAN, NAN], MICRO)
    with pytest.raises(ValueError, match="strictly increasing"):
        backtest({"open": [1, 1], "high": [1, 1], "low": [1, 1], "close": [1, 1], "time": [2, 1]},
                 [NAN, NAN], MICRO)


# ---------------------------------------------------------------- a slow bar-by-bar reference
def reference_fixed_size(bars, sig, contract, leverage, qty_wanted, equity, stop_loss, mmr,
                         funding_rate=0.0, funding_every=8):
    """Plain bar-by-bar simulation of the documented conventions (fixed size, no fees).

    Linear contracts. Funding is paid from the position's margin M: after each settlement the
    liquidation price is Binance's linear formula LP = (M + F − s·Q·EP) / (Q·mmr − s·Q) with the
    funding F received so far, and the position is liquidated at that close if its margin
    balance M + F + PnL(close) is at or below the maintenance margin Q·close·mmr.
    Returns (side, entry_bar, exit_bar, exit_reason, qty, exit_price) per closed position.
    """
    o, h, lo, c = bars.open, bars.high, bars.low, bars.close
    pos, out = None, []

    def close(bar, price, reason):
        nonlocal pos, equity
        p = pos
        if reason == "liquidation":
            gross = -(p["margin"] + p["F"])
        else:
            gross = mf.pnl(p["ep"], price, p["q"], contract, p["side"])
        equity += gross + p["F"]
        out.append((p["side"], p["j"], bar, reason, p["q"], price))
        pos = None

    def check_intrabar(i):
        p = pos
        liq, j, ep = p["liq"], p["j"], p["ep"]
        if p["side"] == "long":
            stop = ep * (1 - stop_loss) if stop_loss else None
            trig = liq if stop is None else max(stop, liq)
            if lo[i] <= trig:
                if stop is None or liq >= stop or (i > j and o[i] <= liq):
                    close(i, liq, "liquidation")
                else:
                    close(i, stop if i == j else min(o[i], stop), "stop")
        else:
            stop = ep * (1 + stop_loss) if stop_loss else None
            trig = liq if stop is None else min(stop, liq)
            if h[i] >= trig:
                if stop is None or liq <= stop or (i > j and o[i] >= liq):
                    close(i, liq, "liquidation")
                else:
                    close(i, stop if i == j else max(o[i], stop), "stop")

    def settle_funding(i):
        p = pos
        s = 1.0 if p["side"] == "long" else -1.0
        big_q = p["q"] * contract.contract_size
        p["F"] += -s * big_q * c[i] * funding_rate
        balance = p["margin"] + p["F"] + s * big_q * (c[i] - p["ep"])
        if balance <= big_q * c[i] * mmr:
            close(i, c[i], "liquidation")
        else:
            p["liq"] = (p["margin"] + p["F"] - s * big_q * p["ep"]) / (big_q * mmr - s * big_q)

    for i in range(len(o)):
        target = sig[i - 1] if i > 0 else math.nan
        if not math.isnan(target):
            want = {1.0: "long", -1.0: "short", 0.0: None}[target]
            if pos is not None and pos["side"] != want:
                liq = pos["liq"]
                gapped = o[i] <= liq if pos["side"] == "long" else o[i] >= liq
                close(i, liq if gapped else o[i], "liquidation" if gapped else "signal")
            if pos is None and want is not None:
                margin1 = mf.initial_margin(o[i], 1, contract, leverage)
                q = min(qty_wanted, float(mf.floor_to_step(equity / margin1, contract))) if equity > 0 else 0
                if q > 0:
                    liq = mf.liquidation_price(o[i], q, contract, want, leverage=leverage, mmr=mmr)
                    pos = {"side": want, "j": i, "q": q, "ep": o[i], "liq": liq, "F": 0.0,
                           "margin": mf.initial_margin(o[i], q, contract, leverage)}
        if pos is not None:
            check_intrabar(i)
        if pos is not None and funding_rate and i % funding_every == funding_every - 1:
            settle_funding(i)
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 100_000), leverage=st.sampled_from([2.0, 10.0, 40.0]),
       stop=st.sampled_from([None, 0.004, 0.02]), qty=st.sampled_from([1.0, 3.0, 8.0]),
       equity=st.sampled_from([5.0, 30.0, 100.0, 1000.0]), density=st.sampled_from([0.03, 0.3]),
       funding=st.sampled_from([0.0, 0.0, 0.002, -0.004, 0.01]))
@example(seed=5, leverage=10.0, stop=None, qty=1.0, equity=1000.0, density=0.03, funding=0.01)
def test_backtest_equals_a_bar_by_bar_reference(seed, leverage, stop, qty, equity, density, funding):
    rng = np.random.default_rng(seed)
    bars = gbm_ohlc(250, start_price=5_000.0, annual_vol=1.5, seed=seed)
    sig = np.where(rng.random(250) < density, rng.choice([-1.0, 0.0, 1.0, 1.0, -1.0], 250), np.nan)
    r = backtest(bars, sig, MICRO, initial_equity=equity, leverage=leverage, sizing="fixed", size=qty,
                 stop_loss=stop, taker_fee=0.0, mmr=0.005, funding_rate=funding, funding_every=4)
    expected = reference_fixed_size(bars, sig, MICRO, leverage, qty, equity, stop, 0.005, funding, 4)
    got = [(t.side, t.entry_bar, t.exit_bar, t.exit_reason, t.qty) for t in r.trades]
    assert got == [e[:5] for e in expected]
    np.testing.assert_allclose([t.exit_price for t in r.trades], [e[5] for e in expected], rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), leverage=st.sampled_from([1.0, 5.0, 20.0]),
       risk=st.sampled_from([0.005, 0.02, 0.1]), stop=st.sampled_from([0.005, 0.03]),
       fee=st.sampled_from([0.0, 0.0005]))
def test_sizes_follow_position_size_and_max_open_qty(seed, leverage, risk, stop, fee):
    bars = gbm_ohlc(600, annual_vol=0.8, seed=seed)
    sig = sma_cross_signals(bars.close, 5, 20)
    r = backtest(bars, sig, NANO, initial_equity=500, leverage=leverage, sizing="risk", size=risk,
                 stop_loss=stop, taker_fee=fee)
    equity = 500.0
    for t in r.trades:
        stop_px = t.entry_price * (1 - stop if t.side == "long" else 1 + stop)
        wanted = mf.position_size(equity, risk, t.entry_price, stop_px, NANO)
        cap = mf.max_open_qty(equity, t.entry_price, NANO, leverage, fee_rate=fee)
        assert t.qty == min(wanted, cap)
        equity += t.net_pnl


def test_trade_table_and_journal_views():
    r = backtest(make_bars(ROWS_A), SIG_A, UNITS, initial_equity=1000, taker_fee=0.001)
    table = r.trade_table()
    assert len(table) == r.stats["n_trades"] == 2
    np.testing.assert_allclose(table["net_pnl"], [t.net_pnl for t in r.trades])
    assert list(table["exit_reason"]) == ["signal", "signal"] and "<table>" in table._repr_html_()
    journal = r.journal()
    assert journal.stats()["final_equity"] == pytest.approx(r.stats["final_equity"])
    assert journal.win_rate == r.stats["win_rate"] and journal.expectancy == pytest.approx(r.stats["expectancy"])
    empty = backtest(make_bars(ROWS_A), [NAN] * 8, UNITS)
    assert empty.trades == [] and empty.stats["win_rate"] is None and len(empty.trade_table()) == 0
    np.testing.assert_array_equal(empty.equity, np.full(8, 10_000.0))


# ---------------------------------------------------------------- funding paid from the margin
def test_funding_drains_the_isolated_margin_on_a_flat_price():
    # 1 micro contract long at 70,000, 10x: margin $70, maintenance 0.5 % of $700 = $3.50. A 1 %
    # rate every bar takes $7 a bar from the margin: after 9 settlements $7 is left (> $3.50),
    # after the 10th (the close of bar 10; the position opened at bar 1) $0: liquidated there.
    n = 40
    rows = [(70_000.0,) * 4] * n
    r = backtest(make_bars(rows), [1.0] + [NAN] * (n - 1), MICRO, initial_equity=100, leverage=10,
                 sizing="fixed", size=1, mmr=0.005, funding_rate=0.01, funding_every=1, taker_fee=0.0)
    (t,) = r.trades
    assert (t.exit_reason, t.entry_bar, t.exit_bar) == ("liquidation", 1, 10)
    assert t.funding == pytest.approx(-70.0) and t.pnl + t.funding == pytest.approx(-70.0)
    assert r.equity.min() == pytest.approx(30.0) and r.equity[-1] == pytest.approx(30.0)
    assert r.open_position is None
    # after 9 settlements the liquidation price has climbed from 63,316.58 to
    # LP = (M + F − Q·EP) / (Q·mmr − Q) = (70 − 63 − 700) / (0.01 × 0.005 − 0.01) = 69,648.24;
    # a low of 69,600 at bar 10 reaches it (intrabar, before that bar's settlement)
    dip = rows[:10] + [(70_000.0, 70_000.0, 69_600.0, 70_000.0)] + rows[11:]
    t = backtest(make_bars(dip), [1.0] + [NAN] * (n - 1), MICRO, initial_equity=100, leverage=10,
                 sizing="fixed", size=1, mmr=0.005, funding_rate=0.01, funding_every=1,
                 taker_fee=0.0).trades[0]
    assert (t.exit_reason, t.exit_bar) == ("liquidation", 10)
    assert t.exit_price == pytest.approx(693 / 0.00995, rel=1e-12)
    assert t.funding == pytest.approx(-63.0)          # the 10th settlement never came


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), leverage=st.sampled_from([1, 5, 20, 50]),
       fraction=st.floats(0.05, 1.0), stop=st.sampled_from([None, 0.01, 0.05]),
       fee=st.sampled_from([0.0, 0.0005]), funding=st.sampled_from([0.0, 0.003, -0.01, 0.02]),
       contract=st.sampled_from(["BTC-MICRO", "BINANCE-BTCUSD-PERP"]))
def test_isolated_equity_never_below_zero_without_a_liquidation(seed, leverage, fraction, stop, fee,
                                                                 funding, contract):
    spec = mf.PRESETS[contract]
    rng = np.random.default_rng(seed)
    bars = gbm_ohlc(600, annual_vol=1.5, seed=seed)
    sig = np.where(rng.random(600) < 0.02, rng.choice([-1.0, 0.0, 1.0], 600), np.nan)
    equity0 = 1000.0 if not spec.is_inverse else 0.05
    r = backtest(bars, sig, spec, initial_equity=equity0, leverage=leverage, sizing="fraction",
                 size=fraction, stop_loss=stop, taker_fee=fee, funding_rate=funding, funding_every=8,
                 mmr=0.005)
    assert r.equity.min() >= 0.0 or r.stats["n_liquidations"] > 0
    for t in r.trades:                         # and no trade loses more than its margin and fees
        assert t.net_pnl >= -(t.initial_margin + t.fees) * (1 + 1e-9)


# ---------------------------------------------------------------- two drawdowns, two names
def drawdown_by_loop(curve):
    worst, peak = 0.0, -math.inf
    for value in curve:
        peak = max(peak, value)
        worst = max(worst, (peak - max(value, 0.0)) / peak)
    return worst


def test_the_two_drawdowns_are_what_they_say():
    bars = gbm_ohlc(24 * 90, annual_vol=0.6, seed=7)
    r = backtest(bars, sma_cross_signals(bars.close, 12, 48), MICRO, initial_equity=1_000, leverage=5,
                 sizing="fraction", size=0.2, taker_fee=0.0005, funding_rate=0.0001, mmr=0.004)
    bar_curve = [1_000.0] + r.equity.tolist()                    # the equity at every close
    closed_curve = [1_000.0]                                     # the balance after each trade
    for t in r.trades:
        closed_curve.append(closed_curve[-1] + t.net_pnl)
    assert r.stats["max_drawdown_bars"] == pytest.approx(drawdown_by_loop(bar_curve), rel=1e-12)
    assert r.stats["max_drawdown_closed"] == pytest.approx(drawdown_by_loop(closed_curve), rel=1e-12)
    assert r.stats["max_drawdown_closed"] != pytest.approx(r.stats["max_drawdown_bars"], rel=1e-6)
    assert r.journal().stats()["max_drawdown_closed"] == r.stats["max_drawdown_closed"]
    assert "max_drawdown" not in r.stats


def test_exit_reasons_are_the_shared_enum():
    r = backtest(make_bars(ROWS_A), SIG_A, UNITS, initial_equity=1000, taker_fee=0.001)
    assert all(t.exit_reason is mf.ExitReason.SIGNAL for t in r.trades)
