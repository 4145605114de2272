"""Lesson 01 (the landscape): leverage on the margin, liquidation before −100 %, fractional sizes."""
from __future__ import annotations

from ..check import Choice, Exercise, near, scaled
from ..contracts import PRESETS
from ..margin import initial_margin, liquidation_price, max_open_qty
from ..profit import roe

_STANDARD, _MICRO = PRESETS["BTC-STANDARD"], PRESETS["BTC-MICRO"]

EXERCISES = {
    "ex1.1": Exercise(
        "A long at 10x leverage; the price falls 10 %. The PnL as a percentage of the initial "
        "margin (ignore liquidation).",
        unit="%", compute=lambda: 100.0 * roe(70_000.0, 63_000.0, 10.0, _MICRO, "long"),
        abs_tol=0.1,
        hints=((scaled(0.01), "that looks like a fraction: type it in percent (-50 for -50 %)."),
               (scaled(-1), "right size, wrong sign: a long loses when the price falls."),
               (near(-10), "-10 % is the price move; leverage multiplies it on the margin.")),
        fallback="PnL on the margin = leverage × price move in %.",
        working="10 × (−10 %) = −100 %"),
    "ex1.2": Choice(
        "In isolated margin a liquidated position loses at most its own margin. In cross margin "
        "what is at stake?",
        options={"a": "Also only the position's own margin.",
                 "b": "The whole balance of the futures account.",
                 "c": "Nothing: cross margin cannot be liquidated."},
        answer="b",
        reasons={"a": "that is isolated margin: cross margin shares one balance between "
                      "positions, so a loss can draw on all of it.",
                 "c": "cross-margin positions are liquidated too, only later, once the shared "
                      "balance no longer covers the maintenance margin."},
        explanation="Cross margin backs every position with the whole account balance: the "
                    "liquidation comes later, and takes more with it."),
    "ex1.3": Choice(
        "A 10x long with a 0.4 % maintenance margin rate; the price slides down. Which comes "
        "first?",
        options={"a": "The loss reaches 100 % of the margin at −10 %, then the position closes.",
                 "b": "The exchange closes it a little before −10 %, while some margin is left.",
                 "c": "Nothing happens until the trader closes it."},
        answer="b",
        reasons={"a": "−10 % is the bankruptcy price; the liquidation price sits above it, "
                      "where the equity still covers the maintenance margin.",
                 "c": "a leveraged position is closed by the exchange when its equity falls to "
                      "the maintenance margin, whether the trader acts or not."},
        explanation="Liquidation fires while the maintenance margin is still there: at "
                    "$63,253.01 from $70,000, a 9.64 % fall."),
    "ex1.4": Exercise(
        "A long micro contract from $70,000 at 10x with a maintenance margin rate of 0.4 % "
        "(valued at the mark price): its liquidation price in USD.",
        unit="USD",
        compute=lambda: liquidation_price(70_000.0, 1.0, _MICRO, "long", leverage=10.0,
                                          mmr=0.004),
        abs_tol=1.0, rel_tol=1e-4,
        hints=((near(63_000), "$63,000 is where the whole initial margin is gone (the bankruptcy "
                              "price); the exchange liquidates earlier, while the maintenance "
                              "margin is still there."),
               (near(63_280, 2e-5), "$63,280 values the maintenance margin at the entry price; "
                                    "here it is valued at the liquidation (mark) price, so divide "
                                    "by (1 − 0.004)."),
               (lambda a, e: a > 70_000, "a long loses when the price falls: its liquidation "
                                         "price is below the entry.")),
        fallback="liquidation is where equity = maintenance margin: "
                 "entry × (1 − 1/leverage) / (1 − mmr) for a long.",
        working="70,000 × (1 − 1/10) / (1 − 0.004) = 63,000 / 0.996 = $63,253.01"),
    "ex1.5": Exercise(
        "The initial margin, in USD, to open one standard contract (1 BTC) at $70,000 with 10x "
        "leverage.",
        unit="USD", compute=lambda: initial_margin(70_000.0, 1.0, _STANDARD, 10.0),
        abs_tol=0.005, rel_tol=0.001,
        hints=((near(70_000), "that is the notional value; the margin is the notional divided "
                              "by the leverage."),
               (near(700), "that is a micro contract's notional; the question is about one "
                           "standard contract of 1 BTC.")),
        fallback="initial margin = notional value / leverage = 1 BTC × price / leverage.",
        working="1 BTC × $70,000 / 10 = $7,000.00"),
    "ex1.6": Exercise(
        "A $500 account at 10x leverage, BTC at $70,000: how many micro contracts (0.01 BTC) can "
        "it open at most (ignore fees)?",
        unit="contracts", compute=lambda: max_open_qty(500.0, 70_000.0, _MICRO, 10.0),
        hints=((near(500 * 10 / 700), "round down: a part of a contract cannot be opened."),
               (near(0), "no standard contract fits, but a micro contract needs only $70 of "
                         "margin at 10x."),
               (near(71), "71 is the count of nano contracts (0.001 BTC); a micro is 0.01 BTC.")),
        fallback="each micro contract needs 0.01 × price / leverage of margin; divide the account "
                 "by that and round down.",
        working="floor($500 / (0.01 × $70,000 / 10)) = floor(500 / 70) = 7"),
}
