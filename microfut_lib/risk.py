"""Risk-based position sizing and stops: how many contracts a risk budget allows.

The rule (the "1–2 % rule" of the course's source article): size the position so the loss at the
stop-loss, fees included, is at most ``capital × risk_fraction``::

    stop fill         = stop × (1 − s·slippage)                      (worse than the stop)
    loss per contract = contract_size × |entry − fill|
                        + fee_rate × contract_size × (entry + fill)  (linear, quote currency)
                      = contract_size × |1/entry − 1/fill|
                        + fee_rate × contract_size × (1/entry + 1/fill)   (inverse, coin)
    qty = floor(capital × risk_fraction / loss per contract, qty_step)

``fee_rate`` is the fee per side as a fraction of notional (0.0005 = the 0.05 % taker rate),
charged on the entry and again on the stop's fill, each at its own price (Binance and Bybit:
fee = notional × rate). ``slippage`` is a fraction of the stop price by which a stop-market
order fills worse than its trigger (0.001 = 0.1 %: $68.60 per BTC at a 68,600 stop); the entry is
taken as the price obtained. The side follows from the stop: below the entry for a long.

The quantity step is what makes contract size matter: a 1 BTC contract cannot express a $10 risk.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    MAX_MAGNITUDE,
    FloatOrArray,
    as_float_array,
    broadcast,
    check_contract,
    fmt,
    side_sign,
    to_output,
)
from .contracts import ContractSpec, floor_to_step

#: The largest risk budget accepted, as a fraction: a "1" meant as 1 % is refused, not obeyed.
MAX_RISK_FRACTION = 0.5
_RISK_NOTE = ("(a fraction: 0.01 = 1 %; more than 0.5 of the account on one stop is not a risk "
              "budget: was a percentage meant?)")


def risk_budget(capital: ArrayLike, risk_fraction: ArrayLike) -> FloatOrArray:
    """The most a trade may lose: ``capital × risk_fraction`` (settle currency).

    ``risk_fraction`` is a fraction up to 0.5 (so ``1`` meant as 1 % is refused).

    Examples
    --------
    >>> risk_budget(1_000, 0.01), risk_budget(1_000, 0.02)    # the article's $10 to $20
    (10.0, 20.0)
    """
    money = as_float_array("capital", capital, gt=0.0)
    fraction = as_float_array("risk_fraction", risk_fraction, gt=0.0, le=MAX_RISK_FRACTION,
                              note=_RISK_NOTE)
    money, fraction = broadcast(capital=money, risk_fraction=fraction)
    return to_output(money * fraction)


def _costs(fee_rate, slippage):
    fee = as_float_array("fee_rate", fee_rate, ge=0.0, le=0.01,
                         note="(per side, a fraction of notional: 0.0005 = 0.05 %)")
    slip = as_float_array("slippage", slippage, ge=0.0, lt=0.5,
                          note="(a fraction of the stop price: 0.001 = 0.1 %)")
    return fee, slip


def _loss_per_contract(ep, sp, contract: ContractSpec, fee, slip) -> np.ndarray:
    """Loss of one contract stopped out: price move to the fill plus both fees (see the module)."""
    s = np.where(sp < ep, 1.0, -1.0)
    fill = sp * (1.0 - s * slip)
    size = contract.contract_size
    if contract.is_inverse:
        return size * np.abs(1.0 / ep - 1.0 / fill) + fee * size * (1.0 / ep + 1.0 / fill)
    return size * np.abs(ep - fill) + fee * size * (ep + fill)


def risk_at_stop(entry_price: ArrayLike, stop_price: ArrayLike, qty: ArrayLike,
                 contract: ContractSpec, *, fee_rate: ArrayLike = 0.0,
                 slippage: ArrayLike = 0.0) -> FloatOrArray:
    """Loss (a positive number, settle currency) if ``qty`` contracts are stopped out.

    With ``fee_rate`` and ``slippage`` the loss includes both fees and the worse fill (see the
    module notes for the formula).

    Examples
    --------
    >>> round(risk_at_stop(70_000, 68_600, 1, PRESETS["BTC-MICRO"]), 2)   # a 2 % stop on 0.01 BTC
    14.0
    >>> round(risk_at_stop(70_000, 68_600, 7, PRESETS["BTC-NANO"], fee_rate=0.0005), 4)
    10.2851
    """
    check_contract(contract)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    sp = as_float_array("stop_price", stop_price, gt=0.0)
    qty = as_float_array("qty", qty, ge=0.0)
    fee, slip = _costs(fee_rate, slippage)
    ep, sp, qty, fee, slip = broadcast(entry_price=ep, stop_price=sp, qty=qty, fee_rate=fee,
                                       slippage=slip)
    if np.any((ep == sp) & (slip > 0)):
        raise ValueError("stop_price must differ from entry_price when slippage is given "
                         "(its side tells which way the fill slips)")
    return to_output(qty * _loss_per_contract(ep, sp, contract, fee, slip))


def position_size(capital: ArrayLike, risk_fraction: ArrayLike, entry_price: ArrayLike,
                  stop_price: ArrayLike, contract: ContractSpec, *, fee_rate: ArrayLike = 0.0,
                  slippage: ArrayLike = 0.0) -> FloatOrArray:
    """Largest quantity whose loss at the stop, fees included, is at most ``capital × risk_fraction``.

    The side follows from the stop: below the entry for a long, above for a short. The result is a
    multiple of ``contract.qty_step``, and 0 when even ``min_qty`` would risk more than the budget.
    ``capital`` is in the settle currency (coin for inverse contracts). ``fee_rate`` (per side,
    charged on the entry and on the stop's fill) and ``slippage`` (a fraction of the stop price)
    are described in the module notes.

    Examples
    --------
    $1,000 risking 1 % with a stop 2 % below $70,000 (loss $1,400 per BTC):

    >>> [position_size(1_000, 0.01, 70_000, 68_600, PRESETS[name])
    ...  for name in ("BTC-STANDARD", "BTC-MICRO", "BTC-NANO")]
    [0.0, 0.0, 7.0]

    Seven nano contracts lose $9.80 at the stop, but with the 0.05 % taker fee on both fills
    ($0.245 in, $0.2401 out) they lose $10.2851, over the $10 budget; six fit ($8.8158):

    >>> position_size(1_000, 0.01, 70_000, 68_600, PRESETS["BTC-NANO"], fee_rate=0.0005)
    6.0
    """
    check_contract(contract)
    budget = np.asarray(risk_budget(capital, risk_fraction))
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    sp = as_float_array("stop_price", stop_price, gt=0.0)
    fee, slip = _costs(fee_rate, slippage)
    broadcast(capital=capital, risk_fraction=risk_fraction, entry_price=ep, stop_price=sp,
              fee_rate=fee, slippage=slip)
    if np.any(ep == sp):
        raise ValueError("stop_price must differ from entry_price (below it for a long, above for a short)")
    raw = budget / _loss_per_contract(ep, sp, contract, fee, slip)
    if np.any(raw > MAX_MAGNITUDE):
        raise ValueError(f"stop_price is so close to entry_price that the budget buys "
                         f"{fmt(float(np.max(raw)))} contracts (more than {fmt(MAX_MAGNITUDE)}); "
                         "widen the stop")
    return floor_to_step(raw, contract)


def stop_price_for_loss(entry_price: ArrayLike, qty: ArrayLike, contract: ContractSpec, side: str,
                        max_loss: ArrayLike) -> FloatOrArray:
    """The stop price at which closing ``qty`` contracts loses exactly ``max_loss``.

    ``linear: stop = entry − s·max_loss / Q``; ``inverse: 1/stop = 1/entry + s·max_loss / N``.
    ``max_loss`` must leave a positive price (below ``Q × entry`` for a linear long, below
    ``N / entry`` coin for an inverse short).

    Examples
    --------
    >>> stop_price_for_loss(70_000, 1, PRESETS["BTC-MICRO"], "long", 20)   # $20 on 0.01 BTC
    68000.0
    """
    check_contract(contract)
    s = side_sign(side)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    qty = as_float_array("qty", qty, gt=0.0)
    loss = as_float_array("max_loss", max_loss, gt=0.0)
    ep, size, loss = broadcast(entry_price=ep, qty=qty * contract.contract_size, max_loss=loss)
    if contract.is_inverse:
        inverse_stop = 1.0 / ep + s * loss / size
        if np.any(inverse_stop <= 0.0):
            raise ValueError("max_loss must be below N / entry_price (the short's value in coin): "
                             "an inverse short cannot lose more than that at any finite stop")
        return to_output(1.0 / inverse_stop)
    stop = ep - s * loss / size
    if np.any(stop <= 0.0):
        raise ValueError("max_loss must be below qty × contract_size × entry_price for a long: "
                         "the price cannot fall below 0")
    return to_output(stop)
