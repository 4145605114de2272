"""Printed answers for the notebooks: one labelled number a line, or a small aligned table.

A notebook cell then reads like the sentence above it (``mf.show("initial margin", im, "USD")``)
instead of a format string. Numbers are printed the same way everywhere, with a Unicode minus:

- ``USD``: thousands separators and cents, ``63,253.01 USD``;
- ``%``: the value is already in percent, two decimals, ``−9.64 %``;
- ``BTC``: up to 8 decimals (satoshis), ``0.00090909 BTC``;
- ``x``: a leverage, ``10x``;
- any other unit: up to 6 significant digits, ``7 contracts``.

Teaching layer; standard library only.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

__all__ = ["format_number", "show", "table"]

MINUS = "\u2212"


def format_number(value: Any, unit: str = "", *, with_unit: bool = True) -> str:
    """A number as the course prints it (see the module's table).

    >>> format_number(-9.6385542, "%"), format_number(63253.012, "USD"), format_number(10, "x")
    ('−9.64 %', '63,253.01 USD', '10x')
    >>> format_number(0.000909090909, "BTC"), format_number(7.0, "contracts")
    ('0.00090909 BTC', '7 contracts')
    """
    if isinstance(value, str) or not isinstance(value, Real) and not hasattr(value, "__float__"):
        return str(value)
    x = float(value)
    if unit == "USD":
        text = f"{x:,.2f}"
    elif unit == "%":
        text = f"{x:,.2f}"
    elif unit == "x":
        return f"{x:g}x"
    elif unit == "BTC":
        text = f"{x:.8f}".rstrip("0").rstrip(".")
    else:
        text = f"{x:,.6g}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")   # no "−0.00"
    text = text.replace("-", MINUS)
    return f"{text} {unit}" if unit and with_unit else text


def show(label: str, value: Any, unit: str = "", note: str = "") -> None:
    """Print ``label: value unit`` (and a short note in parentheses).

    >>> show("initial margin", 35.0, "USD")
    initial margin: 35.00 USD
    >>> show("liquidation price", 63253.01, "USD", note="9.64 % below the entry")
    liquidation price: 63,253.01 USD (9.64 % below the entry)
    """
    text = f"{label}: {format_number(value, unit)}"
    print(f"{text} ({note})" if note else text)


def table(columns: Mapping[str, Sequence[Any]], units: Mapping[str, str] | str = "") -> None:
    """Print columns as an aligned table: text left-aligned, numbers right-aligned.

    ``units`` is one unit for every numeric column or a mapping ``{column: unit}``; the unit is
    written once in the column's header (unless the header already ends with it), not on each
    row. A column of whole numbers is printed without decimals.

    >>> table({"contract": ["standard", "micro"], "notional": [70_000, 700]}, units="USD")
    contract  notional (USD)
    standard          70,000
    micro                700
    >>> table({"move": ["-5 %", "+5 %"], "PnL at 10x (%)": [-50.0, 50.0]}, units="%")
    move  PnL at 10x (%)
    -5 %             −50
    +5 %              50
    """
    names = list(columns)
    lengths = {len(columns[n]) for n in names}
    if len(lengths) > 1:
        raise ValueError(f"columns must all have the same length; got lengths {sorted(lengths)}")
    unit_of = {n: (units.get(n, "") if isinstance(units, Mapping) else units) for n in names}
    numeric = {n: all(not isinstance(v, str) for v in columns[n]) for n in names}
    headers = [f"{n} ({unit_of[n]})" if numeric[n] and unit_of[n] not in ("", "x")
               and not n.endswith((unit_of[n], f"({unit_of[n]})")) else n for n in names]
    body = [_column_text(columns[n], unit_of[n]) if numeric[n] else [str(v) for v in columns[n]]
            for n in names]
    widths = [max([len(h)] + [len(c) for c in col]) for h, col in zip(headers, body)]

    def line(cells: list[str]) -> str:
        parts = [c.rjust(w) if numeric[n] else c.ljust(w)
                 for c, w, n in zip(cells, widths, names)]
        return "  ".join(parts).rstrip()

    print(line(headers))
    for row in zip(*body):
        print(line(list(row)))


def _column_text(values: Sequence[Any], unit: str) -> list[str]:
    """A numeric column's cells: without decimals when every value is a whole number."""
    whole = unit != "BTC" and all(float(v) == round(float(v)) and abs(float(v)) < 1e15
                                  for v in values)
    if whole and unit in ("USD", "%", ""):
        return [format_number(round(float(v)), "", with_unit=False) for v in values]
    return [format_number(v, unit, with_unit=False) for v in values]
