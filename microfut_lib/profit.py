"""Profit and loss (PnL), return on equity, target prices, fees and average entry price.

Notation as in :mod:`microfut_lib.margin`: ``s`` = +1 long / −1 short, ``Q = qty × contract_size``
(coins, linear), ``N = qty × contract_size`` (USD face value, inverse), ``L`` leverage.
Sources: Binance Futures "How to Calculate Profit and Loss for Futures Contracts" (USDⓈ-M and
COIN-M), Bybit "Profit and Loss calculations (Inverse Contract)".
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    FloatOrArray,
    as_float_array,
    broadcast,
    check_contract,
    leverage_array,
    side_sign,
    to_output,
)
from .contracts import ContractSpec
from .margin import notional


def _pnl(ep, xp, qty, contract: ContractSpec, s: float):
    size = qty * contract.contract_size
    if contract.is_inverse:
        return s * size * (1.0 / ep - 1.0 / xp)
    return s * size * (xp - ep)


def pnl(entry_price: ArrayLike, exit_price: ArrayLike, qty: ArrayLike, contract: ContractSpec,
        side: str) -> FloatOrArray:
    """Realised PnL of closing at ``exit_price``, in the settle currency.

    ``linear: s·Q·(exit − entry)`` (quote currency); ``inverse: s·N·(1/entry − 1/exit)`` (coin).

    Examples
    --------
    >>> pnl(70_000, 63_000, 1, PRESETS["BTC-MICRO"], "long")      # −10 % on one micro contract
    -70.0
    >>> round(pnl(70_000, 77_000, 100, PRESETS["BYBIT-BTCUSD-INVERSE"], "long"), 8)   # BTC
    0.00012987
    """
    check_contract(contract)
    s = side_sign(side)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    xp = as_float_array("exit_price", exit_price, gt=0.0)
    qty = as_float_array("qty", qty, ge=0.0)
    broadcast(entry_price=ep, exit_price=xp, qty=qty)
    return to_output(_pnl(ep, xp, qty, contract, s))


def roe(entry_price: ArrayLike, exit_price: ArrayLike, leverage: ArrayLike, contract: ContractSpec,
        side: str) -> FloatOrArray:
    """Return on equity: PnL as a fraction of the initial margin (``notional(entry) / L``).

    It does not depend on qty or contract size::

        linear:  ROE = s·L·(exit/entry − 1)
        inverse: ROE = s·L·(1 − entry/exit)

    Examples
    --------
    >>> round(roe(70_000, 63_000, 10, PRESETS["BTC-MICRO"], "long"), 10)   # −10 % at 10x
    -1.0
    >>> round(roe(70_000, 71_400, 20, PRESETS["BTC-NANO"], "long"), 10)    # +2 % at 20x
    0.4
    """
    check_contract(contract)
    s = side_sign(side)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    xp = as_float_array("exit_price", exit_price, gt=0.0)
    lev = leverage_array(leverage, contract)
    broadcast(entry_price=ep, exit_price=xp, leverage=lev)
    margin = np.asarray(notional(ep, 1.0, contract)) / lev
    return to_output(_pnl(ep, xp, 1.0, contract, s) / margin)


def target_price(entry_price: ArrayLike, roe: ArrayLike, leverage: ArrayLike,
                 contract: ContractSpec, side: str) -> FloatOrArray:
    """The exit price that yields ``roe`` (a fraction of initial margin); inverse of :func:`roe`.

    ``linear: exit = entry·(1 + roe/(s·L))``; ``inverse: exit = entry / (1 − roe/(s·L))``.
    The ``roe`` must leave a positive price: above −L for a linear long, below L for a
    linear short, below L for an inverse long and above −L for an inverse short.

    Examples
    --------
    >>> target_price(70_000, 0.5, 10, PRESETS["BTC-MICRO"], "long")
    73500.0
    >>> round(target_price(70_000, 0.5, 10, PRESETS["BINANCE-BTCUSD-PERP"], "short"), 2)
    66666.67
    """
    check_contract(contract)
    s = side_sign(side)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    lev = leverage_array(leverage, contract)
    wanted = as_float_array("roe", roe)
    ep, wanted, lev = broadcast(entry_price=ep, roe=wanted, leverage=lev)
    ratio = wanted / (s * lev)
    if contract.is_inverse:
        if np.any(ratio >= 1.0):
            raise ValueError(f"roe must be {'below' if s > 0 else 'above'} {'' if s > 0 else '−'}"
                             "leverage for an inverse contract: no price gives that return")
        return to_output(ep / (1.0 - ratio))
    if np.any(ratio <= -1.0):
        raise ValueError(f"roe must be {'above −' if s > 0 else 'below '}leverage for a linear "
                         "contract: no positive price gives that return")
    return to_output(ep * (1.0 + ratio))


def trading_fee(price: ArrayLike, qty: ArrayLike, contract: ContractSpec,
                fee_rate: ArrayLike) -> FloatOrArray:
    """Fee for trading ``qty`` contracts: ``notional × fee_rate`` (quote currency linear, coin inverse).

    ``fee_rate`` is a fraction (0.0005 = 0.05 %, a common taker rate); see ``contract.maker_fee`` and
    ``contract.taker_fee``. Source: Binance and Bybit fee schedules ("fee = notional × fee rate").

    Examples
    --------
    >>> btcusdt = PRESETS["BINANCE-BTCUSDT-PERP"]
    >>> round(trading_fee(70_000, 0.01, btcusdt, btcusdt.taker_fee), 2)
    0.35
    """
    value = np.asarray(notional(price, qty, contract))
    rate = as_float_array("fee_rate", fee_rate, ge=0.0, le=0.01, note="(a fraction: 0.0005 = 0.05 %)")
    broadcast(price=price, qty=qty, fee_rate=rate)
    return to_output(value * rate)


def average_entry_price(prices: ArrayLike, qtys: ArrayLike,
                        contract: ContractSpec | None = None) -> FloatOrArray:
    """Average entry price of several fills (along the last axis).

    Linear (default): quantity-weighted arithmetic mean ``Σ q·p / Σ q``. Inverse: the harmonic
    mean ``Σ q / Σ (q/p)``, which keeps the coin value of the position (Binance COIN-M).

    Examples
    --------
    >>> average_entry_price([70_000, 60_000], [1, 1])
    65000.0
    >>> round(average_entry_price([70_000, 60_000], [1, 1], PRESETS["BINANCE-BTCUSD-PERP"]), 2)
    64615.38
    """
    p = as_float_array("prices", prices, gt=0.0)
    q = as_float_array("qtys", qtys, ge=0.0)
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError("prices must be a non-empty sequence of fill prices")
    if q.ndim and q.shape[-1] != p.shape[-1]:
        raise ValueError(f"prices and qtys must have the same length; got {p.shape[-1]} prices and "
                         f"{q.shape[-1]} qtys")
    p, q = broadcast(prices=p, qtys=q)
    total = q.sum(axis=-1)
    if np.any(total <= 0.0):
        raise ValueError("qtys must add up to more than 0")
    if contract is not None:
        check_contract(contract)
        if contract.is_inverse:
            return to_output(total / (q / p).sum(axis=-1))
    return to_output((q * p).sum(axis=-1) / total)
