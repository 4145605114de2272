"""Contract specifications: what one contract is, and real products as presets.

Field names follow the market vocabulary of ccxt (``contractSize``, ``linear``/``inverse``,
``settle``, ``precision``, ``limits.leverage``, ``maker``/``taker``) in snake_case.

- **linear** contract: ``contract_size`` is in the base coin (0.01 BTC); price, margin and PnL are
  in the quote currency (USD or USDT).
- **inverse** contract: ``contract_size`` is a face value in the quote currency (100 USD); margin
  and PnL are in the base coin (BTC).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ._validate import ContractBase, as_float_array, check_contract, choice, scalar, text, to_output
from .tiers import BINANCE_BTCUSDT_TIERS, MarginSchedule

KINDS = ("linear", "inverse")
MARKET_TYPES = ("swap", "future")


@dataclass(frozen=True)
class ContractSpec(ContractBase):
    """One futures product.

    Parameters
    ----------
    symbol : str
        A short name, e.g. ``"BTC-MICRO"``.
    contract_size : float
        Linear: coin per contract (0.01 BTC). Inverse: USD face value per contract (100).
    kind : {"linear", "inverse"}
        Linear contracts settle in the quote currency, inverse ones in the coin.
    base, quote : str
        The coin and the currency it is priced in.
    settle : str, optional
        The currency margin and PnL are paid in; by default the quote for linear, the base for
        inverse contracts.
    tick_size : float
        The smallest price step, in quote currency per coin.
    qty_step : float
        The smallest step of quantity (in contracts) an order may have.
    min_qty : float, optional
        The smallest order quantity in contracts (default: one ``qty_step``).
    max_leverage : float or None
        The product's leverage cap; ``None`` where the exchange sets margin in currency instead of
        publishing a cap (CME, Coinbase Derivatives).
    maker_fee, taker_fee : float or None
        Fee rates as fractions of notional (0.0002 = 0.02 %), where the product publishes them.
    maintenance_margin_rate : float or None
        The first-tier rate (0.005 = 0.5 %); ``None`` for products margined in currency.
    margin_tiers : MarginSchedule or None
        The full bracket table where it is modelled.
    market_type : {"swap", "future"}
        ``"swap"`` is a perpetual, ``"future"`` has an expiry date.
    exchange, source, as_of : str
        Where the numbers come from, and when they were checked.

    Examples
    --------
    >>> micro = ContractSpec(symbol="X", contract_size=0.01, kind="linear")
    >>> micro.settle, micro.qty_step, micro.max_leverage
    ('USD', 1.0, 125.0)
    >>> PRESETS["CME-MBT"].tick_value   # $5 per bitcoin on 0.1 BTC
    0.5
    """

    symbol: str
    contract_size: float
    kind: Literal["linear", "inverse"] = "linear"
    base: str = "BTC"
    quote: str = "USD"
    settle: str | None = None
    tick_size: float = 0.01
    qty_step: float = 1.0
    min_qty: float | None = None
    max_leverage: float | None = 125.0
    maker_fee: float | None = None
    taker_fee: float | None = None
    maintenance_margin_rate: float | None = 0.005
    margin_tiers: MarginSchedule | None = field(default=None, repr=False)
    market_type: Literal["swap", "future"] = "swap"
    exchange: str = ""
    source: str = field(default="", repr=False)
    as_of: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        for name in ("symbol", "base", "quote", "exchange", "source", "as_of"):
            text(name, getattr(self, name))
        text("settle", self.settle, optional=True)
        choice("kind", self.kind, KINDS)
        choice("market_type", self.market_type, MARKET_TYPES)
        for name in ("contract_size", "tick_size", "qty_step"):
            object.__setattr__(self, name, scalar(name, getattr(self, name), gt=0.0))
        min_qty = self.qty_step if self.min_qty is None else self.min_qty
        object.__setattr__(self, "min_qty", scalar("min_qty", min_qty, gt=0.0))
        if self.max_leverage is not None:
            object.__setattr__(self, "max_leverage", scalar("max_leverage", self.max_leverage, ge=1.0,
                                                            le=1e6))
        for name in ("maker_fee", "taker_fee"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, scalar(name, getattr(self, name), ge=0.0, le=0.01,
                                                      note="(a fraction: 0.0005 = 0.05 %)"))
        if self.maintenance_margin_rate is not None:
            upper = 1.0 / self.max_leverage if self.max_leverage else 1.0
            object.__setattr__(self, "maintenance_margin_rate", scalar(
                "maintenance_margin_rate", self.maintenance_margin_rate, ge=0.0, lt=upper,
                note="(below the initial margin rate at the maximum leverage)"))
        if self.margin_tiers is not None and not isinstance(self.margin_tiers, MarginSchedule):
            raise ValueError(f"margin_tiers must be a MarginSchedule or None; got {self.margin_tiers!r:.60}")
        if self.settle is None:
            object.__setattr__(self, "settle", self.quote if self.kind == "linear" else self.base)

    @property
    def is_inverse(self) -> bool:
        """True for an inverse (coin-margined) contract."""
        return self.kind == "inverse"

    @property
    def tick_value(self) -> float:
        """Value of one price tick on one contract, in the settle currency at the tick's price.

        Linear: ``tick_size × contract_size`` (quote currency). For an inverse contract a tick's
        value depends on the price, so this raises.
        """
        if self.is_inverse:
            raise ValueError("tick_value depends on the price for an inverse contract; "
                             "use pnl(price, price + tick_size, 1, contract, 'long')")
        return round(self.tick_size * self.contract_size, 12)


def _preset(**kwargs) -> ContractSpec:
    return ContractSpec(**kwargs)


#: Named contract specifications. The three ``BTC-*`` sizes are the article's teaching sizes
#: (1, 0.01 and 0.001 BTC, linear, generic); the others are real products with their source.
PRESETS: dict[str, ContractSpec] = {
    "BTC-STANDARD": _preset(
        symbol="BTC-STANDARD", contract_size=1.0, tick_size=0.1,
        source="Teaching size from the course's source article (section 2.1): 1 BTC",
        as_of="2025-12-06"),
    "BTC-MICRO": _preset(
        symbol="BTC-MICRO", contract_size=0.01, tick_size=0.1,
        source="Teaching size from the course's source article (section 2.1): 0.01 BTC",
        as_of="2025-12-06"),
    "BTC-NANO": _preset(
        symbol="BTC-NANO", contract_size=0.001, tick_size=0.1,
        source="Teaching size from the course's source article (section 2.1): 0.001 BTC",
        as_of="2025-12-06"),
    "CME-BTC": _preset(
        symbol="BTC", contract_size=5.0, tick_size=5.0, max_leverage=None,
        maintenance_margin_rate=None, market_type="future", exchange="CME",
        source="CME Group, Bitcoin futures contract specs: 5 bitcoin per contract, "
               "tick $5.00 per bitcoin = $25.00 per contract; margin set by CME in USD",
        as_of="2025-11"),
    "CME-MBT": _preset(
        symbol="MBT", contract_size=0.1, tick_size=5.0, max_leverage=None,
        maintenance_margin_rate=None, market_type="future", exchange="CME",
        source="CME Group, Micro Bitcoin futures contract specs: 0.1 bitcoin per contract, "
               "tick $5.00 per bitcoin = $0.50 per contract",
        as_of="2025-11"),
    "CME-MET": _preset(
        symbol="MET", contract_size=0.1, base="ETH", tick_size=0.5, max_leverage=None,
        maintenance_margin_rate=None, market_type="future", exchange="CME",
        source="CME Group, Micro Ether futures contract specs: 0.1 ether per contract, "
               "tick $0.50 per ether = $0.05 per contract",
        as_of="2025-11"),
    "COINBASE-BIT": _preset(
        symbol="BIT", contract_size=0.01, tick_size=5.0, max_leverage=None,
        maintenance_margin_rate=None, market_type="future", exchange="Coinbase Derivatives",
        source="Coinbase Derivatives, Nano Bitcoin futures (BIT): 1/100 bitcoin per contract, "
               "tick $5.00 per bitcoin = $0.05 per contract",
        as_of="2025-11"),
    "BINANCE-BTCUSDT-PERP": _preset(
        symbol="BTCUSDT", contract_size=1.0, quote="USDT", tick_size=0.1, qty_step=0.001,
        max_leverage=125.0, maker_fee=0.0002, taker_fee=0.0005, maintenance_margin_rate=0.004,
        margin_tiers=BINANCE_BTCUSDT_TIERS, exchange="Binance USDⓈ-M",
        source="Binance Futures trading rules, BTCUSDT perpetual: quantity step 0.001 BTC, tick 0.10 "
               "USDT, 125x; regular-user fees maker 0.0200 % / taker 0.0500 %; brackets of "
               "2021-03-18 (see tiers.BINANCE_BTCUSDT_TIERS)",
        as_of="2025-11"),
    "BINANCE-BTCUSD-PERP": _preset(
        symbol="BTCUSD_PERP", contract_size=100.0, kind="inverse", tick_size=0.1, qty_step=1.0,
        max_leverage=125.0, maker_fee=0.0002, taker_fee=0.0005, maintenance_margin_rate=0.004,
        exchange="Binance COIN-M",
        source="Binance Futures trading rules, COIN-M BTCUSD perpetual: 100 USD per contract, tick 0.1; "
               "regular-user fees maker 0.0200 % / taker 0.0500 %; first bracket 0.40 %",
        as_of="2025-11"),
    "BYBIT-BTCUSD-INVERSE": _preset(
        symbol="BTCUSD", contract_size=1.0, kind="inverse", tick_size=0.5, qty_step=1.0,
        max_leverage=100.0, maker_fee=0.0002, taker_fee=0.00055, maintenance_margin_rate=0.005,
        exchange="Bybit",
        source="Bybit inverse perpetual BTCUSD contract specs: 1 USD per contract, tick 0.5, 100x; "
               "base fees maker 0.0200 % / taker 0.0550 %; first risk-limit tier MMR 0.5 %",
        as_of="2025-11"),
}


def floor_to_step(qty, contract: ContractSpec):
    """Round quantities down to the product's ``qty_step``; below ``min_qty`` becomes 0.

    A tolerance of 1e-9 steps absorbs binary rounding, so 0.007 / 0.001 counts as 7 steps.

    Examples
    --------
    >>> floor_to_step(7.14, PRESETS["BTC-NANO"])
    7.0
    >>> floor_to_step(0.00714, PRESETS["BINANCE-BTCUSDT-PERP"])
    0.007
    """
    check_contract(contract)
    return _floor_to_step(as_float_array("qty", qty, ge=0.0), contract)


def _floor_to_step(values: np.ndarray, contract: ContractSpec):
    """:func:`floor_to_step` for quantities already checked (finite, >= 0)."""
    steps = np.floor(values / contract.qty_step + 1e-9)
    # Round away binary noise at the step's own precision (0.007, not 0.007000000000000001).
    decimals = max(0, int(np.ceil(-np.log10(contract.qty_step)))) + 2
    rounded = np.round(steps * contract.qty_step, decimals)
    return to_output(np.where(rounded + 1e-12 >= contract.min_qty, rounded, 0.0))
