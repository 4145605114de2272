"""Slow, obvious references the closed forms are tested against.

Nothing here is clever: equity and maintenance margin are written out in plain Python for one
position, the price is scanned away from the entry on a fine grid until equity first meets the
maintenance margin, and the bracketing grid cell is then halved until it is tighter than
``rel_tol``. Use them in tests only; they are scalar and slow by design (py_vollib keeps such a
reference beside its fast code for the same reason).
"""
from __future__ import annotations

import math

import numpy as np

from .contracts import ContractSpec


def equity(price: float, entry_price: float, qty: float, contract: ContractSpec, side: str,
           margin: float) -> float:
    """Margin plus unrealised PnL at ``price``, written out by hand (settle currency).

    >>> from microfut_lib import PRESETS
    >>> equity(63_000, 70_000, 1, PRESETS["BTC-MICRO"], "long", margin=70)   # −10 % at 10x
    0.0
    """
    s = 1.0 if side == "long" else -1.0
    size = qty * contract.contract_size
    if contract.kind == "inverse":
        return margin + s * size * (1.0 / entry_price - 1.0 / price)
    return margin + s * size * (price - entry_price)


def tiered_maint_margin(value: float, schedule) -> float:
    """Maintenance margin of a notional ``value`` under a bracket table, one bracket at a time.

    The bracket is the one whose (floor, cap] holds the value; beyond the last cap the last
    bracket applies.

    >>> from microfut_lib import BINANCE_BTCUSDT_TIERS
    >>> tiered_maint_margin(100_000, BINANCE_BTCUSDT_TIERS)    # 0.5 % − 50
    450.0
    """
    for tier in schedule.tiers:
        if value <= tier.notional_cap:
            break
    return value * tier.maintenance_margin_rate - tier.maintenance_amount


def maint_margin(price, entry_price: float, qty: float, contract: ContractSpec, mmr, maint_amount: float,
                 mm_basis: str):
    """Maintenance margin valued at ``price`` (mark basis) or at the entry price (entry basis).

    ``mmr=None`` takes the bracket of that notional from ``contract.margin_tiers``.

    >>> from microfut_lib import PRESETS
    >>> round(maint_margin(60_000, 70_000, 1, PRESETS["BTC-MICRO"], 0.004, 0.0, "entry"), 2)
    2.8
    """
    valued_at = price if mm_basis == "mark" else entry_price
    size = qty * contract.contract_size
    value = size / valued_at if contract.kind == "inverse" else size * valued_at
    if mmr is None:
        values = np.broadcast_to(np.asarray(value, dtype=float), np.shape(price))
        out = [tiered_maint_margin(float(v), contract.margin_tiers) for v in values.ravel()]
        return np.reshape(out, np.shape(price)) if np.ndim(price) else out[0]
    return value * mmr - maint_amount


def liquidation_price_scan(entry_price: float, qty: float, contract: ContractSpec, side: str, *,
                           margin: float, mmr: float | None, maint_amount: float = 0.0,
                           mm_basis: str = "mark", grid_points: int = 200_001,
                           max_multiple: float = 100.0, rel_tol: float = 1e-13) -> float:
    """First price, moving against the position, where equity ≤ maintenance margin.

    A long is scanned from the entry down to 0, a short from the entry up to
    ``max_multiple × entry``. ``mmr=None`` looks the bracket up in ``contract.margin_tiers`` at
    each scanned price (:func:`tiered_maint_margin`). Returns 0.0 (long) or ``inf`` (short) when no scanned price
    liquidates.

    Examples
    --------
    One micro contract long at 70,000 with 70 USD of margin (10x) and a 0.4 % maintenance rate;
    the closed form gives 70,000 × 0.9 / 0.996 = 63,253.01:

    >>> from microfut_lib import PRESETS
    >>> round(liquidation_price_scan(70_000, 1, PRESETS["BTC-MICRO"], "long", margin=70, mmr=0.004), 2)
    63253.01
    """
    def gap(p):
        return (equity(p, entry_price, qty, contract, side, margin)
                - maint_margin(p, entry_price, qty, contract, mmr, maint_amount, mm_basis))

    if side == "long":
        grid = np.linspace(entry_price, 0.0, grid_points)[1:]
        grid[-1] = entry_price * 1e-12                # the last cell reaches (almost) down to 0
    else:
        grid = np.linspace(entry_price, entry_price * max_multiple, grid_points)[1:]
    below = np.flatnonzero(gap(grid) <= 0.0)          # the whole grid at once, in plain arithmetic
    if below.size == 0:
        return 0.0 if side == "long" else math.inf
    first = int(below[0])
    hit = float(grid[first])
    safe = float(grid[first - 1]) if first > 0 else entry_price
    for _ in range(400):                              # halve the bracketing cell
        if abs(safe - hit) <= rel_tol * entry_price:
            break
        middle = 0.5 * (safe + hit)
        if gap(middle) <= 0.0:
            hit = middle
        else:
            safe = middle
    return 0.5 * (safe + hit)


def bankruptcy_price_scan(entry_price: float, contract: ContractSpec, side: str, leverage: float,
                          **kwargs) -> float:
    """Where equity (initial margin + PnL) reaches zero: the scan above with no maintenance.

    Examples
    --------
    >>> from microfut_lib import PRESETS
    >>> round(bankruptcy_price_scan(70_000, PRESETS["BTC-MICRO"], "long", 10), 2)
    63000.0
    """
    qty = 1.0
    size = qty * contract.contract_size
    value = size / entry_price if contract.kind == "inverse" else size * entry_price
    return liquidation_price_scan(entry_price, qty, contract, side, margin=value / leverage, mmr=0.0,
                                  **kwargs)
