"""Every figure the source article quotes, reproduced by the library (and corrected where loose).

Article: ../shared/source/micro-futures-article.txt, sections 1.2, 2.1, 2.2 and 4.2.
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


def test_seven_nano_contracts_do_not_fit_10_dollars_once_fees_are_paid():   # section 4.2, loose
    # The article's 7 nano contracts risk $9.80 at the stop; the 0.05 % taker fee on the entry
    # ($0.245) and on the stop's fill ($0.2401) makes it $10.2851, over the $10 budget: 6 fit.
    nano = mf.PRESETS["BTC-NANO"]
    assert mf.risk_at_stop(70_000, 68_600, 7, nano) == pytest.approx(9.80, abs=1e-9)
    assert round(mf.risk_at_stop(70_000, 68_600, 7, nano, fee_rate=0.0005), 4) == 10.2851
    assert mf.position_size(1_000, 0.01, 70_000, 68_600, nano, fee_rate=0.0005) == 6
