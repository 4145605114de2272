"""The paper-trading replay widget (lesson 07): an explorer with buttons around a session figure.

:class:`ReplayExplorer` is an :class:`~microfut_lib.widgets.Explorer` over
:class:`~microfut_lib.plots_replay.ReplayPanel`: its sliders (contracts, leverage, stop) set the
next position, and buttons drive the :class:`~microfut_lib.replay.PaperSession` (next bar, play,
long, short, close, finish), with a contract switch (micro or nano), the live readout, a log of
the last events and the report card from the journal. Each step redraws only the moving artists
over the cached background. Every action applied is recorded in ``ReplayExplorer.actions``,
so ``mf.replay(ex.actions)`` plays the learner's session again, without a browser.

Examples
--------
>>> ex = replay_explorer()
>>> ex.press("long"); ex.press("next"); ex.press("close")
>>> len(ex.session.trades), ex.actions[-3:]
(1, ['long', 'next', 'close'])
>>> ex.press("close"); ex.error
'there is no open position to close'
>>> ex.press("long"); ex.contract.value = "nano"      # refused while a position is open
>>> ex.contract.value, ex.error.startswith("close the open position")
('micro', True)
"""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from .plots_replay import ReplayPanel, report_card_html
from .widgets import _READOUT_STYLE, Explorer, _format_error, _format_readout

__all__ = ["ReplayExplorer", "replay_explorer"]

_NOTE = ("Predict first: with 1 micro contract at 50x and no stop, how many bars does the position "
         "last? Press long, then play.")


class ReplayExplorer(Explorer):
    """The paper-trading widget.

    Parameters
    ----------
    panel : ReplayPanel, optional
        The panel (and its session); a new session on the default seeded path from $1,000 when
        omitted.

    Attributes
    ----------
    error : str or None
        The last refusal from a button (for example "there is no open position to close").
    """

    def __init__(self, panel: ReplayPanel | None = None) -> None:
        self.buttons = {name: widgets.Button(description=label, layout=widgets.Layout(width="7em"))
                        for name, label in (("next", "next bar"), ("long", "long"), ("short", "short"),
                                            ("close", "close"), ("end", "finish"))}
        self.event_log, self.report = widgets.HTML(), widgets.HTML()
        self._refusal: str | None = None
        self._reverting = False
        panel = panel if panel is not None else ReplayPanel()
        session = panel.session
        self.play = widgets.Play(value=0, min=0, max=max(1, session.bars_left), step=1, interval=250)
        self.contract = widgets.ToggleButtons(
            options=[("micro 0.01 BTC", "micro"), ("nano 0.001 BTC", "nano")],
            value="micro" if session.contract.contract_size == 0.01 else "nano", description="contract")
        super().__init__(panel, note=_NOTE)
        for name, button in self.buttons.items():
            button.on_click(lambda _, name=name: self.press(name))
        self.play.observe(self._on_play, names="value")
        self.contract.observe(self._on_contract, names="value")
        self.children = (widgets.HBox([self.play, *self.buttons.values()]), self.contract,
                         *self.children, self.event_log, self.report)

    @property
    def session(self) -> Any:
        """The :class:`~microfut_lib.replay.PaperSession` being played."""
        return self.panel.session

    @property
    def actions(self) -> list[Any]:
        """Every action applied so far (``mf.replay(ex.actions)`` replays them)."""
        return self.panel.actions

    def _on_contract(self, change: dict[str, Any]) -> None:
        if self._reverting:
            return
        self.press(("contract", change["new"]))
        current = "micro" if self.session.contract.contract_size == 0.01 else "nano"
        if current != change["new"]:       # refused (a position is open): show what is in force
            self._reverting = True
            self.contract.value = current
            self._reverting = False

    def _on_play(self, change: dict[str, Any]) -> None:
        if change["new"] > change["old"] and self.session.bars_left > 0 and not self.session.finished:
            self.press("next")

    def press(self, action: Any) -> None:
        """Apply one action (as ``PaperSession.apply`` reads it) and redraw; a refusal is shown."""
        try:
            self.panel.apply(action)
        except ValueError as exc:
            self._refusal = str(exc)
        else:
            self._refusal = None
        self.refresh()

    def refresh(self) -> None:
        """Redraw the figure and readout (see :meth:`Explorer.refresh`), the event log and the report."""
        super().refresh()
        if getattr(self, "_refusal", None):
            self.error = self._refusal
            self.readout.value += _format_error(self._refusal)
        if not hasattr(self, "report"):
            return
        events = [e for e in self.session.events if e.kind != "funding"][-4:]
        lines = "<br>".join(html.escape(f"bar {e.bar}: {e.message}") for e in events)
        self.event_log.value = f'<div style="{_READOUT_STYLE}; color: #555">{lines}</div>'
        self.report.value = _format_readout(report_card_html(self.session))


def replay_explorer() -> ReplayExplorer:
    """The paper-trading replay on the default seeded path from $1,000 (lesson 07).

    Sliders:

    - contracts: 1 to 20, starting at 1
    - leverage (x): 1 to 50, starting at 5
    - stop (0 = none) (%): 0 to 10, starting at 2

    Buttons: play, next bar, long, short, close, finish; a micro / nano contract switch.

    Returns
    -------
    ReplayExplorer
    """
    return ReplayExplorer()


replay_explorer.panel = ReplayPanel  # type: ignore[attr-defined]
replay_explorer.note = _NOTE  # type: ignore[attr-defined]
