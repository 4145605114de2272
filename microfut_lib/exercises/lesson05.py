"""Lesson 05 (practical steps): fees and funding as costs of the margin, basis, cross margin, edge."""
from __future__ import annotations

from ..check import Choice, Exercise, near, scaled
from ..contracts import PRESETS
from ..costs import funding_cost_of_margin, round_trip_cost_of_margin
from ..dated import annualized_basis
from ..edge import expectancy_per_trade

_MICRO, _MBT = PRESETS["BTC-MICRO"], PRESETS["CME-MBT"]

EXERCISES = {
    "ex5.1": Exercise(
        "A micro contract at 20x leverage pays a 0.05 % taker fee to open and again to close. "
        "What does the round trip cost, in percent of the margin?",
        unit="%", compute=lambda: 100 * round_trip_cost_of_margin(70_000, _MICRO, 20, fee_rate=0.0005),
        abs_tol=0.005,
        hints=((near(1), "that is one side; a round trip pays to open and to close."),
               (near(0.1), "0.1 % is the round trip as a share of the notional; the margin is "
                           "20 times smaller."),
               (scaled(0.01), "type it in percent: 2, not 0.02.")),
        fallback="fees / margin = 2 × fee rate × notional / (notional / L) = 2 × rate × L.",
        working="2 × 0.05 % × 20 = 2.0 %"),
    "ex5.2": Exercise(
        "A CME Micro Bitcoin contract is 0.1 BTC. At $70,000, with an illustrative all-in fee of "
        "$2.50 per contract per side and margin of a tenth of the notional (10x), what does a "
        "round trip cost, in percent of the margin?",
        unit="%",
        compute=lambda: 100 * round_trip_cost_of_margin(70_000, _MBT, 10, fee_per_contract=2.5),
        abs_tol=0.005,
        hints=((near(0.3571, 2e-3), "that is one side; the round trip pays twice."),
               (near(0.0714, 2e-3), "that is the round trip as a share of the $7,000 notional; "
                                    "the margin is ten times smaller."),
               (near(14.29, 2e-3), "that uses 0.01 BTC; a CME micro is 0.1 BTC.")),
        fallback="round trip = 2 × $2.50; margin = 0.1 BTC × $70,000 / 10.",
        working="2 × $2.50 / (0.1 × $70,000 / 10) = $5 / $700 = 0.714 %"),
    "ex5.3": Exercise(
        "A long at 5x pays a funding rate of 0.01 % every 8 hours and is held for 14 days. What "
        "does the funding cost, in percent of the margin?",
        unit="%", compute=lambda: 100 * funding_cost_of_margin(5, 0.0001, 24 * 14),
        abs_tol=0.005,
        hints=((near(0.42), "0.42 % is the share of the notional; the margin is five times "
                            "smaller."),
               (near(0.7), "funding is paid three times a day (every 8 hours), not daily.")),
        fallback="settlements = 14 days × 3; cost / margin = settlements × rate × leverage.",
        working="14 × 3 = 42 settlements; 42 × 0.01 % × 5 = 2.1 %"),
    "ex5.4": Exercise(
        "Spot bitcoin is at $70,000 and the future expiring in 90 days trades at $71,400. What "
        "is the annualised basis, in percent (simple, 365-day year)?",
        unit="%", compute=lambda: 100 * annualized_basis(71_400, 70_000, 90),
        abs_tol=0.01,
        hints=((near(2), "2 % is the basis over 90 days; annualise it: × 365 / 90."),
               (near(2 * 360 / 90), "use a 365-day year, as crypto trades every day.")),
        fallback="annualised basis = (F / S − 1) × 365 / days.",
        working="(71,400 / 70,000 − 1) × 365 / 90 = 2 % × 4.0556 = 8.11 %"),
    "ex5.5": Choice(
        "A $1,000 wallet holds one position: 10 micro contracts long at 10x ($700 of margin). "
        "The price falls 15 %. What does each margin mode leave in the wallet?",
        options={"a": "Both leave $300: the position's margin is $700 either way.",
                 "b": "Isolated leaves $300 (liquidated at −9.64 %); cross leaves nothing: it "
                      "survived until −13.94 %, then the whole wallet went.",
                 "c": "Cross leaves more: the wallet absorbs the loss, so it is safer."},
        answer="b",
        reasons={"a": "in cross mode the whole wallet is the margin: the liquidation price moves "
                      "further away, and what it takes when reached is the wallet.",
                 "c": "cross is liquidated later, not never: a 15 % fall reaches its "
                      "liquidation price (−13.94 %) too, and then it takes the wallet."},
        explanation="Cross margin buys distance with the whole balance. On a 12 % fall cross "
                    "would still be open with $160 left, where isolated was liquidated with "
                    "$300 left; at 15 % cross leaves $0."),
    "ex5.6": Choice(
        "A 5x long is liquidated after a fall of about 19.6 % (maintenance 0.5 %). Held for a "
        "month at 60 % annual volatility, with no trend either way, how often does ordinary "
        "noise alone liquidate it?",
        options={"a": "Almost never: a 20 % fall is a crash, not noise.",
                 "b": "About one time in five: a month's typical move is about 17 %, and the "
                      "price only has to touch the liquidation price once.",
                 "c": "About half the time: the price is as likely to fall 20 % as to rise 20 %."},
        answer="b",
        reasons={"a": "60 % a year is about 17 % over a month (0.6 × √(30/365)); the liquidation "
                      "price is only about 1.3 of those away, and touching it at any moment of "
                      "the month is much likelier than ending the month there.",
                 "c": "a fall of 1.3 monthly standard deviations is touched far less than half "
                      "the time; the closed form gives 22 %."},
        explanation="The closed form says 21.97 %, the Monte Carlo 22.55 % ± 0.30 % (20,000 "
                    "hourly paths). Within a week it is 0.85 %, within a day practically 0: 3–5x "
                    "protects against a day of noise, not a month."),
    "ex5.7": Exercise(
        "A signal group reports 70 % winning trades. Its average win is $10 and its average loss "
        "is $30. What is the expectancy per trade, in USD?",
        unit="USD", compute=lambda: expectancy_per_trade(0.70, 10, 30),
        abs_tol=0.01,
        hints=((scaled(-1), "losses count against you: 30 % of trades lose $30."),
               (near(7), "$7 counts only the winners; subtract 30 % × $30."),
               (near(-20), "weight each outcome by how often it happens.")),
        fallback="expectancy = win rate × average win − loss rate × average loss.",
        working="0.70 × $10 − 0.30 × $30 = $7 − $9 = −$2.00"),
    "ex5.8": Choice(
        "An advert promises \"Winrate: 70.59 %\". What does that number alone tell you about "
        "whether following the signals makes money?",
        options={"a": "It is profitable: more than half the trades win.",
                 "b": "Nothing yet: you also need the average win and loss (and the costs); at "
                      "1:3 reward-to-risk the break-even win rate is 75 %.",
                 "c": "It is profitable as long as the fees are below 70.59 %."},
        answer="b",
        reasons={"a": "a high win rate is easy to buy with far stops and near targets; the few "
                      "losses can outweigh the many wins (exercise 5.7: −$2 a trade at 70 %).",
                 "c": "the win rate is not a margin for costs; profit depends on the size of "
                      "the wins and losses, and costs lower both."},
        explanation="break-even win rate = 1 / (1 + R): 50 % at 1:1, 75 % at 1:3. Ask for the "
                    "average R per trade after costs and the number of trades, audited, or treat "
                    "the claim as advertising."),
}
