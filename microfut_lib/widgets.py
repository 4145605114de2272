"""Sliders for the course: each ``*_explorer()`` draws its figure once and redraws only what moved.

Every explorer is a thin wrapper around a panel of :mod:`microfut_lib.plots` (the same figure the
book shows statically) and the shared :class:`Explorer` widget, which

- draws the figure's fixed parts (axes, ticks, labels, legend) once and caches them as a
  background;
- on each slider move restores that background, draws only the panel's moving artists, encodes
  the Agg buffer as a PNG at compression level 1 and sets it on an ``ipywidgets.Image``
  (blitting, see ``shared/notes/slider-redraw.md``: about 7 ms per move instead of ~100 ms for an
  ``interact`` re-plot);
- shows the live numbers in an HTML readout beside the figure (text in the figure is slow);
- catches a ``ValueError`` from the library and shows it as a short message in the readout, so a
  learner never sees a traceback from a slider.

Axis limits are fixed from the sliders' ranges when the panel is built, which blitting needs.

Examples
--------
>>> ex = leverage_explorer()
>>> ex.sliders["leverage"].value = 20
>>> ex.error is None
True
"""
from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image as _PILImage

from . import plots

__all__ = [
    "Explorer",
    "welcome_explorer",
    "leverage_explorer",
    "account_size_explorer",
    "notional_explorer",
    "liquidation_explorer",
    "funding_explorer",
    "risk_budget_explorer",
    "entry_capital_explorer",
    "backtest_explorer",
]

_READOUT_STYLE = ("font-family: var(--jp-content-font-family, sans-serif); font-size: 13px; "
                  "line-height: 1.5; min-width: 15em")


def _png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's current Agg buffer as PNG bytes (no copy of the buffer, zlib level 1)."""
    buffer = canvas.buffer_rgba()
    height, width = buffer.shape[:2]
    image = _PILImage.frombuffer("RGBA", (width, height), buffer, "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=1)
    return out.getvalue()


def _format_error(message: str) -> str:
    return (f'<div class="mf-error" style="{_READOUT_STYLE}; color: #a12">'
            f"<b>Not possible here:</b> {html.escape(message)}</div>")


class Explorer(widgets.VBox):
    """Sliders, a blitted figure and a readout, wired together.

    Parameters
    ----------
    panel : object
        A panel from :mod:`microfut_lib.plots`: it has a ``figure``, a list ``animated`` of the
        artists that move, and ``update(**values)`` which sets those artists' data and returns
        the readout's HTML (it may raise ``ValueError``).
    sliders : mapping of str to ipywidgets.Widget
        The controls, keyed by the name of the ``update`` argument each one drives.
    note : str, optional
        A line of HTML shown under the readout (what to try).

    Attributes
    ----------
    sliders : dict
        The controls; setting a slider's ``value`` redraws synchronously (which is what the tests
        and the benchmark use).
    image : ipywidgets.Image
        The figure as PNG.
    readout : ipywidgets.HTML
        The live numbers, or the error message.
    error : str or None
        The last ``ValueError`` message, ``None`` when the last update worked.
    """

    def __init__(self, panel: Any, sliders: Mapping[str, widgets.Widget], *, note: str = "") -> None:
        self.panel = panel
        self.figure = panel.figure
        self.sliders = dict(sliders)
        self.error: str | None = None
        canvas = self.figure.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            canvas = FigureCanvasAgg(self.figure)
        self._canvas = canvas
        for artist in panel.animated:
            artist.set_animated(True)
        canvas.draw()  # animated artists are skipped: this is the background
        self._background = canvas.copy_from_bbox(self.figure.bbox)
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

    def values(self) -> dict[str, Any]:
        """The sliders' current values, keyed like ``sliders``."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the sliders' values and redraw the moving artists only."""
        try:
            text = self.panel.update(**self.values())
        except ValueError as exc:
            self.error = str(exc)
            for artist in self.panel.animated:
                artist.set_visible(False)
            text = _format_error(self.error)
        else:
            self.error = None
            text = f'<div class="mf-readout" style="{_READOUT_STYLE}">{text}</div>'
        self._blit()
        self.readout.value = text

    def _blit(self) -> None:
        canvas = self._canvas
        canvas.restore_region(self._background)
        for artist in self.panel.animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        self.image.value = _png(canvas)


def _float_slider(description: str, value: float, low: float, high: float, step: float, *,
                  fmt: str = ".2f", width: str = "32em") -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=True,
                               style={"description_width": "11em"},
                               layout=widgets.Layout(width=width))


def _int_slider(description: str, value: int, low: int, high: int, step: int = 1, *,
                width: str = "32em") -> widgets.IntSlider:
    return widgets.IntSlider(value=value, min=low, max=high, step=step, description=description,
                             continuous_update=True, style={"description_width": "11em"},
                             layout=widgets.Layout(width=width))


def _explorer(panel_factory: Callable[..., Any], sliders: Mapping[str, widgets.Widget],
              note: str = "", **panel_kwargs: Any) -> Explorer:
    """Build the panel with axis limits taken from the sliders' ranges, then wrap it."""
    ranges = {name: (s.min, s.max) for name, s in sliders.items() if hasattr(s, "min")}
    panel = panel_factory(ranges=ranges, **panel_kwargs)
    return Explorer(panel, sliders, note=note)


# ----------------------------------------------------------------------------------------------
# The explorers, in the order the notebooks use them

def welcome_explorer() -> Explorer:
    """One slider (leverage) over the leverage magnifier: the setup check of notebook 00.

    Returns
    -------
    Explorer
    """
    sliders = {"leverage": _float_slider("leverage (x)", 10.0, 1.0, 125.0, 1.0, fmt=".0f")}
    return _explorer(plots.LeveragePanel, sliders,
                     note="A long position, price 5 % below entry. Move the slider.")


def leverage_explorer() -> Explorer:
    """Leverage (1 to 125x) and price move (-20 % to +20 %) against PnL as % of the margin.

    Returns
    -------
    Explorer
    """
    sliders = {"leverage": _float_slider("leverage (x)", 10.0, 1.0, 125.0, 1.0, fmt=".0f"),
               "price_move_pct": _float_slider("price move (%)", -5.0, -20.0, 20.0, 0.5, fmt=".1f")}
    return _explorer(plots.LeveragePanel, sliders)


def account_size_explorer() -> Explorer:
    """Account size ($100 to $10,000) and leverage against the margin of one contract per size.

    Returns
    -------
    Explorer
    """
    sliders = {"account_usd": _float_slider("account (USD)", 500.0, 100.0, 10_000.0, 50.0,
                                            fmt=",.0f"),
               "leverage": _float_slider("leverage (x)", 10.0, 1.0, 125.0, 1.0, fmt=".0f")}
    return _explorer(plots.AccountSizePanel, sliders)


def notional_explorer() -> Explorer:
    """Bitcoin price ($10,000 to $150,000) against the notional value of one contract per size.

    Returns
    -------
    Explorer
    """
    sliders = {"price_usd": _float_slider("bitcoin price (USD)", plots.REFERENCE_PRICE_USD,
                                          10_000.0, 150_000.0, 1_000.0, fmt=",.0f")}
    return _explorer(plots.NotionalPanel, sliders)


def liquidation_explorer() -> Explorer:
    """Leverage and maintenance margin rate against the price fall that liquidates a long.

    Returns
    -------
    Explorer
    """
    sliders = {"leverage": _float_slider("leverage (x)", 10.0, 1.0, 125.0, 1.0, fmt=".0f"),
               "mmr_pct": _float_slider("maintenance rate (%)", 0.4, 0.1, 5.0, 0.1, fmt=".1f")}
    return _explorer(plots.LiquidationPanel, sliders,
                     note="Try 5 % maintenance at 25x: such a position cannot be opened.")


def funding_explorer() -> Explorer:
    """Funding rate per 8 hours and days held against the cumulative funding of a long.

    Returns
    -------
    Explorer
    """
    sliders = {"rate_pct": _float_slider("funding per 8 h (%)", 0.01, -0.1, 0.1, 0.005, fmt=".3f"),
               "days": _int_slider("days held", 30, 1, 90)}
    return _explorer(plots.FundingPanel, sliders)


def risk_budget_explorer() -> Explorer:
    """Stop distance and account size against the risk each contract size can express at 1 %.

    Returns
    -------
    Explorer
    """
    sliders = {"stop_pct": _float_slider("stop distance (%)", 2.0, 0.5, 10.0, 0.1, fmt=".1f"),
               "account_usd": _float_slider("account (USD)", 1_000.0, 100.0, 20_000.0, 100.0,
                                            fmt=",.0f")}
    return _explorer(plots.RiskBudgetPanel, sliders)


def entry_capital_explorer() -> Explorer:
    """Leverage and price against the minimum margin to open one contract of each product.

    Returns
    -------
    Explorer
    """
    sliders = {"leverage": _float_slider("leverage (x)", 5.0, 1.0, 20.0, 1.0, fmt=".0f"),
               "price_usd": _float_slider("bitcoin price (USD)", plots.REFERENCE_PRICE_USD,
                                          10_000.0, 150_000.0, 1_000.0, fmt=",.0f")}
    return _explorer(plots.EntryCapitalPanel, sliders)


def backtest_explorer() -> Explorer:
    """Fast and slow SMA windows and leverage against the crossover backtest's equity curve.

    Returns
    -------
    Explorer
    """
    sliders = {"fast": _int_slider("fast SMA (hours)", 12, 4, 40),
               "slow": _int_slider("slow SMA (hours)", 48, 42, 240, 2),
               "leverage": _float_slider("leverage (x)", 5.0, 1.0, 25.0, 1.0, fmt=".0f")}
    return _explorer(plots.BacktestPanel, sliders)
