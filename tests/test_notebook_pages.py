"""What a learner reads is the lesson, not the test: checks of the stored course notebooks.

nbval (``make test-notebooks``) compares the stored output of every cell tagged
``nbval-check-output`` with a fresh run, and silently compares nothing where no output was stored;
these checks make sure the key outputs are there to compare, that no test plumbing (``assert``,
``# NBVAL_*`` comments) shows on the page, that every static figure carries alt text, and that the
exercises a notebook asks are the ones its lesson declares.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from microfut_lib.check import EXERCISES, Choice

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HIDDEN = {"remove-cell", "remove-input"}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tags(cell: dict) -> list[str]:
    return cell["metadata"].get("tags", [])


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def _stored_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return "".join(parts).strip()


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_checked_cell_has_a_stored_output(path):
    checked = [c for c in _cells(path) if "nbval-check-output" in _tags(c)]
    assert checked, f"{path.name}: no cell is tagged nbval-check-output"
    empty = [_text(c)[:60] for c in checked if not _stored_text(c)]
    assert not empty, f"{path.name}: cells to compare with no stored output: {empty}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_test_plumbing_in_a_visible_cell(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code" or HIDDEN & set(_tags(cell)):
            continue
        source = _text(cell)
        assert not re.search(r"^\s*assert\b", source, re.M), f"{path.name}: assert on the page:\n{source}"
        assert "NBVAL" not in source, f"{path.name}: an nbval comment on the page:\n{source}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_static_figure_has_alt_text(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code" or "remove-output" in _tags(cell):
            continue
        if any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt.split()) >= 12 and re.search(r"\d", alt), (
                f"{path.name}: figure cell without alt text stating its numbers:\n{_text(cell)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_solution_is_tagged_for_the_learner_version(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code" and "hide-cell" in _tags(cell) and "check_answer" in _text(cell):
            assert "solution" in _tags(cell), f"{path.name}: solution not tagged 'solution'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_notebook_asks_its_lessons_exercises(path):
    lesson = int(path.name[:2])
    asked = {m for c in _cells(path) if c["cell_type"] == "code"
             for m in re.findall(r'check_answer\("(ex\d+\.\d+)"', _text(c))}
    declared = {k for k in EXERCISES if k.startswith(f"ex{lesson}.")}
    assert asked == declared, f"{path.name}: asked {sorted(asked)}, declared {sorted(declared)}"
    assert any(isinstance(EXERCISES[k], Choice) for k in declared), (
        f"{path.name}: no concept question")
