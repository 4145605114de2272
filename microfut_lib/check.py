"""Answer checks for the notebooks' exercises: ``mf.check_answer("ex1.2", answer)``.

The engine (this module) reads what a learner typed, compares it with the expected answer and
prints a verdict; the exercises themselves are declared per lesson in
``microfut_lib/exercises/lessonNN.py``, each module holding ``EXERCISES: dict[str, Exercise |
Choice]`` with ids ``exN.M`` (N = the lesson number). Every ``lessonNN`` module in that package is
collected on first use, so a new lesson adds its own file and touches nothing else.

Two kinds of exercise:

* :class:`Exercise`: a number. The expected value is computed with the library (``compute``),
  never typed in. An answer is accepted within ``max(abs_tol, rel_tol × |expected|)``: pick what a
  careful hand calculation can meet (dollars to the cent or 0.1 %, prices to a dollar or 0.01 %);
  tight only where the question asks for precision. On a wrong answer the first ``hints`` pair
  whose predicate recognises the slip speaks, else the exercise's own ``fallback``. ``working``
  is the solution's formula with the numbers put in; it ends with ``= <the answer>`` (a test
  checks that number against ``compute``).
* :class:`Choice`: a concept question. ``options`` maps letters to statements, ``answer`` is the
  right letter, ``reasons`` says for **each** wrong letter why it is wrong, ``explanation`` why
  the right one is right.

Answers may be typed the way people type them: ``63316.58``, ``"63,316.58"``, ``"$63,316.58"``,
``"9.55%"`` (for a percentage), a Unicode minus ``"−31.50"``; a choice as ``"b"``, ``"B"`` or
``"(b)"``. Anything else gets a message saying how to type it.

Declaring exercises (copy this into ``microfut_lib/exercises/lessonNN.py``)
-------------------------------------------------------------------------------
>>> from microfut_lib.check import Choice, Exercise, near, scaled
>>> from microfut_lib.contracts import PRESETS
>>> from microfut_lib.margin import initial_margin
>>> micro = PRESETS["BTC-MICRO"]
>>> EXERCISES = {
...     "ex9.1": Exercise(
...         "The initial margin, in USD, of one micro contract at $70,000 with 20x leverage.",
...         unit="USD", compute=lambda: initial_margin(70_000, 1, micro, 20),
...         abs_tol=0.005, rel_tol=0.001,
...         hints=((near(700), "$700 is the notional value; divide it by the leverage."),
...                (scaled(100), "that is a whole bitcoin's margin: a micro is 0.01 BTC.")),
...         fallback="margin = contract size × price / leverage.",
...         working="0.01 BTC × $70,000 / 20 = $35.00"),
...     "ex9.2": Choice(
...         "At the same leverage, does a micro contract put up less margin per dollar of notional?",
...         options={"a": "Yes, a hundredth.", "b": "No: margin / notional = 1 / leverage."},
...         answer="b", reasons={"a": "it puts up a hundredth of the dollars, but on a hundredth "
...                                   "of the notional: the ratio is the same."},
...         explanation="margin = notional / leverage, whatever the contract size."),
... }
>>> judge(EXERCISES["ex9.1"], "$35.00")
'right: 35.00 USD (the library says 35.00 USD).'
>>> judge(EXERCISES["ex9.1"], 700)
'not yet: 700.00 USD is not the answer. Hint: $700 is the notional value; divide it by the leverage.'
>>> judge(EXERCISES["ex9.2"], "(A)")
'not yet: (a) is not it: it puts up a hundredth of the dollars, but on a hundredth of the notional: the ratio is the same.'

In a notebook: ``mf.check_answer("ex1.4", answer)`` prints the verdict; a solution cell calls
``mf.show_working("ex1.4")`` (the formula with the numbers in) and then the library function.

>>> check_answer("ex0.1", None)
ex0.1 not yet: type your answer (answer = ...) and run the cell again.
"""
from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Union

import numpy as np

__all__ = ["Choice", "Exercise", "check_answer", "expected_answer", "judge", "near",
           "read_number", "scaled", "show_working"]

Slip = Callable[[float, float], bool]
"""A predicate ``is_this_slip(answer, expected) -> bool`` recognising one typical mistake."""

UNITS = ("USD", "%", "BTC", "contracts", "days", "x")


def near(value: float, rel: float = 1e-3) -> Slip:
    """A slip predicate: the answer is within ``rel`` of a given wrong ``value``.

    >>> near(63_000)(63_010, 63_253.01), near(63_000)(63_253, 63_253.01)
    (True, False)
    """
    return lambda answer, expected: math.isclose(answer, value, rel_tol=rel, abs_tol=1e-9)


def scaled(factor: float, rel: float = 1e-3) -> Slip:
    """A slip predicate: the answer is ``factor × expected`` (−1: wrong sign; 0.01: a fraction).

    >>> scaled(-1)(31.5, -31.5), scaled(0.01)(-1.0, -100.0)
    (True, True)
    """
    return lambda answer, expected: math.isclose(answer, factor * expected, rel_tol=rel,
                                                 abs_tol=1e-9)


@dataclass(frozen=True)
class Exercise:
    """A numeric exercise (see the module docstring for a declaration to copy).

    Parameters
    ----------
    question : str
        The question as the notebook asks it.
    unit : str
        The unit the answer is typed in: one of :data:`UNITS`.
    compute : callable
        No-argument function returning the expected value, computed with the library.
    abs_tol, rel_tol : float
        Accepted distance: ``|answer − expected| ≤ max(abs_tol, rel_tol × |expected|)``.
        Both 0 means exact (whole contracts).
    hints : tuple
        Pairs ``(is_slip, message)`` tried in order on a wrong answer: the message of the first
        ``is_slip(answer, expected)`` that is true is shown.
    fallback : str
        This exercise's own hint when no slip is recognised (required).
    working : str
        The solution's formula with the numbers put in, ending ``= <answer>`` (required).
    """

    question: str
    unit: str
    compute: Callable[[], Any]
    abs_tol: float = 0.0
    rel_tol: float = 0.0
    hints: tuple[tuple[Slip, str], ...] = ()
    fallback: str = ""
    working: str = ""

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}; got {self.unit!r}")
        for name in ("abs_tol", "rel_tol"):
            tol = getattr(self, name)
            if not (math.isfinite(tol) and tol >= 0.0):
                raise ValueError(f"{name} must be a finite number >= 0; got {tol!r}")
        for name in ("question", "fallback", "working"):
            if not getattr(self, name).strip():
                raise ValueError(f"{name} must be a non-empty string (each exercise has its own)")

    def tolerance(self, expected: float) -> float:
        """The accepted distance from ``expected`` (plus a rounding allowance of 1e-9)."""
        return max(self.abs_tol, self.rel_tol * abs(expected)) + 1e-9 * max(1.0, abs(expected))


@dataclass(frozen=True)
class Choice:
    """A concept question: pick one of ``options`` (letters to statements).

    Parameters
    ----------
    question : str
    options : mapping of str to str
        ``{"a": "...", "b": "...", ...}``; keys are lower-case letters.
    answer : str
        The right key.
    reasons : mapping of str to str
        For every wrong key, why it is wrong.
    explanation : str
        Why the right answer is right (shown when it is chosen, and as the working).
    """

    question: str
    options: Mapping[str, str]
    answer: str
    reasons: Mapping[str, str]
    explanation: str = ""
    unit: str = field(default="choice", init=False)

    def __post_init__(self) -> None:
        if len(self.options) < 2 or not all(re.fullmatch(r"[a-z]", k) for k in self.options):
            raise ValueError(f"options must have at least 2 lower-case letter keys; got "
                             f"{sorted(self.options)}")
        if self.answer not in self.options:
            raise ValueError(f"answer must be one of {sorted(self.options)}; got {self.answer!r}")
        wrong = set(self.options) - {self.answer}
        if set(self.reasons) != wrong or not all(str(r).strip() for r in self.reasons.values()):
            raise ValueError(f"reasons must give a reason for each wrong option {sorted(wrong)}; "
                             f"got {sorted(self.reasons)}")
        if not self.explanation.strip():
            raise ValueError("explanation must be a non-empty string")


AnyExercise = Union[Exercise, Choice]

_MINUS_SIGNS = dict.fromkeys(map(ord, "\u2212\u2012\u2013\u2014\ufe63\uff0d"), "-")
_SPACES = dict.fromkeys(map(ord, " _\u00a0\u2009\u202f\u2007"), None)
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")
HOW_TO_TYPE = ("type digits with a dot for decimals, e.g. 63316.58, or as text with thousands "
               "commas: \"63,316.58\"")


def read_number(answer: Any, unit: str) -> tuple[float | None, str]:
    """Read a typed answer as a number in ``unit``: ``(value, "")`` or ``(None, how to type it)``.

    >>> read_number("$63,316.58", "USD"), read_number("\u22129.55%", "%")
    ((63316.58, ''), (-9.55, ''))
    >>> read_number("63.316,58", "USD")[1]
    'use a dot for decimals and commas only between thousands: "63,316.58" or 63316.58'
    """
    if isinstance(answer, (bool, np.bool_)):
        return None, f"the answer is a number in {unit}, not True or False"
    if isinstance(answer, str):
        return _read_text(answer, unit)
    try:
        values = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, f"the answer must be one number in {unit}; {HOW_TO_TYPE}"
    if values.size != 1:
        return None, f"the answer must be one number in {unit}, not {values.size} numbers"
    value = float(values.reshape(-1)[0])
    if not math.isfinite(value):
        return None, "the answer must be a finite number"
    return value, ""


def _read_text(text: str, unit: str) -> tuple[float | None, str]:
    s = text.translate(_MINUS_SIGNS).translate(_SPACES).lower()
    s = re.sub(r"^([-+]?)(us\$|\$|usd)", r"\1", s)
    s = re.sub(r"(usd|btc|contracts?|days?)$", "", s)
    percent = s.endswith("%")
    s = s.rstrip("%")
    if "," in s:
        if not _THOUSANDS.fullmatch(s):
            return None, ('use a dot for decimals and commas only between thousands: '
                          '"63,316.58" or 63316.58')
        s = s.replace(",", "")
    if not _NUMBER.fullmatch(s):
        return None, f"could not read {text!r} as a number; {HOW_TO_TYPE}"
    if percent and unit != "%":
        return None, f"this answer is in {unit}, not a percentage: type it without the % sign"
    value = float(s)
    return (value, "") if math.isfinite(value) else (None, "the answer must be a finite number")


def _read_choice(answer: Any, ex: Choice) -> tuple[str | None, str]:
    letters = ", ".join(f'"{k}"' for k in ex.options)
    if isinstance(answer, str):
        key = answer.strip().strip("().:").strip().lower()
        if key in ex.options:
            return key, ""
        for k, text in ex.options.items():
            if key and key == text.strip().lower().rstrip("."):
                return k, ""
    return None, f"type the letter of one option as text: one of {letters} (answer = \"{next(iter(ex.options))}\")"


def format_value(value: float, unit: str) -> str:
    """A value as the checks print it: ``−31.50 USD``, ``109.5 %``, ``0.00151515 BTC``.

    >>> format_value(-31.5, "USD"), format_value(109.5, "%"), format_value(7, "contracts")
    ('\u221231.50 USD', '109.5 %', '7 contracts')
    """
    if unit == "USD":
        text = f"{value:,.2f}" if abs(value) >= 0.01 or value == 0 else f"{value:.3g}"
    elif unit == "BTC":
        text = f"{value:.8f}"
    elif unit == "%":
        text = f"{value:,.2f}" if abs(value) >= 1_000 else f"{value:.4g}"
    else:
        text = f"{value:,.10g}"
    return f"{text.replace('-', chr(0x2212))} {unit}"


def judge(ex: AnyExercise, answer: Any) -> str:
    """The verdict on ``answer`` (without the exercise id): ``"right: ..."`` or ``"not yet: ..."``."""
    if answer is None:
        return "not yet: type your answer (answer = ...) and run the cell again."
    if isinstance(ex, Choice):
        key, problem = _read_choice(answer, ex)
        if key is None:
            return f"not yet: {problem}."
        if key == ex.answer:
            return f"right: ({key}). {ex.explanation}"
        return f"not yet: ({key}) is not it: {ex.reasons[key]}"
    value, problem = read_number(answer, ex.unit)
    if value is None:
        return f"not yet: {problem}."
    expected = float(ex.compute())
    if abs(value - expected) <= ex.tolerance(expected):
        return (f"right: {format_value(value, ex.unit)} (the library says "
                f"{format_value(expected, ex.unit)}).")
    hint = next((message for is_slip, message in ex.hints if is_slip(value, expected)),
                ex.fallback)
    return f"not yet: {format_value(value, ex.unit)} is not the answer. Hint: {hint}"


@cache
def _registry() -> dict[str, AnyExercise]:
    from .exercises import collect
    return collect()


def __getattr__(name: str) -> Any:
    if name == "EXERCISES":  # all lessons' exercises, collected on first use
        return _registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _exercise(exercise_id: str) -> AnyExercise:
    exercises = _registry()
    if exercise_id not in exercises:
        raise ValueError(f"exercise_id must be one of {', '.join(sorted(exercises))}; "
                         f"got {exercise_id!r}")
    return exercises[exercise_id]


def expected_answer(exercise_id: str) -> float | str:
    """The expected answer: a number computed with the library, or a choice's letter.

    >>> round(expected_answer("ex1.4"), 2), expected_answer("ex1.3")
    (63253.01, 'b')
    """
    ex = _exercise(exercise_id)
    return ex.answer if isinstance(ex, Choice) else float(ex.compute())


def check_answer(exercise_id: str, answer: Any) -> None:
    """Print whether ``answer`` is right, and if not, a hint about this exercise.

    >>> check_answer("ex1.1", "-100%")
    ex1.1 right: −100 % (the library says −100 %).
    """
    _say(f"{exercise_id} {judge(_exercise(exercise_id), answer)}")


def show_working(exercise_id: str) -> None:
    """Print the solution's working: the formula with the numbers in (or why a choice is right).

    >>> show_working("ex0.1")
    Working: 0.01 BTC × $70,000 = $700.00
    """
    ex = _exercise(exercise_id)
    if isinstance(ex, Choice):
        _say(f"Answer: ({ex.answer}) {ex.options[ex.answer]} {ex.explanation}")
    else:
        _say(f"Working: {ex.working}")


def _say(message: str) -> None:
    """Print wrapped to 88 columns (book pages show code output about that wide)."""
    print(textwrap.fill(message, width=88, break_on_hyphens=False))
