"""Lesson 00 (welcome): the notional value of a micro contract, and what leverage magnifies."""
from __future__ import annotations

from ..check import Choice, Exercise, near
from ..contracts import PRESETS
from ..margin import notional

_MICRO = PRESETS["BTC-MICRO"]

EXERCISES = {
    "ex0.1": Exercise(
        "The notional value, in USD, of one micro contract (0.01 BTC) at a price of $70,000.",
        unit="USD", compute=lambda: notional(70_000.0, 1.0, _MICRO), abs_tol=0.005, rel_tol=0.001,
        hints=((near(70_000), "that is one whole bitcoin: a micro contract is 0.01 BTC."),
               (near(7_000), "that is 0.1 BTC: a micro contract is 0.01 BTC, a hundredth."),
               (near(70), "that is 0.001 BTC (a nano contract); a micro is 0.01 BTC.")),
        fallback="notional value = number of contracts × contract size (BTC) × price (USD per "
                 "BTC).",
        working="0.01 BTC × $70,000 = $700.00"),
    "ex0.2": Choice(
        "With 10x leverage a 5 % fall costs a long half of its margin. What does a 5 % rise do "
        "to a 10x short of the same size?",
        options={"a": "It gains 50 % of its margin.",
                 "b": "It loses 50 % of its margin.",
                 "c": "It loses 5 % of its margin."},
        answer="b",
        reasons={"a": "a short gains when the price falls; a rise goes against it.",
                 "c": "5 % is the price move; leverage multiplies it tenfold on the margin."},
        explanation="A short loses when the price rises, by the same amount a long gains: "
                    "10 × 5 % = 50 % of the margin."),
}
