"""Hostile input to every public function of the math and simulation layers.

For each function, hypothesis replaces one or two arguments of a valid call by hostile values
(0, negatives, NaN, ±inf, huge, subnormal, text, bytes, booleans, complex, None, empty and 2-D
arrays, mismatched shapes, unknown sides and contracts). The only outcomes allowed:

- a result of the documented type with no NaN (``inf`` only where the function documents it:
  a liquidation or bankruptcy price that no price reaches), or
- a ``ValueError``/``TypeError`` whose message names one of the function's arguments.

Anything else fails: another exception (ZeroDivisionError, OverflowError, IndexError, numpy's own
errors), a NaN, or a RuntimeWarning (pytest turns warnings into errors). Calls are kept small
(few paths and bars) so the whole file runs in seconds.
"""
from __future__ import annotations

import inspect
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import microfut_lib as mf
from microfut_lib import montecarlo, simulate

MICRO = mf.PRESETS["BTC-MICRO"]
CONTRACTS = [MICRO, mf.PRESETS["BINANCE-BTCUSDT-PERP"], mf.PRESETS["BINANCE-BTCUSD-PERP"],
             mf.PRESETS["CME-MBT"]]

HOSTILE_VALUES = [0, 0.0, -0.0, -1, -70_000.0, math.nan, math.inf, -math.inf, 1e300, -1e300, 1e16,
                  5e-324, 2.2e-308, 1e-13, True, False, "70000", b"70000", 70_000 + 5j, None, [], (),
                  [[1.0, 2.0], [3.0, 4.0]], np.array([]), np.ones((2, 2)), np.ones(3), np.ones(2),
                  np.array([1.0, np.nan]), np.array(["1"]), np.array([True]), [1, "a"], [1, True],
                  np.array([1 + 1j]), 10**400, 2**63, np.int64(7), np.float32(0.5), object(),
                  "long", "short", "flat", "", "BTC-MICRO", {}, MICRO, 125.0000001]
hostile = st.one_of(st.sampled_from(HOSTILE_VALUES), st.floats(), st.integers(-3, 3),
                    st.sampled_from(CONTRACTS))

# One valid call per public function: the arguments hypothesis starts from.
CALLS = {
    "notional": (mf.notional, dict(price=70_000, qty=1, contract=MICRO)),
    "initial_margin": (mf.initial_margin, dict(price=70_000, qty=1, contract=MICRO, leverage=10)),
    "maintenance_margin": (mf.maintenance_margin, dict(price=70_000, qty=1, contract=MICRO, mmr=0.004,
                                                      maint_amount=0.0)),
    "liquidation_price": (mf.liquidation_price, dict(entry_price=70_000, qty=1, contract=MICRO,
                                                    side="long", leverage=10, mmr=0.004,
                                                    maint_amount=0.0, mm_basis="mark")),
    "liquidation_price_margin": (mf.liquidation_price, dict(entry_price=70_000, qty=1, contract=MICRO,
                                                           side="short", margin=70.0)),
    "bankruptcy_price": (mf.bankruptcy_price, dict(entry_price=70_000, contract=MICRO, side="long",
                                                  leverage=10)),
    "max_open_qty": (mf.max_open_qty, dict(balance=100, price=70_000, contract=MICRO, leverage=10,
                                          fee_rate=0.0005)),
    "pnl": (mf.pnl, dict(entry_price=70_000, exit_price=63_000, qty=1, contract=MICRO, side="long")),
    "roe": (mf.roe, dict(entry_price=70_000, exit_price=63_000, leverage=10, contract=MICRO,
                         side="long")),
    "target_price": (mf.target_price, dict(entry_price=70_000, roe=0.5, leverage=10, contract=MICRO,
                                           side="long")),
    "trading_fee": (mf.trading_fee, dict(price=70_000, qty=1, contract=MICRO, fee_rate=0.0005)),
    "average_entry_price": (mf.average_entry_price, dict(prices=[70_000, 60_000], qtys=[1, 1],
                                                         contract=MICRO)),
    "funding_payment": (mf.funding_payment, dict(mark_price=70_000, qty=1, contract=MICRO, side="long",
                                                 rate=0.0001)),
    "cumulative_funding": (mf.cumulative_funding, dict(mark_price=70_000, qty=1, contract=MICRO,
                                                       side="long", rate_per_interval=0.0001,
                                                       n_intervals=90)),
    "funding_rate_from_premium": (mf.funding_rate_from_premium, dict(premium_index=0.0003,
                                                                     interest_rate=0.0001,
                                                                     clamp=0.0005)),
    "risk_budget": (mf.risk_budget, dict(capital=1_000, risk_fraction=0.01)),
    "risk_at_stop": (mf.risk_at_stop, dict(entry_price=70_000, stop_price=68_600, qty=7, contract=MICRO,
                                           fee_rate=0.0005, slippage=0.001)),
    "position_size": (mf.position_size, dict(capital=1_000, risk_fraction=0.01, entry_price=70_000,
                                             stop_price=68_600, contract=MICRO, fee_rate=0.0005,
                                             slippage=0.001)),
    "stop_price_for_loss": (mf.stop_price_for_loss, dict(entry_price=70_000, qty=1, contract=MICRO,
                                                         side="long", max_loss=20)),
    "floor_to_step": (mf.floor_to_step, dict(qty=7.14, contract=MICRO)),
    "tiers_lookup": (mf.BINANCE_BTCUSDT_TIERS.lookup, dict(notional=100_000)),
    "tiers_max_leverage_for": (mf.BINANCE_BTCUSDT_TIERS.max_leverage_for, dict(notional=100_000)),
    "ContractSpec": (mf.ContractSpec, dict(symbol="X", contract_size=0.01, kind="linear", base="BTC",
                                           quote="USD", settle=None, tick_size=0.1, qty_step=1.0,
                                           min_qty=None, max_leverage=125.0, maker_fee=0.0002,
                                           taker_fee=0.0005, maintenance_margin_rate=0.005,
                                           margin_tiers=None, market_type="swap", exchange="",
                                           source="", as_of="")),
    "MarginTier": (mf.MarginTier, dict(notional_floor=0.0, notional_cap=50_000.0, max_leverage=125.0,
                                       maintenance_margin_rate=0.004, maintenance_amount=0.0)),
    "barrier_hit_probability": (mf.barrier_hit_probability, dict(barrier=0.9, annual_vol=0.6,
                                                                 horizon_years=0.1, annual_drift=0.0,
                                                                 monitoring_years=0.0)),
    "liquidation_barrier": (mf.liquidation_barrier, dict(leverage=10, side="long", mmr=0.005,
                                                         contract=MICRO)),
    "liquidation_probability": (mf.liquidation_probability, dict(leverage=10, annual_vol=0.6,
                                                                 horizon_hours=720, side="long",
                                                                 annual_drift=0.0, mmr=0.005,
                                                                 monitoring_hours=1.0,
                                                                 contract=MICRO)),
    "first_passage_liquidation": (mf.first_passage_liquidation,
                                  dict(leverage=10, annual_vol=0.6, horizon_hours=48, side="long",
                                       annual_drift=0.0, mmr=0.005, n_paths=50, step_hours=1.0,
                                       seed=1, contract=MICRO, block_elements=2_048,
                                       progress=False)),
    "liquidation_probability_mc": (mf.liquidation_probability_mc,
                                   dict(leverage=[5, 10], annual_vol=0.6, horizon_hours=24, side="long",
                                        n_paths=20, seed=0, progress=False)),
    "risk_of_ruin": (mf.risk_of_ruin, dict(risk_fraction=0.1, win_rate=0.4, reward_risk=2.0,
                                           ruin_drawdown=0.5, n_trades=20, n_paths=20, seed=1)),
    "gbm_ohlc": (mf.gbm_ohlc, dict(n_bars=20, start_price=70_000.0, annual_drift=0.0, annual_vol=0.6,
                                   bar_hours=1.0, steps_per_bar=4, seed=1, start="2024-01-01")),
    "student_t_ohlc": (mf.student_t_ohlc, dict(n_bars=20, dof=3.0, start_price=70_000.0,
                                               annual_drift=0.0, annual_vol=0.6, bar_hours=1.0,
                                               steps_per_bar=4, seed=1, start="2024-01-01")),
    "block_bootstrap": (mf.block_bootstrap, dict(history=list(np.linspace(100.0, 130.0, 40)), n_bars=30,
                                                 block_size=5, seed=1, start_price=None)),
    "Bars": (mf.Bars, dict(open=[100.0, 102.0], high=[103.0, 104.0], low=[99.0, 101.0],
                           close=[102.0, 101.0], time=None, volume=None)),
    "as_bars": (mf.as_bars, dict(data={"open": [1.0], "high": [2.0], "low": [0.5], "close": [1.5]})),
}

# Arguments left out of the fuzz, per function (none today: the price columns of Bars go through
# the shared, strict price-series check _validate.price_array).
NOT_FUZZED: dict[str, set[str]] = {}

# Functions documented to return +inf where no price liquidates / goes bankrupt.
MAY_BE_INFINITE = {"liquidation_price", "liquidation_price_margin", "bankruptcy_price",
                   "liquidation_barrier", "stop_price_for_loss"}


def _finite_or_documented(name, value):
    if isinstance(value, (mf.ContractSpec, mf.MarginTier, mf.Bars, montecarlo.FirstPassageResult,
                          montecarlo.RuinResult)):
        numbers = [v for v in vars(value).values() if isinstance(v, float)] \
            if not isinstance(value, mf.Bars) else [value.close]
        for number in numbers:
            assert not np.any(np.isnan(number)), f"{name} returned a NaN inside {value!r:.200}"
        return
    if isinstance(value, tuple):                       # MarginSchedule.lookup: (mmr, amount)
        for part in value:
            _finite_or_documented(name, part)
        return
    assert isinstance(value, (float, np.ndarray)), f"{name} returned {type(value).__name__}"
    array = np.asarray(value)
    assert array.dtype.kind == "f", f"{name} returned dtype {array.dtype}"
    assert not np.any(np.isnan(array)), f"{name} returned NaN"
    if name not in MAY_BE_INFINITE:
        assert np.all(np.isfinite(array)), f"{name} returned a non-finite value: {value!r:.200}"
    else:
        assert not np.any(np.isneginf(array)), f"{name} returned -inf"


def _names(function) -> set[str]:
    return set(inspect.signature(function).parameters) | {"contract"}


FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 120)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(CALLS))
@FUZZ
@given(data=st.data())
def test_hostile_arguments_give_a_result_or_a_named_error(name, data):
    function, good = CALLS[name]
    names = sorted(set(good) - NOT_FUZZED.get(name, set()))
    replaced = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=2), label="args")
    kwargs = dict(good)
    for argument in sorted(replaced):
        kwargs[argument] = data.draw(hostile, label=argument)
    try:
        result = function(**kwargs)
    except (ValueError, TypeError) as err:
        message = str(err)
        assert any(arg in message for arg in _names(function) | set(kwargs)), \
            f"{name}: the message names no argument: {message!r}"
        assert "Traceback" not in message and "numpy" not in message.lower(), message
        return
    _finite_or_documented(name, result)


@pytest.mark.parametrize("name", ["notional", "pnl", "liquidation_price", "position_size",
                                  "funding_payment", "risk_at_stop"])
def test_shapes_that_do_not_broadcast_name_both_arguments(name):
    function, good = CALLS[name]
    numeric = [k for k, v in good.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    first, second = numeric[0], numeric[1]
    kwargs = dict(good, **{first: np.full(3, good[first]), second: np.full(2, good[second])})
    with pytest.raises(ValueError) as info:
        function(**kwargs)
    assert first in str(info.value) and second in str(info.value) and "broadcast" in str(info.value)


def test_every_public_function_of_the_math_and_simulation_layers_is_fuzzed():
    layers = {"microfut_lib.margin", "microfut_lib.profit", "microfut_lib.funding", "microfut_lib.risk",
              "microfut_lib.contracts", "microfut_lib.tiers", "microfut_lib.montecarlo",
              "microfut_lib.simulate", "microfut_lib.data"}
    public = {n for n, obj in vars(mf).items()
              if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ in layers
              and not (inspect.isclass(obj) and n.endswith("Result"))}
    fuzzed = {getattr(f, "__name__", "") for f, _ in CALLS.values()} | {"MarginSchedule",
                                                                           "load_ohlc_csv"}
    assert public <= fuzzed, f"not fuzzed: {sorted(public - fuzzed)}"
    assert montecarlo.MAX_DRAWS and simulate.MAX_BARS      # the limits the fuzz relies on exist
