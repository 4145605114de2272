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
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._validate import as_float_array, check_numbers, price_array

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
        except (TypeError, ValueError, OverflowError):
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
        for name, arr in arrays.items():
            if len(arr) == 0:
                raise ValueError(f"{name} must hold at least one bar; got an empty series")
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
        volume = np.zeros(n) if self.volume is None else as_float_array("volume", self.volume, ge=0.0)
        if volume.shape != (n,):
            raise ValueError(f"volume must hold {n} finite numbers >= 0 (one per bar); got shape "
                             f"{volume.shape}")
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


def as_bars(bars: Any, *, name: str = "bars") -> Bars:
    """Turn OHLC data into :class:`Bars`.

    Accepts a :class:`Bars` (returned as is), a mapping of arrays, or a table object such as a
    pandas DataFrame with columns open/high/low/close (any capitalisation, so backtesting.py's
    ``Open, High, Low, Close`` work); the time comes from a time/timestamp/date column, else from
    the table's index. ``name`` is the argument named in error messages (the caller's).

    Examples
    --------
    >>> as_bars({"Open": [1.0, 2.0], "High": [2.0, 3.0], "Low": [0.5, 1.5], "Close": [2.0, 2.5]}).high
    array([2., 3.])
    """
    data = bars
    if isinstance(data, Bars):
        return data
    if not hasattr(data, "keys"):
        raise ValueError(f"{name} must be a Bars, a mapping or a table with open, high, low and close "
                         f"columns; got {type(data).__name__}")
    names = data.columns.tolist() if hasattr(data, "columns") else list(data.keys())
    keys = {str(k).lower(): k for k in names}
    label = name
    for column in PRICE_COLUMNS:
        if column not in keys:
            raise ValueError(f"{label} has no '{column}' column; found {names}")
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
        columns = {}
        for column in PRICE_COLUMNS:
            values = data[keys[column]]
            check_numbers(column, values if not hasattr(values, "to_numpy") else values.to_numpy())
            columns[column] = np.asarray(values, dtype=float)
    time_key = next((keys[a] for a in TIME_ALIASES if a in keys), None)
    time = None if time_key is None else data[time_key]
    if time is None and hasattr(data, "index") and not callable(data.index):
        time = np.asarray(data.index)
    volume = columns.pop("volume", None)
    if volume is None and "volume" in keys:
        volume = data[keys["volume"]]
    return Bars(time=None if time is None else np.asarray(time),
                volume=None if volume is None else np.asarray(volume, dtype=float), **columns)


#: Epoch magnitudes that tell the unit: 1e11 s, 1e14 ms and 1e17 µs are all the year 5138, so a
#: time from 1973 to 5138 has exactly one reading (nanoseconds from 1e17 up).
_EPOCH_UNITS = ((1e11, "s", 1000, 1), (1e14, "ms", 1, 1), (1e17, "us", 1, 1000), (math.inf, "ns", 1, 10**6))


def _epoch_to_ms(raw: list[str], path: str) -> np.ndarray | None:
    """Epoch numbers to milliseconds, each unit told by its size; mixed units are refused."""
    values = []
    for v in raw:
        text = v.strip()
        try:
            values.append(int(text))
        except ValueError:
            try:
                values.append(float(text))
            except ValueError:
                return None
    out, first_unit = np.empty(len(values), dtype=np.int64), None
    for i, value in enumerate(values):
        if not math.isfinite(value):
            raise ValueError(f"{path}: row {i + 1}: the time is missing ({raw[i]!r})")
        limit, unit, up, down = next(u for u in _EPOCH_UNITS if abs(value) < u[0])
        if first_unit is None:
            first_unit = unit
        elif unit != first_unit:
            raise ValueError(f"{path}: row {i + 1}: the time {raw[i].strip()} reads as epoch {unit}, "
                             f"row 1 as epoch {first_unit}: a file must use one unit throughout")
        ms = value * up // down if isinstance(value, int) else math.floor(value * up / down)
        if abs(ms) > 8e15:                      # beyond datetime64[ms]'s calendar (year ±250,000)
            raise ValueError(f"{path}: row {i + 1}: the time {raw[i].strip()} is out of range")
        out[i] = ms
    return out.astype("datetime64[ms]")


def _parse_times(raw: list[str], path: str) -> np.ndarray:
    """Epoch numbers (seconds, milliseconds, microseconds or nanoseconds, told apart by size) or ISO 8601."""
    epochs = _epoch_to_ms(raw, path)
    if epochs is not None:
        return epochs
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


def _read_rows(path: str, delimiter: Any) -> list[list[str]]:
    """The non-blank rows of a UTF-8 CSV file; every failure is a ValueError naming the file."""
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\r\n\"":
        raise ValueError(f"delimiter must be one character such as ',' or ';'; got {delimiter!r}")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise ValueError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise ValueError(f"{path} is a directory, not a CSV file") from None
    except OSError as err:
        raise ValueError(f"{path} cannot be read: {err.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ValueError(f"{path}: line {line} is not UTF-8 text (byte {data[err.start]:#04x}); save "
                         "the file as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [row for row in reader if any(c.strip() for c in row)]
    except csv.Error as err:
        raise ValueError(f"{path}: line {reader.line_num}: {err}") from None


def _header(rows: list[list[str]], path: str, delimiter: str) -> dict[str, int]:
    header = [h.strip().lower() for h in rows[0]]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ValueError(f"{path}: the header names the column {name!r} twice; found {header}")
        seen.add(name)
    missing = [c for c in PRICE_COLUMNS if c not in header]
    if missing:
        hint = ""
        if len(header) == 1:
            other = next((d for d in ",;\t|" if d != delimiter and d in rows[0][0]), None)
            if other:
                hint = f" The header looks separated by {other!r}: pass delimiter={other!r}."
        raise ValueError(f"{path} has no column(s) {missing}; found {header}. Expected "
                         f"timestamp, open, high, low, close, volume.{hint}")
    return {name: i for i, name in enumerate(header)}


def load_ohlc_csv(path: str | Path, *, delimiter: str = ",") -> Bars:
    """Load OHLC bars from a CSV file with a header row.

    Columns are matched by name, case-insensitively: ``open``, ``high``, ``low``, ``close``
    (required), ``volume`` (optional) and a time column named ``timestamp``, ``time``, ``date``,
    ``datetime`` or ``open_time`` (Binance's kline export). Times may be ISO 8601 text (UTC if no
    zone is given; zones are converted to UTC) or epoch seconds / milliseconds / microseconds /
    nanoseconds, told apart by their size (one unit per file: a file mixing them is refused).
    Rows must be in time order with no duplicates, prices finite and positive: anything else is a
    ValueError naming the file and the row. So is a file that is not UTF-8, a directory, a header
    naming a column twice, or a header that reads as one column (a wrong ``delimiter``).

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
    if not isinstance(path, (str, Path)):
        raise ValueError(f"path must be a file name (str or Path); got {type(path).__name__}")
    path = str(path)
    rows = _read_rows(path, delimiter)
    if not rows:
        raise ValueError(f"{path} is empty; expected a header row and at least one bar")
    index = _header(rows, path, delimiter)
    header, body = list(index), rows[1:]
    if not body:
        raise ValueError(f"{path} has a header but no bars")
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
            raise ValueError(f"{path}: row {i + 1}: {name} is missing, NaN or infinite; remove or fill that row")
    time_name = next((a for a in TIME_ALIASES if a in index), None)
    time = None if time_name is None else _parse_times([r[index[time_name]] for r in body], path)
    volume = numbers("volume") if "volume" in index else None
    try:
        return Bars(time=time, volume=volume, **prices)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from None
