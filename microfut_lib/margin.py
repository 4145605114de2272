"""Notional value, margins, liquidation and bankruptcy prices, and the largest position a balance opens.

Notation used in every formula here (all per position, isolated margin):

- ``EP`` entry price, ``P`` a price, ``L`` leverage, ``s`` = +1 for a long and −1 for a short;
- linear: ``Q = qty × contract_size`` (coins), notional ``Q × P`` in the quote currency;
- inverse: ``N = qty × contract_size`` (USD face value), notional ``N / P`` in the coin;
- ``M`` the margin assigned to the position (``notional(EP) / L`` when opened at leverage ``L``);
- ``mmr`` the maintenance margin rate and ``cum`` the maintenance amount of the position's tier.

Sources: Binance Futures, "How to Calculate Liquidation Price of USDⓈ-M Contracts" and "… of
COIN-M Contracts" (maintenance margin valued at the mark price, with the bracket of the notional
at that price); Bybit, "Liquidation Price (Inverse/USDT Contract)", classic account (maintenance
margin valued at the entry price).
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    FloatOrArray,
    as_float_array,
    broadcast,
    check_contract,
    choice,
    fmt,
    leverage_array,
    side_sign,
    to_output,
)
from .contracts import ContractSpec, floor_to_step

MM_BASES = ("mark", "entry")


def _notional(price: np.ndarray, qty: np.ndarray, contract: ContractSpec) -> np.ndarray:
    size = qty * contract.contract_size
    return size / price if contract.is_inverse else size * price


def _checked_notional(price, qty, contract, price_name="price"):
    """Validate ``price`` (under the caller's name) and ``qty``, then their notional."""
    check_contract(contract)
    price = as_float_array(price_name, price, gt=0.0)
    qty = as_float_array("qty", qty, ge=0.0)
    broadcast(**{price_name: price, "qty": qty})
    return _notional(price, qty, contract)


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
    return to_output(_checked_notional(price, qty, contract))


def initial_margin(price: ArrayLike, qty: ArrayLike, contract: ContractSpec,
                   leverage: ArrayLike) -> FloatOrArray:
    """Collateral needed to open: ``notional / leverage`` (settle currency).

    Examples
    --------
    >>> initial_margin(70_000, 1, PRESETS["BTC-MICRO"], 20)    # the article's $35 at 20x
    35.0
    """
    value = _checked_notional(price, qty, contract)
    lev = leverage_array(leverage, contract)
    broadcast(price=price, qty=qty, leverage=lev)
    return to_output(value / lev)


def _tier_rates(contract: ContractSpec, value: np.ndarray, price_name: str = "price"):
    """``(mmr, cum)`` for notional ``value`` from the contract's tiers or its single rate."""
    if contract.margin_tiers is not None:
        schedule = contract.margin_tiers
        if np.any(value > schedule.max_notional):
            raise ValueError(f"qty at {price_name} is a notional of {fmt(float(np.max(value)))}, beyond "
                             f"{contract.symbol}'s last margin bracket ({fmt(schedule.max_notional)})")
        rates, amounts = schedule.lookup(value)
        return np.asarray(rates), np.asarray(amounts)
    if contract.maintenance_margin_rate is None:
        raise ValueError(f"mmr must be given: {contract.symbol} publishes no maintenance margin rate "
                         "(its exchange sets margin in currency)")
    return np.full(np.shape(value), contract.maintenance_margin_rate), np.zeros(np.shape(value))


def maintenance_margin(price: ArrayLike, qty: ArrayLike, contract: ContractSpec,
                       mmr: ArrayLike | None = None, maint_amount: ArrayLike = 0.0) -> FloatOrArray:
    """Equity below which the position is liquidated: ``notional × mmr − maint_amount``.

    ``mmr`` is a fraction (0.004 = 0.4 %); ``maint_amount`` is the tier's maintenance amount
    (``cum`` in Binance's tables, see :mod:`microfut_lib.tiers`). Without ``mmr`` the bracket of
    the notional comes from ``contract.margin_tiers`` (else ``contract.maintenance_margin_rate``).

    Examples
    --------
    >>> round(maintenance_margin(70_000, 1, PRESETS["BTC-MICRO"], 0.004), 2)
    2.8
    >>> maintenance_margin(100_000, 1, PRESETS["BINANCE-BTCUSDT-PERP"], 0.005, 50)
    450.0
    >>> maintenance_margin(100_000, 1, PRESETS["BINANCE-BTCUSDT-PERP"])    # its bracket: 0.5 %, 50
    450.0
    """
    value = _checked_notional(price, qty, contract)
    if mmr is None:
        if np.any(as_float_array("maint_amount", maint_amount, ge=0.0) != 0.0):
            raise ValueError("maint_amount goes with mmr: give both (one tier), or neither to use "
                             "the contract's margin_tiers")
        rate, amount = _tier_rates(contract, value)
    else:
        rate = as_float_array("mmr", mmr, ge=0.0, lt=1.0, note="(a fraction: 0.004 = 0.4 %)")
        amount = as_float_array("maint_amount", maint_amount, ge=0.0)
        broadcast(price=price, qty=qty, mmr=rate, maint_amount=amount)
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
        lev = leverage_array(leverage, contract)
        broadcast(entry_price=ep, qty=qty, leverage=lev)
        return _notional(ep, qty, contract) / lev
    return as_float_array("margin", margin, gt=0.0)


def _solve_liquidation(ep, size, rate, cum, m, s: float, inverse: bool, basis: str) -> np.ndarray:
    """The closed forms of :func:`liquidation_price` for one (mmr, cum) pair, element-wise."""
    if not inverse:
        if basis == "mark":
            lp = (m + cum - s * size * ep) / (size * rate - s * size)
        else:
            lp = ep - s * (m + cum - size * ep * rate) / size
        return np.maximum(lp, 0.0) if s > 0 else lp
    if basis == "mark":
        numerator = size * (rate + s)
        denominator = m + cum + s * size / ep
    else:
        numerator = np.ones_like(ep)
        denominator = 1.0 / ep + s * ((m + cum) / size - rate / ep)
    # A price exists only where the ratio is positive; otherwise (a short only) none liquidates.
    reachable = numerator * denominator > 0.0
    return np.divide(numerator, denominator, out=np.full(ep.shape, np.inf), where=reachable)


def _solve_tiered(ep, size, m, s: float, contract: ContractSpec, basis: str) -> np.ndarray:
    """Bracket by bracket: keep the price whose own notional falls in the bracket used.

    The gap equity − maintenance margin is monotonic in the price and continuous across brackets
    (the maintenance amounts make it so), so exactly one bracket is consistent.
    """
    tiers = contract.margin_tiers.tiers
    lp = np.full(ep.shape, np.nan)
    for k, tier in enumerate(tiers):
        rate = np.full(ep.shape, tier.maintenance_margin_rate)
        cum = np.full(ep.shape, tier.maintenance_amount)
        candidate = _solve_liquidation(ep, size, rate, cum, m, s, contract.is_inverse, basis)
        at = candidate if basis == "mark" else ep
        with np.errstate(divide="ignore"):
            value = size / at if contract.is_inverse else size * at
        low = -np.inf if k == 0 else tier.notional_floor * (1 - 1e-12)
        high = np.inf if k == len(tiers) - 1 else tier.notional_cap * (1 + 1e-12)
        consistent = np.isnan(lp) & (value > low) & (value <= high)
        lp = np.where(consistent, candidate, lp)
    if np.any(np.isnan(lp)):          # cannot happen for a valid schedule: a guard, not a path
        raise ValueError("no margin bracket of the contract is consistent with the position")
    return lp


def liquidation_price(entry_price: ArrayLike, qty: ArrayLike, contract: ContractSpec, side: str, *,
                      leverage: ArrayLike | None = None, margin: ArrayLike | None = None,
                      mmr: ArrayLike | None = None, maint_amount: ArrayLike = 0.0,
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

    Without ``mmr``, the contract's ``margin_tiers`` decide: as the exchanges define the
    maintenance margin, the bracket is that of the notional *at the liquidation price* (mark
    basis), so each bracket's formula is solved and the one whose price falls in its own bracket
    is kept (beyond the last bracket its rate applies); a contract without tiers uses its
    ``maintenance_margin_rate``. A given ``mmr``/``maint_amount`` pair whose maintenance margin
    at the liquidation price would be negative (a price past bankruptcy) is a ValueError, as in
    :func:`maintenance_margin`.

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

    A 0.75 BTC long at 70,000 and 2x ($52,500 notional, bracket 2 at entry) is liquidated at
    (26,250 − 52,500) / (0.75 × 0.004 − 0.75) = 35,140.56, where its notional ($26,355) is back in
    bracket 1 (0.4 %, no maintenance amount); the entry bracket (0.5 %, 50) would say 35,108.88:

    >>> round(liquidation_price(70_000, 0.75, PRESETS["BINANCE-BTCUSDT-PERP"], "long", leverage=2), 2)
    35140.56
    """
    check_contract(contract)
    s = side_sign(side)
    choice("mm_basis", mm_basis, MM_BASES)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    qty = as_float_array("qty", qty, gt=0.0)
    m = _position_margin(ep, qty, contract, leverage, margin)
    size = qty * contract.contract_size
    if mmr is None:
        value = _checked_notional(ep, qty, contract, "entry_price")
        rate, cum = _tier_rates(contract, value, "entry_price")   # the entry bracket: liquidated at entry?
        _refuse_liquidated_at_entry(m, value * rate - cum)
        ep, size, m = broadcast(entry_price=ep, qty=size, margin=m)
        if contract.margin_tiers is not None:
            return to_output(_solve_tiered(ep, size, m, s, contract, mm_basis))
        rate, cum = np.broadcast_to(rate, ep.shape), np.broadcast_to(cum, ep.shape)
    else:
        rate = as_float_array("mmr", mmr, ge=0.0, lt=1.0, note="(a fraction: 0.004 = 0.4 %)")
        cum = as_float_array("maint_amount", maint_amount, ge=0.0)
        ep, size, rate, cum, m = broadcast(entry_price=ep, qty=size, mmr=rate, maint_amount=cum,
                                           margin=m)
        _refuse_liquidated_at_entry(m, _notional(ep, size / contract.contract_size, contract) * rate - cum)
    lp = _solve_liquidation(ep, size, rate, cum, m, s, contract.is_inverse, mm_basis)
    _refuse_past_bankruptcy(lp, ep, size, rate, cum, m, contract, mm_basis)
    return to_output(lp)


def _refuse_liquidated_at_entry(m: np.ndarray, mm_at_entry: np.ndarray) -> None:
    if np.any(m <= mm_at_entry):
        raise ValueError("the position would be liquidated at entry: its margin is at or below the "
                         "maintenance margin (notional × mmr − maint_amount). Valid: mmr < 1/leverage "
                         "(with maint_amount 0), or more margin")


def _refuse_past_bankruptcy(lp, ep, size, rate, cum, m, contract, basis) -> None:
    """Refuse a pair whose maintenance margin is negative where it matters (past bankruptcy).

    At a real liquidation price equity equals the maintenance margin, so a negative one there
    is a price past bankruptcy. Where no price liquidates (0 for a long, inf for a short), the
    pair is inconsistent if the position still goes bankrupt at a real price (its margin below
    its notional at entry) with a positive maintenance amount.
    """
    real = (lp > 0.0) & np.isfinite(lp)
    at = np.where(real, lp, ep) if basis == "mark" else ep
    value = size / at if contract.is_inverse else size * at
    entry_value = size / ep if contract.is_inverse else size * ep
    past = real & (value * rate - cum < -1e-9 * np.maximum(cum, 1.0))
    past |= ~real & (cum > 0.0) & (m < entry_value)
    if basis == "entry":
        past |= entry_value * rate - cum < -1e-9 * np.maximum(cum, 1.0)
    if np.any(past):
        raise ValueError("maint_amount must be at most notional × mmr at the liquidation price: "
                         "larger, the price would lie past bankruptcy (a negative maintenance "
                         "margin). Take mmr and maint_amount from the same tier, or leave mmr out "
                         "to let the contract's margin_tiers choose the bracket")


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
    ep, lev = broadcast(entry_price=ep, leverage=lev)
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
    fee = as_float_array("fee_rate", fee_rate, ge=0.0, le=0.01, note="(a fraction: 0.0005 = 0.05 %)")
    broadcast(balance=money, price=price, leverage=lev, fee_rate=fee)
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
