"""Micro-Futures Lab: the exact math of leveraged crypto futures, for learning.

Import it as ``import microfut_lib as mf``. The math modules need numpy only; figures
(:mod:`microfut_lib.plots`) and sliders (:mod:`microfut_lib.widgets`) sit on top.
"""
from __future__ import annotations

__version__ = "0.1.0"

# -- core math (numpy only)
from . import reference
from .contracts import PRESETS, ContractSpec, floor_to_step
from .funding import cumulative_funding, funding_payment, funding_rate_from_premium
from .margin import (bankruptcy_price, initial_margin, liquidation_price, maintenance_margin,
                     max_open_qty, notional)
from .profit import average_entry_price, pnl, roe, target_price, trading_fee
from .risk import position_size, risk_at_stop, risk_budget, stop_price_for_loss
from .tiers import BINANCE_BTCUSDT_TIERS, MarginSchedule, MarginTier

# -- simulation lab (numpy only): bars, price paths, backtester, Monte Carlo risk, trade journal
from .data import Bars, as_bars, load_ohlc_csv
from .simulate import block_bootstrap, gbm_ohlc, student_t_ohlc
from .journal import (Journal, Table, Trade, equity_curve, expectancy, max_drawdown, r_multiples,
                      trade_table, win_rate)
from .backtest import UNITS, BacktestResult, backtest, sma, sma_cross_signals
from .montecarlo import (FirstPassageResult, RuinResult, barrier_hit_probability,
                         first_passage_liquidation, liquidation_barrier, liquidation_probability,
                         liquidation_probability_mc, risk_of_ruin)

# -- figures, sliders and exercise checks (notebooks part 1 engineer: plots, widgets, check)
from .check import check_answer, expected_answer, show_working
from .printout import show, table
from .plots import (plot_account_size, plot_backtest, plot_daily_pnl, plot_entry_capital,
                    plot_funding, plot_leverage_magnifier, plot_liquidation_distance,
                    plot_liquidation_vs_size, plot_notional, plot_risk_budget)
from .widgets import (Explorer, account_size_explorer, backtest_explorer, entry_capital_explorer,
                      funding_explorer, leverage_explorer, liquidation_explorer, notional_explorer,
                      risk_budget_explorer, welcome_explorer)

# -- scaling up and paper trading (lessons 06–07): ladder and ticket (math), scaling rule and replay (lab)
from .ladder import (LADDER_BTC, Rung, contracts_within_risk, ladder_plan, loss_at_rungs, position_risk,
                     rung_for_account, uncovered_accounts)
from .ticket import TradeTicket, trade_ticket
from .scaling import ScalingRule, luck_records, scaling_verdict, trades_needed
from .replay import PaperSession, replay
from .plots_scaling import plot_journal, plot_ladder, plot_same_loss
from .plots_replay import plot_replay, plot_ticket
from .widgets_scaling import (ReplayExplorer, journal_explorer, ladder_explorer, replay_explorer,
                              same_loss_explorer, ticket_explorer)
