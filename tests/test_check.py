"""The exercise checks: right answers pass however they are typed, slips get their own hint,
expected values are right, the working shows the answer, every concept question explains itself.

The expected values are worked out by hand here (the article's setting), independently of the
library.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

import microfut_lib as mf
from microfut_lib.check import EXERCISES, Choice, Exercise, judge, near, read_number

BY_HAND = {
    "ex0.1": 0.01 * 70_000,
    "ex1.1": -10 * 10.0,
    "ex1.4": 70_000 * (1 - 1 / 10) / (1 - 0.004),
    "ex1.5": 70_000 / 10,
    "ex1.6": 7.0,                      # floor(500 / 70)
    "ex2.1": 25 * 0.001 * 64_000,
    "ex2.2": 3 * 0.001 * 65_000 / 25,
    "ex2.4": 72.0,                     # 71 x 700 = 49,700 <= 50,000 < 72 x 700 = 50,400
    "ex2.5": 10 * 100 * (1 / 60_000 - 1 / 66_000),
    "ex2.6": -5 * 0.01 * 70_000 * 0.0001 * 3 * 30,
    "ex2.7": 0.0001 * 3 * 365 * 10 * 100,
    "ex3.1": 7.0,                      # floor(10 / (0.001 x 1,400)) = floor(7.14)
    "ex3.2": 6.0,                      # floor(10 / (1.40 + 0.0005 x (70 + 68.60))) = floor(6.81)
    "ex3.3": 0.01 * (70_000 - 68_600),
    "ex3.5": 0.01 * 70_000 / 5,
    "ex3.6": 40 * 2 * 0.0005 * 700,
    "ex3.7": 0.01 * 70_000 * 0.03 / 1_000 * 100,
    "ex6.1": 6.0,                      # floor(100 / (14 + 0.0005 x (700 + 686))) = floor(6.81)
    "ex6.2": (0.1 * 1_400 + 0.0005 * 0.1 * (70_000 + 68_600)) / 0.02,
    "ex6.3": (2 - 1 - 1 + 3 - 1) / 5,
    "ex7.1": (0.006 * 70_000 - 0.006 * 70_000 / 5) / (0.006 * (1 - 0.004)),
    "ex7.2": -0.006 * 70_000 * 0.0001 * 3,
}
NUMERIC = sorted(k for k, ex in EXERCISES.items() if isinstance(ex, Exercise))
CHOICES = sorted(k for k, ex in EXERCISES.items() if isinstance(ex, Choice))


def _say(exercise_id, answer, capsys):
    mf.check_answer(exercise_id, answer)
    return capsys.readouterr().out.replace("\n", " ")


def test_every_numeric_exercise_is_worked_by_hand():
    assert set(BY_HAND) == set(NUMERIC)


def test_every_lesson_has_a_concept_question():
    lessons = {k.split(".")[0] for k in EXERCISES}
    assert {"ex0", "ex1", "ex2", "ex3"} <= lessons
    assert lessons == {k.split(".")[0] for k in CHOICES}


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_expected_answer_matches_hand_value(exercise_id):
    assert mf.expected_answer(exercise_id) == pytest.approx(BY_HAND[exercise_id], rel=1e-9,
                                                            abs=1e-12)


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_right_answer_is_right(exercise_id, capsys):
    assert _say(exercise_id, BY_HAND[exercise_id], capsys).startswith(f"{exercise_id} right")


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_the_working_ends_with_the_answer(exercise_id):
    ex = EXERCISES[exercise_id]
    last = re.split("[=→]", ex.working)[-1].strip()
    value, problem = read_number(last, ex.unit)
    assert not problem, (ex.working, problem)
    # the working is rounded for the page: it must round to the library's answer
    decimals = re.search(r"(?:\.(\d+))?\D*$", last).group(1) or ""
    assert value == pytest.approx(BY_HAND[exercise_id], abs=0.51 * 10.0 ** -len(decimals)), \
        ex.working


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_none_is_not_yet(exercise_id, capsys):
    out = _say(exercise_id, None, capsys)
    assert out.startswith(f"{exercise_id} not yet") and "answer =" in out


@pytest.mark.parametrize("typed", ["63253.01", "63,253.01", "$63,253.01", " $63,253 ", "63253",
                                   "US$63,253.01", "63 253.01", "63253.01 USD"])
def test_prices_are_read_as_people_type_them(typed, capsys):
    assert _say("ex1.4", typed, capsys).startswith("ex1.4 right")


@pytest.mark.parametrize(("exercise_id", "typed"), [
    ("ex2.6", "\u221231.50"), ("ex2.6", "-$31.50"), ("ex2.6", "\u2212$31.5"),
    ("ex1.1", "-100%"), ("ex1.1", "\u2212100 %"), ("ex2.7", "109.5%"), ("ex3.1", "7"),
    ("ex2.5", "0.00151515"), ("ex2.5", "0.0015152 BTC"),
])
def test_signs_percent_and_units_are_read(exercise_id, typed, capsys):
    assert _say(exercise_id, typed, capsys).startswith(f"{exercise_id} right")


@pytest.mark.parametrize(("exercise_id", "typed", "how"), [
    ("ex1.4", "63.253,01", "dot for decimals"),
    ("ex1.4", "63,25", "dot for decimals"),
    ("ex1.4", "9.55%", "not a percentage"),
    ("ex1.4", "about 63k", "could not read"),
    ("ex1.4", True, "not True or False"),
    ("ex1.4", [1, 2], "one number"),
    ("ex1.4", float("nan"), "finite"),
    ("ex1.4", float("inf"), "finite"),
])
def test_unreadable_answers_say_how_to_type_them(exercise_id, typed, how, capsys):
    out = _say(exercise_id, typed, capsys)
    assert out.startswith(f"{exercise_id} not yet") and how in out


@pytest.mark.parametrize(("exercise_id", "inside", "outside"), [
    ("ex1.4", 63_254.0, 63_245.0),     # a price: to a dollar or 0.01 % (about $6.33 here)
    ("ex1.5", 7_006.0, 7_008.0),       # dollars: to the cent or 0.1 % ($7 here)
    ("ex2.2", 7.80, 7.82),             # $7.80: to the cent (0.1 % is under a cent)
    ("ex2.7", 109.5, 110.0),           # a percentage
])
def test_tolerances_a_hand_calculation_can_meet(exercise_id, inside, outside, capsys):
    assert _say(exercise_id, inside, capsys).startswith(f"{exercise_id} right")
    assert _say(exercise_id, outside, capsys).startswith(f"{exercise_id} not yet")


def test_whole_contracts_are_exact(capsys):
    assert _say("ex3.1", 7.0, capsys).startswith("ex3.1 right")
    assert _say("ex3.1", 7.14, capsys).startswith("ex3.1 not yet")


@pytest.mark.parametrize(("exercise_id", "answer", "hint"), [
    ("ex0.1", 70_000, "0.01 BTC"),
    ("ex1.1", -1.0, "fraction"),
    ("ex1.1", 100, "wrong sign"),
    ("ex1.4", 63_000, "bankruptcy"),
    ("ex1.4", 63_280, "entry price"),
    ("ex1.6", 7.14, "round down"),
    ("ex2.4", 71, "$49,700"),
    ("ex2.6", 31.5, "wrong sign"),
    ("ex2.7", 10.95, "notional"),
    ("ex3.1", 7.14, "round down"),
    ("ex3.2", 7, "$10.29"),
    ("ex3.6", 14, "to open and to close"),
    ("ex3.7", 210, "standard contract"),
])
def test_common_slips_get_their_hint(exercise_id, answer, hint, capsys):
    out = _say(exercise_id, answer, capsys)
    assert out.startswith(f"{exercise_id} not yet") and hint in out


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_an_unrecognised_slip_gets_this_exercises_own_fallback(exercise_id, capsys):
    out = _say(exercise_id, 123_456.0, capsys)
    assert EXERCISES[exercise_id].fallback.split()[0] in out
    assert out.startswith(f"{exercise_id} not yet")


def test_fallbacks_are_each_exercises_own():
    fallbacks = [EXERCISES[k].fallback for k in NUMERIC]
    assert len(set(fallbacks)) == len(fallbacks)
    liq = EXERCISES["ex1.4"].fallback
    assert "liquidation" in liq and "return on" not in liq


@pytest.mark.parametrize("exercise_id", CHOICES)
def test_a_choice_explains_every_option(exercise_id, capsys):
    ex = EXERCISES[exercise_id]
    for key in ex.options:
        for typed in (key, key.upper(), f"({key})"):
            out = _say(exercise_id, typed, capsys)
            if key == ex.answer:
                assert out.startswith(f"{exercise_id} right")
            else:
                assert out.startswith(f"{exercise_id} not yet")
                assert ex.reasons[key].split()[0] in out


@pytest.mark.parametrize("typed", ["z", 2, "", "bb"])
def test_a_choice_says_how_to_answer(typed, capsys):
    out = _say("ex2.8", typed, capsys)
    assert out.startswith("ex2.8 not yet") and '"a"' in out


def test_show_working_prints_the_formula_and_the_choice_explanation(capsys):
    mf.show_working("ex1.4")
    assert "63,253.01" in capsys.readouterr().out
    mf.show_working("ex2.8")
    out = capsys.readouterr().out
    assert out.startswith("Answer: (b)") and "Shorts pay longs" in out


def test_ids_follow_their_lesson():
    assert all(re.fullmatch(r"ex\d\.\d+", k) for k in EXERCISES)


def test_unknown_exercise_is_a_value_error():
    with pytest.raises(ValueError, match="exercise_id"):
        mf.check_answer("ex9.9", 1)


def test_a_one_element_array_is_read_as_its_number(capsys):
    assert _say("ex3.3", np.array([14.0]), capsys).startswith("ex3.3 right")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"unit": "EUR"}, "unit"),
    ({"abs_tol": -1.0}, "abs_tol"),
    ({"rel_tol": float("nan")}, "rel_tol"),
    ({"fallback": " "}, "fallback"),
    ({"working": ""}, "working"),
])
def test_an_exercise_declaration_is_checked(kwargs, match):
    base = dict(question="q", unit="USD", compute=lambda: 1.0, abs_tol=0.01, fallback="f",
                working="1 = 1")
    with pytest.raises(ValueError, match=match):
        Exercise(**{**base, **kwargs})


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"answer": "c"}, "answer"),
    ({"reasons": {}}, "reasons"),
    ({"options": {"a": "x"}, "answer": "a", "reasons": {}}, "options"),
    ({"explanation": ""}, "explanation"),
])
def test_a_choice_declaration_is_checked(kwargs, match):
    base = dict(question="q", options={"a": "x", "b": "y"}, answer="b", reasons={"a": "why"},
                explanation="because")
    with pytest.raises(ValueError, match=match):
        Choice(**{**base, **kwargs})


def test_hint_predicates_are_checked_against_the_wrong_value_only():
    ex = Exercise("q", "USD", lambda: 10.0, abs_tol=0.005, hints=((near(20), "twice"),),
                  fallback="fall back", working="5 × 2 = 10")
    assert judge(ex, 20).endswith("twice") and judge(ex, 30).endswith("fall back")
