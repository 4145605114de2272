"""OHLC container and CSV loader: files written by the tests themselves, good and bad."""
from __future__ import annotations

import numpy as np
import pytest

from microfut_lib.data import Bars, as_bars, load_ohlc_csv

ROWS = [("2024-01-01 00:00:00", 42000, 42500, 41800, 42300, 12.5),
        ("2024-01-01 01:00:00", 42300, 42400, 42000, 42100, 9.0),
        ("2024-01-01 02:00:00", 42100, 42900, 42050, 42800, 20.0)]


def write(tmp_path, text, name="bars.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def csv_text(rows, header="timestamp,open,high,low,close,volume", sep=","):
    return header + "\n" + "\n".join(sep.join(str(v) for v in r) for r in rows) + "\n"


def test_iso_timestamps_and_columns(tmp_path):
    bars = load_ohlc_csv(write(tmp_path, csv_text(ROWS)))
    assert len(bars) == 3
    np.testing.assert_array_equal(bars.open, [r[1] for r in ROWS])
    np.testing.assert_array_equal(bars.high, [r[2] for r in ROWS])
    np.testing.assert_array_equal(bars.low, [r[3] for r in ROWS])
    np.testing.assert_array_equal(bars.close, [r[4] for r in ROWS])
    np.testing.assert_array_equal(bars.volume, [r[5] for r in ROWS])
    assert bars.time[2] == np.datetime64("2024-01-01T02:00:00")


def test_epoch_milliseconds_binance_header_any_case(tmp_path):
    # Binance kline export: open_time in ms since 1970; 1704067200000 ms = 2024-01-01T00:00Z
    rows = [(1704067200000 + 3_600_000 * i, *r[1:]) for i, r in enumerate(ROWS)]
    bars = load_ohlc_csv(write(tmp_path, csv_text(rows, "Open_Time,Open,High,Low,Close,Volume")))
    assert bars.time[0] == np.datetime64("2024-01-01T00:00:00")
    assert bars.time[1] - bars.time[0] == np.timedelta64(1, "h")


def test_epoch_seconds_semicolon_and_timezone(tmp_path):
    rows = [(1704067200 + 3600 * i, *r[1:]) for i, r in enumerate(ROWS)]
    bars = load_ohlc_csv(write(tmp_path, csv_text(rows, sep=";", header="time;open;high;low;close;volume")),
                         delimiter=";")
    assert bars.time[2] == np.datetime64("2024-01-01T02:00:00")
    zoned = [("2024-01-01T01:00:00+01:00", *ROWS[0][1:])]          # = 00:00 UTC
    assert load_ohlc_csv(write(tmp_path, csv_text(zoned), "z.csv")).time[0] == np.datetime64("2024-01-01T00:00")


def test_without_time_or_volume_columns(tmp_path):
    bars = load_ohlc_csv(write(tmp_path, csv_text([r[1:5] for r in ROWS], "open,high,low,close")))
    assert bars.time.tolist() == [0, 1, 2]
    assert bars.volume.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("timestamp,open,high,low,close\n", "no bars"),
    ("timestamp,open,high,close\n2024-01-01,1,2,1.5\n", "low"),
    (csv_text([ROWS[0], (ROWS[1][0], "", *ROWS[1][2:])]), "NaN"),
    (csv_text([ROWS[0], (ROWS[1][0], "abc", *ROWS[1][2:])]), "not a number"),
    (csv_text([ROWS[1], ROWS[0]]), "strictly increasing"),
    (csv_text([ROWS[0], ROWS[0]]), "strictly increasing"),
    (csv_text([("2024-01-01", 100, 99, 98, 99.5, 1)]), "high must be >= max"),
    (csv_text([("2024-01-01", 100, 101, 100.5, 100.7, 1)]), "low must be <= min"),
    (csv_text([("yesterday", 100, 101, 99, 100, 1)]), "cannot read time"),
    ("timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5\n", "fields"),
    (csv_text([("2024-01-01", -1, 2, -2, 1, 0)]), "> 0"),
])
def test_bad_files_raise_clear_errors(tmp_path, text, message):
    with pytest.raises(ValueError, match=message):
        load_ohlc_csv(write(tmp_path, text))


def test_missing_file():
    with pytest.raises(ValueError, match="no such file"):
        load_ohlc_csv("/nonexistent/bars.csv")


def test_bars_validation():
    with pytest.raises(ValueError, match="at least one bar"):
        Bars(open=[], high=[], low=[], close=[])
    with pytest.raises(ValueError, match="same length"):
        Bars(open=[1, 2], high=[1], low=[1], close=[1])
    with pytest.raises(ValueError, match="NaN"):
        Bars(open=[1, np.nan], high=[1, 1], low=[1, 1], close=[1, 1])
    with pytest.raises(ValueError, match="one entry per bar"):
        Bars(open=[1], high=[1], low=[1], close=[1], time=[0, 1])
    with pytest.raises(ValueError, match="volume"):
        Bars(open=[1], high=[1], low=[1], close=[1], volume=[-1])
    bars = Bars(open=[1, 2], high=[1, 2], low=[1, 2], close=[1, 2])
    with pytest.raises(ValueError):
        bars.close[0] = 5.0                       # read-only: results cannot be edited by accident


def test_as_bars_from_backtesting_dataframe():
    from backtesting.test import GOOG
    bars = as_bars(GOOG)
    assert len(bars) == len(GOOG)
    np.testing.assert_array_equal(bars.close, GOOG["Close"].to_numpy())
    assert bars.time[0] == np.datetime64("2004-08-19")
    assert as_bars(bars) is bars
    with pytest.raises(ValueError, match="no 'close' column"):
        as_bars({"open": [1], "high": [1], "low": [1]})
    with pytest.raises(ValueError, match="mapping or a table"):
        as_bars([1, 2, 3])


@pytest.mark.parametrize("unit, scale", [("s", 1), ("ms", 10**3), ("us", 10**6), ("ns", 10**9)])
def test_every_epoch_unit_reads_right(tmp_path, unit, scale):
    # 1704067200 s = 2024-01-01T00:00Z, hourly bars, written as whole numbers of the unit
    rows = [(1704067200 * scale + 3600 * scale * i, *r[1:]) for i, r in enumerate(ROWS)]
    bars = load_ohlc_csv(write(tmp_path, csv_text(rows)))
    assert bars.time[0] == np.datetime64("2024-01-01T00:00:00")
    assert bars.time[2] == np.datetime64("2024-01-01T02:00:00")


def test_fractional_epoch_seconds_keep_their_milliseconds(tmp_path):
    rows = [(1704067200.25 + 3600 * i, *r[1:]) for i, r in enumerate(ROWS)]
    assert load_ohlc_csv(write(tmp_path, csv_text(rows))).time[0] == np.datetime64("2024-01-01T00:00:00.250")


def test_a_file_mixing_epoch_units_is_refused_naming_the_file_and_row(tmp_path):
    rows = [(1704067200, *ROWS[0][1:]), (1704070800000, *ROWS[1][1:]), (1704074400, *ROWS[2][1:])]
    path = write(tmp_path, csv_text(rows))
    with pytest.raises(ValueError, match=rf"{path}: row 2: .*epoch ms, row 1 as epoch s"):
        load_ohlc_csv(path)


def test_duplicate_columns_directory_delimiter_and_encoding(tmp_path):
    dup = write(tmp_path, csv_text(ROWS, "timestamp,open,high,low,close,close"), "dup.csv")
    with pytest.raises(ValueError, match=rf"{dup}: the header names the column 'close' twice"):
        load_ohlc_csv(dup)
    with pytest.raises(ValueError, match=rf"{tmp_path} is a directory"):
        load_ohlc_csv(tmp_path)
    semi = write(tmp_path, csv_text(ROWS, "timestamp;open;high;low;close;volume", sep=";"), "semi.csv")
    with pytest.raises(ValueError, match=rf"{semi} has no column.*delimiter=';'"):
        load_ohlc_csv(semi)
    for bad in (";;", "", None, 1):
        with pytest.raises(ValueError, match="delimiter"):
            load_ohlc_csv(semi, delimiter=bad)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(csv_text(ROWS).replace("timestamp", "zeitstempel_ä").encode("latin-1")
                      .replace(b"2024-01-01 01:00:00", b"2024-01-01 01:00:00\xe9"))
    with pytest.raises(ValueError, match=rf"{latin}: line 1 is not UTF-8"):
        load_ohlc_csv(latin)
    with pytest.raises(ValueError, match="path"):
        load_ohlc_csv(None)
