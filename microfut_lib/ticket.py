"""One trade, end to end, on one ticket: size → margin → liquidation → stop → fees → funding → PnL.

:func:`trade_ticket` plans a single trade the way the course teaches it and returns every number
on a :class:`TradeTicket`, each from the library's own functions:

1. **size**: the most contracts whose loss at the stop, fees included, fits ``risk_fraction`` of
   the account (:func:`~microfut_lib.ladder.contracts_within_risk`), capped by what the account
   can margin (:func:`~microfut_lib.margin.max_open_qty`);
2. **margin**: :func:`~microfut_lib.margin.initial_margin` and
   :func:`~microfut_lib.margin.maintenance_margin` (isolated margin);
3. **liquidation**: :func:`~microfut_lib.margin.liquidation_price` (mark-price basis) and
   :func:`~microfut_lib.margin.bankruptcy_price`; the ticket warns when the stop sits beyond it;
4. **stop**: ``entry·(1 ∓ stop_pct/100)`` and :func:`~microfut_lib.risk.risk_at_stop`;
5. **fees**: :func:`~microfut_lib.profit.trading_fee` on entry and exit (taker);
6. **funding**: :func:`~microfut_lib.funding.cumulative_funding` over ``floor(holding_hours/8)``
   settlements, with the mark price taken as the entry price (the ticket is a plan: the real
   payments follow the mark price at each settlement);
7. **PnL** at the planned exit: :func:`~microfut_lib.profit.pnl`, and the result as a
   :class:`~microfut_lib.journal.Trade` (net PnL and R-multiple). An exit beyond the stop is
   replaced by the stop (the stop fills first, ignoring gaps), and one beyond the liquidation
   price by the loss of the margin.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ._validate import scalar, side_sign
from .contracts import PRESETS, ContractSpec
from .funding import cumulative_funding
from .journal import Trade
from .ladder import contracts_within_risk
from .margin import (
    bankruptcy_price,
    initial_margin,
    liquidation_price,
    maintenance_margin,
    max_open_qty,
    notional,
)
from .profit import trading_fee
from .risk import risk_at_stop, risk_budget

__all__ = ["TradeTicket", "trade_ticket"]


@dataclass(frozen=True)
class TradeTicket:
    """Every number of one planned trade (USD; prices in USD per BTC). See :func:`trade_ticket`."""

    account_usd: float
    side: str
    contract: ContractSpec
    entry_price_usd: float
    leverage: float
    risk_fraction: float
    risk_budget_usd: float
    qty: float
    notional_usd: float
    initial_margin_usd: float
    maintenance_margin_usd: float
    liquidation_price_usd: float
    bankruptcy_price_usd: float
    stop_price_usd: float
    loss_at_stop_usd: float
    entry_fee_usd: float
    exit_fee_at_stop_usd: float
    funding_usd: float
    n_funding: int
    exit_price_usd: float
    outcome: str
    trade: Trade

    @property
    def liquidation_distance_pct(self) -> float:
        """How far the price may move against the position before liquidation, % of entry."""
        return abs(self.liquidation_price_usd / self.entry_price_usd - 1.0) * 100.0

    @property
    def stop_before_liquidation(self) -> bool:
        """True when the stop is reached before the liquidation price."""
        return (self.stop_price_usd - self.liquidation_price_usd) * side_sign(self.side) > 0

    @property
    def risk_usd(self) -> float:
        """Loss at the stop plus both fees: what the trade really risks."""
        return self.loss_at_stop_usd + self.entry_fee_usd + self.exit_fee_at_stop_usd

    def rows(self) -> list[tuple[str, str, str]]:
        """(step, quantity, value) rows of the one-page ticket."""
        c, t = self.contract, self.trade
        usd = _usd
        return [
            ("1 size", "risk budget", f"{usd(self.risk_budget_usd)} ({self.risk_fraction:.1%} of {usd(self.account_usd)})"),
            ("1 size", "contracts", f"{self.qty:g} × {c.contract_size:g} BTC = {self.qty * c.contract_size:g} BTC"),
            ("2 margin", "notional", usd(self.notional_usd)),
            ("2 margin", "initial margin", f"{usd(self.initial_margin_usd)} at {self.leverage:g}x"),
            ("2 margin", "maintenance margin", usd(self.maintenance_margin_usd)),
            ("3 liquidation", "liquidation price", f"{usd(self.liquidation_price_usd)} "
                                                    f"({self.liquidation_distance_pct:.2f} % away)"),
            ("3 liquidation", "bankruptcy price", usd(self.bankruptcy_price_usd)),
            ("4 stop", "stop price", usd(self.stop_price_usd) + ("" if self.stop_before_liquidation
                                                                 else "  (beyond liquidation!)")),
            ("4 stop", "loss at the stop", usd(self.loss_at_stop_usd)),
            ("5 fees", "entry + exit at stop", f"{usd(self.entry_fee_usd)} + {usd(self.exit_fee_at_stop_usd)}"),
            ("5 fees", "risk incl. fees", f"{usd(self.risk_usd)} ({self.risk_usd / self.account_usd:.2%} of the account)"),
            ("6 funding", f"{self.n_funding} settlement(s)", usd(self.funding_usd)),
            ("7 PnL", f"exit ({self.outcome})", usd(self.exit_price_usd)),
            ("7 PnL", "price PnL, fees, funding", f"{usd(t.pnl)}, {usd(-t.fees)}, {usd(t.funding)}"),
            ("7 PnL", "net PnL", f"{usd(t.net_pnl)} = {t.r_multiple:+.2f} R, "
                                 f"{t.net_pnl / self.account_usd:+.2%} of the account"),
        ]

    def __str__(self) -> str:
        return "\n".join(f"{step:<14}{name:<28}{value}" for step, name, value in self.rows())

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td>{a}</td><td>{b}</td><td style='text-align:right'>{v}</td></tr>"
                       for a, b, v in self.rows())
        return f"<table class='mf-ticket'><tr><th>step</th><th>quantity</th><th>value</th></tr>{body}</table>"


def _usd(x: float) -> str:
    return f"{'−' if x < 0 else ''}${abs(x):,.2f}"


def _size(account, risk_fraction, entry, stop_pct, contract, leverage, fee_rate, side) -> float:
    by_risk = float(contracts_within_risk(account, risk_fraction, entry, stop_pct, contract,
                                          fee_rate=fee_rate, side=side))
    by_margin = float(max_open_qty(account, entry, contract, leverage, fee_rate=fee_rate))
    qty = min(by_risk, by_margin)
    if qty <= 0:
        why = ("one contract risks more than the budget at this stop: use a smaller contract, a "
               "closer stop or a larger risk fraction") if by_risk <= 0 else \
              "the account cannot margin one contract at this leverage"
        raise ValueError(f"no position fits: {why}")
    return qty


def trade_ticket(account_usd: float = 1_000.0, entry_price_usd: float = 70_000.0, side: str = "long", *,
                 contract: ContractSpec = PRESETS["BTC-NANO"], leverage: float = 5.0,
                 stop_pct: float = 2.0, risk_fraction: float = 0.01, fee_rate: float = 0.0005,
                 funding_rate_per_8h: float = 0.0001, holding_hours: float = 24.0,
                 exit_price_usd: float = 72_800.0, mmr: float = 0.004) -> TradeTicket:
    """Plan one trade from the account to the PnL (see the module notes for each step).

    Examples
    --------
    $1,000, 1 % risk, long nano contracts at $70,000 with a 2 % stop, 5x, held a day, exit +4 %:

    >>> t = trade_ticket()
    >>> t.qty, round(t.initial_margin_usd, 2), round(t.liquidation_price_usd, 2)
    (6.0, 84.0, 56224.9)
    >>> round(t.risk_usd, 2), round(t.funding_usd, 4), round(t.trade.net_pnl, 2)
    (8.82, -0.126, 16.25)
    """
    account = scalar("account_usd", account_usd, gt=0.0)
    entry = scalar("entry_price_usd", entry_price_usd, gt=0.0)
    s = side_sign(side)
    stop_pct = scalar("stop_pct", stop_pct, ge=0.01, lt=100.0, note="(percent from the entry)")
    hours = scalar("holding_hours", holding_hours, ge=0.0, le=24.0 * 365)
    exit_price = scalar("exit_price_usd", exit_price_usd, gt=0.0)
    qty = _size(account, risk_fraction, entry, stop_pct, contract, leverage, fee_rate, side)
    margin = float(initial_margin(entry, qty, contract, leverage))
    liq = float(liquidation_price(entry, qty, contract, side, leverage=leverage, mmr=mmr))
    stop = entry * (1.0 - s * stop_pct / 100.0)
    n_funding = int(math.floor(hours / 8.0))
    funding = float(cumulative_funding(entry, qty, contract, side, funding_rate_per_8h, n_funding))
    outcome, fill = "planned exit", exit_price
    if (stop - liq) * s <= 0 and (exit_price - liq) * s <= 0:
        outcome, fill = "liquidated", liq
    elif (exit_price - stop) * s <= 0:
        outcome, fill = "stopped", stop
    trade = Trade.from_prices(side, qty, entry, fill, contract, fee_rate=fee_rate, funding=funding,
                              stop_price=stop)
    if outcome == "liquidated":
        trade = trade._replace(pnl=-margin, fees=float(trading_fee(entry, qty, contract, fee_rate)),
                               exit_reason="liquidation", initial_margin=margin)
    return TradeTicket(
        account, side, contract, entry, float(leverage), float(risk_fraction),
        float(risk_budget(account, risk_fraction)), qty, float(notional(entry, qty, contract)), margin,
        float(maintenance_margin(entry, qty, contract, mmr)), liq,
        float(bankruptcy_price(entry, contract, side, leverage)), stop,
        float(risk_at_stop(entry, stop, qty, contract)), float(trading_fee(entry, qty, contract, fee_rate)),
        float(trading_fee(stop, qty, contract, fee_rate)), funding, n_funding, fill, outcome, trade)
