"""Lesson 02 (mechanics): notional, margin, brackets, linear vs inverse, funding."""
from __future__ import annotations

import math

from ..check import Choice, Exercise, near, scaled
from ..contracts import PRESETS
from ..funding import cumulative_funding
from ..margin import initial_margin, notional
from ..profit import pnl
from ..tiers import BINANCE_BTCUSDT_TIERS

_MICRO, _NANO = PRESETS["BTC-MICRO"], PRESETS["BTC-NANO"]
_INVERSE = PRESETS["BINANCE-BTCUSD-PERP"]


def _micros_into_bracket_2(price_usd: float) -> float:
    """The fewest micro contracts whose notional passes the first bracket's cap."""
    cap = BINANCE_BTCUSDT_TIERS.tiers[0].notional_cap
    return float(math.floor(cap / notional(price_usd, 1.0, _MICRO)) + 1)


def _yearly_funding_pct_of_margin(rate_per_8h: float, leverage: float) -> float:
    cost = -cumulative_funding(70_000.0, 1.0, _MICRO, "long", rate_per_8h, 3 * 365)
    return 100.0 * cost / initial_margin(70_000.0, 1.0, _MICRO, leverage)


EXERCISES = {
    "ex2.1": Exercise(
        "The notional value, in USD, of 25 nano contracts (0.001 BTC each) at $64,000.",
        unit="USD", compute=lambda: notional(64_000.0, 25.0, _NANO), abs_tol=0.005, rel_tol=0.001,
        hints=((near(0.025), "0.025 is the position in BTC; multiply by the price for USD."),
               (scaled(1_000), "that counts each contract as 1 BTC; a nano is 0.001 BTC."),
               (scaled(10), "that counts each contract as 0.01 BTC (a micro); a nano is "
                            "0.001 BTC.")),
        fallback="notional = contracts × contract size (BTC) × price.",
        working="25 × 0.001 BTC × $64,000 = $1,600.00"),
    "ex2.2": Exercise(
        "The initial margin, in USD, of 3 nano contracts (0.001 BTC each) at $65,000 with 25x "
        "leverage.",
        unit="USD", compute=lambda: initial_margin(65_000.0, 3.0, _NANO, 25.0),
        abs_tol=0.005, rel_tol=0.001,
        hints=((near(195), "$195 is the notional value; divide it by the leverage."),
               (near(2.6), "that is one contract; there are three.")),
        fallback="initial margin = contracts × contract size × price / leverage.",
        working="3 × 0.001 BTC × $65,000 / 25 = $195 / 25 = $7.80"),
    "ex2.3": Choice(
        "Is a micro contract liquidated sooner (closer to its entry price) than a standard "
        "contract at the same leverage and maintenance rate?",
        options={"a": "Yes: it has less margin behind it, so a smaller move wipes it out.",
                 "b": "No: the liquidation price is the same; only the dollars differ.",
                 "c": "Yes, by a factor of 100."},
        answer="b",
        reasons={"a": "its margin is smaller, but so is every dollar of its PnL, in the same "
                      "proportion: the price that exhausts the margin is the same.",
                 "c": "the size scales the margin and the PnL alike, so it cancels out of the "
                      "liquidation price."},
        explanation="Margin and PnL both scale with the size, so the liquidation price depends "
                    "on leverage and maintenance rate only (within one bracket)."),
    "ex2.4": Exercise(
        "Binance's first bracket for BTCUSDT ends at $50,000 of notional. At $70,000, how many "
        "micro contracts does it take to be in the second bracket?",
        unit="contracts", compute=lambda: _micros_into_bracket_2(70_000.0),
        hints=((near(50_000 / 700), "a part of a contract cannot be traded: round up to the "
                                    "first whole count above $50,000."),
               (near(71), "71 micro contracts are $49,700, still inside the first bracket."),
               (near(1), "one standard contract (1 BTC) would pass it; the question asks for "
                         "micro contracts of 0.01 BTC.")),
        fallback="divide $50,000 by one micro contract's notional ($700) and take the next whole "
                 "number.",
        working="$50,000 / (0.01 × $70,000) = 71.43 → 72"),
    "ex2.5": Exercise(
        "An inverse BTCUSD perpetual (100 USD per contract): a long of 10 contracts from $60,000 "
        "to $66,000. The PnL in BTC.",
        unit="BTC", compute=lambda: pnl(60_000.0, 66_000.0, 10.0, _INVERSE, "long"),
        abs_tol=5e-8, rel_tol=1e-3,
        hints=((scaled(-1), "right size, wrong sign: a long gains when the price rises."),
               (near(100), "that is a USD figure; an inverse contract pays its PnL in BTC."),
               (near(1_000 / 60_000 - 1_000 / 72_600, 1e-2), "the price rose 10 %, not 21 %."),
               ),
        fallback="inverse PnL in coin = contracts × face value (USD) × (1/entry − 1/exit).",
        working="10 × $100 × (1/60,000 − 1/66,000) = 0.00151515 BTC"),
    "ex2.6": Exercise(
        "A long of 5 micro contracts at a mark price of $70,000 held 30 days; the funding rate "
        "is +0.01 % every 8 hours. The total funding cash flow to you, in USD (negative if you "
        "pay).",
        unit="USD",
        compute=lambda: cumulative_funding(70_000.0, 5.0, _MICRO, "long", 0.0001, 90),
        abs_tol=0.005, rel_tol=0.001,
        hints=((scaled(-1), "right size, wrong sign: with a positive rate the longs pay."),
               (lambda a, e: math.isclose(abs(a), abs(e) / 3, rel_tol=1e-3),
                "funding is paid every 8 hours: three times a day."),
               (lambda a, e: math.isclose(abs(a), abs(e) / 5, rel_tol=1e-3),
                "that is one contract; there are five.")),
        fallback="funding per interval = notional at the mark price × rate; 3 intervals a day.",
        working="−(5 × 0.01 × $70,000) × 0.0001 × 3 × 30 = −$3,500 × 0.009 = −$31.50"),
    "ex2.7": Exercise(
        "The funding rate stays at +0.01 % every 8 hours for a year. A long at 10x pays what "
        "percentage of its initial margin in funding over the year (a positive number)?",
        unit="%", compute=lambda: _yearly_funding_pct_of_margin(0.0001, 10.0),
        abs_tol=0.05, rel_tol=1e-3,
        hints=((near(10.95), "10.95 % is the yearly cost on the notional; the margin is a tenth "
                             "of the notional at 10x."),
               (near(0.03), "0.03 % is one day; there are 365."),
               (scaled(0.01), "that looks like a fraction: type it in percent."),
               (scaled(-1), "type the cost as a positive percentage.")),
        fallback="yearly cost on the notional = rate × 3 × 365; on the margin multiply by the "
                 "leverage.",
        working="0.01 % × 3 × 365 × 10 = 10.95 % × 10 = 109.5 %"),
    "ex2.8": Choice(
        "The funding rate turns negative (−0.01 % per 8 hours). Who pays whom?",
        options={"a": "Longs pay shorts, as always.",
                 "b": "Shorts pay longs.",
                 "c": "The exchange pays both sides."},
        answer="b",
        reasons={"a": "longs pay only while the rate is positive (the perpetual trades above "
                      "the index); a negative rate reverses the flow.",
                 "c": "funding is exchanged between traders; the exchange takes no side of it."},
        explanation="A negative rate means the perpetual trades below the index, so shorts pay "
                    "longs to pull it back up; a position pays only if it is open at the "
                    "funding time."),
}
