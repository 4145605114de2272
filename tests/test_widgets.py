"""Drive every explorer without a browser.

For each ``*_explorer`` the package exports (found by name, so new lessons' explorers are
included), each slider is set to its minimum, its maximum and a
middle value; every move must change what the learner sees (the PNG or the readout) and show no
error. Setting ``.value`` in the kernel runs the observers synchronously, as a browser move does.
"""
from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import ipywidgets
import numpy as np
import pytest
from PIL import Image

import microfut_lib as mf
from microfut_lib import widgets

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CALL = re.compile(r"\bmf\.(\w+_explorer)\(\)")

#: Every explorer the package exports (lessons add theirs to its lazy-export table).
EXPLORERS = sorted(n for n in dir(mf) if n.endswith("_explorer"))


def _explorer_calls(path: Path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    names = []
    for cell in cells:
        if cell["cell_type"] == "code":
            names += CALL.findall("".join(cell["source"]))
    return names


def test_every_notebook_has_sliders_and_calls_exported_explorers():
    assert NOTEBOOKS, "no notebooks found"
    for nb in NOTEBOOKS:
        calls = _explorer_calls(nb)
        minimum = 1 if nb.name.startswith("00_") else 2
        assert len(calls) >= minimum, f"{nb.name} has {len(calls)} explorers"
        assert set(calls) <= set(EXPLORERS), f"{nb.name} calls unknown explorers"


def _shown(ex: widgets.Explorer) -> tuple[bytes, str]:
    return ex.image.value, ex.readout.value


def _middle(slider):
    middle = slider.min + (slider.max - slider.min) / 2
    if isinstance(slider.value, int):
        return int(round(middle))
    return round(round((middle - slider.min) / slider.step) * slider.step + slider.min, 10)


@pytest.mark.parametrize("name", EXPLORERS)
def test_each_slider_min_max_middle(name):
    ex = getattr(mf, name)()
    assert ex.error is None, ex.error
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    for slider_name, slider in ex.sliders.items():
        default = slider.value
        for value in (slider.min, slider.max, _middle(slider)):
            if value == slider.value:
                continue
            before = _shown(ex)
            slider.value = value
            ex.refine_now()  # a slow refinement (Monte Carlo) runs here instead of later
            after = _shown(ex)
            assert after[0] != before[0] or after[1] != before[1], (slider_name, value)
            assert ex.error is None, f"{name}: {slider_name}={value}: {ex.error}"
            assert "mf-error" not in ex.readout.value
        slider.value = default  # the next slider moves from the starting point


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def _figure_pixels(fig) -> np.ndarray:
    out = io.BytesIO()
    fig.savefig(out, format="png")  # not tight: the caption below the axes is left out
    return _pixels(out.getvalue())


def _moved_values(ex: widgets.Explorer) -> dict:
    """A position away from the defaults: a third of the way along each slider."""
    values = {}
    for name, slider in ex.sliders.items():
        value = slider.min + (slider.max - slider.min) / 3
        value = round(round((value - slider.min) / slider.step) * slider.step + slider.min, 10)
        values[name] = int(value) if isinstance(slider.value, int) else value
    return values


@pytest.mark.parametrize("name", EXPLORERS)
def test_blitted_image_matches_a_full_redraw(name):
    """After moves, the blitted PNG shows what a full draw of the static figure shows."""
    explorer = getattr(mf, name)
    ex = explorer()
    values = _moved_values(ex)
    for slider_name, value in values.items():
        ex.sliders[slider_name].value = value
    ex.refine_now()
    assert ex.error is None, ex.error
    blitted = _pixels(ex.image.value)
    full = _figure_pixels(mf.plot_function(explorer.panel)(**values))
    assert blitted.shape == full.shape
    differing = np.mean(np.any(np.abs(blitted - full) > 40, axis=-1))
    assert differing < 0.002, f"{differing:.2%} of the pixels differ"  # a missing line: > 0.6 %


def test_png_encoder_round_trips():
    rgba = np.random.default_rng(1).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(widgets.png_bytes(rgba))).convert("RGBA"))
    np.testing.assert_array_equal(decoded, rgba)


def test_library_error_shows_in_the_readout_and_the_artists_come_back():
    ex = mf.liquidation_explorer()
    ex.sliders["mmr_pct"].value = 5.0
    ex.sliders["leverage"].value = 25  # 25 x 5 % = 125 %: liquidated at entry
    assert ex.error is not None and "mf-error" in ex.readout.value
    assert not any(a.get_visible() for a in ex.panel.animated)
    ex.sliders["leverage"].value = 10
    assert ex.error is None and "mf-error" not in ex.readout.value
    assert all(a.get_visible() for a in ex.panel.animated)


def test_readout_numbers_follow_the_library():
    ex = mf.leverage_explorer()
    ex.sliders["leverage"].value = 20
    ex.sliders["price_move_pct"].value = -2.0
    # by hand: a 2 % fall at 20x loses 40 % of the margin
    assert "−40.0 %" in ex.readout.value


@pytest.mark.parametrize("name", EXPLORERS)
def test_sliders_come_from_the_panels_controls(name):
    """Each slider is its control: same range, step and default (one declaration)."""
    explorer = getattr(mf, name)
    assert explorer.__name__ == name and "Sliders:" in explorer.__doc__
    ex = explorer()
    assert [c.name for c in explorer.panel.controls] == list(ex.sliders)
    for control in explorer.panel.controls:
        slider = ex.sliders[control.name]
        assert (slider.min, slider.max, slider.step, slider.value) == \
            (control.low, control.high, control.step, control.default)
        assert isinstance(slider, ipywidgets.IntSlider) == control.integer
    if "leverage" in ex.sliders:
        assert ex.sliders["leverage"].min >= 1 and ex.sliders["leverage"].max <= 125


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_slider_steps_evenly_for_the_keyboard(name):
    """An arrow key moves a browser slider by one step: the range holds a whole number of steps
    and each step is exact in binary floating point (or the slider is an integer slider)."""
    for control in getattr(mf, name).panel.controls:
        steps = (control.high - control.low) / control.step
        assert steps == round(steps) and steps >= 2, control
        if not control.integer:
            assert (control.step * 2 ** 12).is_integer() or control.step >= 0.1, control


class _SlowPanel(mf.Panel):
    """A panel whose refine gives a better answer later (as a Monte Carlo panel does)."""

    controls = (mf.Control("x", 1, 0, 10, 1, "x", integer=True),)

    def __init__(self) -> None:
        super().__init__()
        ax = self.figure.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.set_xlim(0, 10)
        (self.point,) = ax.plot([], [], "o")
        self.animated = [self.point]
        self.refined = []

    def draw(self, x):
        self.point.set_data([x], [0.5])
        return f"fast {x}"

    def refine(self, x):
        self.refined.append(x)
        return f"refined {x}"


def test_refine_runs_after_draw_and_only_for_the_last_position():
    ex = widgets.Explorer(_SlowPanel())
    assert ex.refine_pending and ex.readout.value.endswith("fast 1</div>")
    ex.sliders["x"].value = 4
    ex.sliders["x"].value = 7
    ex.refine_now()
    assert ex.panel.refined == [7] and "refined 7" in ex.readout.value and not ex.refine_pending


def test_refine_is_scheduled_in_a_running_event_loop():
    async def move_and_wait():
        ex = widgets.Explorer(_SlowPanel())
        ex.sliders["x"].value = 3
        ex.sliders["x"].value = 5
        await asyncio.sleep(widgets.REFINE_DELAY_S + 0.3)
        return ex

    ex = asyncio.run(move_and_wait())
    assert ex.panel.refined == [5] and "refined 5" in ex.readout.value


def test_explorer_functions_import_no_widgets_until_called():
    code = ("import sys, microfut_lib as mf; mf.plot_funding; f = mf.funding_explorer; "
            "print('ipywidgets' in sys.modules); f(); print('ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


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


def test_import_loads_no_plotting_or_widget_library():
    """``import microfut_lib`` stays numpy-only; the teaching layer loads on first use."""
    code = ("import sys, microfut_lib as mf; heavy = ('matplotlib', 'ipywidgets', "
            "'microfut_lib.plots', 'microfut_lib.widgets', 'microfut_lib.check'); "
            "print(sorted(m for m in heavy if m in sys.modules)); "
            "print(all(n in dir(mf) for n in ('plot_funding', 'funding_explorer', 'check_answer'))); "
            "mf.plot_funding; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "True", "True False"]


def test_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_thing"):
        getattr(mf, "no_such_thing")


@pytest.mark.parametrize(("changes", "field"), [
    ({"low": 5, "high": 5}, "low must be below high"),
    ({"default": 200}, "default must be within"),
    ({"step": 0}, "step must be > 0"),
    ({"name": "not a name"}, "identifier"),
    ({"step": 0.5}, "integer control needs whole"),
    ({"high": float("nan")}, "finite number"),
])
def test_control_rejects_impossible_declarations(changes, field):
    with pytest.raises(ValueError, match=field):
        mf.controls.LEVERAGE.replace(**changes)


def test_control_replace_keeps_the_shared_declaration():
    small = mf.controls.LEVERAGE.replace(default=5, high=20)
    assert (small.name, small.label, small.unit) == ("leverage", "leverage", "x")
    assert mf.controls.LEVERAGE.high == 125 and small.high == 20
    assert widgets.slider_for(small).description == "leverage (x)"
    assert widgets.slider_for(mf.controls.MMR_PCT).readout_format == ",.1f"


def _steps_from_default(slider) -> list:
    """One keyboard step each way from the default (left first at the top of the range), as the
    browser test in ``tests/lab`` presses ArrowRight and ArrowLeft."""
    step = slider.step
    if slider.value + step > slider.max + 1e-9:
        step = -step
    value = slider.value + step
    value = int(value) if isinstance(slider.value, int) else round(value, 10)
    return [value, slider.value]


@pytest.mark.parametrize("name", EXPLORERS)
def test_one_step_of_any_slider_changes_the_figure(name):
    """A learner who moves a slider one step sees the figure change, not only the readout."""
    ex = getattr(mf, name)()
    for slider_name, slider in ex.sliders.items():
        for value in _steps_from_default(slider):
            before = ex.image.value
            slider.value = value
            ex.refine_now()
            assert ex.error is None, f"{name}: {slider_name}={value}: {ex.error}"
            assert ex.image.value != before, f"{name}: {slider_name} -> {value} left the figure as it was"
