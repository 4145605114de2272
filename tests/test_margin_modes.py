"""Isolated vs cross margin; the bracket, the close fee and added margin in the liquidation price."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microfut_lib import PRESETS, liquidation_price, price_ladder
from microfut_lib.margin_modes import balance_after_move, compare_margin_modes, tiered_liquidation_price

MICRO, STANDARD = PRESETS["BTC-MICRO"], PRESETS["BTC-STANDARD"]
BTCUSDT = PRESETS["BINANCE-BTCUSDT-PERP"]


def test_micro_is_not_liquidated_closer_than_standard():
    # the article: micro contracts liquidate closer to entry. Same leverage, same rate: same price.
    micro = tiered_liquidation_price(70_000, 1, MICRO, "long", leverage=10, mmr=0.004)
    standard = tiered_liquidation_price(70_000, 1, STANDARD, "long", leverage=10, mmr=0.004)
    assert micro == pytest.approx(standard, rel=1e-12)
    # with real brackets the *larger* position is liquidated closer: 1 BTC is in bracket 2
    small = tiered_liquidation_price(70_000, 0.01, BTCUSDT, "long", leverage=10)
    large = tiered_liquidation_price(70_000, 1, BTCUSDT, "long", leverage=10)
    assert small == pytest.approx((70 - 700) / (0.01 * 0.004 - 0.01))
    assert large == pytest.approx((7_000 + 50 - 70_000) / (0.005 - 1))
    assert round(small, 2) == 63_253.01 and round(large, 2) == 63_266.33


def test_close_fee_and_added_margin_move_the_price():
    base = tiered_liquidation_price(70_000, 1, MICRO, "long", leverage=10, mmr=0.004)
    with_fee = tiered_liquidation_price(70_000, 1, MICRO, "long", leverage=10, mmr=0.004, close_fee_rate=0.0005)
    assert with_fee == pytest.approx((70 - 700) / (0.01 * 0.0045 - 0.01))
    assert with_fee > base                                          # closer to entry
    added = tiered_liquidation_price(70_000, 1, MICRO, "long", margin=70 + 30, mmr=0.004)
    assert added == pytest.approx((100 - 700) / (0.01 * 0.004 - 0.01)) and added < base


def test_cross_puts_the_wallet_at_stake():
    m = compare_margin_modes(70_000, 10, MICRO, "long", 10, 1_000, mmr=0.004)
    assert m.isolated_at_stake == pytest.approx(700) and m.cross_at_stake == 1_000
    assert m.cross_liquidation_price == pytest.approx((1_000 - 7_000) / (0.1 * 0.004 - 0.1))
    assert m.cross_liquidation_price < m.isolated_liquidation_price
    # a 12 % fall: isolated is liquidated (−$700), cross survives with −$840
    assert balance_after_move(70_000, 61_600, 10, MICRO, "long", 10, 1_000, mmr=0.004) == pytest.approx(300)
    assert balance_after_move(70_000, 61_600, 10, MICRO, "long", 10, 1_000, mode="cross",
                              mmr=0.004) == pytest.approx(160)
    # a 15 % fall: both liquidated; cross loses the wallet
    assert balance_after_move(70_000, 59_500, 10, MICRO, "long", 10, 1_000, mode="cross", mmr=0.004) == 0


@given(lev=st.floats(2, 100), wallet_mult=st.floats(1.0, 20), side=st.sampled_from(["long", "short"]),
       move=st.floats(-0.5, 0.5))
def test_cross_never_liquidates_sooner_and_never_leaves_more(lev, wallet_mult, side, move):
    im = 700 / lev
    wallet = im * wallet_mult
    m = compare_margin_modes(70_000, 1, MICRO, side, lev, wallet, mmr=0.004)
    s = 1 if side == "long" else -1
    assert s * (m.isolated_liquidation_price - m.cross_liquidation_price) >= -1e-6
    price = 70_000 * (1 + move)
    iso = balance_after_move(70_000, price, 1, MICRO, side, lev, wallet, mmr=0.004)
    cross = balance_after_move(70_000, price, 1, MICRO, side, lev, wallet, mode="cross", mmr=0.004)
    assert iso >= wallet - im - 1e-9          # isolated can lose at most its margin
    assert cross >= -1e-9
    assert liquidation_price(70_000, 1, MICRO, side, margin=wallet, mmr=0.004) == pytest.approx(
        m.cross_liquidation_price)


@pytest.mark.parametrize("call, words", [
    (lambda: compare_margin_modes(70_000, 1, MICRO, "long", 10, 50, mmr=0.004), ["wallet", "initial margin"]),
    (lambda: compare_margin_modes(70_000, 1, MICRO, "long", 10, -5, mmr=0.004), ["wallet", "> 0"]),
    (lambda: balance_after_move(70_000, 60_000, 1, MICRO, "long", 10, 1_000, mode="portfolio"), ["mode", "'cross'"]),
    (lambda: balance_after_move(70_000, 0, 1, MICRO, "long", 10, 1_000), ["worst_price", "> 0"]),
    (lambda: tiered_liquidation_price(70_000, 1, MICRO, "long", leverage=10, close_fee_rate=-0.1), ["close_fee_rate"]),
    (lambda: tiered_liquidation_price(70_000, 1, MICRO, "long", leverage=10, mmr=1.2), ["mmr", "< 1"]),
    (lambda: tiered_liquidation_price(70_000, 1, PRESETS["CME-MBT"], "long", leverage=10), ["mmr="]),
])
def test_bad_input_names_the_argument(call, words):
    with pytest.raises(ValueError) as err:
        call()
    for word in words:
        assert word in str(err.value)


def test_bracket_is_the_one_at_the_liquidation_price():
    # 0.75 BTC at 2x: bracket 2 at entry ($52,500), bracket 1 at the liquidation price ($26,355)
    lp = tiered_liquidation_price(70_000, 0.75, BTCUSDT, "long", leverage=2)
    assert lp == pytest.approx((26_250 - 52_500) / (0.75 * 0.004 - 0.75))
    assert round(lp, 2) == 35_140.56
    # the fee to close is added to that same bracket's rate
    with_fee = tiered_liquidation_price(70_000, 0.75, BTCUSDT, "long", leverage=2, close_fee_rate=0.0005)
    assert with_fee == pytest.approx((26_250 - 52_500) / (0.75 * 0.0045 - 0.75))
    ladder = price_ladder(70_000, 0.75, BTCUSDT, "long", 2, 40_000)
    assert ladder.mmr == 0.004 and ladder.liquidation_price == pytest.approx(lp)
