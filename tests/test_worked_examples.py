"""Worked examples for every formula, each computed by hand in the comment beside it.

Conventions: Binance Futures "How to Calculate Liquidation Price of USDⓈ-M Contracts" and
"… of COIN-M Contracts" (maintenance margin at the mark price); Bybit "Liquidation Price" for
inverse and USDT contracts, classic account (maintenance margin at the entry price); Binance /
Bybit PnL and funding pages.
"""
import math

import pytest

import microfut_lib as mf

MICRO = mf.PRESETS["BTC-MICRO"]
BTCUSDT = mf.PRESETS["BINANCE-BTCUSDT-PERP"]
COINM = mf.PRESETS["BINANCE-BTCUSD-PERP"]
BYBIT_INV = mf.PRESETS["BYBIT-BTCUSD-INVERSE"]
CENT = 0.005


# ---- notional, margins ----------------------------------------------------------------------
def test_notional_inverse_is_in_coin():
    # 10 contracts × 100 USD at 50,000 USD/BTC = 1,000 / 50,000 = 0.02 BTC
    assert mf.notional(50_000, 10, COINM) == pytest.approx(0.02, rel=1e-12)


def test_initial_margin_inverse():
    # 0.02 BTC / 20 = 0.001 BTC
    assert mf.initial_margin(50_000, 10, COINM, 20) == pytest.approx(0.001, rel=1e-12)


def test_maintenance_margin_with_tier_amount():
    # 2 BTC at 60,000 = 120,000 USDT, tier 2 (0.5 %, cum 50): 600 − 50 = 550
    mmr, cum = BTCUSDT.margin_tiers.lookup(120_000)
    assert (mmr, cum) == (0.005, 50.0)
    assert mf.maintenance_margin(60_000, 2, BTCUSDT, mmr, cum) == pytest.approx(550.0, abs=CENT)


@pytest.mark.parametrize("notional, rate, amount", [
    (50_000, 0.004, 0.0), (50_000.01, 0.005, 50.0), (1_000_000, 0.01, 1_300.0),
    (5_000_000, 0.025, 16_300.0), (15_000_000, 0.05, 266_300.0), (499_000_000, 0.5, 100_016_300.0)])
def test_binance_tier_amounts(notional, rate, amount):
    # cum_k = cum_(k−1) + floor_k × (mmr_k − mmr_(k−1)): 50,000 × 0.001 = 50; 50 + 250,000 × 0.005 = 1,300; ...
    assert BTCUSDT.margin_tiers.lookup(notional) == pytest.approx((rate, amount))


# ---- liquidation, linear, mark basis (Binance USDⓈ-M) -----------------------------------------
def test_linear_long_mark():
    # 3 micro contracts: Q = 0.03 BTC, EP 70,000, 20x: M = 2,100 / 20 = 105, mmr 0.5 %.
    # 105 + 0.03 (P − 70,000) = 0.03 · 0.005 · P  →  0.02985 P = 1,995  →  P = 66,834.17
    lp = mf.liquidation_price(70_000, 3, MICRO, "long", leverage=20, mmr=0.005)
    assert lp == pytest.approx(1_995 / 0.02985, abs=CENT)
    assert round(lp, 2) == 66_834.17


def test_linear_short_mark():
    # 105 − 0.03 (P − 70,000) = 0.00015 P  →  0.03015 P = 2,205  →  P = 73,134.33
    lp = mf.liquidation_price(70_000, 3, MICRO, "short", leverage=20, mmr=0.005)
    assert round(lp, 2) == 73_134.33


def test_linear_long_mark_with_tier_amount():
    # BTCUSDT 2 BTC at 60,000 (tier 2: 0.5 %, cum 50), 50x: M = 2,400.
    # 2,400 + 2 (P − 60,000) = 0.01 P − 50  →  1.99 P = 117,550  →  P = 59,070.35
    lp = mf.liquidation_price(60_000, 2, BTCUSDT, "long", leverage=50, mmr=0.005, maint_amount=50)
    assert round(lp, 2) == 59_070.35


def test_cross_margin_single_position_is_margin_equals_wallet():
    # Wallet 1,000 USDT backing 0.1 BTC long at 60,000, mmr 0.4 %:
    # 1,000 + 0.1 (P − 60,000) = 0.0004 P  →  0.0996 P = 5,000  →  P = 50,200.80
    lp = mf.liquidation_price(60_000, 0.1, BTCUSDT, "long", margin=1_000, mmr=0.004)
    assert round(lp, 2) == 50_200.80


# ---- liquidation, linear, entry basis (Bybit classic) ---------------------------------------
def test_linear_entry_basis_matches_bybit_formula():
    # Bybit: long LP = EP (1 − IMR + MMR) = 70,000 × 0.955 = 66,850; short 70,000 × 1.045 = 73,150
    assert mf.liquidation_price(70_000, 3, MICRO, "long", leverage=20, mmr=0.005, mm_basis="entry") \
        == pytest.approx(66_850.0, abs=CENT)
    assert mf.liquidation_price(70_000, 3, MICRO, "short", leverage=20, mmr=0.005, mm_basis="entry") \
        == pytest.approx(73_150.0, abs=CENT)


# ---- liquidation, inverse ---------------------------------------------------------------------
def test_inverse_mark_basis_binance_coin_m():
    # 10 × 100 USD: N = 1,000, EP 50,000, 20x: M = 0.001 BTC, mmr 0.4 %.
    # long: 0.001 + 1,000 (1/50,000 − 1/P) = 4/P  →  P = 1,004 / 0.021 = 47,809.52
    # short: 0.001 − 1,000 (1/50,000 − 1/P) = 4/P →  P = 996 / 0.019  = 52,421.05
    assert round(mf.liquidation_price(50_000, 10, COINM, "long", leverage=20, mmr=0.004), 2) == 47_809.52
    assert round(mf.liquidation_price(50_000, 10, COINM, "short", leverage=20, mmr=0.004), 2) == 52_421.05


def test_inverse_entry_basis_bybit_example():
    # Bybit's inverse formula: long LP = EP·L / (L + 1 − MMR·L). Entry 8,000, 50x, MMR 0.5 %:
    # 400,000 / (51 − 0.25) = 7,881.77;  short: 400,000 / (49 + 0.25) = 8,121.83
    kw = dict(leverage=50, mmr=0.005, mm_basis="entry")
    assert round(mf.liquidation_price(8_000, 1_000, BYBIT_INV, "long", **kw), 2) == 7_881.77
    assert round(mf.liquidation_price(8_000, 1_000, BYBIT_INV, "short", **kw), 2) == 8_121.83


def test_inverse_short_at_1x_is_never_liquidated():
    # A 1x coin-margined short is a hedge: margin N/EP in coin, loss N (1/EP − 1/P) < N/EP always.
    assert mf.liquidation_price(50_000, 10, COINM, "short", leverage=1, mmr=0.004) == math.inf
    assert mf.bankruptcy_price(50_000, COINM, "short", 1) == math.inf


def test_linear_long_at_1x_liquidates_only_at_zero():
    assert mf.liquidation_price(70_000, 1, MICRO, "long", leverage=1, mmr=0.004) == 0.0


# ---- bankruptcy, PnL, ROE, target ---------------------------------------------------------------
def test_bankruptcy_prices():
    # linear 70,000 (1 ∓ 1/10) = 63,000 / 77,000; inverse 70,000 / (1 ± 1/10) = 63,636.36 / 77,777.78
    assert mf.bankruptcy_price(70_000, MICRO, "long", 10) == pytest.approx(63_000.0)
    assert mf.bankruptcy_price(70_000, MICRO, "short", 10) == pytest.approx(77_000.0)
    assert round(mf.bankruptcy_price(70_000, COINM, "long", 10), 2) == 63_636.36
    assert round(mf.bankruptcy_price(70_000, COINM, "short", 10), 2) == 77_777.78


def test_pnl_linear_short():
    # short 2 micro (0.02 BTC) from 70,000 to 65,000: −1 × 0.02 × (−5,000) = +100
    assert mf.pnl(70_000, 65_000, 2, MICRO, "short") == pytest.approx(100.0, abs=CENT)


def test_pnl_inverse_bybit_example():
    # Bybit: 1,000 contracts long from 8,000 to 9,000: 1,000 (1/8,000 − 1/9,000) = 0.01388889 BTC
    assert mf.pnl(8_000, 9_000, 1_000, BYBIT_INV, "long") == pytest.approx(1_000 / 72_000, rel=1e-12)


def test_roe_inverse():
    # long 50,000 → 55,000 at 10x: 10 (1 − 50,000/55,000) = 0.90909...
    assert mf.roe(50_000, 55_000, 10, COINM, "long") == pytest.approx(10 / 11, rel=1e-12)


def test_target_price_linear_short():
    # short at 70,000, +30 % ROE at 10x: 70,000 (1 − 0.03) = 67,900
    assert mf.target_price(70_000, 0.3, 10, MICRO, "short") == pytest.approx(67_900.0, abs=CENT)


# ---- fees, funding, average entry ------------------------------------------------------------
def test_taker_fee_btcusdt():
    # 0.01 BTC × 70,000 = 700 USDT × 0.05 % = 0.35 USDT
    assert mf.trading_fee(70_000, 0.01, BTCUSDT, BTCUSDT.taker_fee) == pytest.approx(0.35, abs=1e-12)


def test_funding_linear_and_inverse():
    # 0.5 BTC at mark 60,000 = 30,000 USDT × 0.01 % = 3 USDT, paid by the long
    assert mf.funding_payment(60_000, 0.5, BTCUSDT, "long", 0.0001) == pytest.approx(-3.0, abs=1e-12)
    assert mf.funding_payment(60_000, 0.5, BTCUSDT, "short", 0.0001) == pytest.approx(3.0, abs=1e-12)
    # negative rate: shorts pay longs
    assert mf.funding_payment(60_000, 0.5, BTCUSDT, "long", -0.0001) == pytest.approx(3.0, abs=1e-12)
    # COIN-M: 10 × 100 USD / 50,000 = 0.02 BTC × 0.01 % = 0.000002 BTC
    assert mf.funding_payment(50_000, 10, COINM, "long", 0.0001) == pytest.approx(-2e-6, rel=1e-12)


def test_cumulative_funding_30_days():
    # $700 micro long, 0.01 % every 8 h for 30 days: 90 × 0.07 = 6.30
    assert mf.cumulative_funding(70_000, 1, MICRO, "long", 0.0001, 90) == pytest.approx(-6.3, abs=1e-9)


@pytest.mark.parametrize("premium, expected", [(0.0003, 0.0001), (-0.0003, 0.0001),
                                               (0.002, 0.0015), (-0.002, -0.0015)])
def test_funding_rate_from_premium(premium, expected):
    # F = P + clamp(0.01 % − P, −0.05 %, 0.05 %): 0.2 % + (−0.05 %) = 0.15 %
    assert mf.funding_rate_from_premium(premium) == pytest.approx(expected, abs=1e-15)


def test_average_entry_linear_and_inverse():
    # linear: (60,000 + 3 × 70,000) / 4 = 67,500; inverse: 4 / (1/60,000 + 3/70,000) = 67,200
    assert mf.average_entry_price([60_000, 70_000], [1, 3]) == pytest.approx(67_500.0)
    assert mf.average_entry_price([60_000, 70_000], [1, 3], COINM) == pytest.approx(67_200.0, rel=1e-12)


# ---- sizing -----------------------------------------------------------------------------------
def test_max_open_qty():
    # $500 at 20x: 35 USD per micro contract → 14 (490 USD); BTCUSDT steps of 0.001 BTC → 0.142
    assert mf.max_open_qty(500, 70_000, MICRO, 20) == 14.0
    assert mf.max_open_qty(500, 70_000, BTCUSDT, 20) == pytest.approx(0.142)


def test_position_size_short_and_step():
    # $2,000 risking 1 % = $20; short stop 2 % above 70,000: $1,400 per BTC → 0.0142 BTC → 0.014
    assert mf.position_size(2_000, 0.01, 70_000, 71_400, BTCUSDT) == pytest.approx(0.014)


def test_stop_price_for_loss_inverse_short():
    # short 1,000 USD of BTCUSD at 50,000, lose at most 0.001 BTC: 1/stop = 1/50,000 − 0.001/1,000
    stop = mf.stop_price_for_loss(50_000, 1_000, BYBIT_INV, "short", 0.001)
    assert stop == pytest.approx(1 / (1 / 50_000 - 1e-6), rel=1e-12)
    assert mf.pnl(50_000, stop, 1_000, BYBIT_INV, "short") == pytest.approx(-0.001, rel=1e-9)


def test_cme_micro_bitcoin_tick_is_50_cents():
    assert mf.PRESETS["CME-MBT"].tick_value == 0.5
    assert mf.PRESETS["CME-BTC"].tick_value == 25.0
    assert mf.PRESETS["CME-MET"].tick_value == 0.05


def test_position_size_with_round_trip_fees_lesson_03():
    # $1,000 at 1 % risk = $10; long 70,000, stop 68,600, nano (0.001 BTC): 1,400 × 0.001 = $1.40
    nano = mf.PRESETS["BTC-NANO"]
    assert mf.position_size(1_000, 0.01, 70_000, 68_600, nano) == 7.0            # 7 × 1.40 = 9.80
    # 0.05 % taker on both fills: 70 × 0.0005 = 0.035 in, 68.6 × 0.0005 = 0.0343 out, per contract
    seven = mf.risk_at_stop(70_000, 68_600, 7, nano, fee_rate=0.0005)
    assert seven == pytest.approx(7 * (1.4 + 0.035 + 0.0343), abs=1e-12)        # $10.2851 > $10
    assert seven > 10.0
    assert mf.position_size(1_000, 0.01, 70_000, 68_600, nano, fee_rate=0.0005) == 6.0   # $8.8158


def test_position_size_with_slippage_on_the_stop_fill():
    # 0.1 % slippage: the stop at 68,600 fills at 68,531.40; per nano 0.001 × 1,468.60 = $1.4686
    nano = mf.PRESETS["BTC-NANO"]
    assert mf.risk_at_stop(70_000, 68_600, 1, nano, slippage=0.001) == pytest.approx(1.4686, abs=1e-12)
    assert mf.position_size(1_000, 0.01, 70_000, 68_600, nano, slippage=0.001) == 6.0   # 6 × 1.4686
    # a short's stop slips upwards: 71,400 → 71,471.40, loss 1,471.40 per BTC
    assert mf.risk_at_stop(70_000, 71_400, 1, nano, slippage=0.001) == pytest.approx(1.4714, abs=1e-12)


def test_inverse_fees_are_charged_on_the_coin_notional():
    # 1,000 USD of BTCUSD long at 50,000, stop 49,000, fee 0.055 %: move 1,000 × (1/49,000 − 1/50,000)
    # = 0.000408163 BTC; fees 0.00055 × 1,000 × (1/50,000 + 1/49,000) = 0.0000222245 BTC
    bybit = mf.PRESETS["BYBIT-BTCUSD-INVERSE"]
    loss = mf.risk_at_stop(50_000, 49_000, 1_000, bybit, fee_rate=0.00055)
    assert loss == pytest.approx(1_000 * (1 / 49_000 - 1 / 50_000)
                                 + 0.00055 * 1_000 * (1 / 50_000 + 1 / 49_000), rel=1e-12)
