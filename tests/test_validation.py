"""Bad input to every public core function: a ValueError naming the argument and the valid range."""
import math

import numpy as np
import pytest

import microfut_lib as mf

MICRO = mf.PRESETS["BTC-MICRO"]
COINM = mf.PRESETS["BINANCE-BTCUSD-PERP"]
LIQ = dict(leverage=10, mmr=0.004)

CASES = [
    # (call, words the message must contain)
    (lambda: mf.notional(-70_000, 1, MICRO), ["price", "> 0", "-70000"]),
    (lambda: mf.notional(70_000, -1, MICRO), ["qty", ">= 0"]),
    (lambda: mf.notional(np.array([70_000, np.nan]), 1, MICRO), ["price", "finite", "nan"]),
    (lambda: mf.notional("lots", 1, MICRO), ["price", "number"]),
    (lambda: mf.notional(70_000, 1, "BTC-MICRO"), ["contract", "ContractSpec"]),
    (lambda: mf.initial_margin(70_000, 1, MICRO, 0.5), ["leverage", ">= 1", "0.5"]),
    (lambda: mf.initial_margin(70_000, 1, MICRO, 200), ["leverage", "<= 125", "maximum leverage", "200"]),
    (lambda: mf.initial_margin(70_000, 1, mf.PRESETS["BYBIT-BTCUSD-INVERSE"], 101), ["leverage", "<= 100"]),
    (lambda: mf.maintenance_margin(70_000, 1, MICRO, 1.5), ["mmr", "< 1"]),
    (lambda: mf.maintenance_margin(70_000, 1, MICRO, 0.004, -1), ["maint_amount", ">= 0"]),
    (lambda: mf.maintenance_margin(70_000, 1, MICRO, 0.004, 100), ["maint_amount", "notional × mmr"]),
    (lambda: mf.pnl(70_000, 0, 1, MICRO, "long"), ["exit_price", "> 0"]),
    (lambda: mf.pnl(70_000, 71_000, 1, MICRO, "buy"), ["side", "'long' or 'short'", "buy"]),
    (lambda: mf.roe(70_000, 71_000, 0, MICRO, "long"), ["leverage", ">= 1"]),
    (lambda: mf.target_price(70_000, -20, 10, MICRO, "long"), ["roe", "leverage"]),
    (lambda: mf.target_price(70_000, 20, 10, COINM, "long"), ["roe", "leverage"]),
    (lambda: mf.target_price(70_000, math.inf, 10, MICRO, "long"), ["roe", "finite"]),
    (lambda: mf.liquidation_price(70_000, 1, MICRO, "long", leverage=10, mmr=0.1),
     ["liquidated at entry", "mmr < 1/leverage"]),
    (lambda: mf.liquidation_price(70_000, 1, MICRO, "long", mmr=0.004), ["exactly one of leverage", "margin"]),
    (lambda: mf.liquidation_price(70_000, 1, MICRO, "long", leverage=10, margin=70, mmr=0.004),
     ["exactly one of leverage"]),
    (lambda: mf.liquidation_price(70_000, 0, MICRO, "long", **LIQ), ["qty", "> 0"]),
    (lambda: mf.liquidation_price(70_000, 1, MICRO, "long", margin=-5, mmr=0.004), ["margin", "> 0"]),
    (lambda: mf.liquidation_price(70_000, 1, MICRO, "long", **LIQ, mm_basis="index"), ["mm_basis", "'mark'"]),
    (lambda: mf.liquidation_price(70_000, 1, MICRO, "flat", **LIQ), ["side"]),
    (lambda: mf.bankruptcy_price(70_000, MICRO, "long", 126), ["leverage", "<= 125"]),
    (lambda: mf.trading_fee(70_000, 1, MICRO, -0.0002), ["rate", ">= 0"]),
    (lambda: mf.funding_payment(70_000, 1, MICRO, "long", 0.5), ["rate", "<= 0.05"]),
    (lambda: mf.cumulative_funding(70_000, 1, MICRO, "long", 0.0001, 2.5), ["n_intervals", "whole"]),
    (lambda: mf.funding_rate_from_premium(0.001, clamp=-0.1), ["clamp", ">= 0"]),
    (lambda: mf.position_size(1_000, 0.01, 70_000, 70_000, MICRO), ["stop_price", "differ"]),
    (lambda: mf.position_size(1_000, 1.5, 70_000, 69_000, MICRO), ["risk_fraction", "<= 0.5"]),
    (lambda: mf.position_size(1_000, 1, 70_000, 69_000, MICRO), ["risk_fraction", "percentage", "got 1"]),
    (lambda: mf.position_size(1_000, 0.01, 70_000, 69_000, MICRO, fee_rate=0.05), ["fee_rate", "0.05 %"]),
    (lambda: mf.risk_at_stop(70_000, 70_000, 1, MICRO, slippage=0.001), ["stop_price", "slippage"]),
    (lambda: mf.position_size(0, 0.01, 70_000, 69_000, MICRO), ["capital", "> 0"]),
    (lambda: mf.risk_budget(1_000, 0), ["risk_fraction", "> 0"]),
    (lambda: mf.risk_at_stop(70_000, -1, 1, MICRO), ["stop_price", "> 0"]),
    (lambda: mf.stop_price_for_loss(70_000, 1, MICRO, "long", 800), ["max_loss", "below"]),
    (lambda: mf.stop_price_for_loss(50_000, 10, COINM, "short", 1.0), ["max_loss", "below"]),
    (lambda: mf.max_open_qty(-1, 70_000, MICRO, 10), ["balance", ">= 0"]),
    (lambda: mf.max_open_qty(100, 70_000, MICRO, 10, fee_rate=0.5), ["fee_rate", "<= 0.01", "0.05 %"]),
    (lambda: mf.average_entry_price([], []), ["prices", "non-empty"]),
    (lambda: mf.average_entry_price([70_000, 60_000], [1, 2, 3]), ["same length"]),
    (lambda: mf.average_entry_price([70_000, 60_000], [0, 0]), ["qtys", "more than 0"]),
    (lambda: mf.floor_to_step(-1, MICRO), ["qty", ">= 0"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=0), ["contract_size", "> 0"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=1, kind="quanto"), ["kind", "'linear'", "'inverse'"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=1, max_leverage=0.5), ["max_leverage", ">= 1"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=1, max_leverage=100, maintenance_margin_rate=0.02),
     ["maintenance_margin_rate", "< 0.01"]),
    (lambda: mf.BINANCE_BTCUSDT_TIERS.lookup(6e8), ["notional", "<= 5e+08"]),
    (lambda: mf.MarginTier(0, 100, 10, 0.01, -1), ["maintenance_amount", ">= 0"]),
    (lambda: mf.MarginSchedule((mf.MarginTier(0, 100, 10, 0.01, 0), mf.MarginTier(100, 200, 5, 0.02, 0))),
     ["maintenance_amount", "jump"]),
    (lambda: mf.MarginSchedule((mf.MarginTier(0, 100, 10, 0.01, 0), mf.MarginTier(150, 200, 5, 0.02, 1.5))),
     ["contiguous"]),
    (lambda: mf.PRESETS["BINANCE-BTCUSD-PERP"].tick_value, ["inverse"]),
    # no silent coercion: text, bytes, booleans, complex numbers are not numbers
    (lambda: mf.notional("70000", 1, MICRO), ["price", "text", "'70000'"]),
    (lambda: mf.notional(b"70000", 1, MICRO), ["price", "text"]),
    (lambda: mf.initial_margin(70_000, 1, MICRO, True), ["leverage", "boolean"]),
    (lambda: mf.pnl(70_000 + 5j, 71_000, 1, MICRO, "long"), ["entry_price", "complex"]),
    (lambda: mf.notional([70_000, "71000"], 1, MICRO), ["price", "text"]),
    (lambda: mf.notional(np.array([True, False]), 1, MICRO), ["price", "bool"]),
    (lambda: mf.notional(None, 1, MICRO), ["price", "None"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size="0.01"), ["contract_size", "text"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=[0.01]), ["contract_size", "single number"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=None), ["contract_size", "None"]),
    (lambda: mf.ContractSpec(symbol=None, contract_size=0.01), ["symbol", "text"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=0.01, quote=["USD"]), ["quote", "text"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=0.01, kind=["linear"]), ["kind", "'linear'"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=0.01, margin_tiers="binance"), ["margin_tiers"]),
    (lambda: mf.ContractSpec(symbol="X", contract_size=0.01, taker_fee=0.05), ["taker_fee", "0.05 %"]),
    (lambda: mf.MarginTier("0", 100, 10, 0.01, 0), ["notional_floor", "text"]),
    (lambda: mf.MarginTier(0, None, 10, 0.01, 0), ["notional_cap", "None"]),
    (lambda: mf.MarginTier(0, 100, [10], 0.01, 0), ["max_leverage", "single number"]),
    (lambda: mf.MarginSchedule(["not a tier"]), ["tiers", "MarginTier"]),
    # messages tell the truth: the value as given, the caller's argument name, both shapes
    (lambda: mf.initial_margin(70_000, 1, MICRO, 125.0000001), ["leverage", "got 125.0000001"]),
    (lambda: mf.funding_payment(-1, 1, MICRO, "long", 0.0001), ["mark_price", "got -1"]),
    (lambda: mf.trading_fee(70_000, 1, MICRO, -0.0002), ["fee_rate", "got -0.0002"]),
    (lambda: mf.liquidation_probability(10, 0.6, 100, monitoring_hours=-1), ["monitoring_hours"]),
    (lambda: mf.pnl([70_000, 71_000, 72_000], [1, 2], 1, MICRO, "long"),
     ["entry_price (shape (3,))", "exit_price (shape (2,))", "broadcast"]),
    (lambda: mf.risk_budget(1_000, 1), ["risk_fraction", "percentage"]),
    (lambda: mf.notional(1e300, 1, MICRO), ["price", "<= 1e+15", "1e+300"]),
    (lambda: mf.notional(5e-324, 1, MICRO), ["price", ">= 1e-12", "5e-324"]),
]


@pytest.mark.parametrize("call, words", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_bad_input_is_a_clear_value_error(call, words):
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"


def test_every_public_function_is_covered():
    # A new public function must get a bad-input case above: this lists the core API by name.
    covered = {"notional", "initial_margin", "maintenance_margin", "pnl", "roe", "target_price",
               "liquidation_price", "bankruptcy_price", "trading_fee", "funding_payment",
               "cumulative_funding", "funding_rate_from_premium", "position_size", "risk_budget",
               "risk_at_stop", "stop_price_for_loss", "max_open_qty", "average_entry_price",
               "floor_to_step"}
    import inspect
    core_modules = {"microfut_lib.margin", "microfut_lib.profit", "microfut_lib.funding",
                    "microfut_lib.risk", "microfut_lib.contracts"}
    public = {name for name, obj in vars(mf).items()
              if inspect.isfunction(obj) and obj.__module__ in core_modules}
    assert public == covered
