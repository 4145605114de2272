"""Perpetual funding: the periodic payment between longs and shorts.

Funding payment (Binance, "Introduction to Binance Futures Funding Rates"; Bybit, "Funding fee
calculation")::

    funding fee = notional(mark price) × funding rate        paid by longs to shorts when rate > 0

Here the sign is the cash flow *to the position*: ``−s × notional × rate``. The funding rate itself
(Binance) is ``F = P + clamp(I − P, −0.05 %, +0.05 %)`` with ``P`` the average premium index and
``I`` the interest rate (0.01 % per 8 hours).
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import FloatOrArray, as_float_array, broadcast, side_sign, to_output
from .contracts import ContractSpec
from .margin import notional

MAX_ABS_RATE = 0.05   # ±5 % per interval: far beyond any exchange's published cap


def funding_payment(mark_price: ArrayLike, qty: ArrayLike, contract: ContractSpec, side: str,
                    rate: ArrayLike) -> FloatOrArray:
    """Cash flow to the position for one funding interval (negative when it pays).

    ``payment = −s × notional(mark_price, qty) × rate``: with a positive rate a long pays and a short
    receives. Settle currency (USD linear, coin inverse).

    Examples
    --------
    >>> funding_payment(70_000, 1, PRESETS["BTC-MICRO"], "long", 0.0001)   # 0.01 % on $700
    -0.07
    >>> funding_payment(70_000, 1, PRESETS["BTC-MICRO"], "short", 0.0001)
    0.07
    """
    return to_output(_funding_payment(mark_price, qty, contract, side, rate, "rate"))


def _funding_payment(mark_price, qty, contract, side, rate, rate_name: str) -> np.ndarray:
    s = side_sign(side)
    mark = as_float_array("mark_price", mark_price, gt=0.0)
    amount = as_float_array("qty", qty, ge=0.0)
    r = as_float_array(rate_name, rate, ge=-MAX_ABS_RATE, le=MAX_ABS_RATE,
                       note="(a fraction per interval: 0.0001 = 0.01 %)")
    broadcast(mark_price=mark, qty=amount, **{rate_name: r})
    return -s * np.asarray(notional(mark, amount, contract)) * r


def cumulative_funding(mark_price: ArrayLike, qty: ArrayLike, contract: ContractSpec, side: str,
                       rate_per_interval: ArrayLike, n_intervals: ArrayLike) -> FloatOrArray:
    """Total funding over ``n_intervals`` settlements at a constant mark price and rate.

    ``total = n_intervals × funding_payment(...)``. Most perpetuals settle every 8 hours, i.e. three
    intervals a day.

    Examples
    --------
    >>> round(cumulative_funding(70_000, 1, PRESETS["BTC-MICRO"], "long", 0.0001, 3 * 30), 2)
    -6.3
    """
    n = as_float_array("n_intervals", n_intervals, ge=0.0)
    if np.any(n != np.floor(n)):
        raise ValueError("n_intervals must be a whole number of funding settlements")
    payment = _funding_payment(mark_price, qty, contract, side, rate_per_interval, "rate_per_interval")
    broadcast(mark_price=mark_price, qty=qty, rate_per_interval=rate_per_interval, n_intervals=n)
    return to_output(payment * n)


def funding_rate_from_premium(premium_index: ArrayLike, interest_rate: ArrayLike = 0.0001,
                              clamp: ArrayLike = 0.0005) -> FloatOrArray:
    """Funding rate from the average premium index (Binance's formula, per interval).

    ``F = P + clamp(I − P, −clamp, +clamp)``: when the premium is within ±0.05 % of the interest rate,
    the rate is just the interest rate (0.01 % per 8 h).

    Examples
    --------
    >>> funding_rate_from_premium(0.0003)      # within the band: the interest rate
    0.0001
    >>> round(funding_rate_from_premium(0.002), 6)    # a rich premium passes through
    0.0015
    """
    p = as_float_array("premium_index", premium_index, ge=-MAX_ABS_RATE, le=MAX_ABS_RATE)
    i = as_float_array("interest_rate", interest_rate, ge=-MAX_ABS_RATE, le=MAX_ABS_RATE)
    c = as_float_array("clamp", clamp, ge=0.0, le=MAX_ABS_RATE)
    p, i, c = broadcast(premium_index=p, interest_rate=i, clamp=c)
    # Within the band the rate is exactly the interest rate (not P + (I − P), which loses a bit).
    return to_output(np.where(np.abs(i - p) <= c, i, p + np.clip(i - p, -c, c)))
