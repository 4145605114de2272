"""The exercise checks: right answers pass, slips get their hint, expected values are right.

The expected values are worked out by hand here (article's setting), independently of the library.
"""
from __future__ import annotations

import pytest

import microfut_lib as mf
from microfut_lib.check import EXERCISES

BY_HAND = {
    "ex0.1": 0.01 * 70_000,
    "ex1.1": -10 * 10.0,
    "ex1.2": 70_000 * (1 - 1 / 10) / (1 - 0.004),
    "ex1.3": 70_000 / 10,
    "ex2.1": 3 * 0.001 * 65_000 / 25,
    "ex2.2": 10 * 100 * (1 / 60_000 - 1 / 66_000),
    "ex2.3": -5 * 0.01 * 70_000 * 0.0001 * 3 * 30,
    "ex3.1": 7.0,                      # floor(10 / (0.001 x 1,400)) = floor(7.14)
    "ex3.2": 0.01 * (70_000 - 68_600),
    "ex3.3": 0.01 * 70_000 / 5,
}


def test_every_exercise_is_worked_by_hand():
    assert set(BY_HAND) <= set(EXERCISES)
    missing = set(EXERCISES) - set(BY_HAND)
    assert not missing or all(k.startswith("ex3.") for k in missing), missing


@pytest.mark.parametrize("exercise_id", sorted(BY_HAND))
def test_expected_answer_matches_hand_value(exercise_id):
    assert mf.expected_answer(exercise_id) == pytest.approx(BY_HAND[exercise_id], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("exercise_id", sorted(BY_HAND))
def test_right_answer_is_right(exercise_id, capsys):
    mf.check_answer(exercise_id, BY_HAND[exercise_id])
    assert capsys.readouterr().out.startswith(f"{exercise_id} right")


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_none_is_not_yet(exercise_id, capsys):
    mf.check_answer(exercise_id, None)
    out = capsys.readouterr().out
    assert out.startswith(f"{exercise_id} not yet") and "answer =" in out


@pytest.mark.parametrize(("exercise_id", "answer", "hint"), [
    ("ex0.1", 70_000, "0.01 BTC"),
    ("ex1.1", -1.0, "fraction"),
    ("ex1.1", 100, "wrong sign"),
    ("ex1.2", 63_000, "bankruptcy"),
    ("ex2.3", 31.5, "wrong sign"),
    ("ex3.1", 7.14, "round down"),
])
def test_common_slips_get_their_hint(exercise_id, answer, hint, capsys):
    mf.check_answer(exercise_id, answer)
    out = capsys.readouterr().out
    assert out.startswith(f"{exercise_id} not yet") and hint in out


def test_tolerance_is_tight():
    expected = mf.expected_answer("ex1.2")
    assert expected == pytest.approx(63_253.01, abs=0.01)
    assert EXERCISES["ex1.2"].abs_tol <= 1.0


@pytest.mark.parametrize("answer", ["seventy", float("nan"), [1, 2], [], float("inf")])
def test_non_numbers_are_not_yet(answer, capsys):
    mf.check_answer("ex0.1", answer)
    assert "not yet" in capsys.readouterr().out


def test_unknown_exercise_is_a_value_error():
    with pytest.raises(ValueError, match="exercise_id"):
        mf.check_answer("ex9.9", 1)


def test_a_one_element_array_is_read_as_its_number(capsys):
    import numpy as np
    mf.check_answer("ex3.2", np.array([14.0]))   # e.g. a result of a vectorized call
    assert capsys.readouterr().out.startswith("ex3.2 right")
