"""Micro-Futures Lab: the exact math of leveraged crypto futures, for learning.

Import it as ``import microfut_lib as mf``. The math modules and the simulation lab need numpy
only and load at import. The teaching layer (figures, sliders and exercise checks) loads on first
use: ``mf.plot_leverage_magnifier`` imports matplotlib when it is first looked up and
``mf.leverage_explorer`` ipywidgets when it is called, so a script that only does the math never
imports either.
"""
from __future__ import annotations

import importlib as _importlib

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
from .backtest import UNITS, BacktestResult, backtest
from .signals import sma, sma_cross_signals
from .outcomes import ExitReason
from .many_paths import ManyPathsResult, sma_cross_many_paths
from .montecarlo import (FirstPassageResult, RuinResult, barrier_hit_probability,
                         first_passage_liquidation, liquidation_barrier, liquidation_probability,
                         liquidation_probability_mc, risk_of_ruin)
from .scenario import BACKTEST_SETUP, backtest_bars, run_sma_backtest

# -- scaling up and paper trading (lessons 06–07): ladder and ticket (math), scaling rule and replay (lab)
from .ladder import (LADDER_BTC, Rung, contracts_within_risk, ladder_plan, loss_at_rungs, position_risk,
                     rung_for_account, uncovered_accounts)
from .ticket import TradeTicket, trade_ticket
from .scaling import ScalingRule, journal_record, luck_records, scaling_verdict, trades_needed
from .replay import SCRIPTED_SESSION, PaperSession, replay

# -- slider controls as data (no plotting imports)
from .controls import Control

# -- teaching layer, loaded on first use: exported name -> module that defines it.
# One line per name; a new lesson adds its own lines here and nowhere else.
_LAZY: dict[str, str] = {
    "check_answer": "check",
    "expected_answer": "check",
    "show_working": "check",
    "show": "printout",
    "table": "printout",
    "Panel": "panel",
    "plot_function": "panel",
    "explorer_function": "panel",
    "Explorer": "widgets",
    "plot_leverage_magnifier": "plots",
    "plot_account_size": "plots",
    "plot_notional": "plots",
    "plot_liquidation_distance": "plots",
    "plot_liquidation_vs_size": "plots",
    "plot_funding": "plots",
    "plot_risk_budget": "plots",
    "plot_entry_capital": "plots",
    "plot_backtest": "plots",
    "plot_daily_pnl": "plots",
    "welcome_explorer": "plots",
    "leverage_explorer": "plots",
    "account_size_explorer": "plots",
    "notional_explorer": "plots",
    "liquidation_explorer": "plots",
    "funding_explorer": "plots",
    "risk_budget_explorer": "plots",
    "entry_capital_explorer": "plots",
    "backtest_explorer": "plots",
    "plot_ladder": "plots_scaling",
    "plot_same_loss": "plots_scaling",
    "plot_journal": "plots_scaling",
    "ladder_explorer": "plots_scaling",
    "same_loss_explorer": "plots_scaling",
    "journal_explorer": "plots_scaling",
    "plot_ticket": "plots_replay",
    "ticket_explorer": "plots_replay",
    "plot_replay": "plots_replay",
    "ReplayPanel": "plots_replay",
    "ReplayExplorer": "widgets_replay",
    "replay_explorer": "widgets_replay",
}


def __getattr__(name: str) -> object:
    """Load a teaching-layer name from its module on first use (PEP 562)."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
