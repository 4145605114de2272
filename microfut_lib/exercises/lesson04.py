"""Lesson 04 (risk management): stops from a loss budget, liquidation first, gaps, margin, ruin."""
from __future__ import annotations

from ..check import Choice, Exercise, near, scaled
from ..contracts import PRESETS
from ..data import Bars
from ..fills import stop_fill
from ..margin import liquidation_price
from ..profit import pnl
from ..stops import stop_price_for_risk

_MICRO = PRESETS["BTC-MICRO"]


def _gap_fill_loss() -> float:
    """One micro long from 70,000; stop-market at 68,600; the next bar opens at 67,900."""
    bars = Bars(open=[70_000, 67_900], high=[70_400, 68_200], low=[69_100, 67_500],
                close=[69_300, 68_000])
    fill = stop_fill(bars, 68_600, "long", slippage=0.0005)
    return -float(pnl(70_000, fill.fill_price, 1, _MICRO, "long"))


EXERCISES = {
    "ex4.1": Exercise(
        "A $1,000 account risks 2 % on a long of 3 micro contracts (0.01 BTC each) bought at "
        "$70,000. Ignoring fees, at what stop price, in USD, is the loss exactly the budget?",
        unit="USD",
        compute=lambda: stop_price_for_risk(70_000, 3, _MICRO, "long", capital=1_000,
                                            risk_fraction=0.02),
        abs_tol=1.0,
        hints=((near(68_000), "$68,000 is the stop for one contract; three contracts lose $0.03 "
                              "per dollar of price, three times as fast."),
               (near(68_600), "a 2 % stop is not a 2 % loss of the account: the budget is $20, "
                              "and the position is $2,100."),
               (near(70_000 + 20 / 0.03), "a long's stop is below the entry.")),
        fallback="the price distance is the budget divided by the coins held: $20 / (3 × 0.01 "
                 "BTC); subtract it from the entry.",
        working="$70,000 − $20 / (3 × 0.01 BTC) = $70,000 − $666.67 = $69,333.33"),
    "ex4.2": Choice(
        "The source article says to calculate the stop price \"based on your contract size and "
        "leverage\". For a given maximum loss in dollars, what does the stop price depend on?",
        options={"a": "Contract size and leverage, as the article says.",
                 "b": "The position size (contracts × contract size), the entry and the fees; "
                      "leverage only decides whether liquidation comes before the stop.",
                 "c": "Leverage alone: higher leverage needs a tighter stop for the same loss."},
        answer="b",
        reasons={"a": "leverage does not appear in the loss at a stop: size × distance (+ fees). "
                      "The same 0.01 BTC loses $20 at $68,000 whether it was opened at 2x or 20x.",
                 "c": "leverage changes the margin, not the dollars a given size loses per "
                      "dollar of price; a tighter stop is needed only for a larger size."},
        explanation="stop = entry − budget / (qty × contract size), fees aside. Leverage matters "
                    "for a different check: the stop must sit before the liquidation price."),
    "ex4.3": Exercise(
        "One micro long bought at $70,000 with a stop-market order at $68,600. The market gaps: "
        "the next bar opens at $67,900, and the order fills 0.05 % below that open. What is the "
        "loss, in USD?",
        unit="USD", compute=_gap_fill_loss, abs_tol=0.01, rel_tol=0.001,
        hints=((near(14), "$14 is the loss at the stop price; the first trade after the stop "
                          "was the open at $67,900."),
               (near(21), "$21 is the loss at the open; the fill is 0.05 % below it."),
               (scaled(-1), "type the loss as a positive number of dollars.")),
        fallback="fill = open × (1 − 0.0005); loss = 0.01 BTC × (entry − fill).",
        working="fill = $67,900 × 0.9995 = $67,866.05; 0.01 × ($70,000 − $67,866.05) = $21.34"),
    "ex4.4": Choice(
        "Two traders have the same edge: 45 % winners paying 2:1. One risks 2 % of the account "
        "per trade, the other 10 %. Over 200 trades, which is true?",
        options={"a": "They have the same chance of halving the account: the edge is the same.",
                 "b": "The 10 % trader halves the account far more often, even with a positive "
                      "expectancy.",
                 "c": "The 10 % trader always ends richer, since each win is five times bigger."},
        answer="b",
        reasons={"a": "the edge is per trade; the size of each bet decides how deep the losing "
                      "streaks cut. Five losses in a row cost about 10 % of the account at 2 % risk and 41 % at 10 %.",
                 "c": "the 10 % trader grows faster on average here, but not always: about one "
                      "run in six halves the account on the way, and some never recover."},
        explanation="The risk-of-ruin simulation (20,000 seeded accounts of 200 trades): about "
                    "16 % halve at 10 % risk; at 2 % none did (the bound is 0.002 %). Risk per "
                    "trade is the lever you control; the win rate and the payoff are not."),
    "ex4.5": Exercise(
        "A long micro contract at 25x, maintenance margin rate 0.4 %. How far below the entry "
        "is the liquidation price, in percent (a positive number)?",
        unit="%",
        compute=lambda: 100 * (1 - liquidation_price(70_000, 1, _MICRO, "long", leverage=25,
                                                     mmr=0.004) / 70_000),
        abs_tol=0.01,
        hints=((near(4), "4 % is where the margin is gone (the bankruptcy price, 1/L); the "
                         "exchange liquidates earlier, keeping the maintenance margin."),
               (scaled(0.01), "type it in percent: 3.6, not 0.036.")),
        fallback="LP / entry = (1/L − 1) / (mmr − 1) for a linear long (lesson 02); the distance "
                 "is 1 minus that.",
        working="1 − (1/25 − 1) / (0.004 − 1) = 1 − 0.96 / 0.996 = 1 − 0.963855 = 3.61 %"),
    "ex4.6": Choice(
        "The article says micro contracts are liquidated closer to the entry. One micro "
        "(0.01 BTC) and one standard contract (1 BTC), both long at 10x on Binance's BTCUSDT "
        "brackets: which is liquidated closer to the entry?",
        options={"a": "The micro contract: its margin buffer is smaller.",
                 "b": "Neither: the liquidation price never depends on size.",
                 "c": "The standard one, slightly: its $70,000 notional is in the second "
                      "bracket (0.5 % instead of 0.4 %)."},
        answer="c",
        reasons={"a": "the buffer is smaller in dollars but so is the position: as a share of "
                      "the price it is the same 1/L; at 10x both lose their margin after a 10 % "
                      "fall.",
                 "b": "at one and the same maintenance rate that is right, but the rate rises "
                      "with the notional: 1 BTC at $70,000 is past the $50,000 bracket edge."},
        explanation="Micro: $63,253.01 (−9.64 %); standard: $63,266.33 (−9.62 %). What moves a "
                    "liquidation price is leverage, the bracket, the fee to close and added "
                    "margin; the contract size does not."),
}
