"""Dated futures next to perpetuals: expiry, basis, annualised basis and the cost of rolling.

A dated future expires on a fixed day and settles to the index; it has no funding. Its price
differs from spot by the **basis** ``F − S``, which shrinks to 0 at expiry. Quoted as a yearly
rate (simple annualisation, as exchanges display it)::

    basis fraction       = F / S − 1
    annualised basis     = (F / S − 1) × 365 / days to expiry
    fair price (carry c) = S × (1 + c × days / 365)

A long who holds through expiry pays the basis (the future converges down to spot), which plays
the part of funding: the equivalent perpetual rate is ``annualised basis × 8 / 8,760`` per 8 hours.
To keep the exposure past expiry the long **rolls**: sells the expiring contract and buys the next,
paying the spread between them and two trades' fees::

    roll cost = (F_far − F_near) × Q + fee_rate × Q × (F_near + F_far)

Sources: CME Group, "Understanding basis" and the Micro Bitcoin futures specifications (monthly
contracts, cash-settled on the last Friday); Hull, *Options, Futures, and Other Derivatives*, ch. 5
(cost of carry).
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_contract, to_output
from .contracts import ContractSpec
from .profit import trading_fee

__all__ = ["basis", "annualized_basis", "fair_futures_price", "equivalent_funding_rate", "roll_cost"]

DAYS_PER_YEAR = 365.0
HOURS_PER_YEAR = 8_760.0


def basis(futures_price, spot_price):
    """``F − S`` in price units and ``F / S − 1`` as a fraction, as a tuple.

    Examples
    --------
    >>> [round(x, 6) for x in basis(71_050, 70_000)]
    [1050.0, 0.015]
    """
    f = as_float_array("futures_price", futures_price, gt=0.0)
    s = as_float_array("spot_price", spot_price, gt=0.0)
    return to_output(f - s), to_output(f / s - 1.0)


def annualized_basis(futures_price, spot_price, days_to_expiry):
    """``(F / S − 1) × 365 / days``: the basis as a simple yearly rate.

    Examples
    --------
    1.5 % over 60 days is 9.125 % a year:

    >>> round(annualized_basis(71_050, 70_000, 60), 6)
    0.09125
    """
    days = as_float_array("days_to_expiry", days_to_expiry, gt=0.0,
                          note="(at expiry the basis is 0 and has no rate)")
    return to_output(np.asarray(basis(futures_price, spot_price)[1]) * DAYS_PER_YEAR / days)


def fair_futures_price(spot_price, annual_carry, days_to_expiry):
    """``S × (1 + c × days / 365)``: the price whose annualised basis is the carry ``c``.

    Examples
    --------
    >>> round(fair_futures_price(70_000, 0.09125, 60), 2)
    71050.0
    """
    s = as_float_array("spot_price", spot_price, gt=0.0)
    c = as_float_array("annual_carry", annual_carry, gt=-1.0, lt=10.0, note="(0.1 = 10 % a year)")
    days = as_float_array("days_to_expiry", days_to_expiry, ge=0.0)
    return to_output(s * (1.0 + c * days / DAYS_PER_YEAR))


def equivalent_funding_rate(annual_rate, interval_hours=8.0):
    """A yearly rate as a perpetual's funding rate per interval: ``annual × interval / 8,760``.

    Examples
    --------
    >>> round(equivalent_funding_rate(0.1095), 8)       # 10.95 % a year is 0.01 % per 8 h
    0.0001
    """
    rate = as_float_array("annual_rate", annual_rate, ge=-10.0, le=10.0)
    hours = as_float_array("interval_hours", interval_hours, gt=0.0)
    return to_output(rate * hours / HOURS_PER_YEAR)


def roll_cost(near_price, far_price, qty, contract: ContractSpec, *, fee_rate=0.0, side="long"):
    """Cost of rolling ``qty`` contracts from the expiring future to the next (settle currency).

    A long sells near and buys far: ``(F_far − F_near) × Q`` (negative when the far one is cheaper)
    plus the fees of both trades; a short pays ``(F_near − F_far) × Q`` plus fees. Linear contracts.

    Examples
    --------
    Rolling 3 CME micro contracts (0.1 BTC) from 70,500 to 71,300 at a 0.05 % fee:

    >>> round(roll_cost(70_500, 71_300, 3, PRESETS["CME-MBT"], fee_rate=0.0005), 2)
    261.27
    """
    check_contract(contract)
    if contract.is_inverse:
        raise ValueError("contract must be linear for roll_cost (an inverse roll is paid in coin)")
    if side not in ("long", "short"):
        raise ValueError(f"side must be 'long' or 'short'; got {side!r}")
    near = as_float_array("near_price", near_price, gt=0.0)
    far = as_float_array("far_price", far_price, gt=0.0)
    q = as_float_array("qty", qty, ge=0.0)
    sign = 1.0 if side == "long" else -1.0
    spread = sign * (far - near) * q * contract.contract_size
    fees = (np.asarray(trading_fee(near, q, contract, fee_rate))
            + np.asarray(trading_fee(far, q, contract, fee_rate)))
    return to_output(spread + fees)
