"""Isolated vs cross margin, and what moves a liquidation price (bracket, fees, added margin).

- **Isolated**: the position's margin is its initial margin (plus what you add); liquidation takes
  that margin and nothing else from the wallet.
- **Cross**: the whole wallet balance backs the position. With a single position the
  liquidation price is :func:`~microfut_lib.margin.liquidation_price` with ``margin = wallet``: it
  is much further away, but when it is reached the wallet is what is lost.

At liquidation the exchange closes the position near the liquidation price and keeps what is left
of the margin (Binance: the remainder goes to the insurance fund), so the loss is counted here as
the whole margin at stake: the initial margin (isolated) or the wallet (cross).

The maintenance margin can include the fee to close the position (Bybit: "maintenance margin =
position value × MMR + estimated fee to close"); ``close_fee_rate`` adds it as
``mmr + close_fee_rate``. The rate and maintenance amount come from the bracket of the notional at
the liquidation price when the product has tiers (:func:`~microfut_lib.stops.bracketed_liquidation`). Sources: Binance
Futures, "Cross margin and isolated margin modes"; Bybit, "Liquidation price (USDT contract)".
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, check_contract, choice, scalar, side_sign, to_output
from .contracts import ContractSpec
from .margin import initial_margin, liquidation_price, notional
from .profit import pnl
from .stops import adverse_move, bracketed_liquidation

__all__ = ["tiered_liquidation_price", "MarginModes", "compare_margin_modes", "balance_after_move"]

MODES = ("isolated", "cross")


def tiered_liquidation_price(entry_price, qty, contract: ContractSpec, side: str, *, leverage=None,
                             margin=None, mmr=None, close_fee_rate=0.0, mm_basis="mark") -> float:
    """Liquidation price with the position's own bracket and, optionally, the fee to close.

    ``mmr`` defaults to the bracket the exchange applies, that of the notional at the liquidation
    price (:func:`~microfut_lib.stops.bracketed_liquidation`), with its maintenance amount; with a
    fee to close, the rate used is that bracket's ``mmr + close_fee_rate``. Give ``leverage`` (isolated,
    margin = notional / leverage) or ``margin`` (isolated with added margin, or the wallet for
    cross).

    Examples
    --------
    Binance BTCUSDT at 10x: 0.01 BTC sits in bracket 1 (0.4 %), 1 BTC ($70,000) in bracket 2
    (0.5 %, amount 50): the bigger position is liquidated slightly closer to entry.

    >>> btcusdt = PRESETS["BINANCE-BTCUSDT-PERP"]
    >>> [round(tiered_liquidation_price(70_000, q, btcusdt, "long", leverage=10), 2) for q in (0.01, 1)]
    [63253.01, 63266.33]
    >>> round(tiered_liquidation_price(70_000, 0.01, btcusdt, "long", leverage=10,
    ...                                close_fee_rate=0.0005), 2)
    63284.78
    """
    check_contract(contract)
    ep = scalar("entry_price", entry_price, gt=0.0)
    q = scalar("qty", qty, gt=0.0)
    fee = scalar("close_fee_rate", close_fee_rate, ge=0.0, lt=0.1, note="(a fraction: 0.0005 = 0.05 %)")
    amount = 0.0
    if mmr is None:
        lp, mmr, amount = bracketed_liquidation(ep, q, contract, side, leverage=leverage,
                                                margin=margin, mm_basis=mm_basis)
        if fee == 0.0:
            return lp
    rate = scalar("mmr", mmr, ge=0.0, lt=1.0)
    return float(liquidation_price(ep, q, contract, side, leverage=leverage, margin=margin,
                                   mmr=rate + fee, maint_amount=amount, mm_basis=mm_basis))


@dataclass(frozen=True)
class MarginModes:
    """One position under both modes: liquidation prices and the money each puts at stake.

    At stake: the initial margin (isolated); the wallet (cross), or the position's notional where
    no price can liquidate the cross position (then the wallet covers any loss).
    """

    side: str
    entry_price: float
    isolated_liquidation_price: float
    cross_liquidation_price: float
    isolated_at_stake: float
    cross_at_stake: float

    def distance(self, price: float) -> float:
        """Adverse move from entry to ``price``, a fraction of entry."""
        return adverse_move(self.side, self.entry_price, price)

    def __str__(self) -> str:
        def where(price: float) -> str:
            if price == 0.0 or price == float("inf"):
                return "no price liquidates it"
            return f"liquidated at {price:,.2f} ({self.distance(price):.2%} away)"
        return (f"isolated: {where(self.isolated_liquidation_price)}, "
                f"at stake {self.isolated_at_stake:,.2f}\n"
                f"cross:    {where(self.cross_liquidation_price)}, at stake {self.cross_at_stake:,.2f}")


def compare_margin_modes(entry_price, qty, contract: ContractSpec, side: str, leverage, wallet, *,
                         mmr=None) -> MarginModes:
    """The same position opened at ``leverage`` in isolated mode and in cross mode with ``wallet``.

    ``wallet`` (settle currency) must cover the initial margin. Cross assumes this is the only
    open position (other positions' losses would move its liquidation price too).

    Examples
    --------
    One 0.01 BTC contract at 10x from a $1,000 wallet: isolated risks $70 and is liquidated 9.64 %
    away; in cross mode the wallet exceeds the $700 notional, so no price above 0 liquidates it.
    Ten contracts ($7,000): cross is liquidated 13.94 % away, and then the whole $1,000 is gone.

    >>> m = compare_margin_modes(70_000, 1, PRESETS["BTC-MICRO"], "long", 10, 1_000, mmr=0.004)
    >>> round(m.isolated_liquidation_price, 2), m.cross_liquidation_price, m.isolated_at_stake
    (63253.01, 0.0, 70.0)
    >>> m = compare_margin_modes(70_000, 10, PRESETS["BTC-MICRO"], "long", 10, 1_000, mmr=0.004)
    >>> round(m.cross_liquidation_price, 2), round(m.distance(m.cross_liquidation_price), 4)
    (60240.96, 0.1394)
    """
    check_contract(contract)
    s = side_sign(side)
    side = "long" if s > 0 else "short"
    money = scalar("wallet", wallet, gt=0.0)
    im = float(initial_margin(entry_price, qty, contract, leverage))
    if money < im:
        raise ValueError(f"wallet must cover the initial margin ({im:,.2f}); got {money:,.2f}")
    iso = tiered_liquidation_price(entry_price, qty, contract, side, leverage=leverage, mmr=mmr)
    cross = tiered_liquidation_price(entry_price, qty, contract, side, margin=money, mmr=mmr)
    # where no price liquidates the cross position, the most it can lose is its notional at entry
    # (a linear long at a price of 0, an inverse short at an infinite price)
    reachable = 0.0 < cross < float("inf")
    at_stake = money if reachable else float(notional(entry_price, qty, contract))
    return MarginModes(side, float(entry_price), iso, cross, im, at_stake)


def balance_after_move(entry_price, worst_price, qty, contract: ContractSpec, side: str, leverage,
                       wallet, *, mode="isolated", mmr=None):
    """Wallet balance after the price reaches ``worst_price`` and the position is closed there.

    If ``worst_price`` reaches the mode's liquidation price, the margin at stake is lost (the
    initial margin for isolated, the wallet for cross); otherwise the balance is
    ``wallet + pnl(entry, worst_price)``. Fees are left out. Vectorized over ``worst_price``.

    Examples
    --------
    Ten 0.01 BTC contracts ($7,000) at 10x from $1,000: a 12 % fall.

    >>> micro = PRESETS["BTC-MICRO"]
    >>> balance_after_move(70_000, 61_600, 10, micro, "long", 10, 1_000, mode="isolated", mmr=0.004)
    300.0
    >>> round(balance_after_move(70_000, 61_600, 10, micro, "long", 10, 1_000, mode="cross", mmr=0.004), 2)
    160.0
    """
    choice("mode", mode, MODES)
    modes = compare_margin_modes(entry_price, qty, contract, side, leverage, wallet, mmr=mmr)
    worst = as_float_array("worst_price", worst_price, gt=0.0)
    if mode == "isolated":
        lp, at_stake = modes.isolated_liquidation_price, modes.isolated_at_stake
    else:
        lp, at_stake = modes.cross_liquidation_price, modes.cross_at_stake
    s = 1.0 if modes.side == "long" else -1.0
    liquidated = s * (worst - lp) <= 0.0
    change = np.asarray(pnl(entry_price, worst, qty, contract, modes.side))
    return to_output(np.where(liquidated, wallet - at_stake, wallet + change))
