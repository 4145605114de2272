"""How likely ordinary noise liquidates a position within a day, a week and a month.

Two answers from :mod:`microfut_lib.montecarlo`, side by side:

- the **closed form** (:func:`~microfut_lib.montecarlo.liquidation_probability`): GBM first passage
  to the liquidation barrier, checked hourly (the Broadie–Glasserman–Kou correction), instant;
- a **Monte Carlo** (:func:`~microfut_lib.montecarlo.first_passage_liquidation`): one simulation
  of hourly paths over the longest horizon, read at each horizon from the step at which each path
  was liquidated, with its standard error ``√(p(1 − p)/n)``. ``n_paths`` small answers fast with a
  wide error; large refines it.

No drift (the price is as likely to rise as to fall, ``μ = 0``), isolated margin, the maintenance
rate ``mmr`` of the first bracket.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import scalar, whole_number
from .montecarlo import first_passage_liquidation, liquidation_probability

__all__ = ["HORIZONS_HOURS", "LiquidationOdds", "liquidation_odds"]

#: A day, a week and a month (30 days), in hours.
HORIZONS_HOURS = (24, 24 * 7, 24 * 30)


@dataclass(frozen=True)
class LiquidationOdds:
    """Probabilities per horizon: ``closed_form`` always, ``monte_carlo``/``standard_error`` when run."""

    leverage: float
    annual_vol: float
    horizons_hours: tuple[int, ...]
    closed_form: np.ndarray
    monte_carlo: np.ndarray | None
    standard_error: np.ndarray | None
    n_paths: int

    def __str__(self) -> str:
        names = {24: "a day", 168: "a week", 720: "a month"}
        head = f"{self.leverage:g}x, volatility {self.annual_vol:.0%} a year"
        if self.monte_carlo is not None:
            head += f" (simulated: {self.n_paths:,} paths)"
        lines = [head + ", liquidated within"]
        for i, h in enumerate(self.horizons_hours):
            line = f"  {names.get(h, f'{h} h'):<8} {self.closed_form[i]:6.2%} closed form"
            if self.monte_carlo is not None:
                line += (f", {self.monte_carlo[i]:6.2%} ± {self.standard_error[i]:.2%} "
                         "simulated")
            lines.append(line)
        return "\n".join(lines)


def liquidation_odds(leverage, annual_vol, *, n_paths=0, mmr=0.005, seed=0,
                     horizons_hours=HORIZONS_HOURS) -> LiquidationOdds:
    """Chance of liquidation within each horizon at ``leverage`` and ``annual_vol`` (σ per year).

    ``n_paths=0`` gives the closed form alone; otherwise one seeded Monte Carlo of ``n_paths``
    hourly paths over the longest horizon is added.

    Examples
    --------
    At 60 % volatility a month at 3x liquidates about 2 % of positions, a month at 20x about 79 %:

    >>> [round(float(liquidation_odds(lev, 0.6).closed_form[-1]), 3) for lev in (3, 20)]
    [0.023, 0.79]
    >>> odds = liquidation_odds(20, 0.6, n_paths=2_000, seed=1)
    >>> bool(np.all(np.abs(odds.monte_carlo - odds.closed_form) < 4 * odds.standard_error + 0.01))
    True
    """
    lev = scalar("leverage", leverage, ge=1.0, le=125.0)
    sigma = scalar("annual_vol", annual_vol, gt=0.0, le=10.0, note="(a fraction per year: 0.6 = 60 %)")
    n_paths = whole_number("n_paths", n_paths, 0)
    hours = tuple(int(whole_number("horizons_hours", h)) for h in horizons_hours)
    closed = np.asarray(liquidation_probability(lev, sigma, np.array(hours, dtype=float), mmr=mmr,
                                                monitoring_hours=1.0), dtype=float)
    if n_paths == 0:
        return LiquidationOdds(lev, sigma, hours, closed, None, None, 0)
    run = first_passage_liquidation(lev, sigma, max(hours), mmr=mmr, n_paths=n_paths, seed=seed,
                                    progress=False)
    hit = run.hit_step
    mc = np.array([np.count_nonzero((hit > 0) & (hit <= h)) / n_paths for h in hours])
    se = np.sqrt(mc * (1.0 - mc) / n_paths)
    return LiquidationOdds(lev, sigma, hours, closed, mc, se, n_paths)
