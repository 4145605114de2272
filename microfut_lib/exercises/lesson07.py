"""Lesson 07 (capstone): the ticket's numbers, a gap through a stop, liquidation before the stop."""
from __future__ import annotations

from ..check import Choice, Exercise, near
from ..ticket import trade_ticket

EXERCISES = {
    "ex7.1": Exercise(
        "The ticket: 6 nano contracts (0.006 BTC) long at $70,000 with 5x leverage, maintenance "
        "margin rate 0.4 %. The liquidation price, in USD.",
        unit="USD", compute=lambda: trade_ticket().liquidation_price_usd,
        abs_tol=1.0, rel_tol=0.0001,
        hints=((near(56_000), "$56,000 is the bankruptcy price, where the margin is gone; the "
                              "exchange liquidates earlier, when equity meets the maintenance margin."),
               (near(63_253.01, 1e-3), "that is the 10x liquidation price; this ticket is at 5x.")),
        fallback="solve margin + 0.006 × (P − 70,000) = 0.006 × P × 0.004 for P.",
        working="P = (0.006 × 70,000 − 84) / (0.006 × (1 − 0.004)) = 336 / 0.005976 = $56,224.90"),
    "ex7.2": Exercise(
        "The same ticket's funding over one day (three settlements at +0.01 % per 8 hours, mark "
        "price $70,000), as a cash flow to the position in USD (negative if it pays).",
        unit="USD", compute=lambda: trade_ticket().funding_usd,
        abs_tol=0.001,
        hints=((near(0.126), "right size, wrong sign: with a positive rate a long pays."),
               (near(-0.042), "that is one settlement; a day has three."),
               (near(-0.0252), "funding is on the notional ($420), not on the margin ($84).")),
        fallback="funding = −notional × rate per settlement, three settlements a day.",
        working="−0.006 × $70,000 × 0.0001 × 3 = −$0.042 × 3 = −$0.126"),
    "ex7.3": Choice(
        "A short's stop-market order sits at $70,700. The next bar opens at $71,000 (a gap) and "
        "trades between $70,900 and $71,200. Where is the short closed?",
        options={"a": "At $70,700, the stop price.",
                 "b": "At $71,000, the first price available after the stop was passed.",
                 "c": "It is not closed: the price never traded at $70,700."},
        answer="b",
        reasons={"a": "a stop-market order becomes a market order once the stop is passed; the "
                      "market is at $71,000 when it can first fill.",
                 "c": "a stop-market order triggers when the price is at or beyond the stop, "
                      "not only exactly at it."},
        explanation="The fill is worse than the stop by the gap: $300 per BTC here, $0.90 on 3 "
                    "nano contracts. The replay's scripted gap session checks exactly this."),
    "ex7.4": Choice(
        "One micro contract long at $70,000 with 50x leverage and a stop 2 % below. The price "
        "falls 3 %. What closes the position?",
        options={"a": "The stop, at $68,600: a $14 loss.",
                 "b": "Liquidation, at about $68,875 (1.6 % below): the whole $14 margin is lost, "
                      "before the stop is reached.",
                 "c": "Neither: a 3 % fall is within the 50x margin."},
        answer="b",
        reasons={"a": "at 50x the liquidation price is 1.6 % below the entry, closer than the "
                      "2 % stop; the stop never gets its turn.",
                 "c": "50x leaves 2 % of margin, less the maintenance margin: the position is "
                      "gone after about 1.6 %."},
        explanation="Leverage decides where liquidation sits; a stop only protects if it sits "
                    "before it. The ticket flags a stop beyond liquidation."),
}
