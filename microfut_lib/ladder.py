"""The scaling ladder: which position size an account can carry within the 1–2 % rule, fees included.

The risk of one position is what it loses if its stop-market order fills at the stop, plus the
fees of the round trip (taker on the way in at the entry notional and on the way out at the stop
notional)::

    risk = Q·|EP − SP|  +  fee_rate·Q·(EP + SP)          (linear, USD; Q = position in BTC)

with ``SP = EP·(1 ∓ stop_pct/100)``. A rung of size ``Q`` keeps the risk within
``[risk_low, risk_high]`` of the account for accounts between::

    account_min = risk / risk_high      (below it, the rung risks more than risk_high)
    account_max = risk / risk_low       (above it, less than risk_low: room for the next rung)

Slippage beyond the stop (a gap) is not included: it adds to the loss (lesson 04 simulates it).
Every amount comes from :func:`~microfut_lib.risk.risk_at_stop` and
:func:`~microfut_lib.profit.trading_fee`. Source of the rule: the course's source article
("Micro-Futures: Starting Small in High-Leverage Markets", sections 4.2 and 6.1).
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._validate import FloatOrArray, as_float_array, scalar, to_output
from .contracts import PRESETS, ContractSpec
from .profit import trading_fee
from .risk import position_size, risk_at_stop

__all__ = ["Rung", "LADDER_BTC", "position_risk", "ladder_plan", "uncovered_accounts",
           "contracts_within_risk", "rung_for_account", "loss_at_rungs"]

#: The article's ladder: 0.01 BTC, then 0.1 BTC, then 1 BTC.
LADDER_BTC = (0.01, 0.1, 1.0)

_ONE_BTC = PRESETS["BTC-STANDARD"]    # qty in BTC on a 1 BTC contract: Q = qty


def _stop(entry: np.ndarray, stop_pct: np.ndarray, side: str) -> np.ndarray:
    sign = 1.0 if side == "long" else -1.0
    return entry * (1.0 - sign * stop_pct / 100.0)


def position_risk(entry_price_usd: ArrayLike, stop_pct: ArrayLike, position_btc: ArrayLike, *,
                  fee_rate: ArrayLike = 0.0005, side: str = "long") -> FloatOrArray:
    """Loss at the stop plus round-trip fees, USD: ``Q·|EP − SP| + fee_rate·Q·(EP + SP)``.

    Examples
    --------
    One micro contract (0.01 BTC), 2 % stop at $70,000, 0.05 % taker: $14.00 + $0.35 + $0.343

    >>> round(position_risk(70_000, 2, 0.01), 3)
    14.693
    """
    entry = as_float_array("entry_price_usd", entry_price_usd, gt=0.0)
    pct = as_float_array("stop_pct", stop_pct, ge=0.01, lt=100.0, note="(percent from the entry)")
    qty = as_float_array("position_btc", position_btc, gt=0.0)
    rate = as_float_array("fee_rate", fee_rate, ge=0.0, le=0.01, note="(a fraction: 0.0005 = 0.05 %)")
    if side not in ("long", "short"):
        raise ValueError(f"side must be 'long' or 'short'; got {side!r}")
    stop = _stop(entry, pct, side)
    loss = np.asarray(risk_at_stop(entry, stop, qty, _ONE_BTC))
    fees = np.asarray(trading_fee(entry, qty, _ONE_BTC, rate)) + np.asarray(trading_fee(stop, qty, _ONE_BTC, rate))
    return to_output(loss + fees)


class Rung(NamedTuple):
    """One step of the ladder (USD): its risk and the accounts for which it is 1–2 % of the account."""

    position_btc: float
    notional_usd: float
    loss_at_stop_usd: float
    fees_usd: float
    risk_usd: float
    account_min_usd: float
    account_max_usd: float


def _fractions(risk_low: float, risk_high: float) -> tuple[float, float]:
    low = scalar("risk_low", risk_low, gt=0.0, le=0.5, note="(a fraction: 0.01 = 1 %)")
    high = scalar("risk_high", risk_high, gt=0.0, le=0.5, note="(a fraction: 0.02 = 2 %)")
    if low > high:
        raise ValueError(f"risk_low must be at most risk_high; got {low:g} > {high:g}")
    return low, high


def ladder_plan(entry_price_usd: float = 70_000.0, stop_pct: float = 2.0, *,
                position_btc: Sequence[float] = LADDER_BTC, risk_low: float = 0.01,
                risk_high: float = 0.02, fee_rate: float = 0.0005) -> list[Rung]:
    """Each rung's risk and the account range ``[risk / risk_high, risk / risk_low]`` it fits.

    Examples
    --------
    >>> [round(r.account_min_usd, 2) for r in ladder_plan()]      # 2 % of these = the rung's risk
    [734.65, 7346.5, 73465.0]
    >>> [round(r.account_max_usd) for r in ladder_plan()]      # 1 %
    [1469, 14693, 146930]
    """
    low, high = _fractions(risk_low, risk_high)
    entry = scalar("entry_price_usd", entry_price_usd, gt=0.0)
    sizes = as_float_array("position_btc", position_btc, gt=0.0)
    if sizes.ndim != 1 or sizes.size == 0 or np.any(np.diff(sizes) <= 0):
        raise ValueError("position_btc must be a non-empty increasing sequence of sizes in BTC")
    stop = float(_stop(np.asarray(entry), np.asarray(scalar("stop_pct", stop_pct, ge=0.01, lt=100.0)), "long"))
    rungs = []
    for q in sizes.tolist():
        loss = float(risk_at_stop(entry, stop, q, _ONE_BTC))
        risk = float(position_risk(entry, stop_pct, q, fee_rate=fee_rate))
        rungs.append(Rung(q, entry * q, loss, risk - loss, risk, risk / high, risk / low))
    return rungs


def uncovered_accounts(plan: Sequence[Rung]) -> list[tuple[float, float]]:
    """Account ranges where no rung risks within ``[risk_low, risk_high]``: the gaps between rungs.

    Between rung ``k``'s ``account_max`` and rung ``k+1``'s ``account_min`` the smaller rung
    risks less than ``risk_low`` and the bigger one more than ``risk_high``.

    Examples
    --------
    >>> [(round(a, 2), round(b, 2)) for a, b in uncovered_accounts(ladder_plan())]
    [(1469.3, 7346.5), (14693.0, 73465.0)]
    """
    if not plan or not all(isinstance(r, Rung) for r in plan):
        raise ValueError("plan must be a non-empty list of Rung (from ladder_plan)")
    return [(a.account_max_usd, b.account_min_usd) for a, b in zip(plan, plan[1:])
            if b.account_min_usd > a.account_max_usd]


def contracts_within_risk(account_usd: ArrayLike, risk_fraction: ArrayLike, entry_price_usd: ArrayLike,
                          stop_pct: ArrayLike, contract: ContractSpec = PRESETS["BTC-MICRO"], *,
                          fee_rate: ArrayLike = 0.0005, side: str = "long") -> FloatOrArray:
    """Most contracts whose risk at the stop, fees included, is at most ``account × risk_fraction``.

    ``qty = floor(account·risk_fraction / position_risk(entry, stop, contract_size), qty_step)``:
    :func:`~microfut_lib.risk.position_size` with ``fee_rate``, the stop given as a distance
    ``stop_pct`` from the entry.

    Examples
    --------
    $5,000 at 2 %: $100 of risk over $14.693 per micro contract

    >>> contracts_within_risk(5_000, 0.02, 70_000, 2)
    6.0
    """
    if not isinstance(contract, ContractSpec) or contract.is_inverse:
        raise ValueError("contract must be a linear (USD-settled) ContractSpec, e.g. PRESETS['BTC-MICRO']")
    entry = as_float_array("entry_price_usd", entry_price_usd, gt=0.0)
    pct = as_float_array("stop_pct", stop_pct, ge=0.01, lt=100.0, note="(percent from the entry)")
    if side not in ("long", "short"):
        raise ValueError(f"side must be 'long' or 'short'; got {side!r}")
    account = as_float_array("account_usd", account_usd, gt=0.0)
    return position_size(account, risk_fraction, entry, _stop(entry, pct, side), contract,
                         fee_rate=fee_rate)


def rung_for_account(account_usd: float, plan: Sequence[Rung]) -> Rung | None:
    """The largest rung whose risk is at most ``risk_high`` of ``account_usd`` (None if none fits).

    Examples
    --------
    >>> rung_for_account(10_000, ladder_plan()).position_btc
    0.1
    >>> rung_for_account(500, ladder_plan()) is None
    True
    """
    account = scalar("account_usd", account_usd, gt=0.0)
    if not plan or not all(isinstance(r, Rung) for r in plan):
        raise ValueError("plan must be a non-empty list of Rung (from ladder_plan)")
    fits = [r for r in plan if r.account_min_usd <= account]
    return fits[-1] if fits else None


def loss_at_rungs(loss_pct: ArrayLike, plan: Sequence[Rung]) -> FloatOrArray:
    """Dollars lost by the same percentage of the account at each rung's ``account_max_usd``.

    ``loss = account_max × loss_pct / 100``: the same percentage is ten times the dollars one
    rung up, because the account it is taken from is ten times larger.

    Examples
    --------
    >>> loss_at_rungs(1, ladder_plan()).round(2).tolist()
    [14.69, 146.93, 1469.3]
    """
    pct = as_float_array("loss_pct", loss_pct, gt=0.0, le=100.0, note="(percent of the account)")
    if not plan or not all(isinstance(r, Rung) for r in plan):
        raise ValueError("plan must be a non-empty list of Rung (from ladder_plan)")
    accounts = np.array([r.account_max_usd for r in plan])
    return to_output(accounts * (pct / 100.0))
