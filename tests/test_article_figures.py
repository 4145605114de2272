"""Every figure the source article quotes, reproduced by the library (and corrected where loose).

Article: "Micro-Futures: Starting Small in High-Leverage Markets" (the course's source), sections 1.2,
2.1, 2.2 and 4.2.
"""
import pytest

import microfut_lib as mf

PRICE = 70_000.0
SIZES = {"BTC-STANDARD": 70_000.0, "BTC-MICRO": 700.0, "BTC-NANO": 70.0}   # section 2.1 table


@pytest.mark.parametrize("name, expected", SIZES.items())
def test_notional_table_at_70k(name, expected):
    assert mf.notional(PRICE, 1, mf.PRESETS[name]) == pytest.approx(expected, abs=0.005)


def test_micro_is_one_hundredth_of_standard():
    ratio = mf.notional(PRICE, 1, mf.PRESETS["BTC-MICRO"]) / mf.notional(PRICE, 1, mf.PRESETS["BTC-STANDARD"])
    assert ratio == pytest.approx(0.01)


def test_initial_margin_35_dollars_at_20x():                       # section 2.2
    assert mf.initial_margin(PRICE, 1, mf.PRESETS["BTC-MICRO"], 20) == pytest.approx(35.0, abs=0.005)


def test_ten_percent_move_at_10x_consumes_all_initial_margin():    # section 1.2, stated loosely
    micro = mf.PRESETS["BTC-MICRO"]
    loss = mf.pnl(PRICE, PRICE * 0.9, 1, micro, "long")
    assert loss == pytest.approx(-mf.initial_margin(PRICE, 1, micro, 10), abs=1e-9)   # 100 %, not "a portion"
    assert mf.roe(PRICE, PRICE * 0.9, 10, micro, "long") == pytest.approx(-1.0)
    assert mf.bankruptcy_price(PRICE, micro, "long", 10) == pytest.approx(63_000.0)


def test_liquidated_before_the_ten_percent_move():
    # With Binance's first-tier 0.4 % maintenance rate, equity meets maintenance margin at
    # 70,000 × 0.9 / 0.996 = 63,253.01 (mark basis), i.e. after a 9.64 % fall, not 10 %.
    micro = mf.PRESETS["BTC-MICRO"]
    lp = mf.liquidation_price(PRICE, 1, micro, "long", leverage=10, mmr=0.004)
    assert lp == pytest.approx(PRICE * 0.9 / 0.996, abs=0.005)
    assert 1 - lp / PRICE == pytest.approx(0.0964, abs=5e-5)
    assert lp > mf.bankruptcy_price(PRICE, micro, "long", 10)


@pytest.mark.parametrize("fraction, budget", [(0.01, 10.0), (0.02, 20.0)])
def test_one_to_two_percent_of_1000_is_10_to_20(fraction, budget):   # section 4.2
    assert mf.risk_budget(1_000, fraction) == pytest.approx(budget)


# Section 4.2 claims a 0.01 BTC contract "keeps your risk within acceptable limits". With a stop 2 %
# below $70,000 the loss is $1,400 per BTC: $14 per micro contract, $1.40 per nano contract.
@pytest.mark.parametrize("fraction, name, contracts", [
    (0.01, "BTC-STANDARD", 0), (0.01, "BTC-MICRO", 0), (0.01, "BTC-NANO", 7),
    (0.02, "BTC-STANDARD", 0), (0.02, "BTC-MICRO", 1), (0.02, "BTC-NANO", 14),
])
def test_what_1000_dollars_can_hold_with_a_2_percent_stop(fraction, name, contracts):
    contract = mf.PRESETS[name]
    stop = PRICE * 0.98
    qty = mf.position_size(1_000, fraction, PRICE, stop, contract)
    assert qty == contracts
    assert mf.risk_at_stop(PRICE, stop, qty, contract) <= 1_000 * fraction + 1e-9
    assert mf.risk_at_stop(PRICE, stop, qty + 1, contract) > 1_000 * fraction


def test_liquidation_price_is_not_closer_for_micro_contracts():    # section 4.3 is wrong
    prices = [mf.liquidation_price(PRICE, 1, mf.PRESETS[name], "long", leverage=20, mmr=0.004)
              for name in SIZES]
    assert prices[0] == pytest.approx(prices[1], rel=1e-12) == pytest.approx(prices[2], rel=1e-12)


# -- Figures the lessons print, checked here rather than by `assert` lines on the page ----------
# (worked by hand beside each; the notebooks' cells tagged nbval-check-output show the same numbers)

MICRO, NANO, STANDARD = (mf.PRESETS[n] for n in ("BTC-MICRO", "BTC-NANO", "BTC-STANDARD"))


@pytest.mark.parametrize("side, share", [("long", -0.5), ("short", 0.5)])
def test_a_5_percent_fall_at_10x_is_half_the_margin_either_way(side, share):   # lessons 00, 01
    assert mf.roe(PRICE, 66_500, 10, MICRO, side) == pytest.approx(share, abs=1e-12)


def test_a_standard_contract_at_10x_needs_7000_and_a_10_percent_fall_takes_it_all():   # lesson 01
    assert mf.initial_margin(PRICE, 1, STANDARD, 10) == pytest.approx(7_000.0, abs=1e-9)
    assert mf.pnl(PRICE, 63_000, 1, STANDARD, "long") == pytest.approx(-7_000.0, abs=1e-9)
    assert mf.bankruptcy_price(PRICE, STANDARD, "long", 10) == pytest.approx(63_000.0, abs=1e-6)


@pytest.mark.parametrize("leverage, price, move", [(10, 63_253.01, -0.0964), (20, 66_767.07, -0.0462),
                                                   (50, 68_875.50, -0.0161)])
def test_liquidation_prices_the_lessons_quote(leverage, price, move):   # 70,000 (1 - 1/L) / 0.996
    for contract in (STANDARD, MICRO, NANO):
        lp = mf.liquidation_price(PRICE, 1, contract, "long", leverage=leverage, mmr=0.004)
        assert lp == pytest.approx(price, abs=0.005)
        assert lp / PRICE - 1 == pytest.approx(move, abs=5e-5)


def test_fifty_x_liquidates_before_a_2_percent_stop():                 # lesson 03
    assert mf.liquidation_price(PRICE, 1, MICRO, "long", leverage=50, mmr=0.004) > 68_600


def test_maintenance_margin_of_a_micro_contract():                     # lesson 02: 700 x 0.4 %
    assert mf.maintenance_margin(PRICE, 1, MICRO, 0.004) == pytest.approx(2.80, abs=1e-12)


def test_bracket_2_starts_at_72_micro_contracts():                     # lesson 02 tiers
    # The article's "millions" is wrong: Binance's first BTCUSDT bracket ends at $50,000 of
    # notional, 0.714 BTC at $70,000; 71 micro contracts ($49,700) are in it, 72 ($50,400) not.
    tiers = mf.BINANCE_BTCUSDT_TIERS
    assert tiers.tiers[0].notional_cap == 50_000
    assert tiers.lookup(mf.notional(PRICE, 71, MICRO)) == (0.004, 0.0)
    assert tiers.lookup(mf.notional(PRICE, 72, MICRO)) == (0.005, 50.0)


def test_linear_and_inverse_pay_the_same_60_dollars_but_not_the_same_bet():   # lesson 02
    inverse = mf.PRESETS["BINANCE-BTCUSD-PERP"]
    assert mf.pnl(60_000, 66_000, 1, MICRO, "long") == pytest.approx(60.0, abs=1e-9)
    in_coin = mf.pnl(60_000, 66_000, 6, inverse, "long")          # 600 (1/60,000 - 1/66,000)
    assert in_coin == pytest.approx(600 * (1 / 60_000 - 1 / 66_000), rel=1e-12)
    assert in_coin * 66_000 == pytest.approx(60.0, abs=1e-9)
    coins = mf.notional(60_000, 6, inverse)
    assert mf.pnl(60_000, 66_000, 6, inverse, "long") / coins == pytest.approx(1 - 1 / 1.1)
    assert mf.pnl(60_000, 54_000, 6, inverse, "long") / coins == pytest.approx(1 - 1 / 0.9)


def test_funding_per_interval_month_and_year():                        # lesson 02
    assert mf.funding_payment(PRICE, 1, MICRO, "long", 0.0001) == pytest.approx(-0.07, abs=1e-12)
    assert mf.funding_payment(PRICE, 1, MICRO, "short", 0.0001) == pytest.approx(0.07, abs=1e-12)
    margin = mf.initial_margin(PRICE, 1, MICRO, 10)
    month = mf.cumulative_funding(PRICE, 1, MICRO, "long", 0.0001, 3 * 30)
    year = mf.cumulative_funding(PRICE, 1, MICRO, "long", 0.0001, 3 * 365)
    assert month == pytest.approx(-6.30, abs=1e-9) and month / margin == pytest.approx(-0.09)
    assert year == pytest.approx(-76.65, abs=1e-9)                  # 700 x 0.01 % x 1,095
    assert year / 700 == pytest.approx(-0.1095) and year / margin == pytest.approx(-1.095)


def test_funding_scales_with_the_mark_price():                        # lesson 02
    paid = mf.funding_payment([50_000, 70_000, 100_000], 1, MICRO, "long", 0.0001)
    assert list(paid) == pytest.approx([-0.05, -0.07, -0.10], abs=1e-12)


@pytest.mark.parametrize("premium, rate", [(0.0003, 0.0001), (0.002, 0.0015), (-0.001, -0.0005)])
def test_funding_rate_from_the_premium(premium, rate):                 # lesson 02
    assert mf.funding_rate_from_premium(premium) == pytest.approx(rate, abs=1e-15)


def test_what_one_micro_and_seven_nano_lose_at_a_2_percent_stop():     # lesson 03
    assert mf.risk_at_stop(PRICE, 68_600, 1, MICRO) == pytest.approx(14.0, abs=1e-9)
    assert mf.risk_at_stop(PRICE, 68_600, 7, NANO) == pytest.approx(9.80, abs=1e-9)


@pytest.mark.parametrize("leverage, margins", [(3, (70_000 / 3, 700 / 3, 70 / 3)),
                                               (5, (14_000.0, 140.0, 14.0))])
def test_margin_to_open_one_contract(leverage, margins):               # lesson 03
    got = [mf.initial_margin(PRICE, 1, c, leverage) for c in (STANDARD, MICRO, NANO)]
    assert got == pytest.approx(list(margins), rel=1e-12)


def test_daily_swings_scale_by_the_contract_size():                    # lesson 03
    days = mf.gbm_ohlc(365, annual_vol=0.6, bar_hours=24, seed=3)
    swing = {n: mf.pnl(days.open, days.close, 1, mf.PRESETS[n], "long").std() for n in SIZES}
    assert swing["BTC-STANDARD"] / swing["BTC-MICRO"] == pytest.approx(100)
    assert swing["BTC-MICRO"] / swing["BTC-NANO"] == pytest.approx(10)


def test_seven_nano_contracts_do_not_fit_10_dollars_once_fees_are_paid():   # section 4.2, loose
    # The article's 7 nano contracts risk $9.80 at the stop; the 0.05 % taker fee on the entry
    # ($0.245) and on the stop's fill ($0.2401) makes it $10.2851, over the $10 budget: 6 fit.
    nano = mf.PRESETS["BTC-NANO"]
    assert mf.risk_at_stop(70_000, 68_600, 7, nano) == pytest.approx(9.80, abs=1e-9)
    assert round(mf.risk_at_stop(70_000, 68_600, 7, nano, fee_rate=0.0005), 4) == 10.2851
    assert mf.position_size(1_000, 0.01, 70_000, 68_600, nano, fee_rate=0.0005) == 6


def test_slippage_on_the_stop_adds_to_the_loss_but_six_nano_still_fit():   # lesson 03
    # Filled 0.1 % below the 68,600 stop (68,531.40): 7 x 0.001 x (1,468.60 + 0.0005 x 138,531.40)
    nano = mf.PRESETS["BTC-NANO"]
    loss = mf.risk_at_stop(70_000, 68_600, 7, nano, fee_rate=0.0005, slippage=0.001)
    assert loss == pytest.approx(7 * 0.001 * (1_468.6 + 0.0005 * 138_531.4), rel=1e-12)
    assert round(loss, 2) == 10.77
    assert mf.position_size(1_000, 0.01, 70_000, 68_600, nano, fee_rate=0.0005, slippage=0.001) == 6


