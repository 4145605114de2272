"""The explorer widget: sliders built from a panel's controls, a blitted figure and a readout.

An :class:`Explorer` takes a panel (:class:`microfut_lib.panel.Panel`) and

- builds one slider per control (an integer slider for whole-number controls), inside the
  control's range, so a learner cannot ask for an impossible value;
- draws the figure's fixed parts (axes, ticks, labels, legend) once and keeps them as a cached
  background;
- on each slider move asks the panel to ``draw`` the new values, restores the background, paints
  only the moving artists, encodes the pixels as a PNG with light compression and sets it on an
  ``ipywidgets.Image``. Re-creating a whole figure per move, as ``interact`` does, costs about
  ten times more, and text drawn inside the figure is slow too, so the live numbers go to an
  HTML readout beside the figure;
- turns a ``ValueError`` from the library into a short message in the readout (no traceback) and
  hides the moving artists, which it shows again on the next move that works;
- when the panel has a slow ``refine`` (a Monte Carlo estimate), shows ``draw``'s fast answer at
  once and runs ``refine`` in the kernel's event loop shortly after the slider stops moving.

The explorers themselves are one line each next to their panels (see :mod:`microfut_lib.panel`).

Examples
--------
>>> import microfut_lib as mf
>>> ex = mf.leverage_explorer()
>>> ex.sliders["leverage"].value = 20
>>> ex.error is None
True
"""
from __future__ import annotations

import asyncio
import html
import zlib
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .controls import Control
from .panel import Panel

__all__ = ["Explorer", "slider_for"]

_READOUT_STYLE = ("font-family: var(--jp-content-font-family, sans-serif); font-size: 13px; "
                  "line-height: 1.5; min-width: 15em")

#: Seconds after the last move before a panel's slow ``refine`` runs.
REFINE_DELAY_S = 0.2


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (len(data).to_bytes(4, "big") + kind + data
            + zlib.crc32(kind + data).to_bytes(4, "big"))


def png_bytes(rgba: np.ndarray) -> bytes:
    """An RGBA pixel array (height × width × 4, uint8) as PNG bytes, zlib level 1, no filter."""
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "none" for every row
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((8, 6, 0, 0, 0))
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _png_chunk(b"IEND", b""))


def slider_for(control: Control) -> widgets.Widget:
    """The ipywidgets slider of a control (integer slider for whole-number controls)."""
    common = {"value": control.default, "min": control.low, "max": control.high,
              "step": control.step, "description": control.description, "continuous_update": True,
              "style": {"description_width": "11em"}, "layout": widgets.Layout(width="32em")}
    if control.integer:
        return widgets.IntSlider(**common)
    return widgets.FloatSlider(readout_format=f",.{control.decimals}f", **common)


def _format_error(message: str) -> str:
    return (f'<div class="mf-error" style="{_READOUT_STYLE}; color: #a12">'
            f"<b>Not possible here:</b> {html.escape(message)}</div>")


def _format_readout(text: str) -> str:
    return f'<div class="mf-readout" style="{_READOUT_STYLE}">{text}</div>'


class Explorer(widgets.VBox):
    """Sliders, a blitted figure and a readout, wired to a panel.

    Parameters
    ----------
    panel : Panel
        Declares the controls, owns the figure, the moving artists (``animated``) and ``draw``.
    note : str, optional
        A line of HTML shown under the readout (what to try).

    Attributes
    ----------
    sliders : dict
        The sliders keyed by control name; setting a slider's ``value`` redraws synchronously
        (which is what the tests and the benchmark use).
    image : ipywidgets.Image
        The figure as PNG.
    readout : ipywidgets.HTML
        The live numbers, or the error message.
    error : str or None
        The last ``ValueError`` message, ``None`` when the last update worked.
    refine_pending : bool
        ``True`` while a slow refinement of the current values has not run yet.
    """

    def __init__(self, panel: Panel, *, note: str = "") -> None:
        self.panel = panel
        self.figure = panel.figure
        self.sliders = {c.name: slider_for(c) for c in panel.controls}
        self.error: str | None = None
        self.refine_pending = False
        self._refine_handle: asyncio.TimerHandle | None = None
        self._backgrounds: dict[tuple, Any] = {}
        canvas = self.figure.canvas
        self._canvas = canvas if isinstance(canvas, FigureCanvasAgg) else FigureCanvasAgg(self.figure)
        for artist in panel.animated:
            artist.set_animated(True)
        self._background = self._capture_background()
        width = int(round(self.figure.get_figwidth() * self.figure.dpi))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px"))
        self.readout = widgets.HTML()
        side = [self.readout]
        if note:
            side.append(widgets.HTML(f'<div style="{_READOUT_STYLE}; color: #555">{note}</div>'))
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        super().__init__([widgets.VBox(list(self.sliders.values())),
                          widgets.HBox([self.image, widgets.VBox(side)])])
        self.refresh()

    def _capture_background(self) -> Any:
        """The fixed parts' pixels for the current axis ranges: drawn once per set of ranges
        (animated artists are skipped), then kept, so axes that follow the data and come back
        to a range they had cost a restore, not a redraw."""
        self.panel.background_stale = False
        key = tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes)
        if key not in self._backgrounds:
            self._canvas.draw()
            self._backgrounds[key] = self._canvas.copy_from_bbox(self.figure.bbox)
        return self._backgrounds[key]

    def values(self) -> dict[str, Any]:
        """The sliders' current values, keyed by control name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the sliders' values and redraw the moving artists only."""
        for artist in self.panel.animated:
            artist.set_visible(True)
        try:
            text = _format_readout(self.panel.draw(**self.values()))
        except ValueError as exc:
            self.error = str(exc)
            for artist in self.panel.animated:
                artist.set_visible(False)
            text = _format_error(self.error)
        else:
            self.error = None
        if self.panel.background_stale:  # an axis range moved with the data
            self._background = self._capture_background()
        self._blit()
        self.readout.value = text
        if self.panel.refine is not None:
            self._schedule_refine()

    def refine_now(self) -> None:
        """Run the panel's slow ``refine`` for the current values and show its answer."""
        self._cancel_refine()
        self.refine_pending = False
        if self.panel.refine is None or self.error is not None:
            return
        try:
            text = _format_readout(self.panel.refine(**self.values()))
        except ValueError as exc:
            self.error = str(exc)
            text = _format_error(self.error)
        self._blit()
        self.readout.value = text

    def _cancel_refine(self) -> None:
        if self._refine_handle is not None:
            self._refine_handle.cancel()
            self._refine_handle = None

    def _schedule_refine(self) -> None:
        """Run ``refine`` once the sliders have rested for :data:`REFINE_DELAY_S` (each move
        postpones it); outside a running event loop it waits for :meth:`refine_now`."""
        self._cancel_refine()
        self.refine_pending = self.error is None
        if not self.refine_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._refine_handle = loop.call_later(REFINE_DELAY_S, self.refine_now)

    def _blit(self) -> None:
        canvas = self._canvas
        canvas.restore_region(self._background)
        # in z-order, as a full draw paints them (the list order breaks ties)
        for artist in sorted(self.panel.animated, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                self.figure.draw_artist(artist)
        self.image.value = png_bytes(np.asarray(canvas.buffer_rgba()))
