"""The figures show the library's numbers: checked against values worked out by hand.

Hand values (article's setting: bitcoin at $70,000):
- notional of 1 / 0.01 / 0.001 BTC: $70,000 / $700 / $70;
- initial margin at 10x: notional / 10 = $7,000 / $70 / $7; at 5x: $14,000 / $1,400 / $140 / $14;
- long liquidation, mark basis, 10x, mmr 0.4 %: 70,000 x (1 - 1/10) / (1 - 0.004) = 63,253.012...;
- funding, +0.01 % per 8 h on $700 for 30 days: 700 x 0.0001 x 90 = $6.30 paid by the long;
- 2 % stop on $70,000 = $1,400 per BTC: one nano risks $1.40, so a $10 budget holds 7 ($9.80).
"""
from __future__ import annotations

import inspect

import numpy as np
import pytest
from matplotlib.figure import Figure

import microfut_lib as mf
from microfut_lib import plots

LIQ_10X = 70_000 * (1 - 1 / 10) / (1 - 0.004)


PLOTS = sorted(n for n in dir(mf) if n.startswith("plot_") and n != "plot_function")


@pytest.mark.parametrize("name", PLOTS)
def test_plot_returns_a_figure_that_renders_as_png(name):
    fig = getattr(mf, name)()
    assert isinstance(fig, Figure)
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000


@pytest.mark.parametrize("name", PLOTS)
def test_plot_defaults_are_the_controls_defaults(name):
    plot = getattr(mf, name)
    params = inspect.signature(plot).parameters
    for control in plot.panel.controls:
        assert params[control.name].default == control.default


@pytest.mark.parametrize("name", PLOTS)
def test_static_figure_states_values_and_numbers_in_its_caption(name):
    """The book's figure keeps the readout: its caption is the readout's text, drawn below."""
    fig = getattr(mf, name)()
    texts = [t.get_text() for t in fig.texts]
    assert fig.caption and plots.mpl_text(fig.caption) in texts
    assert any(ch.isdigit() for ch in fig.caption)


def test_leverage_line_has_slope_leverage():
    panel = plots.LeveragePanel()
    panel.draw(leverage=10, price_move_pct=-5)
    x, y = (np.asarray(a) for a in panel.line.get_data())
    slope = np.polyfit(x, y, 1)[0]
    assert slope == pytest.approx(10.0)            # PnL % of margin = 10 x move %
    assert panel.point.get_ydata()[0] == pytest.approx(-50.0)
    assert panel.liq.get_xdata()[0] == pytest.approx(100 * (LIQ_10X / 70_000 - 1))
    assert x.min() >= panel.liq.get_xdata()[0]      # the solid line stops at liquidation


@pytest.mark.parametrize(("leverage", "move", "marker"), [(125, 20.0, "^"), (10, -20.0, "v"),
                                                          (10, -5.0, "o")])
def test_leverage_marker_stays_in_view(leverage, move, marker):
    panel = plots.LeveragePanel()
    panel.draw(leverage=leverage, price_move_pct=move)
    low, high = panel.ax.get_ylim()
    assert low < panel.point.get_ydata()[0] < high
    assert panel.point.get_marker() == marker


def test_account_size_bars_are_the_margins():
    panel = plots.AccountSizePanel()
    panel.draw(account_usd=500, leverage=10)
    assert [b.get_width() for b in panel.bars] == pytest.approx([7_000, 70, 7])
    assert "cannot open" in panel.draw(account_usd=500, leverage=10)


def test_account_size_loss_never_exceeds_the_margin():
    """Isolated margin: at 125x a 10 % fall liquidates first, so one micro contract loses its
    $5.60 margin (700 / 125), not 10 % of $700 = $70; one standard contract loses its $560
    margin, not $7,000 (the 700 % of the account an uncapped readout would show)."""
    panel = plots.AccountSizePanel()
    readout = panel.draw(account_usd=1_000, leverage=125)
    losses = [b.get_width() for b in panel.losses]
    assert losses == pytest.approx([560, 5.60, 0.56])              # 70,000 / 125 and so on
    assert "$5.60 = 0.6 % (liquidated first: at most the margin)" in readout
    panel.draw(account_usd=1_000, leverage=5)                        # 10 % fall, no liquidation
    assert [b.get_width() for b in panel.losses] == pytest.approx([7_000, 70, 7])


def test_account_size_bars_stay_on_the_axis_at_any_leverage():
    panel = plots.AccountSizePanel()
    low, high = panel.ax.get_xlim()
    for leverage in (1, 70, 125):
        panel.draw(account_usd=100, leverage=leverage)
        assert all(low < b.get_width() < high for b in panel.bars + panel.losses)


def test_account_size_legend_colours_match_the_bars():
    panel = plots.AccountSizePanel()
    legend = panel.figure.legends[0]
    colours = {t.get_text(): h.get_facecolor() for t, h in zip(legend.get_texts(),
                                                             legend.legend_handles)
               if hasattr(h, "get_facecolor")}
    assert colours["initial margin"] == panel.bars[2].get_facecolor()


def test_notional_bars():
    panel = plots.NotionalPanel()
    panel.draw(price_usd=70_000)
    assert [b.get_height() for b in panel.bars] == pytest.approx([70_000, 700, 70])


def test_liquidation_distance_marker_and_size_independence():
    panel = plots.LiquidationPanel()
    panel.draw(leverage=10, mmr_pct=0.4)
    assert panel.point.get_ydata()[0] == pytest.approx(100 * (1 - LIQ_10X / 70_000))
    fig = mf.plot_liquidation_vs_size(leverage=10, mmr_pct=0.4)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == pytest.approx([LIQ_10X] * 3)


def test_liquidation_at_entry_is_a_value_error():
    with pytest.raises(ValueError, match="cannot be opened"):
        mf.plot_liquidation_distance(leverage=25, mmr_pct=5.0)


def test_liquidation_curve_stops_where_the_math_refuses_to_open():
    """The curve covers exactly the leverages liquidation_price accepts (20x at 5 %: 1/0.05)."""
    panel = plots.LiquidationPanel()
    panel.draw(leverage=10, mmr_pct=5.0)
    drawn = panel.line.get_xdata()
    refused = [lev for lev in panel.leverages if lev not in drawn]
    assert drawn.max() < 20 <= min(refused)
    for lev in refused:
        with pytest.raises(ValueError):
            mf.liquidation_price(70_000, 1, mf.PRESETS["BTC-MICRO"], "long", leverage=lev, mmr=0.05)


def test_funding_marker_is_the_cumulative_payment():
    panel = plots.FundingPanel()
    panel.draw(funding_rate_bp=1, days=30)
    assert panel.point.get_ydata()[0] == pytest.approx(-6.30)
    days, shorts = panel.short.get_data()
    assert shorts[30] == pytest.approx(6.30)


@pytest.mark.parametrize("rate_bp", [1, -3, 10])
def test_funding_axis_follows_the_lines(rate_bp):
    """The lines fill between 40 % and 100 % of the vertical range (not ±$190 around ±$20)."""
    panel = plots.FundingPanel()
    panel.draw(funding_rate_bp=rate_bp, days=30)
    extreme = np.max(np.abs(panel.line.get_ydata()))
    low, high = panel.ax.get_ylim()
    assert -low == high and 0.4 * high <= extreme <= high


def test_funding_readout_gives_the_yearly_cost():
    """By hand: 0.01 % x 3 x 365 = 10.95 % of the notional a year; x 10 = 109.5 % of the margin."""
    readout = plots.FundingPanel().draw(funding_rate_bp=1, days=30)
    assert "−$76.65, −11.0 % of the notional, −110 % of the margin" in readout


def test_risk_budget_bars():
    panel = plots.RiskBudgetPanel()
    panel.draw(stop_pct=2.0, account_usd=1_000)
    one = [b.get_height() for b in panel.one]
    sized = [b.get_height() for b in panel.sized]
    assert one == pytest.approx([1_400, 14, 1.4])
    assert sized[2] == pytest.approx(9.80)           # 7 nano contracts
    assert sized[0] < 0.01 and sized[1] < 0.01      # no standard or micro contract fits $10
    assert panel.budget.get_ydata()[0] == pytest.approx(10.0)


def test_entry_capital_bars():
    panel = plots.EntryCapitalPanel()
    panel.draw(leverage=5, price_usd=70_000)
    assert [b.get_width() for b in panel.bars] == pytest.approx([14_000, 1_400, 140, 14])
    low, high = panel.ax.get_xlim()
    panel.draw(leverage=20, price_usd=10_000)                 # the smallest bar: nano, $0.50
    assert low < min(b.get_width() for b in panel.bars)


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="leverage"):
        mf.plot_leverage_magnifier(leverage=200)


def test_backtest_panel_draws_the_backtesters_equity():
    panel = plots.BacktestPanel()
    panel.draw(fast=12, slow=48, leverage=5)
    result = mf.run_sma_backtest(12, 48, 5)
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
        assert ax.get_ylabel() == "days"
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
            panel.draw(stop_pct=stop, account_usd=account)
            assert panel.sized[0].get_height() < 0.01


def test_daily_pnl_titles_count_the_days_the_dashed_lines_mark():
    """Each title counts the days beyond the dashed lines (±10 % of the account), by hand."""
    fig = mf.plot_daily_pnl(n_days=365, seed=3, account_usd=1_000)
    bars = mf.gbm_ohlc(365, annual_vol=0.6, bar_hours=24.0, seed=3)
    micro = fig.axes[1]
    daily = (bars.close - bars.open) * 0.01
    share = round(100 * np.mean(np.abs(daily) > 100))
    assert f"days beyond ±\\$100: {share:.0f} %" in micro.get_title()
    dashed = sorted(line.get_xdata()[0] for line in micro.lines if line.get_linestyle() == "--")
    assert dashed == [-100, 100]
    nano = fig.axes[2]
    assert nano.get_xlim()[1] < 20          # its own scale: the nano histogram is readable


def test_controls_fix_the_panels_axes():
    """A panel's fixed axis range comes from its controls (what blitting needs)."""
    panel = plots.NotionalPanel()
    low, high = panel.ax.get_ylim()
    for price in (mf.controls.PRICE_USD.low, mf.controls.PRICE_USD.high):
        panel.draw(price_usd=price)
        assert all(low < b.get_height() < high for b in panel.bars)


@pytest.mark.parametrize("name", PLOTS)
def test_plot_functions_document_their_real_signature(name):
    """help() and the API page show each control as an argument with its range and default."""
    plot = getattr(mf, name)
    assert plot.__name__ == name
    for control in plot.panel.controls:
        assert f"{control.name} : " in plot.__doc__
        assert f"{control.low:g} to {control.high:g} (default {control.default:g})" in plot.__doc__
    with pytest.raises(TypeError, match=name):
        plot(no_such_argument=1)


def test_journal_curve_is_the_records_equity_and_each_percent_of_win_rate_moves_it():
    panel = mf.plot_journal.panel()
    curves = {}
    for win_rate_pct in (49, 50, 51):
        panel.draw(win_rate_pct=win_rate_pct, reward_r=1.5, n_trades=100)
        curves[win_rate_pct] = np.asarray(panel.curve.get_ydata(), dtype=float)
        record = mf.journal_record(win_rate_pct, 1.5, 100)
        assert np.array_equal(curves[win_rate_pct], record.equity_curve())
    # one more win of 1.5 R instead of a loss of 1 R (fees included): +$34.98 at the end
    win, loss = 0.01 * 2_100 - 0.0005 * 0.01 * (70_000 + 72_100), -(0.01 * 1_400 + 0.0005 * 0.01 * 138_600)
    for p in (49, 50):
        assert curves[p + 1][-1] - curves[p][-1] == pytest.approx(win - loss)
