"""Stop-losses: the stop price that caps a loss, and the price ladder around a position.

The stop is set from the most you accept to lose and the position's size, fees included::

    loss at the stop = |entry − stop| × Q + fee_rate × Q × (entry + stop)          (linear, USD)
    long:  stop = (entry × (1 + f) − B/Q) / (1 − f)
    short: stop = (entry × (1 − f) + B/Q) / (1 + f)

with ``Q = qty × contract_size`` (coins), ``B`` the budget (``max_loss``, or ``capital ×
risk_fraction``) and ``f`` the taker fee rate charged on the entry and on the stop's exit.
Inverse contracts (``N`` USD face value, loss in coin)::

    long:  stop = (1 + f) / (B/N + (1 − f)/entry)
    short: stop = (1 − f) / ((1 + f)/entry − B/N)

Leverage is not in these formulas: at a given size, the dollars lost at a stop do not depend on
leverage (leverage only sets the margin, and with it where liquidation comes). The price ladder
(:func:`price_ladder`) puts entry, stop, liquidation and bankruptcy side by side and flags a stop
that sits at or beyond the liquidation price, where it would never be reached.

Sources: Binance Futures, "How to Calculate Profit and Loss" and "Trading fee" (fee = notional ×
rate, charged on opening and on closing); liquidation and bankruptcy prices from
:mod:`microfut_lib.margin`.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, check_contract, scalar, side_sign, to_output
from .contracts import ContractSpec
from .margin import bankruptcy_price, initial_margin, liquidation_price, notional
from .profit import pnl

__all__ = ["stop_price_for_risk", "loss_at_stop", "PriceLadder", "price_ladder",
           "maintenance_rate_for", "bracketed_liquidation"]


def _budget(capital, risk_fraction, max_loss) -> np.ndarray:
    if max_loss is not None:
        if capital is not None or risk_fraction is not None:
            raise ValueError("give either max_loss= or capital= with risk_fraction=, not both")
        return as_float_array("max_loss", max_loss, gt=0.0)
    if capital is None or risk_fraction is None:
        raise ValueError("give max_loss= (money) or both capital= and risk_fraction= (0.02 = 2 %)")
    money = as_float_array("capital", capital, gt=0.0)
    fraction = as_float_array("risk_fraction", risk_fraction, gt=0.0, le=1.0,
                              note="(a fraction: 0.01 = 1 %)")
    return money * fraction


def stop_price_for_risk(entry_price, qty, contract: ContractSpec, side: str, *, max_loss=None,
                        capital=None, risk_fraction=None, fee_rate=0.0):
    """The stop price at which closing ``qty`` contracts loses exactly the budget, fees included.

    The budget is ``max_loss`` (settle currency) or ``capital × risk_fraction``; ``fee_rate`` (a
    fraction of notional, 0.0005 = 0.05 %) is paid on entry and again at the stop. Formulas in the
    module notes. Leverage plays no part. A budget the fees alone use up, or one that would put
    the stop at or below 0, is a ValueError.

    Examples
    --------
    2 % of a $1,000 account on one 0.01 BTC contract bought at $70,000, without and with a
    0.05 % taker fee on both sides (the fees take $0.69 of the $20):

    >>> micro = PRESETS["BTC-MICRO"]
    >>> stop_price_for_risk(70_000, 1, micro, "long", capital=1_000, risk_fraction=0.02)
    68000.0
    >>> round(stop_price_for_risk(70_000, 1, micro, "long", max_loss=20, fee_rate=0.0005), 2)
    68069.03
    """
    check_contract(contract)
    s = side_sign(side)
    ep = as_float_array("entry_price", entry_price, gt=0.0)
    qty = as_float_array("qty", qty, gt=0.0)
    budget = _budget(capital, risk_fraction, max_loss)
    f = as_float_array("fee_rate", fee_rate, ge=0.0, lt=0.1, note="(a fraction: 0.0005 = 0.05 %)")
    size = qty * contract.contract_size
    if contract.is_inverse:
        fees_alone = 2.0 * f * size / ep                   # round trip with the stop at entry
        per_unit = budget / size
        denominator = per_unit + (1.0 - f) / ep if s > 0 else (1.0 + f) / ep - per_unit
        numerator = (1.0 + f) if s > 0 else (1.0 - f)
    else:
        fees_alone = 2.0 * f * size * ep
        per_unit = budget / size
        numerator = ep * (1.0 + f) - per_unit if s > 0 else ep * (1.0 - f) + per_unit
        denominator = (1.0 - f) if s > 0 else (1.0 + f)
    if np.any(budget <= fees_alone):
        raise ValueError("max_loss (the budget) must exceed the round-trip fees "
                         "(2 × fee_rate × notional): the fees alone would use it up")
    numerator, denominator = np.broadcast_arrays(numerator, denominator)
    if np.any(numerator <= 0.0) or np.any(denominator <= 0.0):
        raise ValueError("max_loss (the budget) is too large for this position: no positive stop "
                         "price loses that much")
    return to_output(numerator / denominator)


def loss_at_stop(entry_price, stop_price, qty, contract: ContractSpec, side: str, *, fee_rate=0.0):
    """Money lost if the stop fills exactly at ``stop_price``, both fees included (positive = loss).

    ``loss = −pnl(entry, stop) + fee_rate × (notional(entry) + notional(stop))``.

    Examples
    --------
    >>> round(loss_at_stop(70_000, 68_600, 7, PRESETS["BTC-NANO"], "long", fee_rate=0.0005), 2)
    10.29
    """
    lost = -np.asarray(pnl(entry_price, stop_price, qty, contract, side))
    f = as_float_array("fee_rate", fee_rate, ge=0.0, lt=0.1, note="(a fraction: 0.0005 = 0.05 %)")
    fees = f * (np.asarray(notional(entry_price, qty, contract))
                + np.asarray(notional(stop_price, qty, contract)))
    return to_output(lost + fees)


def maintenance_rate_for(price, qty, contract: ContractSpec) -> tuple[float, float]:
    """``(mmr, maint_amount)`` of ``qty`` contracts valued at ``price``: the bracket of that notional
    when the product has tiers, else its flat rate and no amount.

    Exchanges take the bracket of the notional at the mark price, so for a liquidation the price
    to pass is the liquidation price (see :func:`~microfut_lib.margin.liquidation_price`).

    Examples
    --------
    >>> btcusdt = PRESETS["BINANCE-BTCUSDT-PERP"]
    >>> maintenance_rate_for(70_000, 0.01, btcusdt), maintenance_rate_for(70_000, 1, btcusdt)
    ((0.004, 0.0), (0.005, 50.0))
    """
    check_contract(contract)
    value = scalar("notional", notional(price, qty, contract), ge=0.0)
    if contract.margin_tiers is not None:
        return contract.margin_tiers.lookup(min(value, contract.margin_tiers.max_notional))
    if contract.maintenance_margin_rate is None:
        raise ValueError(f"contract {contract.symbol} has no maintenance_margin_rate (its exchange sets "
                         "margin in currency); pass mmr= explicitly")
    return float(contract.maintenance_margin_rate), 0.0


def bracketed_liquidation(entry_price, qty, contract: ContractSpec, side: str, *, leverage=None,
                          margin=None, mm_basis="mark") -> tuple[float, float, float]:
    """``(liquidation price, mmr, maint_amount)`` with the bracket the exchange would apply.

    The price comes from :func:`~microfut_lib.margin.liquidation_price` without an ``mmr`` (the
    bracket of the notional at the liquidation price); the rate and amount are that bracket's.

    Examples
    --------
    >>> lp, mmr, amount = bracketed_liquidation(70_000, 1, PRESETS["BINANCE-BTCUSDT-PERP"], "long",
    ...                                         leverage=10)
    >>> round(lp, 2), mmr, amount
    (63266.33, 0.005, 50.0)
    """
    maintenance_rate_for(entry_price, qty, contract)          # a product without a rate: clear error
    lp = float(liquidation_price(entry_price, qty, contract, side, leverage=leverage, margin=margin,
                                 mm_basis=mm_basis))
    at = lp if 0.0 < lp < float("inf") else float(entry_price)
    rate, amount = maintenance_rate_for(at, qty, contract)
    return lp, rate, amount


def adverse_move(side: str, entry_price: float, price: float) -> float:
    """The move from ``entry_price`` to ``price`` against a ``side`` position, as a fraction of
    entry: ``sign(side) * (entry − price) / entry`` (0.02 = 2 % against you).

    >>> adverse_move("short", 70_000.0, 71_400.0)
    0.02
    """
    return side_sign(side) * (entry_price - price) / entry_price


@dataclass(frozen=True)
class PriceLadder:
    """Entry, stop, liquidation and bankruptcy prices of one position, with what each costs.

    Distances are fractions of the entry price, positive in the losing direction. ``stop_loss`` is
    the loss at the stop (fees included); ``margin`` the initial margin, all of which is lost at
    liquidation on an isolated position. ``str()`` lists the rungs from entry outwards.

    Examples
    --------
    >>> print(price_ladder(70_000, 1, PRESETS["BTC-MICRO"], "long", 10, 68_600, mmr=0.004))
    entry          70,000.00    0.00%
    stop           68,600.00    2.00%  loses 14.00
    liquidation    63,253.01    9.64%  loses the margin, 70.00
    bankruptcy     63,000.00   10.00%  equity 0
    """

    side: str
    entry_price: float
    stop_price: float
    liquidation_price: float
    bankruptcy_price: float
    margin: float
    stop_loss: float
    mmr: float

    def distance(self, price: float) -> float:
        """Adverse move from entry to ``price`` as a fraction of entry (0.02 = 2 % against you)."""
        return adverse_move(self.side, self.entry_price, price)

    @property
    def stop_beyond_liquidation(self) -> bool:
        """True when the stop is at or beyond the liquidation price: liquidation comes first."""
        return self.distance(self.stop_price) >= self.distance(self.liquidation_price)

    def __str__(self) -> str:
        rows = [("entry", self.entry_price, ""),
                ("stop", self.stop_price, f"loses {self.stop_loss:,.2f}"),
                ("liquidation", self.liquidation_price, f"loses the margin, {self.margin:,.2f}"),
                ("bankruptcy", self.bankruptcy_price, "equity 0")]
        rows.sort(key=lambda row: self.distance(row[1]))
        lines = [f"{name:<12}{price:>12,.2f}  {self.distance(price):>7.2%}  {note}".rstrip()
                 for name, price, note in rows]
        if self.warning:
            lines += textwrap.wrap(f"WARNING: {self.warning}", width=66)
        return "\n".join(lines)

    @property
    def warning(self) -> str:
        """A sentence when the stop can never fill, else ``""``."""
        if not self.stop_beyond_liquidation:
            return ""
        return (f"the stop ({self.distance(self.stop_price):.2%} away) lies beyond the liquidation "
                f"price ({self.distance(self.liquidation_price):.2%} away): the position is "
                f"liquidated first and the whole margin ({self.margin:,.2f}) is lost")


def price_ladder(entry_price, qty, contract: ContractSpec, side: str, leverage, stop_price, *,
                 mmr=None, fee_rate=0.0, mm_basis="mark") -> PriceLadder:
    """The :class:`PriceLadder` of an isolated position opened at ``leverage``.

    ``mmr`` defaults to the bracket the exchange applies (:func:`bracketed_liquidation`); liquidation and
    bankruptcy prices come from :func:`~microfut_lib.margin.liquidation_price` and
    :func:`~microfut_lib.margin.bankruptcy_price`. The stop must be on the losing side of entry.

    Examples
    --------
    A 3 % stop is fine at 10x and beyond liquidation at 50x (liquidation 1.6 % away):

    >>> micro = PRESETS["BTC-MICRO"]
    >>> price_ladder(70_000, 1, micro, "long", 10, 67_900, mmr=0.004).stop_beyond_liquidation
    False
    >>> ladder = price_ladder(70_000, 1, micro, "long", 50, 67_900, mmr=0.004)
    >>> ladder.stop_beyond_liquidation, round(ladder.liquidation_price, 2)
    (True, 68875.5)
    """
    check_contract(contract)
    s = side_sign(side)
    side = "long" if s > 0 else "short"
    ep = scalar("entry_price", entry_price, gt=0.0)
    sp = scalar("stop_price", stop_price, gt=0.0)
    q = scalar("qty", qty, gt=0.0)
    if s * (ep - sp) <= 0:
        raise ValueError(f"stop_price must be {'below' if s > 0 else 'above'} entry_price for a "
                         f"{side}; got {sp:g} against {ep:g}")
    if mmr is None:
        lp, mmr, _ = bracketed_liquidation(ep, q, contract, side, leverage=leverage,
                                           mm_basis=mm_basis)
    else:
        lp = float(liquidation_price(ep, q, contract, side, leverage=leverage, mmr=mmr,
                                     mm_basis=mm_basis))
    bp = float(bankruptcy_price(ep, contract, side, leverage))
    margin = float(initial_margin(ep, q, contract, leverage))
    lost = float(loss_at_stop(ep, sp, q, contract, side, fee_rate=fee_rate))
    return PriceLadder(side, ep, sp, lp, bp, margin, lost, float(mmr))
