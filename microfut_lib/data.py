"""OHLC bars: the container every simulator and the backtester share, and a CSV loader.

A bar is one interval of trading summarised by four prices: its first (open), highest (high),
lowest (low) and last (close) trade. Liquidation and stop orders need the high and the low, not
just the close: a long is liquidated when the *low* of a bar reaches its liquidation price, even
if the bar closes above it.

:class:`Bars` checks what every later step relies on: equal lengths, finite positive prices,
``low ≤ min(open, close)`` and ``high ≥ max(open, close)``, and a strictly increasing time index.
:func:`load_ohlc_csv` reads the usual exchange export (columns ``timestamp, open, high, low,
close, volume``) with the standard library's :mod:`csv` module and numpy only.
"""
from __future__ import annotations

import csv
import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._validate import price_array

__all__ = ["Bars", "as_bars", "load_ohlc_csv"]

PRICE_COLUMNS = ("open", "high", "low", "close")
TIME_ALIASES = ("timestamp", "time", "date", "datetime", "open_time", "open time", "opentime",
                "ts", "unix")


def _time_array(time: Any, n: int) -> np.ndarray:
    if time is None:
        return np.arange(n)
    t = np.asarray(time)
    if t.dtype == object or t.dtype.kind in "UM":
        try:
            t = t.astype("datetime64[ns]") if t.dtype.kind != "M" else t
        except (TypeError, ValueError):
            raise ValueError("time must hold numbers or dates (ISO 8601 strings, datetime64)") from None
    elif t.dtype.kind not in "iuf":
        raise ValueError(f"time must hold numbers or dates; got dtype {t.dtype}")
    if t.ndim != 1 or len(t) != n:
        raise ValueError(f"time must have one entry per bar ({n}); got shape {t.shape}")
    if t.dtype.kind == "M":
        if np.datetime_data(t.dtype)[0] in ("ns", "ps", "fs", "as"):
            t = t.astype("datetime64[us]")      # so .tolist() gives datetime objects
        if np.any(np.isnat(t)):
            raise ValueError("time has missing (NaT) entries")
    elif t.dtype.kind == "f" and not np.all(np.isfinite(t)):
        raise ValueError("time has missing (NaN) entries")
    if n > 1:
        steps = t[1:] > t[:-1]
        if not np.all(steps):
            i = int(np.flatnonzero(~steps)[0]) + 1
            raise ValueError(f"time must be strictly increasing (sorted, no duplicates); bar {i} "
                             f"({t[i]}) is not after bar {i - 1} ({t[i - 1]})")
    return t


@dataclass(frozen=True, eq=False)
class Bars:
    """A validated series of OHLC bars (numpy arrays of equal length).

    Parameters
    ----------
    open, high, low, close : array_like
        Prices, finite and > 0, with ``low ≤ min(open, close)`` and ``high ≥ max(open, close)``.
    time : array_like, optional
        Strictly increasing bar times (numbers or datetime64); bar numbers 0, 1, ... by default.
    volume : array_like, optional
        Traded volume per bar (≥ 0); zeros by default.

    Examples
    --------
    >>> bars = Bars(open=[100, 102], high=[103, 104], low=[99, 101], close=[102, 101])
    >>> len(bars), float(bars.close[-1]), bars.time.tolist()
    (2, 101.0, [0, 1])
    >>> Bars(open=[100], high=[99], low=[98], close=[99])
    Traceback (most recent call last):
    ...
    ValueError: high must be >= max(open, close) at every bar; bar 0 has high 99 < 100
    """

    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    time: np.ndarray | None = None
    volume: np.ndarray | None = None

    def __post_init__(self) -> None:
        arrays = {name: price_array(name, getattr(self, name)) for name in PRICE_COLUMNS}
        n = len(arrays["open"])
        if n == 0:
            raise ValueError("bars must hold at least one bar; got an empty series")
        for name, arr in arrays.items():
            if len(arr) != n:
                raise ValueError(f"open, high, low and close must have the same length; open has {n}, "
                                 f"{name} has {len(arr)}")
        o, h, lo, c = (arrays[k] for k in PRICE_COLUMNS)
        top, bottom = np.maximum(o, c), np.minimum(o, c)
        if np.any(h < top):
            i = int(np.flatnonzero(h < top)[0])
            raise ValueError(f"high must be >= max(open, close) at every bar; bar {i} has high "
                             f"{h[i]:g} < {top[i]:g}")
        if np.any(lo > bottom):
            i = int(np.flatnonzero(lo > bottom)[0])
            raise ValueError(f"low must be <= min(open, close) at every bar; bar {i} has low "
                             f"{lo[i]:g} > {bottom[i]:g}")
        volume = np.zeros(n) if self.volume is None else np.asarray(self.volume, dtype=float)
        if volume.shape != (n,) or not np.all(np.isfinite(volume)) or np.any(volume < 0):
            raise ValueError(f"volume must hold {n} finite numbers >= 0")
        for name, arr in arrays.items():
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        time = _time_array(self.time, n)
        for name, arr in (("time", time), ("volume", volume)):
            arr = np.array(arr, copy=True)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    def __len__(self) -> int:
        return len(self.close)

    def __repr__(self) -> str:
        return (f"Bars({len(self)} bars, {self.time[0]} .. {self.time[-1]}, "
                f"close {self.close[0]:g} .. {self.close[-1]:g})")

    def slice(self, start: int | None = None, stop: int | None = None) -> "Bars":
        """The bars ``start:stop`` as a new :class:`Bars`.

        Examples
        --------
        >>> Bars(open=[1, 2, 3], high=[1, 2, 3], low=[1, 2, 3], close=[1, 2, 3]).slice(1).close
        array([2., 3.])
        """
        part = slice(start, stop)
        return Bars(open=self.open[part], high=self.high[part], low=self.low[part],
                    close=self.close[part], time=self.time[part], volume=self.volume[part])


def as_bars(data: Any) -> Bars:
    """Turn OHLC data into :class:`Bars`.

    Accepts a :class:`Bars` (returned as is), a mapping of arrays, or a table object such as a
    pandas DataFrame with columns open/high/low/close (any capitalisation, so backtesting.py's
    ``Open, High, Low, Close`` work); the time comes from a time/timestamp/date column, else from
    the table's index.

    Examples
    --------
    >>> as_bars({"Open": [1.0, 2.0], "High": [2.0, 3.0], "Low": [0.5, 1.5], "Close": [2.0, 2.5]}).high
    array([2., 3.])
    """
    if isinstance(data, Bars):
        return data
    if not hasattr(data, "keys"):
        raise ValueError("bars must be a Bars, a mapping or a table with open, high, low and close "
                         f"columns; got {type(data).__name__}")
    names = data.columns.tolist() if hasattr(data, "columns") else list(data.keys())
    keys = {str(k).lower(): k for k in names}
    for name in PRICE_COLUMNS:
        if name not in keys:
            raise ValueError(f"bars have no '{name}' column; found {names}")
    table = None
    if hasattr(data, "to_numpy") and hasattr(data, "columns"):
        try:                                     # one block of floats: a view, no copies
            table = np.asarray(data.to_numpy(dtype=float))
        except (TypeError, ValueError):
            table = None
    if table is not None and table.ndim == 2 and table.shape[1] == len(names):
        position = {k: i for i, k in enumerate(names)}
        columns = {name: np.ascontiguousarray(table[:, position[keys[name]]]) for name in PRICE_COLUMNS}
        if "volume" in keys:
            columns["volume"] = np.ascontiguousarray(table[:, position[keys["volume"]]])
    else:
        columns = {name: np.asarray(data[keys[name]], dtype=float) for name in PRICE_COLUMNS}
    time_key = next((keys[a] for a in TIME_ALIASES if a in keys), None)
    time = None if time_key is None else data[time_key]
    if time is None and hasattr(data, "index") and not callable(data.index):
        time = np.asarray(data.index)
    volume = columns.pop("volume", None)
    if volume is None and "volume" in keys:
        volume = data[keys["volume"]]
    return Bars(time=None if time is None else np.asarray(time),
                volume=None if volume is None else np.asarray(volume, dtype=float), **columns)


def _parse_times(raw: list[str], path: str) -> np.ndarray:
    """Epoch numbers (seconds, milliseconds or microseconds, told apart by size) or ISO 8601."""
    try:
        numbers = np.array([float(v) for v in raw])
    except ValueError:
        numbers = None
    if numbers is not None:
        if not np.all(np.isfinite(numbers)):
            raise ValueError(f"{path}: the time column has missing values")
        biggest = float(np.max(np.abs(numbers))) if len(numbers) else 0.0
        # 1e11 s is the year 5138; 1e14 ms is the year 5138: so the magnitude tells the unit.
        unit = "s" if biggest < 1e11 else "ms" if biggest < 1e14 else "us"
        return numbers.astype(np.int64).astype(f"datetime64[{unit}]").astype("datetime64[ms]")
    out = []
    for i, v in enumerate(raw):
        text = v.strip().replace("Z", "+00:00")
        try:
            stamp = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{path}: row {i + 1}: cannot read time {v!r}; use ISO 8601 "
                             "(2024-01-01 00:00:00) or epoch seconds/milliseconds") from None
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        out.append(np.datetime64(stamp, "ms"))
    return np.array(out, dtype="datetime64[ms]")


def load_ohlc_csv(path: str | Path, *, delimiter: str = ",") -> Bars:
    """Load OHLC bars from a CSV file with a header row.

    Columns are matched by name, case-insensitively: ``open``, ``high``, ``low``, ``close``
    (required), ``volume`` (optional) and a time column named ``timestamp``, ``time``, ``date``,
    ``datetime`` or ``open_time`` (Binance's kline export). Times may be ISO 8601 text (UTC if no
    zone is given; zones are converted to UTC) or epoch seconds / milliseconds / microseconds.
    Rows must be in time order with no duplicates, prices finite and positive: anything else is a
    ValueError naming the row.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    delimiter : str
        Field separator (``","``; use ``";"`` for some European exports).

    Returns
    -------
    Bars
        With ``time`` as ``datetime64[ms]``.

    Examples
    --------
    >>> import tempfile, os
    >>> text = "timestamp,open,high,low,close,volume\\n"
    >>> text += "2024-01-01 00:00,42000,42500,41800,42300,12.5\\n2024-01-01 01:00,42300,42400,42000,42100,9\\n"
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "btc.csv")
    ...     with open(path, "w") as f:
    ...         _ = f.write(text)
    ...     bars = load_ohlc_csv(path)
    >>> bars.close, str(bars.time[1])
    (array([42300., 42100.]), '2024-01-01T01:00:00.000')
    """
    path = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [row for row in csv.reader(f, delimiter=delimiter) if any(c.strip() for c in row)]
    except FileNotFoundError:
        raise ValueError(f"no such file: {path}") from None
    if not rows:
        raise ValueError(f"{path} is empty; expected a header row and at least one bar")
    header = [h.strip().lower() for h in rows[0]]
    body = rows[1:]
    if not body:
        raise ValueError(f"{path} has a header but no bars")
    missing = [c for c in PRICE_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path} has no column(s) {missing}; found {header}. Expected "
                         "timestamp, open, high, low, close, volume")
    index = {name: header.index(name) for name in header}
    width = len(header)
    for i, row in enumerate(body):
        if len(row) != width:
            raise ValueError(f"{path}: row {i + 1} has {len(row)} fields, the header has {width}")

    def numbers(name: str) -> np.ndarray:
        out = np.empty(len(body))
        for i, row in enumerate(body):
            cell = row[index[name]].strip()
            try:
                out[i] = float(cell) if cell else np.nan
            except ValueError:
                raise ValueError(f"{path}: row {i + 1}: {name} {cell!r} is not a number") from None
        return out

    prices = {name: numbers(name) for name in PRICE_COLUMNS}
    for name, arr in prices.items():
        if not np.all(np.isfinite(arr)):
            i = int(np.flatnonzero(~np.isfinite(arr))[0])
            raise ValueError(f"{path}: row {i + 1}: {name} is missing (NaN); remove or fill that row")
    time_name = next((a for a in TIME_ALIASES if a in index), None)
    time = None if time_name is None else _parse_times([r[index[time_name]] for r in body], path)
    volume = numbers("volume") if "volume" in index else None
    try:
        return Bars(time=time, volume=volume, **prices)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from None
