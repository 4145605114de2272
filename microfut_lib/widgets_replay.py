"""The paper-trading replay widget (lesson 07): buttons and controls around a blitted session figure.

:class:`ReplayExplorer` drives a :class:`~microfut_lib.replay.PaperSession` with buttons (next
bar, play, long, short, close, finish) and controls (contract, number of contracts, leverage,
stop). Each step redraws like an :class:`~microfut_lib.widgets.Explorer`: the fixed parts of
:class:`~microfut_lib.plots_replay.ReplayPanel` are cached once, and only the moving artists are
painted. Every action applied is recorded in :attr:`ReplayExplorer.actions`, so
``mf.replay(ex.actions)`` plays the learner's session again, without a browser.

Examples
--------
>>> ex = replay_explorer()
>>> ex.press("long"); ex.press("next"); ex.press("close")
>>> len(ex.session.trades), ex.actions[-3:]
(1, ['long', 'next', 'close'])
>>> ex.press("close"); ex.error
'there is no open position to close'
"""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .controls import LEVERAGE, STOP_PCT, Control
from .plots_replay import ReplayPanel, report_card_html
from .replay import PaperSession
from .widgets import _READOUT_STYLE, _format_error, _format_readout, png_bytes, slider_for

__all__ = ["ReplayExplorer", "replay_explorer", "REPLAY_CONTROLS"]

#: The replay's sliders: contracts, leverage and the stop for the next position.
REPLAY_CONTROLS = (Control("qty", 1, 1, 20, 1, "contracts", integer=True),
                   LEVERAGE.replace(default=5, high=50),
                   STOP_PCT.replace(low=0.0, step=0.5, label="stop (0 = none)"))


class ReplayExplorer(widgets.VBox):
    """The paper-trading widget.

    Parameters
    ----------
    session : PaperSession, optional
        The session to drive; a new one on the default seeded path ($1,000) when omitted.

    Attributes
    ----------
    session : PaperSession
    actions : list
        Every action applied, in order: ``mf.replay(ex.actions)`` replays the session.
    sliders : dict
        ``qty``, ``leverage`` and ``stop_pct``; setting ``.value`` applies it at once.
    error : str or None
        The last refusal (e.g. "close the open position before changing the leverage").
    """

    def __init__(self, session: PaperSession | None = None) -> None:
        self.session = session if session is not None else PaperSession(
            qty=REPLAY_CONTROLS[0].default, leverage=REPLAY_CONTROLS[1].default,
            stop_pct=REPLAY_CONTROLS[2].default)
        self.actions: list[Any] = []
        self.error: str | None = None
        self.panel = ReplayPanel(self.session)
        self.figure = self.panel.figure
        canvas = self.figure.canvas
        self._canvas = canvas if isinstance(canvas, FigureCanvasAgg) else FigureCanvasAgg(self.figure)
        for artist in self.panel.animated:
            artist.set_animated(True)
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)
        self._build_controls()
        side = widgets.VBox([self.readout, self.event_log], layout=widgets.Layout(min_width="17em"))
        super().__init__([widgets.HBox([self.play, *self.buttons.values()]), self.contract,
                          widgets.VBox(list(self.sliders.values())), widgets.HBox([self.image, side]),
                          self.report])
        self.refresh()

    def _build_controls(self) -> None:
        s = self.session
        self.contract = widgets.ToggleButtons(options=[("micro 0.01 BTC", "micro"), ("nano 0.001 BTC", "nano")],
                                              value="micro" if s.contract.contract_size == 0.01 else "nano",
                                              description="contract")
        self.sliders = {c.name: slider_for(c) for c in REPLAY_CONTROLS}
        self.buttons = {name: widgets.Button(description=label, layout=widgets.Layout(width="7em"))
                        for name, label in (("next", "next bar"), ("long", "long"), ("short", "short"),
                                            ("close", "close"), ("end", "finish"))}
        self.play = widgets.Play(value=0, min=0, max=max(1, s.bars_left), step=1, interval=250)
        width = int(round(self.figure.get_figwidth() * self.figure.dpi))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px"))
        self.readout, self.event_log, self.report = widgets.HTML(), widgets.HTML(), widgets.HTML()
        for name, button in self.buttons.items():
            button.on_click(lambda _, name=name: self.press(name))
        self.play.observe(self._on_play, names="value")
        self.contract.observe(lambda change: self.press(("contract", change["new"])), names="value")
        for name, slider in self.sliders.items():
            slider.observe(lambda change, name=name: self.press((name, change["new"])), names="value")

    def _on_play(self, change: dict[str, Any]) -> None:
        if change["new"] > change["old"] and self.session.bars_left > 0 and not self.session.finished:
            self.press("next")

    def press(self, action: Any) -> None:
        """Apply one action (as :meth:`PaperSession.apply` reads it) and redraw; a refusal is shown."""
        try:
            self.session.apply(action)
        except ValueError as exc:
            self.error = str(exc)
        else:
            self.error = None
            self.actions.append(action)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the moving artists, the readout, the event log and the report card."""
        for artist in self.panel.animated:
            artist.set_visible(True)
        text = self.panel.draw()
        self._canvas.restore_region(self._background)
        for artist in self.panel.animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        self.image.value = png_bytes(np.asarray(self._canvas.buffer_rgba()))
        error = "" if self.error is None else _format_error(self.error)
        self.readout.value = _format_readout(text) + error
        events = "<br>".join(html.escape(f"bar {e.bar}: {e.message}")
                             for e in [e for e in self.session.events if e.kind != "funding"][-4:])
        self.event_log.value = f'<div style="{_READOUT_STYLE}; color: #555">{events}</div>'
        self.report.value = _format_readout(report_card_html(self.session))


def replay_explorer() -> ReplayExplorer:
    """The paper-trading replay on the default seeded path from $1,000 (lesson 07).

    Returns
    -------
    ReplayExplorer
    """
    return ReplayExplorer()
