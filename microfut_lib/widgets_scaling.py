"""Sliders of lessons 06 and 07, and the paper-trading replay widget.

The explorers wrap the panels of :mod:`microfut_lib.plots_scaling` and
:mod:`microfut_lib.plots_replay` in the course's blitted :class:`~microfut_lib.widgets.Explorer`.
:class:`ReplayExplorer` drives a :class:`~microfut_lib.replay.PaperSession` with buttons (next
bar, play, long, short, close, finish) and controls (contract, contracts, leverage, stop); it
redraws the same way (background cached once, only the moving artists drawn on each step), and
records every action it applies in :attr:`ReplayExplorer.actions`, so ``mf.replay(ex.actions)``
plays the learner's session again.

Examples
--------
>>> ex = replay_explorer()
>>> ex.press("long"); ex.press("next"); ex.press("close")
>>> len(ex.session.trades), ex.actions[-3:]
(1, ['long', 'next', 'close'])
"""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg

from . import plots_replay, plots_scaling
from .replay import PaperSession
from .widgets import Explorer, _explorer, _float_slider, _format_error, _int_slider, _png, _READOUT_STYLE

__all__ = ["ladder_explorer", "same_loss_explorer", "journal_explorer", "ticket_explorer",
           "ReplayExplorer", "replay_explorer"]


def ladder_explorer() -> Explorer:
    """Stop distance and account against the risk of each rung of the ladder (lesson 06)."""
    sliders = {"stop_pct": _float_slider("stop (%)", 2.0, 0.5, 10.0, 0.5, fmt=".1f"),
               "account_usd": _float_slider("account (USD)", 5_000.0, 500.0, 100_000.0, 500.0, fmt=",.0f")}
    return _explorer(plots_scaling.LadderPanel, sliders)


def same_loss_explorer() -> Explorer:
    """The same percentage loss in dollars at each rung (lesson 06)."""
    sliders = {"loss_pct": _float_slider("loss (% of account)", 5.0, 0.5, 20.0, 0.5, fmt=".1f"),
               "risk_pct": _float_slider("risk per trade (%)", 1.0, 0.5, 2.0, 0.25, fmt=".2f")}
    return _explorer(plots_scaling.SameLossPanel, sliders)


def journal_explorer() -> Explorer:
    """Win rate, reward and number of trades against a seeded record and the scaling rule (lesson 06)."""
    sliders = {"win_rate_pct": _float_slider("win rate (%)", 50.0, 20.0, 80.0, 1.0, fmt=".0f"),
               "reward_r": _float_slider("win size (R)", 1.5, 0.5, 3.0, 0.1, fmt=".1f"),
               "n_trades": _int_slider("trades", 100, 10, 200, 5)}
    return _explorer(plots_scaling.JournalPanel, sliders)


def ticket_explorer() -> Explorer:
    """Leverage, stop and exit against the one-page trade ticket (lesson 07)."""
    sliders = {"leverage": _float_slider("leverage (x)", 5.0, 1.0, 50.0, 1.0, fmt=".0f"),
               "stop_pct": _float_slider("stop (%)", 2.0, 0.5, 10.0, 0.5, fmt=".1f"),
               "exit_move_pct": _float_slider("exit (% from entry)", 4.0, -15.0, 15.0, 0.5, fmt=".1f")}
    return _explorer(plots_replay.TicketPanel, sliders)


class ReplayExplorer(widgets.VBox):
    """The paper-trading widget: buttons and controls around a blitted :class:`ReplayPanel`.

    Parameters
    ----------
    session : PaperSession, optional
        The session to drive (a new one on the default seeded path when omitted).

    Attributes
    ----------
    session : PaperSession
    actions : list
        Every action applied, in order: ``mf.replay(ex.actions, bars)`` replays the session.
    sliders : dict
        ``qty``, ``leverage`` and ``stop_pct`` (setting ``.value`` applies it at once).
    error : str or None
        The last refusal (for example "close the open position first"), None when the last action worked.
    """

    def __init__(self, session: PaperSession | None = None) -> None:
        self.session = session or PaperSession()
        self.actions: list[Any] = []
        self.error: str | None = None
        self.panel = plots_replay.ReplayPanel(self.session)
        self.figure = self.panel.figure
        self._canvas = FigureCanvasAgg(self.figure) if not isinstance(self.figure.canvas, FigureCanvasAgg) \
            else self.figure.canvas
        for artist in self.panel.animated:
            artist.set_animated(True)
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)
        s = self.session
        self.contract = widgets.ToggleButtons(options=[("micro 0.01 BTC", "micro"), ("nano 0.001 BTC", "nano")],
                                              value=s.state().contract if s.state().contract in ("micro", "nano")
                                              else "micro", description="contract")
        self.sliders = {"qty": _int_slider("contracts", int(s.qty), 1, 20),
                        "leverage": _float_slider("leverage (x)", s.leverage, 1.0, 50.0, 1.0, fmt=".0f"),
                        "stop_pct": _float_slider("stop (%, 0 = none)", s.stop_pct, 0.0, 10.0, 0.5, fmt=".1f")}
        self.buttons = {name: widgets.Button(description=label, layout=widgets.Layout(width="7.5em"))
                        for name, label in (("next", "next bar"), ("long", "long"), ("short", "short"),
                                            ("close", "close"), ("end", "finish"))}
        self.play = widgets.Play(value=0, min=0, max=max(1, s.bars_left), step=1, interval=250,
                                 description="play")
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        self.event_log = widgets.HTML()
        self.report = widgets.HTML()
        for name, button in self.buttons.items():
            button.on_click(lambda _, name=name: self.press(name))
        self.play.observe(self._on_play, names="value")
        self.contract.observe(lambda c: self.press(("contract", c["new"])), names="value")
        for name, slider in self.sliders.items():
            slider.observe(lambda c, name=name: self.press((name, c["new"])), names="value")
        side = widgets.VBox([self.readout, self.event_log], layout=widgets.Layout(min_width="17em"))
        super().__init__([widgets.HBox([self.play, *self.buttons.values()]), self.contract,
                          widgets.VBox(list(self.sliders.values())), widgets.HBox([self.image, side]),
                          self.report])
        self.refresh()

    def _on_play(self, change: dict[str, Any]) -> None:
        if change["new"] > change["old"] and self.session.bars_left > 0 and not self.session.finished:
            self.press("next")

    def press(self, action: Any) -> None:
        """Apply one action (as :meth:`PaperSession.apply` reads it) and redraw; a refusal is shown."""
        name = action if isinstance(action, str) else action[0]
        try:
            if name == "stop_pct" and self.session.position is None:
                self.session.set_stop_pct(action[1])
            else:
                self.session.apply(action)
        except ValueError as exc:
            self.error = str(exc)
        else:
            self.error = None
            self.actions.append(action)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the moving artists and the readout, log and report card."""
        text = self.panel.update()
        canvas = self._canvas
        canvas.restore_region(self._background)
        for artist in self.panel.animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        self.image.value = _png(canvas)
        error = "" if self.error is None else _format_error(self.error)
        self.readout.value = f'<div class="mf-readout" style="{_READOUT_STYLE}">{text}</div>{error}'
        events = "<br>".join(html.escape(f"bar {e.bar}: {e.message}") for e in self.session.events[-4:]
                             if e.kind != "funding")
        self.event_log.value = f'<div style="{_READOUT_STYLE}; color: #555">{events}</div>'
        self.report.value = (f'<div style="{_READOUT_STYLE}">{plots_replay.report_card_html(self.session)}</div>')


def replay_explorer() -> ReplayExplorer:
    """The paper-trading replay on the default seeded path, $1,000 (lesson 07)."""
    return ReplayExplorer()
