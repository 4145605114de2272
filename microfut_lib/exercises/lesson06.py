"""Lesson 06 (scaling up): contracts within the rule with fees, a rung's account, R, the scaling rule."""
from __future__ import annotations

from ..check import Choice, Exercise, near
from ..journal import r_multiples
from ..ladder import contracts_within_risk, ladder_plan

EXERCISES = {
    "ex6.1": Exercise(
        "A $5,000 account risks at most 2 % per trade. Entry $70,000, stop 2 % below, taker fee "
        "0.05 % to open and to close. How many micro contracts (0.01 BTC) fit?",
        unit="contracts", compute=lambda: contracts_within_risk(5_000.0, 0.02, 70_000.0, 2.0),
        hints=((near(7), "7 contracts lose $98.00 at the stop, plus $4.85 of fees: $102.85, over "
                         "the $100 budget."),
               (near(3), "3 contracts use the 1 % budget ($50); this question allows 2 %."),
               (near(100 / 14.693, 2e-3), "round down: part of a contract cannot be traded.")),
        fallback="per contract: 0.01 BTC × $1,400 at the stop, plus 0.05 % of $700 and of $686; "
                 "divide the budget by it and round down.",
        working="14.00 + 0.0005 × (700 + 686) = 14.693 per contract; floor(100 / 14.693) = "
                "floor(6.81) = 6"),
    "ex6.2": Exercise(
        "The smallest account, in USD, at which one 0.1 BTC position (stop 2 % below $70,000, "
        "0.05 % fee each way) risks at most 2 % of the account.",
        unit="USD", compute=lambda: ladder_plan(70_000.0, 2.0)[1].account_min_usd,
        abs_tol=0.5, rel_tol=0.001,
        hints=((near(7_000), "$7,000 forgets the fees: the position pays about $6.93 to get in "
                             "and out."),
               (near(14_693), "that is where the rung risks 1 %; the question asks for 2 %."),
               (near(146.93), "$146.93 is the rung's risk; the account is fifty times that.")),
        fallback="risk = 0.1 × $1,400 + 0.0005 × 0.1 × ($70,000 + $68,600); account = risk / 0.02.",
        working="(140.00 + 6.93) / 0.02 = 146.93 / 0.02 = $7,346.50"),
    "ex6.3": Exercise(
        "A journal's five trades each risked $14 at the stop (1R) and ended at +$28, −$14, −$14, "
        "+$42 and −$14 net. What is the average R-multiple?",
        unit="x", compute=lambda: float(r_multiples([28, -14, -14, 42, -14], [14] * 5).mean()),
        abs_tol=0.005,
        hints=((near(5.6), "$5.60 is the expectancy in dollars; divide by 1R ($14)."),
               (near(0.4 * 100), "type R as a plain number (0.4), not a percentage.")),
        fallback="R-multiple = net result / 1R for each trade; then average the five.",
        working="(2 − 1 − 1 + 3 − 1) / 5 = 2 / 5 = 0.4"),
    "ex6.4": Choice(
        "A trader moves from the 0.01 BTC rung (account $1,469) to the 1 BTC rung (account "
        "$146,930), risking 1 % per trade on both. A loss of 5 % of the account is how many R on "
        "each rung?",
        options={"a": "5 R on the small rung, 500 R on the big one.",
                 "b": "5 R on both: the dollars are 100 times larger, and so is 1R.",
                 "c": "It depends on the leverage used."},
        answer="b",
        reasons={"a": "R is measured in the rung's own risk: 1R is $14.69 on the small rung and "
                      "$1,469.30 on the big one, so a 5 % loss is 5 R on both.",
                 "c": "the loss at the stop is size × stop distance (plus fees); leverage changes "
                      "the margin and the liquidation price, not R."},
        explanation="5 % / 1 % = 5 R at every rung. The dollars ($73 and $7,347) feel different; "
                    "counting in R keeps the record comparable across rungs."),
    "ex6.5": Choice(
        "A journal shows six profitable months: 12 trades, average +0.4 R, standard deviation "
        "1.5 R, no liquidation, drawdown 6 %. By the course's rule, is the next rung justified?",
        options={"a": "Yes: six profitable months is the article's test.",
                 "b": "No: 12 trades are too few, and the lower bound of the average R is "
                      "0.4 − 1.645 × 1.5 / √12 ≈ −0.31, below zero.",
                 "c": "Yes: the average R is positive and the drawdown is small."},
        answer="b",
        reasons={"a": "months are not evidence; trades are. Traders with no edge are profitable "
                      "over six months about a quarter of the time at 20 trades a month (the "
                      "simulation above), more often when they trade less.",
                 "c": "a positive average over 12 trades is well within what luck gives: its "
                      "uncertainty (1.645 × 1.5 / √12 ≈ 0.71 R) is larger than the average."},
        explanation="The rule asks for 50 trades and a lower bound above zero; an edge of 0.4 R "
                    "with a spread of 1.5 R needs about (1.645 × 1.5 / 0.4)² ≈ 39 trades to show."),
}
