"""Answer checks for the notebooks' exercises: ``mf.check_answer("ex1.2", answer)``.

Each exercise states its question, the unit the answer is typed in, and a tolerance. The expected
value is computed with the library (never typed in by hand), so a check can only agree with the
rest of the course. A wrong answer gets a hint about the usual slip (a fraction typed as a
percentage, a sign, a contract size of 1 BTC instead of 0.01), not the answer itself.

Examples
--------
>>> check_answer("ex0.1", 700)
ex0.1 right: 700 USD (the library says 700 USD).
>>> check_answer("ex0.1", None)
ex0.1 not yet: type your answer (answer = ...) and run the cell again.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .contracts import PRESETS
from .funding import cumulative_funding
from .margin import initial_margin, liquidation_price, notional
from .profit import pnl, roe
from .risk import position_size, risk_at_stop

__all__ = ["Exercise", "EXERCISES", "check_answer", "expected_answer"]

_STANDARD, _MICRO, _NANO = PRESETS["BTC-STANDARD"], PRESETS["BTC-MICRO"], PRESETS["BTC-NANO"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: its question, how to compute the answer, and how close is close enough.

    Parameters
    ----------
    question : str
        The question, as the notebook asks it.
    unit : str
        The unit the answer is typed in ("USD", "%", "BTC", "contracts").
    compute : callable
        No-argument function returning the expected value with the library.
    abs_tol : float
        Largest accepted distance from the expected value, in ``unit``.
    hints : tuple of (callable, str)
        Pairs ``(is_this_slip(answer, expected), message)`` tried in order on a wrong answer.
    """

    question: str
    unit: str
    compute: Callable[[], float]
    abs_tol: float
    hints: tuple[tuple[Callable[[float, float], bool], str], ...] = field(default=())


def _near(a: float, b: float, rel: float = 1e-3) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


_PERCENT_AS_FRACTION = (lambda a, e: _near(a * 100.0, e), "that looks like a fraction: type it in "
                        "percent (for example -50 for -50 %).")
_SIGN = (lambda a, e: _near(a, -e), "right size, wrong sign: think about who pays or which "
         "way the price moved.")


EXERCISES: dict[str, Exercise] = {
    "ex0.1": Exercise(
        "The notional value, in USD, of one micro contract (0.01 BTC) at a price of $70,000.",
        "USD", lambda: notional(70_000.0, 1.0, _MICRO), 0.005,
        ((lambda a, e: _near(a, 70_000.0), "that is one whole bitcoin: a micro contract is "
          "0.01 BTC."),)),
    "ex1.1": Exercise(
        "A long at 10x leverage; the price falls 10 %. The PnL as a percentage of the initial "
        "margin (ignore liquidation).", "%",
        lambda: 100.0 * roe(70_000.0, 63_000.0, 10.0, _MICRO, "long"), 0.05,
        (_PERCENT_AS_FRACTION, _SIGN,
         (lambda a, e: _near(a, -10.0), "-10 % is the price move; leverage multiplies it."))),
    "ex1.2": Exercise(
        "A long micro contract from $70,000 at 10x with a maintenance margin rate of 0.4 % "
        "(valued at the mark price): its liquidation price in USD.", "USD",
        lambda: liquidation_price(70_000.0, 1.0, _MICRO, "long", leverage=10.0, mmr=0.004), 0.5,
        ((lambda a, e: _near(a, 63_000.0), "$63,000 is where the whole initial margin is gone "
          "(the bankruptcy price); the exchange liquidates earlier, while the maintenance margin "
          "is still there."),
         (lambda a, e: a > 70_000.0, "a long loses when the price falls: its liquidation price "
          "is below the entry."))),
    "ex1.3": Exercise(
        "The initial margin, in USD, to open one standard contract (1 BTC) at $70,000 with 10x "
        "leverage.", "USD", lambda: initial_margin(70_000.0, 1.0, _STANDARD, 10.0), 0.005,
        ((lambda a, e: _near(a, 70_000.0), "that is the notional value; the margin is the "
          "notional divided by the leverage."),)),
    "ex2.1": Exercise(
        "The initial margin, in USD, of 3 nano contracts (0.001 BTC each) at $65,000 with 25x "
        "leverage.", "USD", lambda: initial_margin(65_000.0, 3.0, _NANO, 25.0), 0.005,
        ((lambda a, e: _near(a, 65_000.0 * 3 * 0.001), "that is the notional value; divide by "
          "the leverage."),
         (lambda a, e: _near(a, 65_000.0 * 0.001 / 25.0), "that is one contract; there are "
          "three."))),
    "ex2.2": Exercise(
        "An inverse BTCUSD perpetual (100 USD per contract): a long of 10 contracts from $60,000 "
        "to $66,000. The PnL in BTC.", "BTC",
        lambda: pnl(60_000.0, 66_000.0, 10.0, PRESETS["BINANCE-BTCUSD-PERP"], "long"), 5e-8,
        (_SIGN,
         (lambda a, e: _near(a, 1_000.0 * 0.1), "that is a USD figure; an inverse contract pays "
          "its PnL in the coin."))),
    "ex2.3": Exercise(
        "A long of 5 micro contracts at a mark price of $70,000 held 30 days; the funding rate "
        "is +0.01 % every 8 hours. The total funding cash flow to you, in USD (negative if you "
        "pay).", "USD",
        lambda: cumulative_funding(70_000.0, 5.0, _MICRO, "long", 0.0001, 90), 0.005,
        (_SIGN,
         (lambda a, e: _near(a, e / 3.0) or _near(a, -e / 3.0), "funding is paid every 8 hours: "
          "three times a day."))),
    "ex3.1": Exercise(
        "A $1,000 account risks 1 % per trade; entry $70,000, stop 2 % below (at $68,600). How "
        "many nano contracts (0.001 BTC) can it hold?", "contracts",
        lambda: position_size(1_000.0, 0.01, 70_000.0, 68_600.0, _NANO), 0.0,
        ((lambda a, e: _near(a, 1_000.0 * 0.01 / (70_000.0 * 0.02 * 0.001)), "round down: a "
          "contract more would risk more than the budget."),)),
    "ex3.2": Exercise(
        "The same trade with one micro contract (0.01 BTC): the loss at the stop, in USD.",
        "USD", lambda: risk_at_stop(70_000.0, 68_600.0, 1.0, _MICRO), 0.005,
        ((lambda a, e: _near(a, -e), "type the loss as a positive amount of dollars."),
         (lambda a, e: _near(a, 10.0), "$10 is the budget; the question asks what one micro "
          "contract actually risks."))),
    "ex3.3": Exercise(
        "The smallest account, in USD, that can put up the initial margin for one micro contract "
        "at $70,000 with 5x leverage.", "USD", lambda: initial_margin(70_000.0, 1.0, _MICRO, 5.0),
        0.005,
        ((lambda a, e: _near(a, 700.0), "$700 is the notional; at 5x you put up a fifth."),)),
}


def expected_answer(exercise_id: str) -> float:
    """The expected answer of an exercise, computed with the library.

    Parameters
    ----------
    exercise_id : str
        A key of :data:`EXERCISES`, for example ``"ex1.2"``.

    Returns
    -------
    float

    Examples
    --------
    >>> round(expected_answer("ex1.3"), 2)
    7000.0
    """
    return float(_exercise(exercise_id).compute())


def _exercise(exercise_id: str) -> Exercise:
    if exercise_id not in EXERCISES:
        raise ValueError(f"exercise_id must be one of {', '.join(sorted(EXERCISES))}; "
                         f"got {exercise_id!r}")
    return EXERCISES[exercise_id]


def _show(x: float, unit: str) -> str:
    if unit == "BTC":
        return f"{x:.8f} BTC"
    if unit == "contracts":
        return f"{x:g} contracts"
    if unit == "%":
        return f"{x:,.4g} %"
    return f"{x:,.6g} {unit}"


def check_answer(exercise_id: str, answer: Any) -> None:
    """Print whether ``answer`` is right, and if not, a hint why.

    Parameters
    ----------
    exercise_id : str
        A key of :data:`EXERCISES`, for example ``"ex1.2"``.
    answer : float or None
        The learner's answer in the exercise's unit; ``None`` means not answered yet.

    Examples
    --------
    >>> check_answer("ex1.1", -0.5)  # doctest: +NORMALIZE_WHITESPACE
    ex1.1 not yet: -0.5 % is not the answer. Hint: PnL as a share of the margin moves
    leverage times faster than the price.
    """
    ex = _exercise(exercise_id)
    if answer is None:
        _say(f"{exercise_id} not yet: type your answer (answer = ...) and run the cell again.")
        return
    try:
        values = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        values = np.asarray([])
    if values.size != 1:
        _say(f"{exercise_id} not yet: the answer must be one number in {ex.unit}; got {answer!r}.")
        return
    value = float(values.reshape(-1)[0])
    if not math.isfinite(value):
        _say(f"{exercise_id} not yet: the answer must be a finite number; got {answer!r}.")
        return
    expected = float(ex.compute())
    if abs(value - expected) <= ex.abs_tol + 1e-9 * abs(expected):
        _say(f"{exercise_id} right: {_show(value, ex.unit)} (the library says "
             f"{_show(expected, ex.unit)}).")
        return
    for is_slip, message in ex.hints:
        if is_slip(value, expected):
            hint = message
            break
    else:
        hint = _default_hint(exercise_id)
    _say(f"{exercise_id} not yet: {_show(value, ex.unit)} is not the answer. Hint: {hint}")


def _say(message: str) -> None:
    """Print wrapped to 76 columns (book pages show code output about that wide)."""
    print(textwrap.fill(message, width=76))


def _default_hint(exercise_id: str) -> str:
    part = exercise_id[2]
    return {
        "0": "notional value = number of contracts x contract size x price.",
        "1": "PnL as a share of the margin moves leverage times faster than the price.",
        "2": "write the notional value first, then apply the rate or the leverage to it.",
        "3": "the loss at the stop is contracts x contract size x (entry - stop).",
    }.get(part, "recompute step by step with the library's functions.")
