"""Risk-based position sizing and stops: how many contracts a risk budget allows.

The rule (the "1–2 % rule" of the course's source article): size the position so the loss at the
stop-loss is at most ``capital × risk_fraction``::

    loss per contract = contract_size × |entry − stop|                (linear, quote currency)
                      = contract_size × |1/entry − 1/stop|            (inverse, coin)
    qty = floor(capital × risk_fraction / loss per contract, qty_step)

The quantity step is what makes contract size matter: a 1 BTC contract cannot express a $10 risk.
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import FloatOrArray, as_float_array, check_contract, side_sign, to_output
from .contracts import PRESETS, ContractSpec, floor_to_step  # noqa: F401 (PRESETS: doctests)


def risk_budget(capital: ArrayLike, risk_fraction: ArrayLike) -> FloatOrArray:
    """The most a trade may lose: ``capital × risk_fraction`` (settle currency).

    Examples
    --------
    >>> risk_budget(1_000, 0.01), risk_budget(1_000, 0.02)    # the article's $10 to $20
    (10.0, 20.0)
    """
    money = as_float_array("capital", capital, gt=0.0)
    fraction = as_float_array("risk_fraction", risk_fraction, gt=0.0, le=1.0,
                              note="(a fraction: 0.01 = 1 %)")
    return to_output(money * fraction)


def risk_at_stop(entry_price: ArrayLike, stop_price: ArrayLike, qty: ArrayLike,
                 contract: ContractSpec) -> FloatOrArray:
    """Loss (a positive number, settle currency) if ``qty`` contracts are stopped out.

    Examples
    --------
    >>> round(risk_at_stop(70_000, 68_600, 1, PRESETS["BTC-MICRO"]), 2)   # a 2 % stop on 0.01 BTC
    14.0
    """
    check_contract(contract)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    sp = as_float_array("stop_price", stop_price, gt=0.0)
    qty = as_float_array("qty", qty, ge=0.0)
    size = qty * contract.contract_size
    if contract.is_inverse:
        return to_output(size * np.abs(1.0 / ep - 1.0 / sp))
    return to_output(size * np.abs(ep - sp))


def position_size(capital: ArrayLike, risk_fraction: ArrayLike, entry_price: ArrayLike,
                  stop_price: ArrayLike, contract: ContractSpec) -> FloatOrArray:
    """Largest quantity whose loss at the stop is at most ``capital × risk_fraction``.

    The side follows from the stop: below the entry for a long, above for a short. The result is a
    multiple of ``contract.qty_step``, and 0 when even ``min_qty`` would risk more than the budget.
    ``capital`` is in the settle currency (coin for inverse contracts).

    Examples
    --------
    $1,000 risking 1 % with a stop 2 % below $70,000 (loss $1,400 per BTC):

    >>> [position_size(1_000, 0.01, 70_000, 68_600, PRESETS[name])
    ...  for name in ("BTC-STANDARD", "BTC-MICRO", "BTC-NANO")]
    [0.0, 0.0, 7.0]
    """
    check_contract(contract)
    budget = np.asarray(risk_budget(capital, risk_fraction))
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    sp = as_float_array("stop_price", stop_price, gt=0.0)
    if np.any(ep == sp):
        raise ValueError("stop_price must differ from entry_price (below it for a long, above for a short)")
    per_contract = np.asarray(risk_at_stop(ep, sp, 1.0, contract))
    return floor_to_step(budget / per_contract, contract)


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
    size = qty * contract.contract_size
    ep, size, loss = np.broadcast_arrays(ep, size, loss)
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
