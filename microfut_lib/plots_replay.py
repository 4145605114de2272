"""Figures of lesson 07 (capstone): the trade ticket's price ladder and a paper-trading session.

:class:`TicketPanel` draws one planned trade's prices (entry, stop, liquidation, bankruptcy,
exit) from :func:`~microfut_lib.ticket.trade_ticket`. :class:`ReplayPanel` draws a
:class:`~microfut_lib.replay.PaperSession` as far as it has gone: the closes seen so far, the open
position's entry, stop and liquidation lines, the trades' entries and exits, and the equity.
Both are panel (``microfut_lib.panel.Panel``) subclasses (fixed parts once, moving artists in
``draw``), so the replay widget (:mod:`microfut_lib.widgets_replay`) can blit them.

Examples
--------
>>> fig = plot_ticket(leverage=5, stop_pct=2, price_move_pct=4)
>>> fig.caption.splitlines()[0]
'$1,000 account, 1 % risk, long nano contracts at $70,000, 5x, stop 2.0 %, exit +4.0 %'
"""
from __future__ import annotations

import math
import re
import textwrap
from typing import Any

import numpy as np

from ._validate import choice
from .contracts import PRESETS
from .controls import LEVERAGE, PRICE_MOVE_PCT, STOP_PCT, Control
from .panel import COLORS, CourseFigure, Panel, explorer_function, html_table, mpl_text, plot_function, usd
from .replay import SCRIPTED_SESSION, PaperSession, Preview, replay
from .ticket import trade_ticket

__all__ = ["TicketPanel", "ReplayPanel", "plot_ticket", "ticket_explorer", "plot_replay",
           "readout_html", "report_card_html", "preview_text", "preview_note"]

_NANO = PRESETS["BTC-NANO"]
REFERENCE_PRICE_USD = 70_000.0
_PRICE_PAD = 0.08          # the replay's price axis: the path's range plus 8 % of it each side
_usd = usd


# ----------------------------------------------------------------------------------------------
# The trade ticket's price ladder

class TicketPanel(Panel):
    """Entry, stop, liquidation, bankruptcy and exit prices of one ticket, on a price axis.

    The ticket: $1,000 account, 1 % risk, long nano contracts at $70,000, 0.05 % taker fees,
    funding 0.01 % per 8 h over 24 h; the sliders set the leverage, the stop and the exit.
    """

    LINES = (("stop", COLORS["budget"], "--"), ("liquidation", COLORS["loss"], "-"),
             ("bankruptcy", "black", ":"), ("exit", COLORS["nano"], "-."))

    controls = (LEVERAGE.replace(default=5, high=50), STOP_PCT.replace(step=0.5),
                PRICE_MOVE_PCT.replace(default=4.0, low=-15.0, high=15.0, label="exit, price move"))

    def __init__(self, *, account_usd: float = 1_000.0) -> None:
        super().__init__()
        self.account = float(account_usd)
        move_high = self.control("price_move_pct").high
        fig = self.figure
        ax = self.ax = fig.add_axes((0.14, 0.05, 0.5, 0.9))
        ax.set_xlim(0, 1)
        ax.set_xticks([])
        ax.set_ylim(REFERENCE_PRICE_USD * 0.8, REFERENCE_PRICE_USD * (1 + move_high / 100.0 + 0.01))
        ax.set_ylabel("price (USD)")
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        ax.axhline(REFERENCE_PRICE_USD, color=COLORS["long"], lw=2.0, label="entry")
        self.zone = ax.axhspan(REFERENCE_PRICE_USD * 0.98, REFERENCE_PRICE_USD, color=COLORS["budget"],
                               alpha=0.18, lw=0)
        self.lines = {name: ax.axhline(REFERENCE_PRICE_USD, color=c, ls=ls, lw=1.8, label=name)
                      for name, c, ls in self.LINES}
        handles = [ax.lines[0], *self.lines.values()]
        fig.legend(handles, [h.get_label() for h in handles], loc="center left",
                   bbox_to_anchor=(0.66, 0.5), frameon=False, fontsize=8,
                   title="below the chart's floor\n(−20 %): not drawn", title_fontsize=7)
        self.animated = [self.zone, *self.lines.values()]

    def ticket(self, leverage: float, stop_pct: float, price_move_pct: float) -> Any:
        """The :class:`~microfut_lib.ticket.TradeTicket` at these values."""
        return trade_ticket(self.account, REFERENCE_PRICE_USD, "long", contract=_NANO, leverage=leverage,
                            stop_pct=stop_pct, exit_price_usd=REFERENCE_PRICE_USD * (1 + price_move_pct / 100.0))

    def draw(self, leverage: float, stop_pct: float, price_move_pct: float) -> str:
        t = self.ticket(leverage, stop_pct, price_move_pct)
        prices = {"stop": t.stop_price_usd, "liquidation": t.liquidation_price_usd,
                  "bankruptcy": t.bankruptcy_price_usd,
                  "exit": REFERENCE_PRICE_USD * (1 + price_move_pct / 100.0)}
        for name, line in self.lines.items():
            line.set_ydata([prices[name]] * 2)
        self.zone.set_y(t.stop_price_usd)
        self.zone.set_height(REFERENCE_PRICE_USD - t.stop_price_usd)
        head = (f"{_usd(self.account, 0)} account, 1 % risk, long nano contracts at "
                f"{_usd(REFERENCE_PRICE_USD, 0)}, {leverage:g}x, stop {stop_pct:.1f} %, exit "
                f"{price_move_pct:+.1f} %".replace("-", "−"))
        return head + "<br>" + html_table(t.rows(), ("step", "quantity", "value"))


plot_ticket = plot_function(TicketPanel)
ticket_explorer = explorer_function(
    TicketPanel, note="Predict first: at which leverage does the liquidation price pass the 2 % stop?")


# ----------------------------------------------------------------------------------------------
# A paper-trading session

class ReplayPanel(Panel):
    """Closes seen so far, the position's levels, trade marks (top) and equity (bottom).

    The controls are the settings of the next position (contracts, leverage, stop); ``draw``
    applies a changed setting to the session (recorded in :attr:`actions`) and draws the session
    as far as it has gone. A setting refused by the session (a position is open) is reported in
    the readout and leaves the session as it was.

    While flat, dotted lines from the current bar on show the position ``preview_side`` would
    open now (:meth:`PaperSession.preview <microfut_lib.replay.PaperSession.preview>`: entry,
    stop, liquidation) and a note beside the chart gives its margin, stop loss and liquidation
    price, so each slider moves them; a level beyond the price axis is a triangle on its edge.
    Once a position is open, its real entry, stop and liquidation lines replace them.
    """

    controls = (Control("qty", 1, 1, 20, 1, "contracts", integer=True),
                LEVERAGE.replace(default=5, high=50),
                STOP_PCT.replace(low=0.0, step=0.5, label="stop (0 = none)"))
    figure_size = (6.6, 4.2)

    def __init__(self, *, session: PaperSession | None = None, preview_side: str = "long") -> None:
        super().__init__()
        if session is None:
            session = PaperSession(**self.defaults())
        self.session = session
        self.preview_side = choice("preview_side", preview_side, ("long", "short"))
        #: Every action applied to the session through this panel, in order.
        self.actions: list[Any] = []
        bars = session.bars
        n = len(bars)
        fig = self.figure
        top = self.ax = fig.add_axes((0.13, 0.41, 0.62, 0.5))
        bottom = self.ax_equity = fig.add_axes((0.13, 0.11, 0.62, 0.23), sharex=top)
        low, high = float(bars.low.min()), float(bars.high.max())
        pad = _PRICE_PAD * (high - low)
        top.set_xlim(-0.5, n - 0.5)
        top.set_ylim(low - pad, high + pad)
        top.set_ylabel("price (USD)")
        top.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        top.tick_params(labelbottom=False)
        top.grid(alpha=0.25)
        start = session.initial_equity
        bottom.set_ylim(start * 0.7, start * 1.3)
        bottom.set_ylabel("equity (USD)")
        bottom.set_xlabel("bar")
        bottom.axhline(start, color=COLORS["neutral"], lw=0.8, ls=":")
        bottom.grid(alpha=0.25)
        self.price = top.plot([], [], color="black", lw=1.0, label="close")[0]
        self.entry = top.axhline(low, color=COLORS["long"], lw=1.2, label="entry")
        self.stop = top.axhline(low, color=COLORS["budget"], lw=1.2, ls="--", label="stop")
        self.liq = top.axhline(low, color=COLORS["loss"], lw=1.2, label="liquidation")
        self.opens = top.plot([], [], ls="", marker="^", color=COLORS["long"], ms=6, label="long / short")[0]
        self.shorts = top.plot([], [], ls="", marker="v", color=COLORS["short"], ms=6)[0]
        self.exits = top.plot([], [], ls="", marker="x", color="black", ms=6, label="exit")[0]
        self.equity = bottom.plot([], [], color=COLORS["long"], lw=1.2)[0]
        self._add_preview_artists(top)
        handles = [self.price, self.entry, self.stop, self.liq, self.preview_lines["entry"],
                   self.edges["liquidation", "below"], self.opens, self.shorts, self.exits]
        labels = ["close", "entry", "stop", "liquidation", f"if you go {self.preview_side} now",
                  "beyond the chart", "long entry", "short entry", "exit"]
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.77, 0.91), frameon=False, fontsize=8)
        self.animated = [self.price, self.entry, self.stop, self.liq, *self.preview_lines.values(),
                         *self.edges.values(), self.preview_note, self.opens, self.shorts,
                         self.exits, self.equity]

    def _add_preview_artists(self, ax: Any) -> None:
        """Dotted lines (entry, stop, liquidation) of the position one could open now, arrows on
        the axis edges for a stop or liquidation beyond them, and the note beside the chart."""
        dotted = (0, (1.5, 1.5))
        colors = {"entry": COLORS["neutral"], "stop": COLORS["budget"], "liquidation": COLORS["loss"]}
        self.preview_lines = {name: ax.plot([], [], color=c, lw=1.3, ls=dotted)[0] for name, c in colors.items()}
        self.edges = {(name, way): ax.plot([], [], ls="", marker=arrow, color=colors[name], ms=11)[0]
                      for name in ("stop", "liquidation")
                      for way, arrow in (("below", r"$\downarrow$"), ("above", r"$\uparrow$"))}
        self.preview_note = self.figure.text(0.785, 0.47, "", fontsize=7.5, va="top", linespacing=1.3)

    def apply(self, action: Any) -> None:
        """Apply one action to the session and record it (a ValueError leaves both unchanged)."""
        self.session.apply(action)
        self.actions.append(action)

    def draw(self, **settings: Any) -> str:
        s = self.session
        refused = ""
        current = {"qty": s.qty, "leverage": s.leverage, "stop_pct": s.stop_pct}
        for name, value in settings.items():
            if name in current and value != current[name]:
                try:
                    self.apply((name, value))
                except ValueError as exc:
                    refused = f'<br><span style="color:#a12">Not possible here: {exc}</span>'
        return self._draw_session() + refused

    def _draw_session(self) -> str:
        s = self.session
        bars = s.bars
        x = np.arange(s.bar + 1)
        self.price.set_data(x, bars.close[: s.bar + 1])
        p = s.position
        for line, value in ((self.entry, None if p is None else p.entry_price),
                            (self.stop, None if p is None or p.stop_price != p.stop_price else p.stop_price),
                            (self.liq, None if p is None else p.liq_price)):
            line.set_visible(value is not None)
            if value is not None:
                line.set_ydata([value, value])
        trades = list(s.trades) + ([] if p is None else [p])
        longs = [(t.entry_bar, t.entry_price) for t in trades if t.side == "long"]
        shorts = [(t.entry_bar, t.entry_price) for t in trades if t.side == "short"]
        exits = [(t.exit_bar, t.exit_price) for t in s.trades]
        for artist, points in ((self.opens, longs), (self.shorts, shorts), (self.exits, exits)):
            artist.set_data([q[0] for q in points], [q[1] for q in points])
            artist.set_visible(bool(points))
        self.equity.set_data(s.history_bars, s.equity_history)
        levels = self._draw_preview()
        self._draw_edges(levels if p is None else {"stop": p.stop_price, "liquidation": p.liq_price})
        return readout_html(s, self.preview_side)

    def _draw_preview(self) -> dict[str, float]:
        """The position one could open now (hidden while a position is open or after the end);
        returns its stop and liquidation prices (NaN when nothing would be opened)."""
        s = self.session
        flat = s.position is None and not s.finished
        for artist in (*self.preview_lines.values(), self.preview_note):
            artist.set_visible(flat)
        if not flat:
            return {"stop": math.nan, "liquidation": math.nan}
        p = s.preview(self.preview_side)
        low, high = self.ax.get_ylim()
        levels = {"entry": p.entry_price_usd, "stop": p.stop_price_usd, "liquidation": p.liquidation_price_usd}
        for name, level in levels.items():
            line = self.preview_lines[name]
            line.set_visible(level == level and low <= level <= high)
            line.set_data([s.bar, self.ax.get_xlim()[1]], [level, level])
        self.preview_note.set_text(mpl_text(preview_note(p)))
        self.preview_note.set_color(COLORS["neutral"] if p.affordable else COLORS["loss"])  # red: cannot pay
        return levels

    def _draw_edges(self, levels: dict[str, float]) -> None:
        """An arrow on the price axis' lower or upper edge for a stop or liquidation beyond it."""
        (x0, x1), (low, high) = self.ax.get_xlim(), self.ax.get_ylim()
        inset = 0.04 * (high - low)
        for (name, way), arrow in self.edges.items():
            level = levels[name]
            beyond = level == level and (level < low if way == "below" else level > high)
            arrow.set_visible(beyond)
            x = x1 - (0.07 if name == "stop" else 0.035) * (x1 - x0)
            arrow.set_data([x], [low + inset if way == "below" else high - inset])


def preview_text(p: Preview, low: float = 0.0, high: float = math.inf) -> str:
    """The position one could open now, in words (the replay's readout while flat).

    A level outside ``low``–``high`` (the price axis) is said to be off the chart.

    >>> s = PaperSession(qty=2, leverage=10, stop_pct=2)
    >>> preview_text(s.preview(), 66_000, 80_000)
    'if you go long now: 2 micro at 70,279.75, 10x, margin $140.56; stop 68,874.15, a loss of $28.11 (1R) there; liquidation 63,505.80 (below the chart)'
    """
    def where(level: float) -> str:
        return " (below the chart)" if level < low else " (above the chart)" if level > high else ""

    stop = ("no stop" if p.stop_price_usd != p.stop_price_usd else
            f"stop {p.stop_price_usd:,.2f}{where(p.stop_price_usd)}, a loss of {usd(p.risk_usd)} (1R) there")
    money = "" if p.affordable else " (more than the wallet: not possible)"
    return (f"if you go {p.side} now: {p.qty:g} {p.contract} at {p.entry_price_usd:,.2f}, {p.leverage:g}x, "
            f"margin {usd(p.margin_usd)}{money}; {stop}; liquidation {p.liquidation_price_usd:,.2f}"
            f"{where(p.liquidation_price_usd)}")


def preview_note(p: Preview) -> str:
    """The note the replay's figure shows under its legend while flat: the margin and 1R (the loss
    at the stop) of the position one could open now, so every slider moves it.

    >>> print(preview_note(PaperSession(qty=2, leverage=10, stop_pct=2).preview()))
    margin $140.56
    1R at the stop $28.11
    """
    stop = "no stop" if p.risk_usd != p.risk_usd else f"1R at the stop {usd(p.risk_usd)}"
    return f"margin {usd(p.margin_usd)}\n{stop}"


def readout_html(session: PaperSession, preview_side: str = "long") -> str:
    """The live numbers of a session, as HTML (while flat: the position ``preview_side`` would open)."""
    st = session.state()
    head = (f"bar <b>{st.bar}</b> of {len(session.bars) - 1} ({st.time}), price <b>{_usd(st.price_usd)}</b><br>"
            f"equity <b>{_usd(st.equity_usd)}</b> (wallet {_usd(st.wallet_usd)})<br>"
            f"fees paid {_usd(st.fees_paid_usd)}, funding paid {_usd(st.funding_paid_usd, 4)}")
    if st.side is None:
        if session.finished:
            return head + "<br>flat; the session is finished"
        low, high = float(session.bars.low.min()), float(session.bars.high.max())
        pad = _PRICE_PAD * (high - low)
        return head + "<br>flat; " + preview_text(session.preview(preview_side), low - pad, high + pad)
    stop = "none" if st.stop_price_usd != st.stop_price_usd else _usd(st.stop_price_usd)
    return head + (f"<br><b>{st.side}</b> {st.qty:g} {st.contract} at {_usd(st.entry_price_usd)}, {st.leverage:g}x<br>"
                   f"margin {_usd(st.margin_usd)}, unrealised {_usd(st.unrealized_pnl_usd)}<br>"
                   f"margin ratio <b>{st.margin_ratio:.1%}</b> (liquidated at 100 %)<br>"
                   f"liquidation <b>{_usd(st.liquidation_price_usd)}</b>, stop {stop}")


def report_card_html(session: PaperSession) -> str:
    """The session's report card (from its journal), as HTML."""
    r = session.report()
    if r["n_trades"] == 0:
        return "<b>Report card:</b> no closed trade yet."
    avg_r = "n/a (no trade had a stop)" if r["average_r"] is None else f"{r['average_r']:+.2f} R"
    exits = ", ".join(f"{k} {v}" for k, v in sorted(r["exits"].items()))
    return (f"<b>Report card</b>: {r['n_trades']} trades ({exits}); win rate {r['win_rate']:.0%}, "
            f"expectancy {_usd(r['expectancy'])} a trade, average {avg_r}, max drawdown "
            f"{r['max_drawdown']:.1%}; fees {_usd(r['fees_paid'])}, funding paid {_usd(r['funding_paid'])}; "
            f"final equity {_usd(r['final_equity'])} ({r['total_return']:+.1%})".replace("-", "−"))


def plot_replay(qty: int = 1, leverage: float = 5, stop_pct: float = 2.0, *, actions: Any = None,
                bars: Any = None, initial_equity: float = 1_000.0) -> CourseFigure:
    """A session replayed from ``actions``, drawn as the replay widget draws it.

    Parameters
    ----------
    qty : int
        Contracts, 1 to 20 (default 1): the session's setting before the first action.
    leverage : float
        Leverage (x), 1 to 50 (default 5): the setting before the first action.
    stop_pct : float
        Stop (0 = none) (%), 0 to 10 (default 2): the setting before the first action.
    actions : sequence, optional
        The actions (:data:`SCRIPTED_SESSION` by default).
    bars : Bars, optional
        The path (the default seeded path when omitted).
    initial_equity : float
        The starting wallet, USD.

    Returns
    -------
    CourseFigure
        Captioned with the session's report card.
    """
    result = replay(SCRIPTED_SESSION if actions is None else actions, bars, qty=qty, leverage=leverage,
                    stop_pct=stop_pct, initial_equity=initial_equity)
    panel = ReplayPanel(session=result.session)
    fig = panel.figure
    panel.draw()
    report = re.sub(r"<[^>]+>", "", report_card_html(result.session))
    n_actions = len(SCRIPTED_SESSION if actions is None else actions)
    path = "the default seeded path" if bars is None else "the given bars"
    fig.caption = textwrap.fill(f"{n_actions} actions replayed on {path} from "
                                f"{_usd(result.session.initial_equity, 0)}. {report}", 110)
    fig.text(0.02, -0.01, mpl_text(fig.caption), ha="left", va="top", fontsize=8, linespacing=1.4)
    return fig


plot_replay.panel = ReplayPanel  # type: ignore[attr-defined]
