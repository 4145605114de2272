"""Monte Carlo risk: how likely a leveraged position is liquidated, and the risk of ruin.

**Liquidation as a first passage**

A position is liquidated the first time the price touches its liquidation price. Under geometric
Brownian motion the log-price is a Brownian motion with drift ``ν = μ − σ²/2``, and the
liquidation price is a barrier at ``b = ln(LP / EP)`` (below 0 for a long, above 0 for a short),
where LP comes from :func:`~microfut_lib.margin.liquidation_price` at the chosen leverage. Two ways
to get the probability of touching it within a horizon T:

- :func:`first_passage_liquidation` simulates many paths step by step (hourly by default) and
  counts those that reach the barrier (vectorized, in blocks of steps; a path is dropped as soon
  as it is liquidated, so its later steps are never drawn);
- :func:`barrier_hit_probability` is the closed form for continuous monitoring (the reflection
  principle with drift; Shreve, *Stochastic Calculus for Finance II*, §7.2; Karatzas & Shreve,
  *Brownian Motion and Stochastic Calculus*, §3.5.C), for a down barrier ``b < 0``::

      P = Φ((b − νT) / (σ√T)) + exp(2νb/σ²) · Φ((b + νT) / (σ√T))

  and the mirror image for an up barrier. A path watched only every Δt misses touches between
  the checks; Broadie, Glasserman & Kou (1997, *Mathematical Finance* 7:325) show the discrete
  barrier acts like a continuous one moved away from the start by ``β·σ·√Δt`` with
  ``β = −ζ(1/2)/√(2π) ≈ 0.5826``: pass ``monitoring_years`` to apply that correction.

**Risk of ruin**

:func:`risk_of_ruin` bets a fixed fraction f of current equity per trade: a win multiplies equity
by ``1 + f·R`` (R = reward:risk), a loss by ``1 − f``. Equity never reaches zero, so "ruin" means
a drawdown to ``1 − ruin_drawdown`` of the starting equity. The log-equity is a random walk, and
the Cramér–Lundberg bound gives the infinite-horizon probability ``P ≤ (1 − D)^γ``, with γ > 0
solving ``p·(1 + fR)^(−γ) + (1 − p)·(1 − f)^(−γ) = 1`` (Feller, *An Introduction to Probability
Theory*, vol. II, §XII.5); it is exact when wins and losses are equal steps in log-equity (the
gambler's ruin, ``(q/p)^k``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_float_array,
    broadcast,
    check_contract,
    scalar,
    seed_value,
    side_sign,
    to_output,
    whole_number,
)
from .contracts import PRESETS, ContractSpec
from .margin import liquidation_price

__all__ = ["first_passage_liquidation", "FirstPassageResult", "liquidation_probability_mc",
           "liquidation_probability", "liquidation_barrier", "barrier_hit_probability",
           "risk_of_ruin", "RuinResult", "BGK_BETA", "MAX_PATHS", "MAX_STEPS", "MAX_DRAWS",
           "MIN_ANNUAL_VOL"]

HOURS_PER_YEAR = 365.0 * 24.0
# Limits that keep a typo from running for minutes or exhausting memory (raise them for a
# real need).
#: Paths per run.
MAX_PATHS = 10_000_000
#: Steps per path.
MAX_STEPS = 1_000_000
#: Normals drawn per run (about 10 s here).
MAX_DRAWS = 1_000_000_000
#: Below 0.01 % a year a volatility is a typo (and the walk's step would underflow).
MIN_ANNUAL_VOL = 1e-4
GROUP_PATHS = 4_096          # paths per random stream (the draws never depend on block_elements)
_BLOCK_DRAWS = 1_000_000     # canonical block: steps × live paths drawn at once
_VOL_NOTE = "(a fraction per year: 0.6 = 60 %)"
BGK_BETA = 0.5825971579390106        # −ζ(1/2) / √(2π), Broadie–Glasserman–Kou (1997)
_DEFAULT_CONTRACT = PRESETS["BTC-MICRO"]

_erfc = np.vectorize(math.erfc, otypes=[float])


def _norm_cdf(x: np.ndarray) -> np.ndarray:
    """Standard normal CDF, Φ(x) = erfc(−x/√2) / 2 (math.erfc, element by element)."""
    return 0.5 * _erfc(-np.asarray(x, dtype=float) / math.sqrt(2.0))


def barrier_hit_probability(barrier, annual_vol, horizon_years, *, annual_drift=0.0,
                            monitoring_years=0.0):
    """Probability that a GBM price touches ``barrier × start`` within ``horizon_years``.

    ``barrier`` is the barrier as a multiple of the starting price: below 1 a down barrier (a
    long's liquidation), above 1 an up barrier (a short's). With ``b = ln(barrier)`` and
    ``ν = annual_drift − σ²/2`` (see the module notes for the source)::

        down (b < 0):  P = Φ((b − νT)/(σ√T)) + exp(2νb/σ²) · Φ((b + νT)/(σ√T))
        up   (b > 0):  P = Φ((νT − b)/(σ√T)) + exp(2νb/σ²) · Φ((−b − νT)/(σ√T))

    ``monitoring_years > 0`` applies the Broadie–Glasserman–Kou correction for a barrier checked
    only every Δt: ``b`` is moved away from 0 by ``0.5826·σ·√Δt``. A barrier of 0 (a long no price
    liquidates) or ``inf`` gives 0; a barrier of exactly 1 gives 1.

    Parameters
    ----------
    barrier : float or array
        Barrier / start price, ≥ 0 (``inf`` allowed).
    annual_vol : float or array
        σ per year, > 0.
    horizon_years : float or array
        T, > 0.
    annual_drift : float or array
        μ per year.
    monitoring_years : float
        Δt between checks (0 = continuous).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    A driftless Brownian motion (μ = σ²/2) touches a barrier 1σ√T below with probability
    2·Φ(−1) (the reflection principle):

    >>> round(barrier_hit_probability(math.exp(-0.6), 0.6, 1.0, annual_drift=0.18), 6)
    0.317311
    """
    return _barrier_hit(barrier, annual_vol, horizon_years, annual_drift, monitoring_years,
                        "monitoring_years")


def _barrier_hit(barrier, annual_vol, horizon_years, annual_drift, monitoring_years, monitoring_name):
    """:func:`barrier_hit_probability`, naming the monitoring argument as the caller did."""
    raw = as_float_array("barrier", barrier, ge=0.0, allow_inf=True,
                         note="(a multiple of the start price; inf allowed)")
    sigma = as_float_array("annual_vol", annual_vol, ge=MIN_ANNUAL_VOL, le=10.0, note=_VOL_NOTE)
    horizon = as_float_array("horizon_years", horizon_years, gt=0.0, note="(a horizon of zero "
                             "has no risk to measure)")
    mu = as_float_array("annual_drift", annual_drift, ge=-10.0, le=10.0)
    dt = as_float_array(monitoring_name, monitoring_years, ge=0.0)
    raw, sigma, horizon, mu, dt = broadcast(barrier=raw, annual_vol=sigma, horizon_years=horizon,
                                            annual_drift=mu, **{monitoring_name: dt})
    never = (raw == 0.0) | np.isinf(raw)
    safe = np.where(never, 0.5, raw)
    with np.errstate(divide="ignore"):
        b = np.log(safe)
    up = b > 0
    shift = BGK_BETA * sigma * np.sqrt(dt)
    b = np.where(up, b + shift, np.where(b < 0, b - shift, b))
    nu = mu - 0.5 * sigma**2
    # mirror an up barrier into a down one: −X has drift −ν and barrier −b
    bd = np.where(up, -b, b)
    nud = np.where(up, -nu, nu)
    s_t = sigma * np.sqrt(horizon)
    first = _norm_cdf((bd - nud * horizon) / s_t)
    tail = _norm_cdf((bd + nud * horizon) / s_t)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        log_second = 2.0 * nud * bd / sigma**2 + np.log(tail)
        second = np.where(tail > 0, np.exp(np.minimum(log_second, 0.0)), 0.0)
    p = np.clip(first + second, 0.0, 1.0)
    p = np.where(b == 0.0, 1.0, p)
    return to_output(np.where(never, 0.0, p))


def liquidation_barrier(leverage, *, side="long", mmr=0.005, contract: ContractSpec | None = None):
    """Liquidation price as a multiple of the entry price, from :func:`liquidation_price`.

    At a fixed leverage the ratio does not depend on the entry price, the quantity or the contract
    size (linear: ``LP/EP = (1/L − s)/(mmr − s)``).

    Examples
    --------
    >>> round(liquidation_barrier(10, mmr=0.005), 6)      # a long at 10x: 9.55 % below entry
    0.904523
    """
    contract = _DEFAULT_CONTRACT if contract is None else contract
    check_contract(contract)
    return liquidation_price(1.0, 1.0, contract, side, leverage=leverage, mmr=mmr)


def liquidation_probability(leverage, annual_vol, horizon_hours, *, side="long", annual_drift=0.0,
                            mmr=0.005, monitoring_hours=0.0, contract: ContractSpec | None = None):
    """Closed-form probability of liquidation within ``horizon_hours`` (GBM, isolated margin).

    :func:`barrier_hit_probability` at the barrier :func:`liquidation_barrier`; vectorized over
    leverage, volatility and horizon (years of 8,760 hours).

    Examples
    --------
    A month at 60 % volatility; at 10x, b = ln(0.904523) = −0.10035, σ√T = 0.17202,
    νT = −0.01479, so P = Φ(−0.4974) + e^0.10035 · Φ(−0.6694) = 0.3095 + 0.2782:

    >>> p = liquidation_probability([2, 10, 50], 0.6, 24 * 30)
    >>> [round(float(x), 3) for x in p]
    [0.0, 0.588, 0.936]
    """
    barrier = np.asarray(liquidation_barrier(leverage, side=side, mmr=mmr, contract=contract))
    hours = as_float_array("horizon_hours", horizon_hours, gt=0.0,
                           note="(a horizon of zero has no risk to measure)")
    monitoring = as_float_array("monitoring_hours", monitoring_hours, ge=0.0)
    broadcast(leverage=leverage, annual_vol=annual_vol, horizon_hours=hours)
    return _barrier_hit(barrier, annual_vol, hours / HOURS_PER_YEAR, annual_drift,
                        monitoring / HOURS_PER_YEAR, "monitoring_hours")


@dataclass(frozen=True)
class FirstPassageResult:
    """What :func:`first_passage_liquidation` returns.

    Attributes
    ----------
    probability : float
        Share of paths liquidated within the horizon.
    standard_error : float
        Monte Carlo standard error, ``√(p(1 − p)/n_paths)``.
    n_paths, n_steps : int
        Paths simulated and steps per path.
    barrier : float
        Liquidation price / entry price.
    hit_step : numpy.ndarray
        For each path, the step (1-based) at which it was liquidated, 0 if it never was.
    draws : int
        Normal variates actually drawn (fewer than ``n_paths × n_steps``: liquidated paths stop).
    """

    probability: float
    standard_error: float
    n_paths: int
    n_steps: int
    barrier: float
    hit_step: np.ndarray
    draws: int

    def survival_curve(self) -> np.ndarray:
        """Share of paths not yet liquidated after each step (length ``n_steps + 1``)."""
        counts = np.bincount(self.hit_step, minlength=self.n_steps + 1)[1:]
        return 1.0 - np.concatenate(([0], np.cumsum(counts))) / self.n_paths


def _step_count(hours: float, step_hours: float) -> tuple[int, float]:
    """Steps covering exactly ``hours``: whole steps and a last one of ``last_fraction`` of a step."""
    n_steps = max(1, math.ceil(hours / step_hours - 1e-9))
    last_fraction = (hours - (n_steps - 1) * step_hours) / step_hours
    return n_steps, min(1.0, max(last_fraction, 1e-12))


def _check_work(n_paths: int, n_steps: int, cells: int = 1) -> None:
    """Refuse a run beyond :data:`MAX_STEPS` steps or :data:`MAX_DRAWS` draws, saying how to ask."""
    if n_steps > MAX_STEPS:
        raise ValueError(f"step_hours gives {n_steps:,} steps over the horizon; at most {MAX_STEPS:,} "
                         "are simulated (use longer steps, or set microfut_lib.montecarlo.MAX_STEPS "
                         "higher for a real need)")
    draws = n_paths * n_steps * cells
    if draws > MAX_DRAWS:
        raise ValueError(f"n_paths × steps = {draws:,} draws exceeds the limit of {MAX_DRAWS:,} (about "
                         "10 s of work): use fewer paths or longer steps, or set "
                         "microfut_lib.montecarlo.MAX_DRAWS higher for a real need")


def _walk_group(rng, n_rows, n_steps, last_fraction, b, drift, dtype, block_elements):
    """First-passage steps (1-based, 0 = never) of ``n_rows`` walks drawn from ``rng``.

    Step-major canonical blocks: the draws a path gets depend on the seed only, never on
    ``block_elements``, which only splits a block into consecutive draws of fewer steps.
    """
    hit = np.zeros(n_rows, dtype=np.int64)
    alive = np.arange(n_rows)
    level = np.zeros(n_rows)                     # position of each live path, in step units
    t, draws = 0, 0
    while t < n_steps and alive.size:
        width = int(min(n_steps - t, max(16, _BLOCK_DRAWS // alive.size)))
        first = np.zeros(alive.size, dtype=np.int64)      # step within the block where it crossed
        start = 0
        piece = max(1, block_elements // alive.size)
        while start < width:
            w = min(piece, width - start)
            z = rng.standard_normal((w, alive.size), dtype=dtype)
            draws += z.size
            steps = np.arange(t + start + 1, t + start + w + 1, dtype=float)
            if steps[-1] == n_steps and last_fraction < 1.0:   # the shorter last step
                z[-1] *= math.sqrt(last_fraction)
                steps[-1] = n_steps - 1 + last_fraction
            for k in range(1, w):                      # S_k row by row: each row is contiguous
                np.add(z[k], z[k - 1], out=z[k])
            # crossed when level + S_k ≤ line_k = b − drift·τ_k; only paths whose lowest point
            # comes within reach of the line's highest value are checked step by step
            line = b - drift * steps
            maybe = np.flatnonzero((z.min(axis=0) + level <= line.max()) & (first == 0))
            if maybe.size:
                below = (z[:, maybe] + level[maybe]) <= line[:, None]
                touched = below.any(axis=0)
                first[maybe[touched]] = start + below[:, touched].argmax(axis=0) + 1
            level = level + z[-1]
            start += w
        crossed = first > 0
        hit[alive[crossed]] = t + first[crossed]
        keep = ~crossed
        alive, level = alive[keep], level[keep]
        t += width
    return hit, draws


def first_passage_liquidation(leverage, annual_vol, horizon_hours, *, side="long", annual_drift=0.0,
                              mmr=0.005, n_paths=10_000, step_hours=1.0, seed=None,
                              contract: ContractSpec | None = None, dtype=np.float32,
                              block_elements=2_000_000, progress=None) -> FirstPassageResult:
    """Monte Carlo probability that a leveraged position is liquidated within the horizon.

    Simulates ``n_paths`` GBM log-price paths in steps of ``step_hours`` and records the first
    step at which each touches the liquidation barrier (:func:`liquidation_barrier`). The price is
    checked at the end of every step (discrete monitoring: compare with
    :func:`liquidation_probability` at ``monitoring_hours=step_hours``). Exactly ``horizon_hours``
    are simulated: where the horizon is not a whole number of steps, the last step is shorter.

    How it stays fast and small: the walk is simulated in units of one step's standard deviation
    (so each step is a standard normal plus a constant and the barrier becomes a straight line),
    in blocks of steps for the paths still alive; a path is dropped as soon as it is liquidated, and within a block only the paths whose
    lowest point comes near the barrier are checked step by step. So the run costs little more
    than drawing the normals (about 1.2x at 2x leverage, where most paths survive, and far less at
    10x, where most are dropped early). ``dtype=np.float32`` halves the cost of drawing and summing
    (its rounding over 8,760 steps is far below the Monte Carlo error).

    Parameters
    ----------
    leverage, annual_vol : float
        Isolated-margin leverage and σ per year.
    horizon_hours : float
        Horizon, > 0.
    side : {"long", "short"}
    annual_drift, mmr : float
        μ per year and the maintenance margin rate.
    n_paths : int
        Number of paths.
    step_hours : float
        Hours per step (1 = hourly checks).
    seed : int or None
        Seed for :func:`numpy.random.default_rng`.
    contract : ContractSpec, optional
        Product whose liquidation formula is used (a linear micro contract by default).
    dtype : numpy float type
        ``np.float32`` (fast) or ``np.float64``.
    block_elements : int
        Largest number of draws held in memory at once (at least one per live path of a group of
        4,096). It never changes the answer: the paths are drawn in groups of 4,096, each from its
        own stream of the seed, in blocks whose shape depends on the seed's results only.
    progress : bool or None
        Show a tqdm progress bar: always (True), never (False), or once a run has lasted a second
        (None).

    Returns
    -------
    FirstPassageResult

    Raises
    ------
    ValueError
        For more than :data:`MAX_PATHS` paths, :data:`MAX_STEPS` steps or :data:`MAX_DRAWS` draws
        (module constants: raise them for a real need), or a volatility below
        :data:`MIN_ANNUAL_VOL`.

    Examples
    --------
    >>> r = first_passage_liquidation(10, 0.6, 24 * 30, n_paths=4_000, seed=1, progress=False)
    >>> exact = liquidation_probability(10, 0.6, 24 * 30, monitoring_hours=1)
    >>> bool(abs(r.probability - exact) < 4 * r.standard_error)
    True
    """
    s = side_sign(side)
    lev = scalar("leverage", leverage, ge=1.0)
    sigma = scalar("annual_vol", annual_vol, ge=MIN_ANNUAL_VOL, le=10.0, note=_VOL_NOTE)
    hours = scalar("horizon_hours", horizon_hours, gt=0.0,
                   note="(a horizon of zero has no risk to measure)")
    step_hours = scalar("step_hours", step_hours, gt=0.0)
    mu = scalar("annual_drift", annual_drift, ge=-10.0, le=10.0)
    n_paths = whole_number("n_paths", n_paths, maximum=MAX_PATHS,
                           hint="set microfut_lib.montecarlo.MAX_PATHS higher for a real need")
    block_elements = whole_number("block_elements", block_elements, 1024)
    mmr = scalar("mmr", mmr, ge=0.0, lt=1.0, note="(a fraction: 0.005 = 0.5 %)")
    if not (progress is None or isinstance(progress, bool)):
        raise ValueError(f"progress must be True, False or None; got {progress!r:.40}")
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be np.float32 or np.float64; got {dtype!r}")
    n_steps, last_fraction = _step_count(hours, step_hours)
    _check_work(n_paths, n_steps)
    barrier = float(liquidation_barrier(lev, side=side, mmr=mmr, contract=contract))
    hit = np.zeros(n_paths, dtype=np.int64)
    if barrier == 0.0 or math.isinf(barrier):
        return FirstPassageResult(0.0, 0.0, n_paths, n_steps, barrier, hit, 0)
    dt = step_hours / HOURS_PER_YEAR
    scale = sigma * math.sqrt(dt)                      # one step's standard deviation of log-price
    drift = s * (mu - 0.5 * sigma**2) * dt / scale     # one step's drift, in those units
    b = s * math.log(barrier) / scale                  # a short mirrored into a long: −X
    groups = range(0, n_paths, GROUP_PATHS)
    streams = np.random.SeedSequence(seed_value(seed)).spawn(len(groups))
    draws = 0
    bar = None
    if progress is not False:
        from tqdm.auto import tqdm
        bar = tqdm(total=n_paths, desc="first passage", unit="path", leave=False,
                   delay=0.0 if progress else 1.0)
    try:
        for start, stream in zip(groups, streams):
            rows = min(GROUP_PATHS, n_paths - start)
            part, used = _walk_group(np.random.default_rng(stream), rows, n_steps, last_fraction, b,
                                     drift, dtype, block_elements)
            hit[start:start + rows] = part
            draws += used
            if bar is not None:
                bar.update(rows)
    finally:
        if bar is not None:
            bar.close()
    p = float(np.count_nonzero(hit) / n_paths)
    return FirstPassageResult(p, math.sqrt(p * (1.0 - p) / n_paths), n_paths, n_steps, barrier, hit,
                              draws)


def liquidation_probability_mc(leverage, annual_vol, horizon_hours, *, side="long", n_paths=10_000,
                               seed=0, **options):
    """:func:`first_passage_liquidation` over a grid: one estimate per leverage × volatility.

    ``leverage`` and ``annual_vol`` broadcast together (e.g. a column of leverages against a row
    of volatilities); each cell is its own simulation with the seed ``seed + cell number``, so a
    cell does not change when others are added. ``options`` go to
    :func:`first_passage_liquidation` (``annual_drift``, ``mmr``, ``step_hours``, ...).

    Returns
    -------
    numpy.ndarray
        Probabilities, in the broadcast shape.

    Examples
    --------
    >>> p = liquidation_probability_mc([[5], [20]], [0.3, 0.9], 24 * 7, n_paths=2_000, progress=False)
    >>> p.shape, bool(p[1, 1] > p[0, 0])
    ((2, 2), True)
    """
    lev, vol = broadcast(leverage=as_float_array("leverage", leverage, ge=1.0),
                         annual_vol=as_float_array("annual_vol", annual_vol, ge=MIN_ANNUAL_VOL,
                                                   le=10.0, note=_VOL_NOTE))
    hours = scalar("horizon_hours", horizon_hours, gt=0.0)
    step_hours = scalar("step_hours", options.pop("step_hours", 1.0), gt=0.0)
    paths = whole_number("n_paths", n_paths, maximum=MAX_PATHS)
    _check_work(paths, _step_count(hours, step_hours)[0], cells=max(1, lev.size))
    out = np.empty(lev.shape)
    base = whole_number("seed", seed, 0)
    options["step_hours"] = step_hours
    for cell, (l_value, v_value) in enumerate(zip(lev.ravel().tolist(), vol.ravel().tolist())):
        out.flat[cell] = first_passage_liquidation(l_value, v_value, horizon_hours, side=side,
                                                   n_paths=n_paths, seed=base + cell,
                                                   **options).probability
    return out


@dataclass(frozen=True)
class RuinResult:
    """What :func:`risk_of_ruin` returns.

    Attributes
    ----------
    probability : float
        Share of simulated accounts that hit the ruin level within ``n_trades``.
    standard_error : float
        Monte Carlo standard error.
    bound : float
        Cramér–Lundberg bound on the probability of ever being ruined (1.0 when the expected log
        growth per trade is ≤ 0: ruin is then certain in the long run).
    growth_per_trade : float
        Expected log growth per trade, ``p·ln(1 + fR) + (1 − p)·ln(1 − f)``.
    """

    probability: float
    standard_error: float
    bound: float
    growth_per_trade: float


def _lundberg_gamma(p: float, up: float, down: float) -> float:
    """γ > 0 with p·e^(−γ·up) + (1 − p)·e^(−γ·down) = 1 (up > 0 > down), by bisection."""
    def f(g: float) -> float:
        return p * math.exp(-g * up) + (1.0 - p) * math.exp(-g * down) - 1.0
    hi = 1.0
    while f(hi) < 0.0:
        hi *= 2.0
        if hi > 1e6:
            return math.inf
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if f(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def risk_of_ruin(risk_fraction, win_rate, reward_risk, *, ruin_drawdown=0.5, n_trades=1_000,
                 n_paths=10_000, seed=None) -> RuinResult:
    """Probability that fixed-fractional betting draws the account down to the ruin level.

    Each trade risks ``risk_fraction`` f of current equity, wins with probability ``win_rate`` p
    and then pays ``reward_risk`` R times the risk: equity × (1 + f·R) on a win, × (1 − f) on a
    loss. Ruin: equity at or below ``(1 − ruin_drawdown)`` of the start within ``n_trades``
    (Monte Carlo), and the infinite-horizon Cramér–Lundberg bound (see the module notes).

    Parameters
    ----------
    risk_fraction : float
        f, in (0, 1).
    win_rate : float
        p, in [0, 1].
    reward_risk : float
        R, > 0.
    ruin_drawdown : float
        Drawdown that counts as ruin, in (0, 1) (0.5 = losing half the account).
    n_trades, n_paths : int
        Trades per simulated account, and accounts.
    seed : int or None

    Returns
    -------
    RuinResult

    Examples
    --------
    Risking 10 % per trade with a 40 % win rate at 2:1: γ = 1 solves
    0.4/1.2^γ + 0.6/0.9^γ = 1, so the chance of ever losing half is at most 0.5^1:

    >>> r = risk_of_ruin(0.10, 0.40, 2.0, ruin_drawdown=0.5, n_trades=500, n_paths=2_000, seed=5)
    >>> round(r.bound, 6), bool(r.probability <= r.bound + 3 * r.standard_error)
    (0.5, True)
    """
    f = scalar("risk_fraction", risk_fraction, gt=0.0, lt=1.0,
               note="(a fraction: 0.01 = 1 % per trade; was a percentage meant?)")
    p = scalar("win_rate", win_rate, ge=0.0, le=1.0)
    reward = scalar("reward_risk", reward_risk, gt=0.0)
    d = scalar("ruin_drawdown", ruin_drawdown, gt=0.0, lt=1.0, note="(0.5 = losing half)")
    n_trades = whole_number("n_trades", n_trades, maximum=MAX_STEPS,
                            hint="set microfut_lib.montecarlo.MAX_STEPS higher for a real need")
    n_paths = whole_number("n_paths", n_paths, maximum=MAX_PATHS,
                           hint="set microfut_lib.montecarlo.MAX_PATHS higher for a real need")
    if n_trades * n_paths > MAX_DRAWS:
        raise ValueError(f"n_trades × n_paths = {n_trades * n_paths:,} exceeds the limit of "
                         f"{MAX_DRAWS:,} draws: use fewer, or set microfut_lib.montecarlo.MAX_DRAWS "
                         "higher for a real need")
    up, down = math.log1p(f * reward), math.log1p(-f)
    growth = p * up + (1.0 - p) * down
    level = math.log1p(-d)
    if growth <= 0.0 or p == 0.0:
        bound = 1.0
    elif p == 1.0:
        bound = 0.0
    else:
        bound = min(1.0, math.exp(_lundberg_gamma(p, up, down) * level))
    rng = np.random.default_rng(seed_value(seed))
    ruined = 0
    chunk = max(1, 2_000_000 // n_trades)
    for start in range(0, n_paths, chunk):
        rows = min(chunk, n_paths - start)
        wins = rng.random((rows, n_trades)) < p
        path = np.cumsum(np.where(wins, up, down), axis=1)
        ruined += int(np.count_nonzero(path.min(axis=1) <= level + 1e-9))
    prob = ruined / n_paths
    return RuinResult(prob, math.sqrt(prob * (1.0 - prob) / n_paths), bound, growth)


