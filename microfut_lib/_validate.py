"""Input checks shared by every public function.

Each check raises a ``ValueError`` that names the argument, the valid range and the value it got,
so a learner sees ``leverage must be between 1 and 125 (the product's cap); got 200`` instead of a
NaN or a numpy traceback.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

SIDES = {"long": 1.0, "short": -1.0}

#: What the vectorized functions return: a float for scalar input, an array otherwise.
FloatOrArray = float | np.ndarray


def _fmt(x: float) -> str:
    return f"{x:g}"


def _describe_range(gt: float | None, ge: float | None, lt: float | None, le: float | None) -> str:
    lower = f"> {_fmt(gt)}" if gt is not None else f">= {_fmt(ge)}" if ge is not None else None
    upper = f"< {_fmt(lt)}" if lt is not None else f"<= {_fmt(le)}" if le is not None else None
    if lower and upper:
        return f"{lower} and {upper}"
    return lower or upper or "a finite number"


def as_float_array(name: str, value: Any, *, gt: float | None = None, ge: float | None = None,
                   lt: float | None = None, le: float | None = None, note: str = "") -> np.ndarray:
    """Return ``value`` as a float array after checking it is finite and inside the given bounds.

    ``gt``/``ge`` are the strict/inclusive lower bounds, ``lt``/``le`` the upper ones. ``note`` is
    appended to the message (for example ``"(the product's cap)"``).
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers; got {value!r}") from None
    ok = np.isfinite(arr)                 # comparisons with NaN are False and raise no warning
    if gt is not None:
        ok &= arr > gt
    if ge is not None:
        ok &= arr >= ge
    if lt is not None:
        ok &= arr < lt
    if le is not None:
        ok &= arr <= le
    if not ok.all():
        bad = ~ok
        first = arr[bad].flat[0] if arr.ndim else arr.item()
        where = "" if arr.ndim == 0 else f" (first bad value of {int(np.count_nonzero(bad))})"
        suffix = f" {note}" if note else ""
        raise ValueError(f"{name} must be a finite number {_describe_range(gt, ge, lt, le)}{suffix}; "
                         f"got {_fmt(float(first))}{where}")
    return arr


def scalar(name: str, value: Any, **bounds: Any) -> float:
    """One number, checked like :func:`as_float_array` (same bounds, same messages).

    A valid plain int or float takes a fast path of Python comparisons (the backtester and the
    sliders call this on every run); anything else goes through ``as_float_array``.
    """
    if type(value) in (int, float) and math.isfinite(value):
        gt, ge, lt, le = (bounds.get(k) for k in ("gt", "ge", "lt", "le"))
        if ((gt is None or value > gt) and (ge is None or value >= ge)
                and (lt is None or value < lt) and (le is None or value <= le)):
            return float(value)
    arr = as_float_array(name, value, **bounds)
    if arr.ndim:
        raise ValueError(f"{name} must be a single number; got an array of shape {arr.shape}")
    return float(arr)


def whole_number(name: str, value: Any, minimum: int = 1, *, unit: str = "") -> int:
    """A whole number (a Python or numpy int, not a bool or a float) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        what = f"a whole number of {unit}" if unit else "a whole number"
        raise ValueError(f"{name} must be {what} >= {minimum}; got {value!r}")
    return int(value)


def side_sign(side: Any) -> float:
    """+1.0 for ``"long"``, -1.0 for ``"short"``; anything else is a ValueError."""
    if isinstance(side, str) and side.lower() in SIDES:
        return SIDES[side.lower()]
    raise ValueError(f"side must be 'long' or 'short'; got {side!r}")


def choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    """Check that ``value`` is one of ``options``."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {value!r}")
    return value


def to_output(arr: np.ndarray) -> float | np.ndarray:
    """Scalars in, floats out: a 0-d array becomes a Python float."""
    arr = np.asarray(arr, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def leverage_array(leverage: Any, contract: Any) -> np.ndarray:
    """Check ``1 <= leverage <= contract.max_leverage`` (no upper cap where the product has none)."""
    cap = getattr(contract, "max_leverage", None)
    if cap is None:
        return as_float_array("leverage", leverage, ge=1.0)
    return as_float_array("leverage", leverage, ge=1.0, le=float(cap),
                          note=f"({contract.symbol}'s maximum leverage)")


def check_contract(contract: Any) -> None:
    """Raise unless ``contract`` is a :class:`~microfut_lib.contracts.ContractSpec`."""
    from .contracts import ContractSpec

    if not isinstance(contract, ContractSpec):
        raise ValueError(f"contract must be a ContractSpec (for example mf.PRESETS['BTC-MICRO']); "
                         f"got {type(contract).__name__}")


def price_array(name: str, value: Any) -> np.ndarray:
    """A 1-D float array of prices, finite and > 0 at every bar (the bars' own check)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers; got {type(value).__name__}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per bar); got shape {arr.shape}")
    if (arr > 0.0).all() and (arr < np.inf).all():     # one pass each; NaN fails both
        return arr
    bad = ~np.isfinite(arr)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} has {int(bad.sum())} missing (NaN) or infinite value(s), the first "
                         f"at bar {i}; remove or fill those rows first")
    i = int(np.flatnonzero(arr <= 0)[0])
    raise ValueError(f"{name} must be > 0 at every bar; got {arr[i]:g} at bar {i}")
