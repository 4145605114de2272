"""Drive every notebook's explorers without a browser.

For each ``mf.*_explorer()`` a notebook calls, each slider is set to its minimum, its maximum and a
middle value; every move must change what the learner sees (the PNG or the readout) and show no
error. Setting ``.value`` in the kernel runs the observers synchronously, as a browser move does.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import microfut_lib as mf
from microfut_lib import widgets

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CALL = re.compile(r"\bmf\.(\w+_explorer)\(\)")


def _explorer_calls(path: Path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    names = []
    for cell in cells:
        if cell["cell_type"] == "code":
            names += CALL.findall("".join(cell["source"]))
    return names


CASES = [(nb.name, name) for nb in NOTEBOOKS for name in _explorer_calls(nb)]


def test_every_notebook_has_sliders():
    assert NOTEBOOKS, "no notebooks found"
    for nb in NOTEBOOKS:
        calls = _explorer_calls(nb)
        minimum = 1 if nb.name.startswith("00_") else 2
        assert len(calls) >= minimum, f"{nb.name} has {len(calls)} explorers"


def _shown(ex: widgets.Explorer) -> tuple[bytes, str]:
    return ex.image.value, ex.readout.value


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_each_slider_min_max_middle(notebook, name):
    ex = getattr(mf, name)()
    assert ex.error is None, ex.error
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    for slider_name, slider in ex.sliders.items():
        default = slider.value
        middle = slider.min + (slider.max - slider.min) / 2
        if isinstance(slider.value, int):
            middle = int(round(middle))
        for value in (slider.min, slider.max, middle):
            if value == slider.value:
                continue
            before = _shown(ex)
            slider.value = value
            after = _shown(ex)
            assert after[0] != before[0] or after[1] != before[1], (slider_name, value)
            assert ex.error is None, f"{name}: {slider_name}={value}: {ex.error}"
            assert "mf-error" not in ex.readout.value
        slider.value = default  # the next slider moves from the notebook's starting point


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def _figure_pixels(fig) -> np.ndarray:
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return _pixels(out.getvalue())


@pytest.mark.parametrize(("explorer", "plot", "values"), [
    (mf.leverage_explorer, mf.plot_leverage_magnifier, {"leverage": 37, "price_move_pct": 12.5}),
    (mf.liquidation_explorer, mf.plot_liquidation_distance, {"leverage": 50, "mmr_pct": 1.2}),
    (mf.funding_explorer, mf.plot_funding, {"rate_pct": -0.045, "days": 71}),
    (mf.risk_budget_explorer, mf.plot_risk_budget, {"stop_pct": 0.7, "account_usd": 5_000}),
    (mf.backtest_explorer, mf.plot_backtest, {"fast": 20, "slow": 100, "leverage": 10}),
])
def test_blitted_image_matches_a_full_redraw(explorer, plot, values):
    """The blitted PNG shows what a full draw of the static figure shows at the same values."""
    ex = explorer()
    for name, value in values.items():
        ex.sliders[name].value = value
    blitted = _pixels(ex.image.value)
    full = _figure_pixels(plot(**values))
    assert blitted.shape == full.shape
    differing = np.mean(np.any(np.abs(blitted - full) > 40, axis=-1))
    assert differing < 0.002, f"{differing:.2%} of the pixels differ"  # a missing line: > 0.6 %


def test_library_error_shows_in_the_readout_not_as_a_traceback():
    ex = mf.liquidation_explorer()
    ex.sliders["mmr_pct"].value = 5.0
    ex.sliders["leverage"].value = 25.0  # 25 x 5 % = 125 %: liquidated at entry
    assert ex.error is not None and "mf-error" in ex.readout.value
    ex.sliders["leverage"].value = 10.0
    assert ex.error is None and "mf-error" not in ex.readout.value


def test_readout_numbers_follow_the_library():
    ex = mf.leverage_explorer()
    ex.sliders["leverage"].value = 20
    ex.sliders["price_move_pct"].value = -2.0
    # by hand: a 2 % fall at 20x loses 40 % of the margin
    assert "−40.0 %" in ex.readout.value


def test_slider_ranges_are_valid_inputs():
    """Each slider is bounded to values the library accepts (leverage within the 125x cap)."""
    for name in {n for _, n in CASES}:
        ex = getattr(mf, name)()
        for slider in ex.sliders.values():
            assert slider.min < slider.max
        if "leverage" in ex.sliders:
            assert ex.sliders["leverage"].min >= 1 and ex.sliders["leverage"].max <= 125


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_conventions_for_the_static_book(path):
    """Explorer cells are hidden in the static page, announced, and followed by a static figure;
    every exercise has a hidden solution that checks itself; the first code cell installs."""
    cells = json.loads(path.read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    exercises = [c for c in code if "".join(c["source"]).startswith("answer = None")]
    assert len(exercises) >= (1 if path.name.startswith("00_") else 2)
    first = "".join(code[0]["source"])
    assert "import microfut_lib" in first and "%pip install" in first
    assert "remove-input" in code[0]["metadata"].get("tags", [])
    for i, cell in enumerate(cells):
        source = "".join(cell["source"])
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] == "code" and CALL.search(source):
            assert "remove-output" in tags, source
            assert "live session" in "".join(cells[i - 1]["source"])
            following = "".join(cells[i + 1]["source"])
            assert cells[i + 1]["cell_type"] == "code" and "mf.plot_" in following, following
        if cell["cell_type"] == "code" and source.startswith("answer = None"):
            solution = cells[i + 1]
            assert "hide-cell" in solution["metadata"].get("tags", [])
            exercise_id = re.search(r'check_answer\("([^"]+)"', source).group(1)
            assert f'check_answer("{exercise_id}"' in "".join(solution["source"])
            assert any(f"{exercise_id} right" in "".join(o.get("text", ""))
                       for o in solution.get("outputs", [])), f"{exercise_id}: stored solution not right"
