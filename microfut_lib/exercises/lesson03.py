"""Lesson 03 (why micro): sizing to a risk budget (with fees), entry capital, fees, daily swings."""
from __future__ import annotations

from ..check import Choice, Exercise, near, scaled
from ..contracts import PRESETS
from ..margin import initial_margin
from ..profit import pnl, trading_fee
from ..risk import position_size, risk_at_stop

_STANDARD, _MICRO, _NANO = PRESETS["BTC-STANDARD"], PRESETS["BTC-MICRO"], PRESETS["BTC-NANO"]
TAKER_FEE = 0.0005   # the 0.05 % taker rate lesson 03 uses

EXERCISES = {
    "ex3.1": Exercise(
        "A $1,000 account risks 1 % per trade; entry $70,000, stop 2 % below (at $68,600). How "
        "many nano contracts (0.001 BTC) can it hold (ignore fees)?",
        unit="contracts", compute=lambda: position_size(1_000.0, 0.01, 70_000.0, 68_600.0, _NANO),
        hints=((near(1_000 * 0.01 / 1.4), "round down: a contract more would risk more than the "
                                          "budget."),
               (near(14), "14 contracts use the 2 % budget ($20); the question risks 1 % ($10)."),
               (near(0), "a nano contract risks only $1.40 at this stop; the $10 budget holds "
                         "several.")),
        fallback="contracts = floor(budget / loss per contract), with loss per contract = "
                 "0.001 BTC × (entry − stop).",
        working="floor($10 / (0.001 × ($70,000 − $68,600))) = floor(10 / 1.40) = floor(7.14) = 7"),
    "ex3.2": Exercise(
        "The same trade paying the 0.05 % taker fee to open and again to close: how many nano "
        "contracts keep the loss at the stop plus both fees within $10?",
        unit="contracts",
        compute=lambda: position_size(1_000.0, 0.01, 70_000.0, 68_600.0, _NANO, fee_rate=TAKER_FEE),
        hints=((near(7), "7 contracts lose $9.80 at the stop plus $0.49 of fees: $10.29, over "
                         "the budget."),
               (near(10 / 1.4693, 2e-3), "round down: a part of a contract cannot be traded.")),
        fallback="per contract: the loss at the stop ($1.40) plus the fee on $70 and on $68.60 "
                 "at 0.05 %; divide the budget by it and round down.",
        working="1.40 + 0.0005 × (70 + 68.60) = 1.4693 per contract; floor(10 / 1.4693) = "
                "floor(6.81) = 6"),
    "ex3.3": Exercise(
        "The trade of 3.1 with one micro contract (0.01 BTC) instead: the loss at the stop, in "
        "USD (ignore fees).",
        unit="USD", compute=lambda: risk_at_stop(70_000.0, 68_600.0, 1.0, _MICRO),
        abs_tol=0.005, rel_tol=0.001,
        hints=((scaled(-1), "type the loss as a positive amount of dollars."),
               (near(10), "$10 is the budget; the question asks what one micro contract "
                          "actually risks."),
               (near(1.4), "$1.40 is a nano contract; a micro is ten times bigger.")),
        fallback="loss at the stop = contract size × (entry − stop).",
        working="0.01 BTC × ($70,000 − $68,600) = $14.00"),
    "ex3.4": Choice(
        "One micro contract, entry $70,000, stop $68,600. Going from 5x to 20x leverage, what "
        "happens to the dollars lost if the stop is hit?",
        options={"a": "They are four times larger.",
                 "b": "They stay $14: leverage changes the margin, not the loss at the stop.",
                 "c": "They are four times smaller."},
        answer="b",
        reasons={"a": "the loss is size × stop distance, and neither changed; what grows is the "
                      "loss as a share of the (smaller) margin.",
                 "c": "the margin is four times smaller, not the loss; the position is the same "
                      "0.01 BTC."},
        explanation="The dollars at the stop depend on the size and the stop distance only, as "
                    "long as the stop sits before the liquidation price (at 20x it is at "
                    "−4.6 %: the 2 % stop is still first)."),
    "ex3.5": Exercise(
        "The smallest account, in USD, that can put up the initial margin for one micro contract "
        "at $70,000 with 5x leverage.",
        unit="USD", compute=lambda: initial_margin(70_000.0, 1.0, _MICRO, 5.0),
        abs_tol=0.005, rel_tol=0.001,
        hints=((near(700), "$700 is the notional; at 5x you put up a fifth."),
               (near(14_000), "that is a standard contract (1 BTC); a micro is 0.01 BTC.")),
        fallback="initial margin = 0.01 BTC × price / leverage.",
        working="0.01 BTC × $70,000 / 5 = $140.00"),
    "ex3.6": Exercise(
        "A strategy makes 40 round trips a month with one micro contract near $70,000, paying "
        "the 0.05 % taker fee to open and to close. The fees of one month, in USD.",
        unit="USD",
        compute=lambda: 40 * 2 * trading_fee(70_000.0, 1.0, _MICRO, TAKER_FEE),
        abs_tol=0.005, rel_tol=0.001,
        hints=((near(14), "that is one side per trip; each round trip pays to open and to "
                          "close."),
               (near(0.7), "that is one round trip; there are 40."),
               (scaled(100), "0.05 % is 0.0005 as a fraction, not 0.05.")),
        fallback="fee per fill = notional × 0.0005; two fills per round trip.",
        working="40 × 2 × 0.0005 × $700 = 80 × $0.35 = $28.00"),
    "ex3.7": Exercise(
        "BTC moves 3 % in a day. With one micro contract, what share of a $1,000 account is the "
        "day's PnL, in percent (as a positive number)?",
        unit="%", compute=lambda: 100.0 * pnl(70_000.0, 72_100.0, 1.0, _MICRO, "long") / 1_000.0,
        abs_tol=0.01, rel_tol=1e-3,
        hints=((scaled(100), "that is a standard contract (1 BTC); a micro is 0.01 BTC."),
               (scaled(0.01), "that looks like a fraction: type it in percent."),
               (near(21), "$21 is the PnL in dollars; the question asks for its share of "
                          "$1,000.")),
        fallback="PnL = 0.01 BTC × price × 3 %; divide by the account and multiply by 100.",
        working="0.01 × $70,000 × 3 % = $21; $21 / $1,000 = 2.1 %"),
}
