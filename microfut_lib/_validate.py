"""Input checks shared by every public function (the ground floor: imports nothing from the package).

Each check raises a ``ValueError`` that names the argument, the valid range and the value it got,
so a learner sees ``leverage must be a finite number >= 1 and <= 125 (BTC-MICRO's maximum
leverage); got 200`` instead of a NaN or a numpy traceback. The rules:

- **Numbers are numbers.** Text (``"70000"``, ``b"70000"``), booleans (``True`` as leverage),
  complex numbers, ``None`` and arrays of any of them are refused, never coerced.
- **Bounded magnitude.** Every quantity is at most :data:`MAX_MAGNITUDE` in size, and a quantity
  that must be positive is at least :data:`MIN_POSITIVE`, so no formula overflows or divides by
  an underflowed zero.
- **The value shown is the value given** (``125.0000001``, not ``125``), and shapes that do not
  broadcast are named in pairs (:func:`broadcast`).
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

SIDES = {"long": 1.0, "short": -1.0}

#: Largest magnitude any input may have: beyond any price, quantity or balance a course needs,
#: and small enough that products of a few of them stay far from float overflow (1.8e308).
MAX_MAGNITUDE = 1e15
#: Smallest value a quantity that must be > 0 may take (a price, a quantity, a contract size):
#: above it, 1/x and x·y never overflow or underflow to 0.
MIN_POSITIVE = 1e-12

#: What the vectorized functions return: a float for scalar input, an array otherwise.
FloatOrArray = float | np.ndarray


class ContractBase:
    """Marker base class of :class:`~microfut_lib.contracts.ContractSpec`.

    It lets :func:`check_contract` recognise a contract without importing ``contracts``.
    """

    __slots__ = ()


def fmt(x: Any) -> str:
    """A number exactly as given: ``125.0000001`` stays so, ``200.0`` reads ``200``."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return str(int(x))
    if not isinstance(x, (float, np.floating)):
        return repr(x)
    try:
        value = float(x)
    except (TypeError, ValueError, OverflowError):
        return repr(x)
    short = f"{value:g}"
    if not math.isfinite(value) or (float(short) == value and len(short) <= len(repr(value))):
        return short
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _describe_range(gt: float | None, ge: float | None, lt: float | None, le: float | None) -> str:
    lower = f"> {fmt(gt)}" if gt is not None else f">= {fmt(ge)}" if ge is not None else None
    upper = f"< {fmt(lt)}" if lt is not None else f"<= {fmt(le)}" if le is not None else None
    if lower and upper:
        return f"{lower} and {upper}"
    return lower or upper or "a finite number"


def _not_a_number(name: str, value: Any) -> str | None:
    """Why ``value`` is not a number or an array of numbers (None when it is one)."""
    if isinstance(value, (bool, np.bool_)):
        return f"{name} must be a number, not a boolean; got {value!r}"
    if isinstance(value, (str, bytes, bytearray)):
        return f"{name} must be a number, not text; got {value!r}"
    if isinstance(value, (complex, np.complexfloating)):
        return f"{name} must be a real number; got the complex number {value!r}"
    if value is None:
        return f"{name} must be a number; got None"
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iuf":
            return None
        if value.dtype.kind != "O":
            return f"{name} must hold numbers; got an array of dtype {value.dtype}"
        value = value.ravel().tolist()
    if isinstance(value, (list, tuple)):
        for item in value:
            reason = _not_a_number(name, item)
            if reason is not None:
                return reason
        return None
    if isinstance(value, (numbers.Real, np.integer, np.floating)):
        return None
    return f"{name} must be a number or an array of numbers; got {type(value).__name__}"


def check_numbers(name: str, value: Any) -> None:
    """Refuse text, bytes, booleans, complex numbers and None (alone or in arrays); convert nothing."""
    reason = _not_a_number(name, value)
    if reason is not None:
        raise ValueError(reason)


def as_float_array(name: str, value: Any, *, gt: float | None = None, ge: float | None = None,
                   lt: float | None = None, le: float | None = None, note: str = "",
                   allow_inf: bool = False) -> np.ndarray:
    """Return ``value`` as a float array after checking it is finite and inside the given bounds.

    ``allow_inf`` lets ``+inf`` through (a barrier no price reaches, for example).
    ``gt``/``ge`` are the strict/inclusive lower bounds, ``lt``/``le`` the upper ones; with none
    given the bounds are ±:data:`MAX_MAGNITUDE`, and ``gt=0`` means at least :data:`MIN_POSITIVE`.
    ``note`` is appended to the message (for example ``"(the product's cap)"``).

    >>> as_float_array("leverage", 125.0000001, ge=1, le=125)
    Traceback (most recent call last):
    ...
    ValueError: leverage must be a finite number >= 1 and <= 125; got 125.0000001
    """
    check_numbers(name, value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a number or an array of numbers of one shape; "
                         f"got {value!r:.80}") from None
    positive = gt == 0.0
    if positive:
        gt, ge = None, MIN_POSITIVE if ge is None else max(ge, MIN_POSITIVE)
    implicit = (gt is None and ge is None, lt is None and le is None)
    if implicit[0]:
        ge = -MAX_MAGNITUDE
    if implicit[1]:
        le = MAX_MAGNITUDE
    ok = np.isfinite(arr)                 # comparisons with NaN are False and raise no warning
    if allow_inf:
        arr_checked, arr = arr, np.where(np.isposinf(arr), 0.0 if ge is None else max(ge, 0.0), arr)
        ok |= np.isposinf(arr_checked)
    for bound, test in ((gt, np.greater), (ge, np.greater_equal), (lt, np.less), (le, np.less_equal)):
        if bound is not None:
            ok &= test(arr, bound)
    if not ok.all():
        bad = ~ok
        shown = fmt(value) if arr.ndim == 0 else fmt(arr[bad].flat[0])
        where = "" if arr.ndim == 0 else f" (first bad value of {int(np.count_nonzero(bad))})"
        suffix = f" {note}" if note else ""
        first = float(arr[bad].flat[0])
        huge = not abs(first) <= MAX_MAGNITUDE          # the magnitude limit, shown where it bites
        described = _describe_range(gt, None if implicit[0] and not huge else ge,
                                    lt, None if implicit[1] and not huge else le)
        if positive:       # say "> 0", and the floor only to a value that is positive but below it
            tiny = 0.0 < first < MIN_POSITIVE
            described = described.replace(f">= {fmt(MIN_POSITIVE)}",
                                          f">= {fmt(MIN_POSITIVE)}" if tiny else "> 0")
        raise ValueError(f"{name} must be a finite number {described}{suffix}; got {shown}{where}")
    return arr_checked if allow_inf else arr


def scalar(name: str, value: Any, **bounds: Any) -> float:
    """One number, checked like :func:`as_float_array` (same bounds, same messages).

    A valid plain int or float takes a fast path of Python comparisons (the backtester and the
    sliders call this on every run); anything else goes through ``as_float_array``.
    """
    if type(value) in (int, float) and abs(value) <= MAX_MAGNITUDE:      # NaN and inf fail here
        gt, ge, lt, le = (bounds.get(k) for k in ("gt", "ge", "lt", "le"))
        if gt == 0.0:
            gt, ge = None, MIN_POSITIVE if ge is None else max(ge, MIN_POSITIVE)
        if ((gt is None or value > gt) and (ge is None or value >= ge)
                and (lt is None or value < lt) and (le is None or value <= le)):
            return float(value)
    arr = as_float_array(name, value, **bounds)
    if arr.ndim:
        raise ValueError(f"{name} must be a single number; got an array of shape {arr.shape}")
    return float(arr)


def whole_number(name: str, value: Any, minimum: int = 1, *, maximum: int | None = None,
                 unit: str = "", hint: str = "") -> int:
    """A whole number (a Python or numpy int, not a bool or a float) in ``[minimum, maximum]``.

    ``hint`` follows the message when the value is above ``maximum`` (how to ask for more).
    """
    what = f"a whole number of {unit}" if unit else "a whole number"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be {what} >= {minimum}; got {fmt(value)}")
    if maximum is not None and value > maximum:
        extra = f"; {hint}" if hint else ""
        raise ValueError(f"{name} must be {what} <= {maximum:,}; got {int(value):,}{extra}")
    return int(value)


def seed_value(seed: Any) -> int | None:
    """A seed for :func:`numpy.random.default_rng`: ``None`` (fresh entropy) or a whole number >= 0."""
    if seed is None:
        return None
    return whole_number("seed", seed, 0)


def side_sign(side: Any) -> float:
    """+1.0 for ``"long"``, -1.0 for ``"short"``; anything else is a ValueError."""
    if isinstance(side, str) and side.lower() in SIDES:
        return SIDES[side.lower()]
    raise ValueError(f"side must be 'long' or 'short'; got {side!r}")


def choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    """Check that ``value`` is one of the strings ``options``."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {value!r}")
    return value


def text(name: str, value: Any, *, optional: bool = False) -> str | None:
    """A string field (``None`` allowed only where ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text (a str); got {value!r}")
    return value


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """``np.broadcast_arrays`` of the named arrays; shapes that do not fit name both arguments.

    >>> broadcast(entry_price=np.ones(3), qty=np.ones(2))
    Traceback (most recent call last):
    ...
    ValueError: entry_price (shape (3,)) and qty (shape (2,)) do not broadcast together; give arrays of the same shape, or a single number for one of them
    """
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        items = list(arrays.items())
        for i, (name_a, a) in enumerate(items):
            for name_b, b in items[i + 1:]:
                try:
                    np.broadcast_shapes(np.shape(a), np.shape(b))
                except ValueError:
                    raise ValueError(f"{name_a} (shape {np.shape(a)}) and {name_b} (shape "
                                     f"{np.shape(b)}) do not broadcast together; give arrays of the "
                                     "same shape, or a single number for one of them") from None
        raise


def to_output(arr: np.ndarray) -> float | np.ndarray:
    """Scalars in, floats out: a 0-d array becomes a Python float."""
    arr = np.asarray(arr, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def leverage_array(leverage: Any, contract: Any) -> np.ndarray:
    """Check ``1 <= leverage <= contract.max_leverage`` (no upper cap where the product has none)."""
    cap = getattr(contract, "max_leverage", None)
    if cap is None:
        return as_float_array("leverage", leverage, ge=1.0, le=1e6)
    return as_float_array("leverage", leverage, ge=1.0, le=float(cap),
                          note=f"({contract.symbol}'s maximum leverage)")


def check_contract(contract: Any) -> None:
    """Raise unless ``contract`` is a :class:`~microfut_lib.contracts.ContractSpec`."""
    if not isinstance(contract, ContractBase):
        raise ValueError(f"contract must be a ContractSpec (for example mf.PRESETS['BTC-MICRO']); "
                         f"got {type(contract).__name__}")


def price_array(name: str, value: Any) -> np.ndarray:
    """A 1-D float array of prices, finite and > 0 at every bar (the bars' own check)."""
    check_numbers(name, value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
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
