"""The figures show the library's numbers: checked against values worked out by hand.

Hand values (article's setting: bitcoin at $70,000):
- notional of 1 / 0.01 / 0.001 BTC: $70,000 / $700 / $70;
- initial margin at 10x: notional / 10 = $7,000 / $70 / $7; at 5x: $14,000 / $1,400 / $140 / $14;
- long liquidation, mark basis, 10x, mmr 0.4 %: 70,000 x (1 - 1/10) / (1 - 0.004) = 63,253.012...;
- funding, +0.01 % per 8 h on $700 for 30 days: 700 x 0.0001 x 90 = $6.30 paid by the long;
- 2 % stop on $70,000 = $1,400 per BTC: one nano risks $1.40, so a $10 budget holds 7 ($9.80).
"""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import microfut_lib as mf
from microfut_lib import plots

LIQ_10X = 70_000 * (1 - 1 / 10) / (1 - 0.004)


@pytest.mark.parametrize("plot", [mf.plot_leverage_magnifier, mf.plot_account_size, mf.plot_notional,
                                  mf.plot_liquidation_distance, mf.plot_liquidation_vs_size,
                                  mf.plot_funding, mf.plot_risk_budget, mf.plot_entry_capital,
                                  mf.plot_backtest, mf.plot_daily_pnl])
def test_plot_returns_a_figure_that_renders_as_png(plot):
    fig = plot()
    assert isinstance(fig, Figure)
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000


def test_leverage_line_has_slope_leverage():
    panel = plots.LeveragePanel()
    panel.update(leverage=10, price_move_pct=-5)
    x, y = (np.asarray(a) for a in panel.line.get_data())
    slope = np.polyfit(x, y, 1)[0]
    assert slope == pytest.approx(10.0)            # PnL % of margin = 10 x move %
    assert panel.point.get_ydata()[0] == pytest.approx(-50.0)
    assert panel.liq.get_xdata()[0] == pytest.approx(100 * (LIQ_10X / 70_000 - 1))
    assert x.min() >= panel.liq.get_xdata()[0]      # the solid line stops at liquidation


def test_account_size_bars_are_the_margins():
    panel = plots.AccountSizePanel()
    panel.update(account_usd=500, leverage=10)
    assert [b.get_width() for b in panel.bars] == pytest.approx([7_000, 70, 7])
    assert "cannot open" in panel.update(account_usd=500, leverage=10)


def test_notional_bars():
    panel = plots.NotionalPanel()
    panel.update(price_usd=70_000)
    assert [b.get_height() for b in panel.bars] == pytest.approx([70_000, 700, 70])


def test_liquidation_distance_marker_and_size_independence():
    panel = plots.LiquidationPanel()
    panel.update(leverage=10, mmr_pct=0.4)
    assert panel.point.get_ydata()[0] == pytest.approx(100 * (1 - LIQ_10X / 70_000))
    fig = mf.plot_liquidation_vs_size(leverage=10, mmr=0.004)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == pytest.approx([LIQ_10X] * 3)


def test_liquidation_at_entry_is_a_value_error():
    with pytest.raises(ValueError):
        mf.plot_liquidation_distance(leverage=25, mmr_pct=5.0)


def test_funding_marker_is_the_cumulative_payment():
    panel = plots.FundingPanel()
    panel.update(rate_pct=0.01, days=30)
    assert panel.point.get_ydata()[0] == pytest.approx(-6.30)
    days, shorts = panel.short.get_data()
    assert shorts[30] == pytest.approx(6.30)


def test_risk_budget_bars():
    panel = plots.RiskBudgetPanel()
    panel.update(stop_pct=2.0, account_usd=1_000)
    one = [b.get_height() for b in panel.one]
    sized = [b.get_height() for b in panel.sized]
    assert one == pytest.approx([1_400, 14, 1.4])
    assert sized[2] == pytest.approx(9.80)           # 7 nano contracts
    assert sized[0] < 0.01 and sized[1] < 0.01      # no standard or micro contract fits $10
    assert panel.budget.get_ydata()[0] == pytest.approx(10.0)


def test_entry_capital_bars():
    panel = plots.EntryCapitalPanel()
    panel.update(leverage=5, price_usd=70_000)
    assert [b.get_width() for b in panel.bars] == pytest.approx([14_000, 1_400, 140, 14])


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="leverage"):
        mf.plot_leverage_magnifier(leverage=200)


def test_backtest_panel_draws_the_backtesters_equity():
    panel = plots.BacktestPanel()
    panel.update(fast=12, slow=48, leverage=5)
    result = plots.run_sma_backtest(12, 48, 5)
    _, equity = panel.equity_line.get_data()
    np.testing.assert_array_equal(equity, result.equity[::panel.every])
    low, high = panel.bottom.get_ylim()
    assert low <= equity.min() and equity.max() <= high   # fixed limits hold the curve
    _, fast = panel.fast_line.get_data()
    closes = np.asarray(panel.bars.close)
    i = 12 // panel.every * panel.every                    # first drawn point with 12 hours
    assert fast[i // panel.every] == pytest.approx(closes[i - 11:i + 1].mean())  # by hand


def test_backtest_bad_windows_raise():
    with pytest.raises(ValueError, match="fast"):
        mf.plot_backtest(fast=50, slow=48)


def test_daily_pnl_histograms_scale_by_contract_size():
    fig = mf.plot_daily_pnl(n_days=200, seed=5)
    spans = []
    for ax in fig.axes:
        patches = ax.patches
        assert sum(p.get_height() for p in patches) == 200      # every day counted once
        spans.append(patches[-1].get_x() + patches[-1].get_width() - patches[0].get_x())
    assert spans[0] / spans[1] == pytest.approx(100) and spans[1] / spans[2] == pytest.approx(10)


def test_no_standard_contract_fits_anywhere_in_the_risk_sliders():
    """Notebook 03 says so: the largest budget (1 % of $20,000 = $200) is below the smallest
    one-contract risk (0.5 % of $70,000 = $350)."""
    ex = mf.risk_budget_explorer()
    panel = ex.panel
    for stop in (ex.sliders["stop_pct"].min, ex.sliders["stop_pct"].max):
        for account in (ex.sliders["account_usd"].min, ex.sliders["account_usd"].max):
            panel.update(stop_pct=stop, account_usd=account)
            assert panel.sized[0].get_height() < 0.01
