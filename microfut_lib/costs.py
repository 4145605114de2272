"""The cost of trading as arithmetic: fees per round trip and funding, as a share of the margin.

Two fee schedules:

- **a percentage of notional** (crypto exchanges: maker/taker rates, 0.02 % / 0.05 % for a regular
  Binance user): ``fee = rate × notional``, the same share of any position whatever its size;
- **a fixed fee per contract** (CME and the brokers that clear it): ``fee = qty × fee_per_contract``,
  which as a share of notional is ``fee_per_contract / (contract_size × price)``: the smaller the
  contract, the heavier the same dollar fee.

A round trip pays twice (entry and exit). Measured against the margin, everything is multiplied by
the leverage, because the margin is notional / leverage::

    percent schedule:  round trip / margin = 2 × rate × L
    fixed schedule:    round trip / margin = 2 × fee_per_contract × L / (contract_size × price)
    funding:           n × rate_per_8h × L      over n funding settlements held (every 8 h)

The per-contract figure used in the lessons, :data:`ILLUSTRATIVE_FEE_PER_CONTRACT_USD`, is an
illustration, not a quote: a per-side total (exchange, clearing and broker) of the order of
what retail brokers charge for a CME Micro Bitcoin contract (0.1 BTC). Check your broker's
schedule before relying on it. Sources: Binance Futures fee schedule ("fee = notional × fee
rate"); CME Group, Micro Bitcoin futures contract specifications (0.1 bitcoin per contract; fees
per contract set by the exchange and the broker).
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_contract, scalar, to_output
from .contracts import PRESETS, ContractSpec
from .funding import cumulative_funding
from .margin import initial_margin, notional
from .profit import trading_fee

__all__ = ["ILLUSTRATIVE_FEE_PER_CONTRACT_USD", "fee_share_of_notional", "round_trip_cost",
           "round_trip_cost_of_margin", "funding_cost_of_margin", "holding_cost_of_margin"]

#: Per side, per contract, in USD: an illustrative all-in figure (exchange + clearing + broker)
#: for a CME Micro Bitcoin contract; not a quoted price.
ILLUSTRATIVE_FEE_PER_CONTRACT_USD = 2.50


def _schedule(fee_rate, fee_per_contract):
    if (fee_rate is None) == (fee_per_contract is None):
        raise ValueError("give exactly one of fee_rate= (a fraction of notional, 0.0005 = 0.05 %) or "
                         "fee_per_contract= (money per contract per side)")
    if fee_rate is not None:
        return as_float_array("fee_rate", fee_rate, ge=0.0, le=0.1, note="(0.0005 = 0.05 %)"), None
    return None, as_float_array("fee_per_contract", fee_per_contract, ge=0.0)


def fee_share_of_notional(price, contract: ContractSpec, fee_per_contract):
    """A fixed fee per contract as a fraction of the contract's notional: ``fee / (size × price)``.

    Examples
    --------
    $2.50 on a CME Micro Bitcoin contract (0.1 BTC at $70,000, $7,000) and on the 5 BTC contract:

    >>> round(fee_share_of_notional(70_000, PRESETS["CME-MBT"], 2.5), 6)
    0.000357
    >>> round(fee_share_of_notional(70_000, PRESETS["CME-BTC"], 2.5), 8)
    7.14e-06
    """
    fee = as_float_array("fee_per_contract", fee_per_contract, ge=0.0)
    return to_output(fee / np.asarray(notional(price, 1.0, contract)))


def round_trip_cost(price, qty, contract: ContractSpec, *, fee_rate=None, fee_per_contract=None):
    """Fees to open and close ``qty`` contracts at ``price`` (settle currency).

    ``2 × trading_fee(price, qty, rate)`` or ``2 × qty × fee_per_contract``.

    Examples
    --------
    >>> round(round_trip_cost(70_000, 1, PRESETS["BTC-MICRO"], fee_rate=0.0005), 2)
    0.7
    >>> round_trip_cost(70_000, 3, PRESETS["CME-MBT"], fee_per_contract=2.5)
    15.0
    """
    check_contract(contract)
    rate, fixed = _schedule(fee_rate, fee_per_contract)
    if rate is not None:
        return to_output(2.0 * np.asarray(trading_fee(price, qty, contract, rate)))
    q = as_float_array("qty", qty, ge=0.0)
    as_float_array("price", price, gt=0.0)
    return to_output(2.0 * q * fixed)


def round_trip_cost_of_margin(price, contract: ContractSpec, leverage, *, fee_rate=None,
                              fee_per_contract=None):
    """A round trip's fees as a fraction of the initial margin (one contract; the size cancels).

    Examples
    --------
    At 10x: 0.05 % taker on each side costs 1 % of the margin on any contract; $2.50 per side on a
    CME micro (0.1 BTC) costs 0.71 % of its margin, on the 5 BTC contract 0.014 %:

    >>> round(round_trip_cost_of_margin(70_000, PRESETS["BTC-MICRO"], 10, fee_rate=0.0005), 6)
    0.01
    >>> [round(round_trip_cost_of_margin(70_000, PRESETS[k], 10, fee_per_contract=2.5), 6)
    ...  for k in ("CME-MBT", "CME-BTC")]
    [0.007143, 0.000143]
    """
    fees = np.asarray(round_trip_cost(price, 1.0, contract, fee_rate=fee_rate,
                                      fee_per_contract=fee_per_contract))
    return to_output(fees / np.asarray(initial_margin(price, 1.0, contract, leverage)))


def funding_cost_of_margin(leverage, rate_per_8h, hours, *, contract: ContractSpec | None = None,
                           price=70_000.0, interval_hours=8.0):
    """Funding paid by a long over ``hours`` as a fraction of its margin (negative = received).

    The position pays at each settlement it is held through: ``n = floor(hours / interval_hours)``,
    and ``cost / margin = n × rate × L`` (from :func:`~microfut_lib.funding.cumulative_funding`,
    at a constant price and rate).

    Examples
    --------
    0.01 % per 8 h held for 30 days at 10x: 90 settlements, 9 % of the margin; a year, 109.5 %:

    >>> round(funding_cost_of_margin(10, 0.0001, 24 * 30), 6), round(funding_cost_of_margin(10, 0.0001, 8760), 6)
    (0.09, 1.095)
    """
    contract = PRESETS["BTC-MICRO"] if contract is None else contract
    check_contract(contract)
    h = as_float_array("hours", hours, ge=0.0)
    step = scalar("interval_hours", interval_hours, gt=0.0)
    n = np.floor(h / step + 1e-9)
    paid = -np.asarray(cumulative_funding(price, 1.0, contract, "long", rate_per_8h, n))
    return to_output(paid / np.asarray(initial_margin(price, 1.0, contract, leverage)))


def holding_cost_of_margin(leverage, hours, *, fee_rate=0.0005, rate_per_8h=0.0001,
                           contract: ContractSpec | None = None, price=70_000.0):
    """Round-trip fees plus funding over ``hours``, as a fraction of the margin (a long).

    Examples
    --------
    >>> round(holding_cost_of_margin(10, 24 * 7), 6)     # 1 % fees + 21 × 0.01 % × 10
    0.031
    """
    contract = PRESETS["BTC-MICRO"] if contract is None else contract
    fees = np.asarray(round_trip_cost_of_margin(price, contract, leverage, fee_rate=fee_rate))
    return to_output(fees + np.asarray(funding_cost_of_margin(leverage, rate_per_8h, hours,
                                                              contract=contract, price=price)))
