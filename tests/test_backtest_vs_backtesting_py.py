"""Trade-for-trade equality with backtesting.py (AGPL: a test-only peer, used and never copied).

Same conventions on both sides (see microfut_lib.backtest's docstring): signal at a bar's close,
fill at the next open, strict crossover, exclusive orders, whole units bought with all the equity
(times the leverage) after commission, commission on entry and on exit, only closed trades in
the statistics. Sample data is loaded from the installed package, never copied into the repo.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from microfut_lib.backtest import UNITS, backtest
from microfut_lib.signals import sma_cross_signals
from microfut_lib.simulate import gbm_ohlc

backtesting = pytest.importorskip("backtesting")
from backtesting.test import BTCUSD, EURUSD, GOOG  # noqa: E402

from benchmarks import peer_sma_cross  # noqa: E402  (the strategy, written once)

CASH = 1_000_000          # above every price in the samples: whole units stay affordable


def synthetic() -> pd.DataFrame:
    bars = gbm_ohlc(3_000, annual_vol=0.7, annual_drift=0.1, seed=2024)
    return pd.DataFrame({"Open": bars.open, "High": bars.high, "Low": bars.low, "Close": bars.close,
                         "Volume": bars.volume}, index=pd.DatetimeIndex(bars.time))


DATASETS = {"GOOG": (lambda: GOOG, 10, 30), "EURUSD": (lambda: EURUSD, 10, 30),
            "BTCUSD": (lambda: BTCUSD, 3, 12), "synthetic": (synthetic, 24, 96)}


def run_peer(data, fast, slow, *, commission, margin):
    stats, caught = peer_sma_cross.run_peer(data, fast, slow, cash=CASH, commission=commission,
                                            margin=margin)
    # expected: its note about the trade still open at the end, and pandas deprecation notices
    # raised inside the peer's own code (not ours)
    unexpected = [w for w in caught if "remain open" not in str(w.message)
                  and not (issubclass(w.category, (DeprecationWarning, FutureWarning))
                           and "backtesting" in w.filename)]
    assert not unexpected, [str(w.message) for w in unexpected]
    return stats


def run_ours(data, fast, slow, *, commission, margin):
    signals = sma_cross_signals(data["Close"].to_numpy(), fast, slow)
    return backtest(data, signals, UNITS, initial_equity=CASH, leverage=1 / margin,
                    taker_fee=commission, mmr=0.0)


def assert_same(peer, ours):
    trades = peer._trades
    assert ours.stats["n_liquidations"] == 0          # backtesting.py has no liquidation model
    assert len(ours.trades) == len(trades) > 0
    sign = np.array([1 if t.side == "long" else -1 for t in ours.trades])
    np.testing.assert_array_equal([t.entry_bar for t in ours.trades], trades["EntryBar"])
    np.testing.assert_array_equal([t.exit_bar for t in ours.trades], trades["ExitBar"])
    np.testing.assert_array_equal(sign * np.array([t.qty for t in ours.trades]), trades["Size"])
    np.testing.assert_allclose([t.entry_price for t in ours.trades], trades["EntryPrice"], rtol=1e-12)
    np.testing.assert_allclose([t.exit_price for t in ours.trades], trades["ExitPrice"], rtol=1e-12)
    np.testing.assert_allclose([t.net_pnl for t in ours.trades], trades["PnL"], rtol=1e-9, atol=1e-9)
    assert ours.stats["final_equity"] == pytest.approx(peer["Equity Final [$]"], rel=1e-9)
    np.testing.assert_allclose(ours.equity, peer._equity_curve["Equity"].to_numpy(), rtol=1e-9)
    assert ours.stats["n_trades"] == peer["# Trades"]
    assert ours.stats["win_rate"] * 100 == pytest.approx(peer["Win Rate [%]"], rel=1e-12)
    # backtesting.py's drawdown is over the equity at every bar: ours of the same name
    assert ours.stats["max_drawdown_bars"] * 100 == pytest.approx(-peer["Max. Drawdown [%]"], rel=1e-9)


@pytest.mark.parametrize("name", list(DATASETS))
def test_leverage_one_no_fees(name):
    load, fast, slow = DATASETS[name]
    data = load()
    assert_same(run_peer(data, fast, slow, commission=0.0, margin=1.0),
                run_ours(data, fast, slow, commission=0.0, margin=1.0))


@pytest.mark.parametrize("name, margin", [("GOOG", 0.5), ("EURUSD", 0.5), ("synthetic", 0.5),
                                          ("BTCUSD", 0.8)])
def test_with_commission_and_margin(name, margin):
    load, fast, slow = DATASETS[name]
    data = load()
    assert_same(run_peer(data, fast, slow, commission=0.002, margin=margin),
                run_ours(data, fast, slow, commission=0.002, margin=margin))


def test_where_they_differ_liquidation():
    """At 2x a BTCUSD position is liquidated by a month's extreme; backtesting.py keeps it open."""
    ours = run_ours(BTCUSD, 3, 12, commission=0.002, margin=0.5)
    liquidated = [t for t in ours.trades if t.exit_reason == "liquidation"]
    assert liquidated
    for t in liquidated:
        # mmr 0 at 2x: liquidation = bankruptcy = entry × (1 ∓ 1/2), reached by that bar's extreme
        if t.side == "long":
            assert t.exit_price == pytest.approx(0.5 * t.entry_price)
            assert BTCUSD["Low"].iloc[t.exit_bar] <= t.exit_price
            assert BTCUSD["Low"].iloc[t.entry_bar:t.exit_bar].min() > t.exit_price
        else:
            assert t.exit_price == pytest.approx(1.5 * t.entry_price)
            assert BTCUSD["High"].iloc[t.exit_bar] >= t.exit_price
            assert BTCUSD["High"].iloc[t.entry_bar:t.exit_bar].max() < t.exit_price
    peer = run_peer(BTCUSD, 3, 12, commission=0.002, margin=0.5)
    assert len(peer._trades) > len(ours.trades)
