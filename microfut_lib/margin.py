"""Notional value, margins, liquidation and bankruptcy prices, and the largest position a balance opens.

Notation used in every formula here (all per position, isolated margin):

- ``EP`` entry price, ``P`` a price, ``L`` leverage, ``s`` = +1 for a long and −1 for a short;
- linear: ``Q = qty × contract_size`` (coins), notional ``Q × P`` in the quote currency;
- inverse: ``N = qty × contract_size`` (USD face value), notional ``N / P`` in the coin;
- ``M`` the margin assigned to the position (``notional(EP) / L`` when opened at leverage ``L``);
- ``mmr`` the maintenance margin rate and ``cum`` the maintenance amount of the position's tier.

Sources: Binance Futures, "How to Calculate Liquidation Price of USDⓈ-M Contracts" and "… of
COIN-M Contracts" (maintenance margin valued at the mark price); Bybit, "Liquidation Price
(Inverse/USDT Contract)", classic account (maintenance margin valued at the entry price).
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (FloatOrArray, as_float_array, check_contract, choice, leverage_array,
                        side_sign, to_output)
from .contracts import PRESETS, ContractSpec, floor_to_step  # noqa: F401 (PRESETS: doctests)

MM_BASES = ("mark", "entry")


def _notional(price: np.ndarray, qty: np.ndarray, contract: ContractSpec) -> np.ndarray:
    size = qty * contract.contract_size
    return size / price if contract.is_inverse else size * price


def notional(price: ArrayLike, qty: ArrayLike, contract: ContractSpec) -> FloatOrArray:
    """Value of ``qty`` contracts at ``price``, in the settle currency.

    Linear: ``qty × contract_size × price`` (quote currency). Inverse: ``qty × contract_size / price``
    (coin). Source: Binance and Bybit contract specifications (ccxt ``contractSize``).

    Examples
    --------
    >>> notional(70_000, 1, PRESETS["BTC-MICRO"])      # one 0.01 BTC contract, USD
    700.0
    >>> notional(70_000, 100, PRESETS["BYBIT-BTCUSD-INVERSE"])   # 100 USD of an inverse, in BTC
    0.0014285714285714286
    """
    check_contract(contract)
    price = as_float_array("price", price, gt=0.0)
    qty = as_float_array("qty", qty, ge=0.0)
    return to_output(_notional(price, qty, contract))


def initial_margin(price: ArrayLike, qty: ArrayLike, contract: ContractSpec,
                   leverage: ArrayLike) -> FloatOrArray:
    """Collateral needed to open: ``notional / leverage`` (settle currency).

    Examples
    --------
    >>> initial_margin(70_000, 1, PRESETS["BTC-MICRO"], 20)    # the article's $35 at 20x
    35.0
    """
    value = notional(price, qty, contract)
    return to_output(value / leverage_array(leverage, contract))


def maintenance_margin(price: ArrayLike, qty: ArrayLike, contract: ContractSpec, mmr: ArrayLike,
                       maint_amount: ArrayLike = 0.0) -> FloatOrArray:
    """Equity below which the position is liquidated: ``notional × mmr − maint_amount``.

    ``mmr`` is a fraction (0.004 = 0.4 %); ``maint_amount`` is the tier's maintenance amount
    (``cum`` in Binance's tables, see :mod:`microfut_lib.tiers`).

    Examples
    --------
    >>> round(maintenance_margin(70_000, 1, PRESETS["BTC-MICRO"], 0.004), 2)
    2.8
    >>> maintenance_margin(100_000, 1, PRESETS["BINANCE-BTCUSDT-PERP"], 0.005, 50)
    450.0
    """
    value = np.asarray(notional(price, qty, contract))
    rate = as_float_array("mmr", mmr, ge=0.0, lt=1.0)
    amount = as_float_array("maint_amount", maint_amount, ge=0.0)
    result = value * rate - amount
    if np.any(result < -1e-9 * np.maximum(value, 1.0)):
        raise ValueError("maint_amount must be at most notional × mmr (a maintenance margin cannot be "
                         "negative); take mmr and maint_amount from the same tier")
    return to_output(np.maximum(result, 0.0))


def _position_margin(ep, qty, contract, leverage, margin):
    if (leverage is None) == (margin is None):
        raise ValueError("give exactly one of leverage= (isolated margin = notional / leverage) "
                         "or margin= (the margin or, for cross margin, the wallet balance)")
    if leverage is not None:
        return _notional(ep, qty, contract) / leverage_array(leverage, contract)
    return as_float_array("margin", margin, gt=0.0)


def liquidation_price(entry_price: ArrayLike, qty: ArrayLike, contract: ContractSpec, side: str, *,
                      leverage: ArrayLike | None = None, margin: ArrayLike | None = None,
                      mmr: ArrayLike, maint_amount: ArrayLike = 0.0,
                      mm_basis: str = "mark") -> FloatOrArray:
    """Price at which equity falls to the maintenance margin (isolated margin, one position).

    Give exactly one of ``leverage`` (margin = ``notional(EP) / leverage``) or ``margin``. Cross
    margin with a single position is the same call with the wallet balance as ``margin``.

    ``mm_basis="mark"`` values the maintenance margin at the liquidation price itself (Binance
    USDⓈ-M and COIN-M)::

        linear:   LP = (M + cum − s·Q·EP) / (Q·mmr − s·Q)
        inverse:  LP = (N·mmr + s·N) / (M + cum + s·N/EP)

    ``mm_basis="entry"`` values it at the entry price (Bybit's classic formula)::

        linear:   LP = EP − s·(M + cum − Q·EP·mmr) / Q
        inverse:  1/LP = 1/EP + s·((M + cum)/N − mmr/EP)

    With ``M = IM`` and ``cum = 0`` the entry forms reduce to Bybit's published
    ``EP·(1 − 1/L + mmr)`` (linear long) and ``EP·L / (L + 1 − mmr·L)`` (inverse long).

    Returns 0.0 for a long that no positive price liquidates and ``inf`` for a short that no
    price liquidates (an inverse short at 1x: its coin margin rises as its PnL falls). A position
    whose equity at entry is already at or below its maintenance margin is a ValueError. Fees and
    the exchange's liquidation fee are not included.

    Examples
    --------
    >>> micro = PRESETS["BTC-MICRO"]
    >>> round(liquidation_price(70_000, 1, micro, "long", leverage=10, mmr=0.004), 2)
    63253.01
    >>> round(liquidation_price(70_000, 1, micro, "long", leverage=10, mmr=0.004, mm_basis="entry"), 2)
    63280.0
    >>> round(liquidation_price(70_000, 1000, PRESETS["BYBIT-BTCUSD-INVERSE"], "short", leverage=10,
    ...                         mmr=0.005, mm_basis="entry"), 2)
    77348.07
    """
    check_contract(contract)
    s = side_sign(side)
    choice("mm_basis", mm_basis, MM_BASES)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    qty = as_float_array("qty", qty, gt=0.0)
    rate = as_float_array("mmr", mmr, ge=0.0, lt=1.0)
    cum = as_float_array("maint_amount", maint_amount, ge=0.0)
    m = _position_margin(ep, qty, contract, leverage, margin)

    mm_at_entry = _notional(ep, qty, contract) * rate - cum
    if np.any(m <= mm_at_entry):
        raise ValueError("the position would be liquidated at entry: its margin is at or below the "
                         "maintenance margin (notional × mmr − maint_amount). Valid: mmr < 1/leverage "
                         "(with maint_amount 0), or more margin")

    size = qty * contract.contract_size
    ep, size, rate, cum, m = np.broadcast_arrays(ep, size, rate, cum, m)
    if not contract.is_inverse:
        if mm_basis == "mark":
            lp = (m + cum - s * size * ep) / (size * rate - s * size)
        else:
            lp = ep - s * (m + cum - size * ep * rate) / size
        lp = np.maximum(lp, 0.0) if s > 0 else lp
    else:
        if mm_basis == "mark":
            numerator = size * (rate + s)
            denominator = m + cum + s * size / ep
        else:
            numerator = np.ones_like(ep)
            denominator = 1.0 / ep + s * ((m + cum) / size - rate / ep)
        # A price exists only where the ratio is positive; otherwise (a short only) none liquidates.
        reachable = numerator * denominator > 0.0
        lp = np.divide(numerator, denominator, out=np.full(ep.shape, np.inf), where=reachable)
    return to_output(lp)


def bankruptcy_price(entry_price: ArrayLike, contract: ContractSpec, side: str,
                     leverage: ArrayLike) -> FloatOrArray:
    """Price at which the position's equity (initial margin + PnL) reaches zero.

    ``linear: BP = EP·(1 − s/L)``, ``inverse: BP = EP / (1 + s/L)``. It does not depend on
    qty or contract size. A 1x linear long goes bankrupt only at 0; a 1x inverse short never
    (returns ``inf``).

    Examples
    --------
    >>> bankruptcy_price(70_000, PRESETS["BTC-MICRO"], "long", 10)
    63000.0
    >>> round(bankruptcy_price(70_000, PRESETS["BINANCE-BTCUSD-PERP"], "short", 10), 2)
    77777.78
    """
    check_contract(contract)
    s = side_sign(side)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    lev = leverage_array(leverage, contract)
    ep, lev = np.broadcast_arrays(ep, lev)
    if not contract.is_inverse:
        return to_output(ep * (1.0 - s / lev))
    denominator = 1.0 + s / lev
    return to_output(np.divide(ep, denominator, out=np.full(ep.shape, np.inf),
                               where=denominator > 0.0))


def max_open_qty(balance: ArrayLike, price: ArrayLike, contract: ContractSpec, leverage: ArrayLike,
                 *, fee_rate: ArrayLike = 0.0) -> FloatOrArray:
    """Largest quantity (in the product's ``qty_step``) that ``balance`` can open at ``leverage``.

    Each contract needs its initial margin plus the opening fee::

        qty = floor( balance / (notional(price, 1) × (1/L + fee_rate)) , qty_step )

    ``balance`` is in the settle currency (USD for linear, coin for inverse). Returns 0 when even
    ``min_qty`` is out of reach.

    Examples
    --------
    >>> max_open_qty(100, 70_000, PRESETS["BTC-MICRO"], 10)   # $70 of margin per contract
    1.0
    >>> max_open_qty(100, 70_000, PRESETS["BTC-NANO"], 10, fee_rate=0.0005)
    14.0
    """
    check_contract(contract)
    money = as_float_array("balance", balance, ge=0.0)
    price = as_float_array("price", price, gt=0.0)
    lev = leverage_array(leverage, contract)
    fee = as_float_array("fee_rate", fee_rate, ge=0.0, le=0.1)
    per_contract = _notional(price, np.ones_like(price), contract) * (1.0 / lev + fee)
    return floor_to_step(money / per_contract, contract)



def liquidates_at_entry(entry_price: ArrayLike, qty: ArrayLike, contract: ContractSpec, *,
                        leverage: ArrayLike | None = None, margin: ArrayLike | None = None,
                        mmr: ArrayLike, maint_amount: ArrayLike = 0.0) -> bool | np.ndarray:
    """Whether a position is liquidated the moment it opens, so that it cannot be opened.

    The rule :func:`liquidation_price` refuses with a ``ValueError``: the position's margin is at
    or below its maintenance margin at entry, ``M ≤ notional(EP) × mmr − maint_amount``. With
    ``leverage`` (``M = notional / L``) and ``maint_amount = 0`` this is ``L × mmr ≥ 1``.
    Arguments as in :func:`liquidation_price`; returns a bool, or a bool array for array input.

    Examples
    --------
    >>> micro = PRESETS["BTC-MICRO"]
    >>> liquidates_at_entry(70_000, 1, micro, leverage=25, mmr=0.05)     # 25 × 5 % = 125 %
    True
    >>> liquidates_at_entry(70_000, 1, micro, leverage=[10, 100, 125], mmr=0.01)
    array([False,  True,  True])
    """
    check_contract(contract)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    qty = as_float_array("qty", qty, gt=0.0)
    rate = as_float_array("mmr", mmr, ge=0.0, lt=1.0)
    cum = as_float_array("maint_amount", maint_amount, ge=0.0)
    m = _position_margin(ep, qty, contract, leverage, margin)
    at_or_below = m <= _notional(ep, qty, contract) * rate - cum
    return bool(at_or_below) if np.ndim(at_or_below) == 0 else at_or_below
