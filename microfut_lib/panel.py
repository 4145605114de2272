"""Figure panels: one class per figure, from which the static ``plot_*`` and the live explorer come.

A *panel* declares its sliders as data (``controls``, see :mod:`microfut_lib.controls`), builds
its fixed artists once in ``__init__`` (axes with limits taken from the controls' ranges, labels,
legend, reference lines) and implements ``draw(**values)``, which sets the data of the artists
that move (listed in ``self.animated``) and returns the readout as HTML. ``draw`` asks the math
modules for every number and may raise ``ValueError`` (the explorer then shows the message).
A panel with a slow answer (Monte Carlo) may also define ``refine(**values)``: the explorer shows
``draw``'s fast answer at once and runs ``refine`` shortly after the slider stops.

Two one-line factories turn a panel into what the notebooks call:

- :func:`plot_function` gives ``plot_x(**values)``, a pure function returning the static figure
  for the book; its defaults are the controls' defaults and a caption under the figure states the
  parameter values and the readout's numbers;
- :func:`explorer_function` gives ``x_explorer()``, which builds the sliders from the controls
  and wires them to a blitted figure (:class:`microfut_lib.widgets.Explorer`). ipywidgets is
  imported only when an explorer is called.

Layout of the figure layer (each module one job):

- :mod:`microfut_lib.controls`: the :class:`~microfut_lib.controls.Control` data and the shared
  controls (no plotting imports);
- :mod:`microfut_lib.panel` (this module): the :class:`Panel` base, the two factories, the
  course's colours and text helpers (matplotlib only);
- :mod:`microfut_lib.widgets`: the :class:`~microfut_lib.widgets.Explorer` widget (ipywidgets);
- one module per lesson topic holding its panels and the ``plot_*`` / ``*_explorer`` lines:
  :mod:`microfut_lib.plots` for lessons 00–03; a new lesson adds its own module (for example
  ``plots_risk.py``), one line per exported name in the lazy-export table of
  ``microfut_lib/__init__.py`` and a section for the module on the book's API page, and edits
  no other library file. The widget tests and the slider benchmark find every exported
  ``*_explorer`` by name.

Examples
--------
A new figure is a declaration and a draw method (numbers from the math modules):

>>> from microfut_lib.controls import LEVERAGE, PRICE_USD
>>> from microfut_lib.margin import initial_margin
>>> from microfut_lib.contracts import PRESETS
>>> class MarginPanel(Panel):
...     '''Initial margin of one micro contract against the bitcoin price.'''
...     controls = (LEVERAGE, PRICE_USD)
...     def __init__(self) -> None:
...         super().__init__()
...         ax = self.figure.add_axes((0.15, 0.15, 0.8, 0.8))
...         ax.set_xlim(PRICE_USD.low, PRICE_USD.high)
...         ax.set_ylim(0, initial_margin(PRICE_USD.high, 1, PRESETS["BTC-MICRO"], LEVERAGE.low))
...         (self.point,) = ax.plot([], [], "o")
...         self.animated = [self.point]
...     def draw(self, leverage, price_usd):
...         margin = initial_margin(price_usd, 1, PRESETS["BTC-MICRO"], leverage)
...         self.point.set_data([price_usd], [margin])
...         return f"margin <b>{usd(margin)}</b> at {leverage}x"
>>> plot_margin = plot_function(MarginPanel)           # in a lesson module, one line each
>>> margin_explorer = explorer_function(MarginPanel, note="Try 1x.")
>>> fig = plot_margin(leverage=20)                        # price_usd defaults to 70,000
>>> fig.caption
'margin $35.00 at 20x'
>>> margin_explorer().sliders["leverage"].max
125
"""
from __future__ import annotations

import html
import inspect
import io
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .controls import Control

if TYPE_CHECKING:  # pragma: no cover
    from .widgets import Explorer

__all__ = [
    "Panel",
    "CourseFigure",
    "plot_function",
    "explorer_function",
    "COLORS",
    "new_figure",
    "nice_ceiling",
    "usd",
    "pct",
    "mpl_text",
    "html_table",
    "html_to_text",
]

#: Colours used across the course (colour-blind safe: Okabe-Ito).
COLORS = {"long": "#0072B2", "short": "#D55E00", "neutral": "#777777", "loss": "#CC3311",
          "standard": "#CC79A7", "micro": "#0072B2", "nano": "#009E73", "budget": "#E69F00"}


class CourseFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that shows itself as PNG in IPython without pyplot.

    ``caption`` holds the plain-text statement of the parameter values and key numbers that a
    ``plot_*`` figure prints under its axes (empty for a figure without one).
    """

    caption: str = ""

    def _repr_png_(self) -> bytes:
        out = io.BytesIO()
        self.savefig(out, format="png", bbox_inches="tight")  # tight: keeps the caption below
        return out.getvalue()


def new_figure(width_in: float = 6.4, height_in: float = 3.6) -> CourseFigure:
    """A :class:`CourseFigure` with an Agg canvas at 100 dpi (no pyplot)."""
    fig = CourseFigure(figsize=(width_in, height_in), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def usd(x: float, digits: int = 2) -> str:
    """US dollars with a thousands separator and a Unicode minus: ``usd(-1234.5) == '−$1,234.50'``."""
    sign = "−" if x < 0 else ""
    return f"{sign}${abs(x):,.{digits}f}"


def pct(x: float, digits: int = 1) -> str:
    """A signed percentage with a Unicode minus: ``pct(-5) == '−5.0 %'``."""
    return f"{x:+.{digits}f} %".replace("-", "−")


def mpl_text(text: str) -> str:
    """Escape dollar signs, which matplotlib would read as math delimiters."""
    return text.replace("$", r"\$")


def html_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A small right-aligned HTML table for a readout."""
    cell = '<{tag} style="text-align:right; padding:0 .5em">{text}</{tag}>'
    head = "".join(cell.format(tag="th", text=h) for h in header)
    body = "".join("<tr>" + "".join(cell.format(tag="td", text=c) for c in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


_TABLE_LINE = "\x00"  # marks a line of a table turned into text (its spacing is kept)


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _text_table(match: re.Match[str]) -> str:
    rows = [[_plain(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", match.group(0), flags=re.S)]
    n = max(len(row) for row in rows)
    rows = [row + [""] * (n - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(n)]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths))) for row in rows]
    return "".join(f"<br>{_TABLE_LINE}{html.escape(line)}" for line in lines) + "<br>"


def html_to_text(readout: str) -> str:
    """The readout HTML as plain lines (what a static figure prints as its caption); a table
    becomes aligned columns.

    >>> html_to_text("<b>10x</b> leverage<br>a fall of <b>9.64 %</b>")
    '10x leverage\\na fall of 9.64 %'
    >>> print(html_to_text(html_table([("micro", "$70.00")], ("size", "margin"))))
    size   margin
    micro  $70.00
    """
    text = re.sub(r"<table>.*?</table>", _text_table, readout, flags=re.S)
    lines = re.sub(r"<br\s*/?>", "\n", text).splitlines()
    return "\n".join(html.unescape(line[1:]).rstrip() if line.startswith(_TABLE_LINE)
                     else _plain(line) for line in lines if line.strip())


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``x`` (``x > 0``).

    >>> nice_ceiling(6.3), nice_ceiling(0.2), nice_ceiling(210)
    (10.0, 0.2, 250.0)
    """
    exponent = math.floor(math.log10(x))
    for mantissa in (1.0, 2.0, 2.5, 5.0, 10.0):
        candidate = round(mantissa * 10.0 ** exponent, 12)
        if candidate >= x * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


class Panel:
    """Base of every course figure: declare ``controls``, build fixed artists, ``draw`` moving ones.

    Subclasses set the class attribute ``controls`` (a tuple of
    :class:`~microfut_lib.controls.Control`), call ``super().__init__()`` and build their fixed
    artists in ``__init__`` (keyword-only options of ``__init__`` become keyword-only options of
    the ``plot_*`` function), put the artists that move in ``self.animated``, and implement
    ``draw(**values) -> str``. The explorer shows every animated artist before each ``draw`` and
    hides them all after a ``ValueError``, so ``draw`` only hides what it means to hide. It paints
    the animated artists over the cached fixed parts, so a fixed artist that must stay on top of
    a moving one (a reference line over bars) belongs in ``animated`` too, and legends go outside
    the axes.

    Attributes
    ----------
    controls : tuple of Control
        The sliders, in display order; ``draw`` takes one keyword per control.
    figure_size : tuple of float
        Width and height in inches.
    figure : CourseFigure
    animated : list of matplotlib artists
        The artists ``draw`` changes (redrawn over a cached background on each move).
    """

    controls: ClassVar[tuple[Control, ...]] = ()
    figure_size: ClassVar[tuple[float, float]] = (6.4, 3.6)

    def __init__(self) -> None:
        self.figure = new_figure(*self.figure_size)
        self.animated: list[Any] = []
        #: Set by :meth:`follow_ylim` when an axis range changed: the explorer then redraws the
        #: fixed parts (axes, ticks) once before painting the moving artists.
        self.background_stale = False

    def follow_ylim(self, ax: Any, low: float, high: float) -> None:
        """Let ``ax``'s y range follow the data between ``low`` and ``high``, in coarse steps.

        The limits are rounded outward to 1, 2, 2.5 or 5 times a power of ten, so most slider moves
        keep them (and the cached background); when they change, ``background_stale`` tells the
        explorer to redraw the fixed parts once.
        """
        limits = (-nice_ceiling(-low) if low < 0 else 0.0, nice_ceiling(high) if high > 0 else 0.0)
        if limits[0] == limits[1]:
            limits = (limits[0] - 1.0, limits[1] + 1.0)
        if tuple(ax.get_ylim()) != limits:
            ax.set_ylim(*limits)
            self.background_stale = True

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """The controls' default values, keyed by name."""
        return {c.name: c.default for c in cls.controls}

    @classmethod
    def control(cls, name: str) -> Control:
        """The control called ``name``."""
        for c in cls.controls:
            if c.name == name:
                return c
        raise KeyError(name)

    def draw(self, **values: Any) -> str:  # pragma: no cover - interface
        """Set the moving artists for ``values`` and return the readout as HTML."""
        raise NotImplementedError

    #: Optional slow refinement, ``refine(**values) -> str`` (HTML), run after ``draw``; ``None``
    #: for panels whose ``draw`` already gives the final answer.
    refine: ClassVar[Callable[..., str] | None] = None

    def caption(self, readout: str, **values: Any) -> str:
        """The static figure's caption: by default the readout as plain text."""
        return html_to_text(readout)

    def render(self, **values: Any) -> CourseFigure:
        """Draw once (refined where the panel refines) and return the figure with its caption."""
        readout = self.draw(**values)
        if self.refine is not None:
            readout = self.refine(**values)
        fig = self.figure
        fig.caption = self.caption(readout, **values)
        if fig.caption:
            family = "monospace" if "<table" in readout else "sans-serif"
            fig.text(0.02, -0.01, mpl_text(fig.caption), ha="left", va="top", fontsize=8,
                     family=family, linespacing=1.4)
        return fig


# ----------------------------------------------------------------------------------------------
# Factories: one line per plot_* and per *_explorer

def _snake(panel_cls: type) -> str:
    base = panel_cls.__name__.removesuffix("Panel")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()


def _doc_parts(panel_cls: type) -> tuple[str, str]:
    """The panel's docstring split into its description and its 'Other Parameters' section."""
    doc = inspect.cleandoc(panel_cls.__doc__ or "")
    head, sep, rest = doc.partition("\nOther Parameters\n")
    return head.rstrip(), (sep.lstrip("\n") + rest).rstrip() if sep else ""


def _control_doc(c: Control) -> str:
    kind = "int" if c.integer else "float"
    unit = f" ({c.unit})" if c.unit else ""
    return (f"{c.name} : {kind}\n    {c.label[:1].upper()}{c.label[1:]}{unit}, "
            f"{c.low:g} to {c.high:g} (default {c.default:g}).")


def plot_function(panel_cls: type[Panel], name: str | None = None) -> Callable[..., CourseFigure]:
    """A ``plot_*`` function for ``panel_cls``: one argument per control, defaulting to it.

    The function's signature and docstring are real (for ``help()`` and the API reference): the
    controls are its arguments, the panel's keyword-only ``__init__`` options its keyword-only
    options. It builds a fresh panel, draws it once and returns the figure with a caption that
    states the values and the key numbers.
    """
    controls = panel_cls.controls
    init = inspect.signature(panel_cls.__init__, eval_str=True)
    options = [p for p in init.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    params = [inspect.Parameter(c.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=c.default,
                                annotation=int if c.integer else float) for c in controls]
    signature = inspect.Signature(params + options, return_annotation=CourseFigure)

    def plot(*args: Any, **kwargs: Any) -> CourseFigure:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:  # name the function and what it takes
            raise TypeError(f"{plot.__name__}{signature}: {exc}") from None
        bound.apply_defaults()
        values = {c.name: bound.arguments[c.name] for c in controls}
        extra = {p.name: bound.arguments[p.name] for p in options}
        return panel_cls(**extra).render(**values)

    description, other = _doc_parts(panel_cls)
    sections = [description, "Parameters\n----------\n" + "\n".join(map(_control_doc, controls))]
    if other:
        sections.append(other)
    sections.append("Returns\n-------\nCourseFigure\n    The figure at these values; its caption "
                    "states them and the key numbers.")
    plot.__doc__ = "\n\n".join(sections)
    plot.__signature__ = signature  # type: ignore[attr-defined]
    plot.__name__ = plot.__qualname__ = name or f"plot_{_snake(panel_cls)}"
    plot.__module__ = panel_cls.__module__
    plot.panel = panel_cls  # type: ignore[attr-defined]
    return plot


def explorer_function(panel_cls: type[Panel], *, note: str = "",
                      name: str | None = None) -> Callable[[], Explorer]:
    """An ``*_explorer()`` for ``panel_cls``: sliders from its controls over a blitted figure.

    ``note`` is a line of HTML under the readout (what to try). ipywidgets is imported when the
    explorer is called, not when the lesson module is imported.
    """
    description, _ = _doc_parts(panel_cls)
    sliders = "\n".join(f"- {c.description}: {c.low:g} to {c.high:g}, starting at {c.default:g}"
                        for c in panel_cls.controls)

    def explorer() -> Explorer:
        from .widgets import Explorer
        return Explorer(panel_cls(), note=note)

    explorer.__doc__ = (f"{description.splitlines()[0] if description else ''}\n\n"
                        f"Sliders:\n\n{sliders}\n\nReturns\n-------\nExplorer\n    The sliders, "
                        "the figure and the live readout, drawn at the defaults.")
    explorer.__name__ = explorer.__qualname__ = name or f"{_snake(panel_cls)}_explorer"
    explorer.__module__ = panel_cls.__module__
    explorer.panel = panel_cls  # type: ignore[attr-defined]
    explorer.note = note  # type: ignore[attr-defined]
    return explorer

